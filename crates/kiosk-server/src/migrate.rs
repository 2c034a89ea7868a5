//! Moving an installation from the embedded storage (a data folder's
//! `server.sqlite` and `blobs/`) to shared storage (PostgreSQL, and an
//! S3-compatible bucket or another blob store): `kiosk-server migrate`.
//!
//! - **Records**: every table, parents before children, row by row in
//!   batches, each batch one transaction; a row already there is kept
//!   (`ON CONFLICT DO NOTHING`), so a migration cut short is run again and goes
//!   on where it stopped. Columns are matched by name (`sessions.user` is
//!   `user_name`) and converted by the target's type (SQLite's 0/1 flags to
//!   `BOOLEAN`); identity columns keep their values, and their sequences are
//!   moved past them.
//! - **Blobs**: each file of `blobs/` is stored unless the target holds a blob
//!   of that name and size already; the target checks every blob's hash as it
//!   stores it.
//! - **Keys**: the public halves of the data folder's keys are recorded as the
//!   fleet's, so only replicas holding the same key files start.
//! - **Verified**: afterwards every table holds at least as many rows as the
//!   source, every release has the same manifest hash, and every blob is there
//!   with its size; any difference is named and the command fails.
//!
//! The source server should be stopped first, so nothing changes under the copy.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kiosk_core::blob::BlobId;
use rusqlite::types::Value;
use tokio_postgres::types::ToSql;

use crate::blob_store::BlobStore;
use crate::db::{DbError, sortable_time};
use crate::postgres::PgStore;

/// The tables, parents before children.
pub const TABLES: &[&str] = &[
    "channels",
    "releases",
    "release_blobs",
    "enrolment_codes",
    "devices",
    "events",
    "emergencies",
    "blob_probes",
    "users",
    "sessions",
    "audit",
    "media",
    "uploads",
    "drafts",
    "api_tokens",
    "fleet_alerts",
    "daily_counts",
    "daily_screen_counts",
    "monthly_screen_counts",
    "daily_uptime",
    "report_meta",
    "daily_series",
    "monthly_counts",
    "screenshot_requests",
    "screenshots",
];

/// Rows copied in one transaction.
const BATCH: usize = 2_000;

/// Why a migration stopped.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    /// The source database could not be read.
    #[error("{path}: {source}")]
    Source {
        /// The SQLite file.
        path: PathBuf,
        /// The reason.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The target database failed.
    #[error(transparent)]
    Target(#[from] DbError),
    /// A blob could not be read or stored.
    #[error("blob {name}: {reason}")]
    Blob {
        /// The blob's file name.
        name: String,
        /// The reason.
        reason: String,
    },
    /// The copy differs from the source.
    #[error("the copy differs from the source: {0}")]
    Differs(String),
}

/// What a migration did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Migrated {
    /// Per table: rows in the source, and rows newly copied by this run.
    pub tables: BTreeMap<String, (u64, u64)>,
    /// Blobs in the source.
    pub blobs: u64,
    /// Of those, copied by this run (the others were there already).
    pub blobs_copied: u64,
    /// Bytes copied by this run.
    pub bytes_copied: u64,
}

impl std::fmt::Display for Migrated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (table, (rows, copied)) in &self.tables {
            writeln!(f, "{table:<24} {rows:>10} rows, {copied:>10} copied now")?;
        }
        write!(
            f,
            "{:<24} {:>10} blobs, {:>10} copied now ({} bytes)",
            "blobs", self.blobs, self.blobs_copied, self.bytes_copied
        )
    }
}

fn source_err(path: &Path) -> impl FnOnce(rusqlite::Error) -> MigrateError + '_ {
    move |source| MigrateError::Source { path: path.to_owned(), source: Box::new(source) }
}

fn target_err(context: &'static str) -> impl FnOnce(tokio_postgres::Error) -> MigrateError {
    move |source| MigrateError::Target(DbError { context, source: Box::new(source) })
}

/// Copies the records of `data_dir/server.sqlite` into `target`, the blobs of
/// `data_dir/blobs/` into `blobs`, records the folder's public keys, and verifies.
pub async fn migrate(
    data_dir: &Path,
    target: &PgStore,
    blobs: &dyn BlobStore,
    counting: crate::reports::Counting,
) -> Result<Migrated, MigrateError> {
    let path = data_dir.join(crate::state::DB_FILE);
    if !path.is_file() {
        let missing =
            std::io::Error::new(std::io::ErrorKind::NotFound, "no such file: name the old data folder");
        return Err(MigrateError::Source { path, source: Box::new(missing) });
    }
    // Opening through SqliteDb first brings an older file's schema up to date
    // (and its counts, in the zone the installation counts days in).
    crate::sqlite::SqliteDb::open_counting(&path, crate::clock::Clock::system(), counting)
        .map_err(|e| MigrateError::Source { path: path.clone(), source: Box::new(e) })?;
    let mut migrated = Migrated::default();
    for table in TABLES {
        let (rows, copied) = copy_table(&path, target, table).await?;
        tracing::info!(table, rows, copied, "copied a table");
        migrated.tables.insert((*table).to_owned(), (rows, copied));
    }
    record_keys(data_dir, target).await?;
    copy_blobs(&data_dir.join("blobs"), blobs, &mut migrated).await?;
    verify(&path, target, blobs, &migrated).await?;
    Ok(migrated)
}

