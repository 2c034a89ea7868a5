//! Which devices hold an event stream to which replica: each replica writes
//! its own list now and then ([`crate::replicas::share_streams`]), and the
//! fleet view reads the lists of the replicas heard from lately. A replica
//! that died stops being heard from, and its list is left out; lists not
//! written for an hour are removed.

use std::collections::HashSet;
use std::time::Duration;

use super::{PgStore, ctx};
use crate::db::DbError;

impl PgStore {
    /// Records that replica `replica` holds streams of `devices`, now.
    pub async fn share_streams(&self, replica: &str, devices: &[String]) -> Result<(), DbError> {
        let client = self.client().await?;
        client
            .execute(
                "INSERT INTO replica_streams (replica, seen_at, devices) VALUES ($1, now(), $2)
                 ON CONFLICT (replica) DO UPDATE SET seen_at = now(), devices = excluded.devices",
                &[&replica, &devices],
            )
            .await
            .map_err(ctx("record this replica's event streams"))?;
        client
            .execute("DELETE FROM replica_streams WHERE seen_at < now() - interval '1 hour'", &[])
            .await
            .map_err(ctx("remove the event streams of replicas gone"))?;
        Ok(())
    }

    /// The devices holding a stream to a replica other than `replica` that
    /// recorded its list within `fresh`.
    pub async fn streams_elsewhere(
        &self,
        replica: &str,
        fresh: Duration,
    ) -> Result<HashSet<String>, DbError> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT DISTINCT unnest(devices) FROM replica_streams
                 WHERE replica <> $1 AND seen_at > now() - make_interval(secs => $2)",
                &[&replica, &fresh.as_secs_f64()],
            )
            .await
            .map_err(ctx("read the other replicas' event streams"))?;
        Ok(rows.iter().map(|row| row.get(0)).collect())
    }
}
