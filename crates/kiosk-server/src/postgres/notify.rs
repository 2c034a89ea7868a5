//! What replicas sharing one database tell each other, through PostgreSQL
//! itself: `NOTIFY` on one channel, heard by the connection each replica keeps
//! `LISTEN`ing ([`PgStore::listen`]); and a lock held across replicas
//! ([`PgStore::advisory_lock`], a session advisory lock on a connection of
//! its own).

use futures_util::StreamExt;
use tokio::sync::mpsc;
use tokio_postgres::{AsyncMessage, NoTls};

use super::{PgStore, ctx};
use crate::db::DbError;

/// The `NOTIFY` channel replicas talk on.
pub const CHANNEL: &str = "kiosk_replicas";

/// A connection listening on [`CHANNEL`]: its payloads arrive on
/// [`Listening::payloads`], which ends when the connection breaks.
pub struct Listening {
    /// Kept to keep the connection open, and to check that it still answers.
    client: tokio_postgres::Client,
    /// The payloads, in the order they were sent.
    pub payloads: mpsc::UnboundedReceiver<String>,
}

impl Listening {
    /// Whether the connection still answers, within `within`.
    pub async fn alive(&self, within: std::time::Duration) -> bool {
        matches!(tokio::time::timeout(within, self.client.simple_query("")).await, Ok(Ok(_)))
    }
}

/// A lock held across every replica until dropped: a session lock on a
/// connection of its own, so that dropping it (or dropping the wait for it)
/// closes the session, which lets the lock go; a pooled connection is never
/// left holding it.
pub struct AdvisoryLock {
    _session: tokio_postgres::Client,
    broken: tokio::sync::watch::Receiver<bool>,
}

impl AdvisoryLock {
    /// Completes when the session holding the lock broke (the lock is then lost).
    pub async fn lost(&mut self) {
        let _ = self.broken.wait_for(|broken| *broken).await;
    }
}

impl PgStore {
    /// Sends `payload` (at most 8000 bytes) to every replica listening, this one included.
    pub async fn notify(&self, payload: &str) -> Result<(), DbError> {
        let client = self.client().await?;
        client
            .execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &payload])
            .await
            .map_err(ctx("tell the other replicas"))?;
        Ok(())
    }

    /// Opens a connection of its own that listens on [`CHANNEL`].
    pub async fn listen(&self) -> Result<Listening, DbError> {
        let (client, mut connection) =
            self.config.connect(NoTls).await.map_err(ctx("connect to hear the other replicas"))?;
        let (send, payloads) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
            while let Some(message) = messages.next().await {
                match message {
                    Ok(AsyncMessage::Notification(note)) => {
                        if send.send(note.payload().to_owned()).is_err() {
                            return;
                        }
                    }
                    Ok(_) => {}
                    Err(error) => {
                        tracing::warn!(%error, "the connection hearing the other replicas broke");
                        return;
                    }
                }
            }
        });
        client
            .batch_execute(&format!("LISTEN {CHANNEL}"))
            .await
            .map_err(ctx("listen to the other replicas"))?;
        Ok(Listening { client, payloads })
    }

    /// Waits for the lock `key`, held across replicas until the answer is dropped.
    pub async fn advisory_lock(&self, key: i64) -> Result<AdvisoryLock, DbError> {
        let (session, broken) = self.session().await?;
        session.execute("SELECT pg_advisory_lock($1)", &[&key]).await.map_err(ctx("wait for the lock"))?;
        Ok(AdvisoryLock { _session: session, broken })
    }

    /// The lock `key` if no other replica holds it now.
    pub async fn try_advisory_lock(&self, key: i64) -> Result<Option<AdvisoryLock>, DbError> {
        let (session, broken) = self.session().await?;
        let taken: bool = session
            .query_one("SELECT pg_try_advisory_lock($1)", &[&key])
            .await
            .map_err(ctx("try the lock"))?
            .get(0);
        Ok(taken.then_some(AdvisoryLock { _session: session, broken }))
    }

    /// A connection of its own, and what tells when it broke.
    async fn session(&self) -> Result<(tokio_postgres::Client, tokio::sync::watch::Receiver<bool>), DbError> {
        let (client, connection) = self.config.connect(NoTls).await.map_err(ctx("connect for a lock"))?;
        let (broke, broken) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            let _ = connection.await;
            broke.send_replace(true);
        });
        Ok((client, broken))
    }
}