/// The target's columns of `table`: name and type (`bigint`, `text`, …).
async fn target_columns(target: &PgStore, table: &str) -> Result<Vec<(String, String, bool)>, MigrateError> {
    let client = target.client().await?;
    let rows = client
        .query(
            "SELECT column_name, data_type, is_identity = 'YES' FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            &[&table],
        )
        .await
        .map_err(target_err("read the target's columns"))?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect())
}

/// The source column a target column is filled from.
fn source_column<'a>(table: &str, target: &'a str) -> &'a str {
    match (table, target) {
        ("sessions", "user_name") => "user",
        // The order requests came in, which SQLite keeps as the row id.
        ("screenshot_requests", "seq") => "rowid",
        _ => target,
    }
}

/// One SQLite value as the target column's type wants it.
fn convert(value: Value, pg_type: &str) -> Result<Box<dyn ToSql + Sync + Send>, String> {
    Ok(match (pg_type, value) {
        ("bigint", Value::Null) => Box::new(None::<i64>),
        ("integer", Value::Null) => Box::new(None::<i32>),
        ("boolean", Value::Null) => Box::new(None::<bool>),
        ("bytea", Value::Null) => Box::new(None::<Vec<u8>>),
        (_, Value::Null) => Box::new(None::<String>),
        ("bigint", Value::Integer(n)) => Box::new(n),
        ("integer", Value::Integer(n)) => Box::new(i32::try_from(n).map_err(|e| e.to_string())?),
        ("boolean", Value::Integer(n)) => Box::new(n != 0),
        ("bytea", Value::Blob(bytes)) => Box::new(bytes),
        ("bytea", Value::Text(text)) => Box::new(text.into_bytes()),
        ("text", Value::Text(text)) => Box::new(text),
        ("text", Value::Integer(n)) => Box::new(n.to_string()),
        ("text", Value::Real(x)) => Box::new(x.to_string()),
        ("bigint", Value::Real(x)) => Box::new(x as i64),
        (wanted, value) => return Err(format!("a {:?} where {wanted} is wanted", value.data_type())),
    })
}

