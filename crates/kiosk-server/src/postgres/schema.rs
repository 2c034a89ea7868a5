//! The PostgreSQL schema, one step per entry, applied in order. Append only.
//!
//! Step 1 is the SQLite schema as it stands after its tenth migration
//! ([`crate::sqlite::MIGRATIONS`]), in PostgreSQL's words: times are kept as
//! [`sortable_time`](crate::db::sortable_time) text (they sort as text, as in
//! SQLite), counts and sizes as `BIGINT`, flags as `BOOLEAN`, bytes as `BYTEA`,
//! JSON as the text the device sent. `sessions.user` is `user_name` (`user`
//! is a reserved word). `server_keys` records the public halves of the keys the
//! first replica signed with, so a replica holding other keys refuses to start.
//! Step 2 adds `replica_streams`, which has no counterpart in SQLite (one
//! embedded server knows its own streams).

/// The schema, one step per entry. Append only.
pub const MIGRATIONS: &[&str] = &[
    // 1: everything the embedded database holds.
    "CREATE TABLE channels (
        name TEXT PRIMARY KEY,
        created_at TEXT NOT NULL
    );
    CREATE TABLE releases (
        channel TEXT NOT NULL REFERENCES channels (name),
        version BIGINT NOT NULL,
        manifest BYTEA NOT NULL,
        signature BYTEA NOT NULL,
        manifest_sha256 TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (channel, version)
    );
    CREATE TABLE release_blobs (
        channel TEXT NOT NULL,
        version BIGINT NOT NULL,
        sha256 TEXT NOT NULL,
        media_type TEXT NOT NULL,
        PRIMARY KEY (channel, sha256, version)
    );
    CREATE INDEX release_blobs_by_sha256 ON release_blobs (sha256);
    CREATE TABLE enrolment_codes (
        code_sha256 TEXT PRIMARY KEY,
        channel TEXT NOT NULL REFERENCES channels (name),
        created_at TEXT NOT NULL,
        used_at TEXT,
        expires_at TEXT
    );
    CREATE TABLE devices (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        channel TEXT NOT NULL REFERENCES channels (name),
        token_sha256 TEXT NOT NULL UNIQUE,
        enrolled_at TEXT NOT NULL,
        last_heartbeat_at TEXT,
        heartbeat TEXT,
        location TEXT,
        country TEXT,
        token_expires_at TEXT,
        token_revoked_at TEXT,
        previous_token_sha256 TEXT UNIQUE
    );
    CREATE TABLE events (
        device_id TEXT NOT NULL REFERENCES devices (id),
        id TEXT NOT NULL,
        kind TEXT NOT NULL,
        at TEXT NOT NULL,
        data TEXT NOT NULL,
        received_at TEXT NOT NULL,
        counted_at TEXT,
        PRIMARY KEY (device_id, id)
    );
    CREATE INDEX events_by_device ON events (device_id, at);
    CREATE INDEX events_by_time ON events (at);
    CREATE TABLE emergencies (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        channel TEXT NOT NULL REFERENCES channels (name),
        message BYTEA NOT NULL,
        signature BYTEA NOT NULL,
        issued_at TEXT NOT NULL
    );
    CREATE INDEX emergencies_by_channel ON emergencies (channel, seq);
    CREATE TABLE blob_probes (
        sha256 TEXT NOT NULL,
        decoder TEXT NOT NULL,
        probe TEXT NOT NULL,
        PRIMARY KEY (sha256, decoder)
    );
    CREATE TABLE users (
        name TEXT PRIMARY KEY,
        password_hash TEXT NOT NULL,
        is_admin BOOLEAN NOT NULL,
        roles TEXT NOT NULL,
        created_at TEXT NOT NULL,
        failed_logins BIGINT NOT NULL DEFAULT 0,
        locked_until TEXT
    );
    CREATE TABLE sessions (
        id_sha256 TEXT PRIMARY KEY,
        user_name TEXT NOT NULL REFERENCES users (name),
        csrf_token TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
    CREATE TABLE audit (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        channel TEXT,
        detail TEXT NOT NULL,
        remote TEXT
    );
    CREATE INDEX audit_by_channel ON audit (channel, id);
    CREATE FUNCTION audit_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
    CREATE TRIGGER audit_is_append_only BEFORE UPDATE OR DELETE ON audit
        FOR EACH ROW EXECUTE FUNCTION audit_is_append_only();
    CREATE TRIGGER audit_is_append_only_truncate BEFORE TRUNCATE ON audit
        FOR EACH STATEMENT EXECUTE FUNCTION audit_is_append_only();
    CREATE TABLE media (
        sha256 TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        media_type TEXT NOT NULL,
        size BIGINT NOT NULL,
        width BIGINT,
        height BIGINT,
        duration_ms BIGINT,
        has_audio BOOLEAN NOT NULL,
        uploaded_by TEXT NOT NULL,
        uploaded_at TEXT NOT NULL,
        thumbnail BYTEA
    );
    CREATE TABLE uploads (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        size BIGINT NOT NULL,
        owner TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE drafts (
        channel TEXT PRIMARY KEY REFERENCES channels (name),
        revision BIGINT NOT NULL,
        base_version BIGINT NOT NULL,
        state TEXT NOT NULL,
        content TEXT NOT NULL,
        updated_by TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        submitted_by TEXT,
        submitted_at TEXT,
        note TEXT,
        editors TEXT NOT NULL
    );
    CREATE TABLE api_tokens (
        name TEXT PRIMARY KEY,
        token_sha256 TEXT NOT NULL UNIQUE,
        roles TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE fleet_alerts (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        device TEXT NOT NULL REFERENCES devices (id),
        kind TEXT NOT NULL,
        since TEXT,
        raised_at TEXT NOT NULL,
        cleared_at TEXT,
        notified_at TEXT
    );
    CREATE UNIQUE INDEX fleet_alerts_one_open ON fleet_alerts (device, kind) WHERE cleared_at IS NULL;
    CREATE TABLE daily_counts (
        kind TEXT NOT NULL,
        day TEXT NOT NULL,
        channel TEXT NOT NULL,
        subject TEXT NOT NULL,
        variant TEXT NOT NULL,
        locale TEXT NOT NULL,
        count BIGINT NOT NULL,
        ms BIGINT NOT NULL,
        planned_ms BIGINT NOT NULL,
        PRIMARY KEY (kind, day, channel, subject, variant, locale)
    );
    CREATE TABLE daily_screen_counts (
        kind TEXT NOT NULL,
        day TEXT NOT NULL,
        device TEXT NOT NULL,
        subject TEXT NOT NULL,
        variant TEXT NOT NULL,
        count BIGINT NOT NULL,
        ms BIGINT NOT NULL,
        planned_ms BIGINT NOT NULL,
        PRIMARY KEY (kind, day, device, subject, variant)
    );
    CREATE TABLE monthly_screen_counts (
        kind TEXT NOT NULL,
        month TEXT NOT NULL,
        device TEXT NOT NULL,
        subject TEXT NOT NULL,
        variant TEXT NOT NULL,
        count BIGINT NOT NULL,
        ms BIGINT NOT NULL,
        planned_ms BIGINT NOT NULL,
        PRIMARY KEY (kind, month, device, subject, variant)
    );
    CREATE TABLE daily_uptime (
        device TEXT NOT NULL,
        day TEXT NOT NULL,
        online_s BIGINT NOT NULL,
        PRIMARY KEY (device, day)
    );
    CREATE TABLE report_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE daily_series (
        kind TEXT NOT NULL,
        day TEXT NOT NULL,
        channel TEXT NOT NULL,
        series TEXT NOT NULL,
        count BIGINT NOT NULL,
        PRIMARY KEY (kind, day, channel, series)
    );
    CREATE TABLE monthly_counts (
        kind TEXT NOT NULL,
        month TEXT NOT NULL,
        channel TEXT NOT NULL,
        subject TEXT NOT NULL,
        variant TEXT NOT NULL,
        locale TEXT NOT NULL,
        count BIGINT NOT NULL,
        ms BIGINT NOT NULL,
        planned_ms BIGINT NOT NULL,
        PRIMARY KEY (kind, month, channel, subject, variant, locale)
    );
    CREATE TABLE screenshot_requests (
        id TEXT PRIMARY KEY,
        -- the order requests came in (SQLite's rowid): a device's newest are kept
        seq BIGINT GENERATED ALWAYS AS IDENTITY,
        device TEXT NOT NULL REFERENCES devices (id),
        asked_by TEXT NOT NULL,
        asked_at TEXT NOT NULL,
        answered_at TEXT
    );
    CREATE INDEX screenshot_requests_by_device ON screenshot_requests (device);
    CREATE TABLE screenshots (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        device TEXT NOT NULL REFERENCES devices (id),
        request TEXT NOT NULL,
        taken_at TEXT NOT NULL,
        received_at TEXT NOT NULL,
        width BIGINT NOT NULL,
        height BIGINT NOT NULL,
        bytes BIGINT NOT NULL,
        sha256 TEXT NOT NULL,
        png BYTEA NOT NULL
    );
    CREATE INDEX screenshots_by_device ON screenshots (device, id);
    CREATE TABLE server_keys (
        name TEXT PRIMARY KEY,
        public_key TEXT NOT NULL,
        recorded_at TEXT NOT NULL
    );",
    // 2: which devices hold an event stream to which replica, so that every
    // replica's fleet view shows them all. The database's clock, not the
    // replicas', tells a live replica from one gone.
    "CREATE TABLE replica_streams (
        replica TEXT PRIMARY KEY,
        seen_at TIMESTAMPTZ NOT NULL,
        devices TEXT[] NOT NULL
    );",
];
