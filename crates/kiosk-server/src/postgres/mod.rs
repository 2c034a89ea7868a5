//! The PostgreSQL backend: every store trait ([`Database`](crate::db::Database),
//! [`StaffDb`](crate::console::db::StaffDb), [`FleetDb`](crate::fleet::db::FleetDb),
//! [`ReportsDb`](crate::reports::db::ReportsDb),
//! [`ScreenshotsDb`](crate::screenshots::db::ScreenshotsDb)) over one
//! connection pool, so that several server replicas share one database.
//!
//! The schema is the embedded SQLite one in PostgreSQL's words; it grows by
//! appending to [`MIGRATIONS`], never by editing one that has shipped, and the
//! `schema_migrations` table records those applied. Replicas starting together
//! migrate one at a time (a transaction-scoped advisory lock). Where SQLite
//! relied on its single writer (version numbers, issue times, one count per
//! event), PostgreSQL takes a row or advisory lock inside a transaction.

mod console;
mod db;
mod fleet;
mod keys;
pub mod notify;
mod presence;
mod reports;
mod schema;
mod screenshots;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::NoTls;

use crate::clock::Clock;
use crate::db::DbError;
use crate::reports::Counting;

pub use schema::MIGRATIONS;

/// The advisory lock key replicas migrate under (`"kiosk-migrate"` as bytes).
const MIGRATION_LOCK: i64 = 0x6b69_6f73_6b6d_6967;

/// Connections each server process keeps at most.
const POOL_SIZE: usize = 16;

/// Names the failing operation on a PostgreSQL error.
pub(crate) fn ctx(context: &'static str) -> impl FnOnce(tokio_postgres::Error) -> DbError {
    move |source| DbError { context, source: Box::new(source) }
}

/// Names the failing operation when no connection could be had.
fn pool_ctx(context: &'static str) -> impl FnOnce(deadpool_postgres::PoolError) -> DbError {
    move |source| DbError { context, source: Box::new(source) }
}

/// The PostgreSQL database, cheap to clone.
#[derive(Clone)]
pub struct PgStore {
    pool: Pool,
    /// Where the pool connects, for the connection that listens ([`notify`]).
    config: std::sync::Arc<tokio_postgres::Config>,
    clock: Clock,
    counting: Counting,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore").field("pool", &self.pool.status()).finish_non_exhaustive()
    }
}

impl PgStore {
    /// Connects to `url` (`postgres://user:password@host:port/database`, or
    /// `host=/run/postgresql dbname=…`) and migrates the schema; what it stamps
    /// it stamps by `clock`, and reports count days as `counting` says.
    pub async fn open(url: &str, clock: Clock, counting: Counting) -> Result<Self, DbError> {
        let config: tokio_postgres::Config = url.parse().map_err(ctx("read the database address"))?;
        Self::open_config(config, clock, counting).await
    }

    /// Connects with `config` and migrates the schema, as [`PgStore::open`] does.
    pub async fn open_config(
        mut config: tokio_postgres::Config,
        clock: Clock,
        counting: Counting,
    ) -> Result<Self, DbError> {
        // A connection to a database that went away (failover, a dropped NAT
        // entry) is noticed within about a minute, not the system's two hours.
        config
            .connect_timeout(std::time::Duration::from_secs(10))
            .keepalives(true)
            .keepalives_idle(std::time::Duration::from_secs(30))
            .keepalives_interval(std::time::Duration::from_secs(10))
            .keepalives_retries(3);
        let manager = Manager::from_config(
            config.clone(),
            NoTls,
            ManagerConfig { recycling_method: RecyclingMethod::Fast },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .build()
            .map_err(|e| DbError { context: "make the connection pool", source: Box::new(e) })?;
        let store = Self { pool, config: std::sync::Arc::new(config), clock, counting };
        store.migrate().await?;
        if let Some(events) = reports::rebuild_if_needed(&store).await? {
            let zone = store.counting.zone_name();
            tracing::info!(events, %zone, "counted the stored events into daily counts");
        }
        Ok(store)
    }

    /// A connection from the pool.
    pub(crate) async fn client(&self) -> Result<deadpool_postgres::Object, DbError> {
        self.pool.get().await.map_err(pool_ctx("connect to PostgreSQL"))
    }

    /// The clock stamps are made by.
    pub(crate) fn clock(&self) -> &Clock {
        &self.clock
    }

    /// How reports count days.
    pub(crate) fn counting(&self) -> &Counting {
        &self.counting
    }

    async fn migrate(&self) -> Result<(), DbError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(ctx("begin migration"))?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await
            .map_err(ctx("wait for other replicas' migration"))?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
            )",
        )
        .await
        .map_err(ctx("create the migrations table"))?;
        let applied: i64 = tx
            .query_one("SELECT count(*) FROM schema_migrations", &[])
            .await
            .map_err(ctx("read schema version"))?
            .get(0);
        let applied = usize::try_from(applied).unwrap_or(usize::MAX);
        if applied > MIGRATIONS.len() {
            return Err(DbError {
                context: "schema is newer than this program; update the server",
                source: format!("{applied} migrations applied, this program knows {}", MIGRATIONS.len())
                    .into(),
            });
        }
        for (index, sql) in MIGRATIONS.iter().enumerate().skip(applied) {
            tx.batch_execute(sql).await.map_err(ctx("apply migration"))?;
            let version = i32::try_from(index + 1).expect("fewer migrations than i32::MAX");
            tx.execute("INSERT INTO schema_migrations (version) VALUES ($1)", &[&version])
                .await
                .map_err(ctx("record schema version"))?;
        }
        tx.commit().await.map_err(ctx("commit migration"))
    }
}