/// Copies one table; answers the source's row count and how many rows were new.
async fn copy_table(path: &Path, target: &PgStore, table: &str) -> Result<(u64, u64), MigrateError> {
    let columns = target_columns(target, table).await?;
    if columns.is_empty() {
        return Err(MigrateError::Differs(format!("the target has no table {table}")));
    }
    let select = format!(
        "SELECT {} FROM {table}",
        columns
            .iter()
            .map(|(name, ..)| format!("\"{}\"", source_column(table, name)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let identity = columns.iter().any(|(.., identity)| *identity);
    let insert = format!(
        "INSERT INTO {table} ({}) {}VALUES ({}) ON CONFLICT DO NOTHING",
        columns.iter().map(|(name, ..)| name.as_str()).collect::<Vec<_>>().join(", "),
        if identity { "OVERRIDING SYSTEM VALUE " } else { "" },
        (1..=columns.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", "),
    );
    let (send, mut batches) = tokio::sync::mpsc::channel::<Result<Vec<Vec<Value>>, MigrateError>>(2);
    let reader_path = path.to_owned();
    let width = columns.len();
    let reader = tokio::task::spawn_blocking(move || {
        let read = || -> Result<u64, MigrateError> {
            let conn = rusqlite::Connection::open_with_flags(
                &reader_path,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
            )
            .map_err(source_err(&reader_path))?;
            let mut statement = conn.prepare(&select).map_err(source_err(&reader_path))?;
            let mut rows = statement.query([]).map_err(source_err(&reader_path))?;
            let (mut batch, mut count) = (Vec::with_capacity(BATCH), 0u64);
            while let Some(row) = rows.next().map_err(source_err(&reader_path))? {
                let values = (0..width).map(|i| row.get::<_, Value>(i)).collect::<Result<Vec<_>, _>>();
                batch.push(values.map_err(source_err(&reader_path))?);
                count += 1;
                if batch.len() == BATCH && send.blocking_send(Ok(std::mem::take(&mut batch))).is_err() {
                    return Ok(count);
                }
            }
            if !batch.is_empty() {
                let _ = send.blocking_send(Ok(batch));
            }
            Ok(count)
        };
        read()
    });
    let mut client = target.client().await?;
    let mut copied = 0u64;
    while let Some(batch) = batches.recv().await {
        let tx = client.transaction().await.map_err(target_err("begin a batch"))?;
        let statement = tx.prepare(&insert).await.map_err(target_err("prepare the copy"))?;
        for row in batch? {
            let values = row
                .into_iter()
                .zip(&columns)
                .map(|(value, (name, pg_type, _))| {
                    convert(value, pg_type).map_err(|e| MigrateError::Differs(format!("{table}.{name}: {e}")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let params: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v.as_ref() as _).collect();
            copied += tx.execute(&statement, &params).await.map_err(target_err("copy a row"))?;
        }
        tx.commit().await.map_err(target_err("commit a batch"))?;
    }
    let rows = reader.await.map_err(|e| MigrateError::Differs(e.to_string()))??;
    if identity {
        for (name, ..) in columns.iter().filter(|(.., identity)| *identity) {
            client
                .execute(
                    &format!(
                        "SELECT setval(pg_get_serial_sequence('{table}', '{name}'),
                                COALESCE((SELECT max({name}) FROM {table}), 0) + 1, false)"
                    ),
                    &[],
                )
                .await
                .map_err(target_err("move a sequence past the copied rows"))?;
        }
    }
    Ok((rows, copied))
}

/// Records the data folder's public keys as the fleet's.
async fn record_keys(data_dir: &Path, target: &PgStore) -> Result<(), MigrateError> {
    for (name, file) in
        [("signing", crate::signing::KEY_FILE), ("emergency", crate::signing::EMERGENCY_KEY_FILE)]
    {
        let path = data_dir.join(file);
        if !path.exists() {
            continue;
        }
        let key = kiosk_authoring::keys::read_secret_key(&path)
            .map_err(|e| MigrateError::Differs(format!("{}: {e}", path.display())))?;
        let mine = hex::encode(key.verifying_key().as_bytes());
        let fleet = target.fleet_key(name, &mine).await?;
        if fleet != mine {
            return Err(MigrateError::Differs(format!(
                "the target's {name} key is not {}'s: it was used by another installation",
                path.display()
            )));
        }
    }
    Ok(())
}

/// The blob files of `folder`: name, path and size.
fn blob_files(folder: &Path) -> Result<Vec<(BlobId, PathBuf, u64)>, MigrateError> {
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(MigrateError::Blob { name: folder.display().to_string(), reason: e.to_string() });
        }
    };
    let mut files = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(id) = BlobId::parse(&name) else { continue };
        let size = entry
            .metadata()
            .map_err(|e| MigrateError::Blob { name: name.clone(), reason: e.to_string() })?
            .len();
        files.push((id, entry.path(), size));
    }
    files.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
    Ok(files)
}

async fn copy_blobs(
    folder: &Path,
    blobs: &dyn BlobStore,
    migrated: &mut Migrated,
) -> Result<(), MigrateError> {
    let files = blob_files(folder)?;
    migrated.blobs = files.len() as u64;
    for (id, path, size) in files {
        let blob_err = |reason: String| MigrateError::Blob { name: id.to_string(), reason };
        if blobs.size(&id).await.map_err(|e| blob_err(e.to_string()))? == Some(size) {
            continue;
        }
        let file = tokio::fs::File::open(&path).await.map_err(|e| blob_err(e.to_string()))?;
        let body = crate::blob_store::reader_stream(file);
        blobs.put(&id, body, size).await.map_err(|e| blob_err(e.to_string()))?;
        migrated.blobs_copied += 1;
        migrated.bytes_copied += size;
        tracing::info!(sha256 = %id, size, "copied a blob");
    }
    Ok(())
}

async fn verify(
    path: &Path,
    target: &PgStore,
    blobs: &dyn BlobStore,
    migrated: &Migrated,
) -> Result<(), MigrateError> {
    let client = target.client().await?;
    let mut differences = Vec::new();
    for (table, (rows, _)) in &migrated.tables {
        let there: i64 = client
            .query_one(&format!("SELECT count(*) FROM {table}"), &[])
            .await
            .map_err(target_err("count the copied rows"))?
            .get(0);
        if (there as u64) < *rows {
            differences.push(format!("{table}: {rows} rows in the source, {there} in the target"));
        }
    }
    let source = rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(source_err(path))?;
    let releases: Vec<(String, i64, String)> = {
        let mut statement = source
            .prepare("SELECT channel, version, manifest_sha256 FROM releases")
            .map_err(source_err(path))?;
        let rows =
            statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).map_err(source_err(path))?;
        rows.collect::<Result<_, _>>().map_err(source_err(path))?
    };
    for (channel, version, sha256) in releases {
        let there = client
            .query_opt(
                "SELECT manifest_sha256 FROM releases WHERE channel = $1 AND version = $2",
                &[&channel, &version],
            )
            .await
            .map_err(target_err("read a copied release"))?
            .map(|r| r.get::<_, String>(0));
        if there.as_deref() != Some(sha256.as_str()) {
            differences.push(format!(
                "release {version} of {channel}: {there:?} in the target, {sha256} in the source"
            ));
        }
    }
    for (id, _, size) in blob_files(&path.with_file_name("blobs"))? {
        match blobs.size(&id).await {
            Ok(Some(there)) if there == size => {}
            found => {
                differences.push(format!("blob {id}: {size} bytes in the source, {found:?} in the target"))
            }
        }
    }
    if differences.is_empty() {
        tracing::info!(at = %sortable_time(jiff::Timestamp::now()), "the copy holds everything the source does");
        Ok(())
    } else {
        Err(MigrateError::Differs(differences.join("; ")))
    }
}
