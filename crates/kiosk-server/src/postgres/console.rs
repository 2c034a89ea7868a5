//! [`StaffDb`] on PostgreSQL: the same records and answers as the SQLite
//! implementation ([`crate::console::sqlite`]). Names sort byte by byte
//! (`COLLATE "C"`), as SQLite sorts them. A draft is saved by one conditional
//! statement, so that of two replicas saving over the same revision exactly
//! one succeeds.

use tokio_postgres::Row;

use super::{PgStore, ctx};
use crate::console::db::*;
use crate::console::sqlite::MAX_AUDIT_READ;
use crate::db::{DbError, DbFuture};

const USER_COLUMNS: &str = "name, password_hash, is_admin, roles, created_at, failed_logins, locked_until";

const MEDIA_COLUMNS: &str =
    "sha256, name, media_type, size, width, height, duration_ms, has_audio, uploaded_by, uploaded_at";

const DRAFT_COLUMNS: &str = "channel, revision, base_version, state, content, updated_by, updated_at,
    submitted_by, submitted_at, note, editors";

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("plain data serializes")
}

/// A stored count or size as the unsigned number the rows carry.
fn unsigned(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

/// An unsigned number as PostgreSQL's `BIGINT`.
fn signed(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

fn small(value: Option<i64>) -> Option<u32> {
    value.map(|v| u32::try_from(v).unwrap_or(if v < 0 { 0 } else { u32::MAX }))
}

fn user_row(row: &Row) -> Result<UserRow, tokio_postgres::Error> {
    let roles: String = row.try_get(3)?;
    Ok(UserRow {
        name: row.try_get(0)?,
        password_hash: row.try_get(1)?,
        is_admin: row.try_get(2)?,
        roles: serde_json::from_str(&roles).unwrap_or_default(),
        created_at: row.try_get(4)?,
        failed_logins: small(Some(row.try_get(5)?)).unwrap_or(0),
        locked_until: row.try_get(6)?,
    })
}

fn media_row(row: &Row) -> Result<MediaRow, tokio_postgres::Error> {
    Ok(MediaRow {
        sha256: row.try_get(0)?,
        name: row.try_get(1)?,
        media_type: row.try_get(2)?,
        size: unsigned(row.try_get(3)?),
        width: small(row.try_get(4)?),
        height: small(row.try_get(5)?),
        duration_ms: row.try_get::<_, Option<i64>>(6)?.map(unsigned),
        has_audio: row.try_get(7)?,
        uploaded_by: row.try_get(8)?,
        uploaded_at: row.try_get(9)?,
    })
}

fn draft_row(row: &Row) -> Result<DraftRow, tokio_postgres::Error> {
    let editors: String = row.try_get(10)?;
    Ok(DraftRow {
        channel: row.try_get(0)?,
        revision: unsigned(row.try_get(1)?),
        base_version: unsigned(row.try_get(2)?),
        state: row.try_get(3)?,
        content: row.try_get(4)?,
        updated_by: row.try_get(5)?,
        updated_at: row.try_get(6)?,
        submitted_by: row.try_get(7)?,
        submitted_at: row.try_get(8)?,
        note: row.try_get(9)?,
        editors: serde_json::from_str(&editors).unwrap_or_default(),
    })
}

fn audit_row(row: &Row) -> Result<AuditEntry, tokio_postgres::Error> {
    Ok(AuditEntry {
        id: row.try_get(0)?,
        at: row.try_get(1)?,
        actor: row.try_get(2)?,
        action: row.try_get(3)?,
        channel: row.try_get(4)?,
        detail: row.try_get(5)?,
        remote: row.try_get(6)?,
    })
}

fn api_token_row(row: &Row) -> Result<ApiToken, tokio_postgres::Error> {
    let roles: String = row.try_get(1)?;
    Ok(ApiToken {
        name: row.try_get(0)?,
        roles: serde_json::from_str(&roles).unwrap_or_default(),
        created_by: row.try_get(2)?,
        created_at: row.try_get(3)?,
    })
}

fn session_row(row: &Row) -> Result<SessionRow, tokio_postgres::Error> {
    Ok(SessionRow {
        id_sha256: row.try_get(0)?,
        user: row.try_get(1)?,
        csrf_token: row.try_get(2)?,
        created_at: row.try_get(3)?,
        expires_at: row.try_get(4)?,
    })
}

fn upload_row(row: &Row) -> Result<UploadRow, tokio_postgres::Error> {
    Ok(UploadRow {
        id: row.try_get(0)?,
        name: row.try_get(1)?,
        size: unsigned(row.try_get(2)?),
        owner: row.try_get(3)?,
        created_at: row.try_get(4)?,
    })
}

/// Reads every row with `read`, naming `context` on failure.
fn all<T>(
    rows: Vec<Row>,
    read: fn(&Row) -> Result<T, tokio_postgres::Error>,
    context: &'static str,
) -> Result<Vec<T>, DbError> {
    rows.iter().map(read).collect::<Result<_, _>>().map_err(ctx(context))
}

/// Reads the row, if there is one, with `read`, naming `context` on failure.
fn one<T>(
    row: Option<Row>,
    read: fn(&Row) -> Result<T, tokio_postgres::Error>,
    context: &'static str,
) -> Result<Option<T>, DbError> {
    row.as_ref().map(read).transpose().map_err(ctx(context))
}

impl StaffDb for PgStore {
    fn insert_user(&self, user: UserRow) -> DbFuture<'_, bool> {
        Box::pin(async move {
            let client = self.client().await?;
            let n = client
                .execute(
                    "INSERT INTO users (name, password_hash, is_admin, roles, created_at, failed_logins,
                        locked_until) VALUES ($1, $2, $3, $4, $5, 0, NULL) ON CONFLICT DO NOTHING",
                    &[&user.name, &user.password_hash, &user.is_admin, &json(&user.roles), &user.created_at],
                )
                .await
                .map_err(ctx("add user"))?;
            Ok(n == 1)
        })
    }

    fn user(&self, name: String) -> DbFuture<'_, Option<UserRow>> {
        Box::pin(async move {
            let client = self.client().await?;
            let row = client
                .query_opt(&format!("SELECT {USER_COLUMNS} FROM users WHERE name = $1"), &[&name])
                .await
                .map_err(ctx("read user"))?;
            one(row, user_row, "read user")
        })
    }

    fn users(&self) -> DbFuture<'_, Vec<UserRow>> {
        Box::pin(async move {
            let client = self.client().await?;
            let rows = client
                .query(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY name COLLATE \"C\""), &[])
                .await
                .map_err(ctx("list users"))?;
            all(rows, user_row, "read user")
        })
    }

    fn update_user(
        &self,
        name: String,
        is_admin: bool,
        roles: Vec<RoleGrant>,
        password_hash: Option<String>,
    ) -> DbFuture<'_, bool> {
        Box::pin(async move {
            let client = self.client().await?;
            let roles = json(&roles);
            let n = match password_hash {
                Some(hash) => client
                    .execute(
                        "UPDATE users SET is_admin = $2, roles = $3, password_hash = $4, failed_logins = 0,
                                locked_until = NULL WHERE name = $1",
                        &[&name, &is_admin, &roles, &hash],
                    )
                    .await,
                None => {
                    client
                        .execute(
                            "UPDATE users SET is_admin = $2, roles = $3 WHERE name = $1",
                            &[&name, &is_admin, &roles],
                        )
                        .await
                }
            }
            .map_err(ctx("change user"))?;
            Ok(n == 1)
        })
    }

    fn set_login_state(
        &self,
        name: String,
        failed_logins: u32,
        locked_until: Option<String>,
    ) -> DbFuture<'_, ()> {
        Box::pin(async move {
            let client = self.client().await?;
            client
                .execute(
                    "UPDATE users SET failed_logins = $2, locked_until = $3 WHERE name = $1",
                    &[&name, &i64::from(failed_logins), &locked_until],
                )
                .await
                .map_err(ctx("record sign-in"))?;
            Ok(())
        })
    }

    fn insert_session(&self, session: SessionRow) -> DbFuture<'_, ()> {
        Box::pin(async move {
            let client = self.client().await?;
            // Ended sessions are cleared as new ones begin.
            client
                .execute("DELETE FROM sessions WHERE expires_at <= $1", &[&session.created_at])
                .await
                .map_err(ctx("clear old sessions"))?;
            client
                .execute(
                    "INSERT INTO sessions (id_sha256, user_name, csrf_token, created_at, expires_at)
                        VALUES ($1, $2, $3, $4, $5)",
                    &[
                        &session.id_sha256,
                        &session.user,
                        &session.csrf_token,
                        &session.created_at,
                        &session.expires_at,
                    ],
                )
                .await
                .map_err(ctx("start session"))?;
            Ok(())
        })
    }

    fn session(&self, id_sha256: String) -> DbFuture<'_, Option<SessionRow>> {
        Box::pin(async move {
            let client = self.client().await?;
            let row = client
                .query_opt(
                    "SELECT id_sha256, user_name, csrf_token, created_at, expires_at FROM sessions
                        WHERE id_sha256 = $1",
                    &[&id_sha256],
                )
                .await
                .map_err(ctx("read session"))?;
            one(row, session_row, "read session")
        })
    }

    fn delete_session(&self, id_sha256: String) -> DbFuture<'_, ()> {
        Box::pin(async move {
            let client = self.client().await?;
            client
                .execute("DELETE FROM sessions WHERE id_sha256 = $1", &[&id_sha256])
                .await
                .map_err(ctx("end session"))?;
            Ok(())
        })
    }

    fn append_audit(&self, entry: AuditEntry) -> DbFuture<'_, ()> {
        Box::pin(async move {
            let client = self.client().await?;
            client
                .execute(
                    "INSERT INTO audit (at, actor, action, channel, detail, remote) VALUES ($1, $2, $3, $4, $5, $6)",
                    &[&entry.at, &entry.actor, &entry.action, &entry.channel, &entry.detail, &entry.remote],
                )
                .await
                .map_err(ctx("write audit log"))?;
            Ok(())
        })
    }

    fn audit(&self, query: AuditQuery, channels: Option<Vec<String>>) -> DbFuture<'_, Vec<AuditEntry>> {
        Box::pin(async move {
            let client = self.client().await?;
            let limit = i64::from(query.limit.unwrap_or(MAX_AUDIT_READ).min(MAX_AUDIT_READ));
            let rows = client
                .query(
                    "SELECT id, at, actor, action, channel, detail, remote FROM audit
                     WHERE ($1::text IS NULL OR channel = $1) AND ($2::text IS NULL OR actor = $2)
                       AND ($3::text[] IS NULL OR channel = ANY ($3) OR channel IS NULL)
                     ORDER BY id DESC LIMIT $4",
                    &[&query.channel, &query.actor, &channels, &limit],
                )
                .await
                .map_err(ctx("read audit log"))?;
            all(rows, audit_row, "read audit line")
        })
    }

    fn insert_media(&self, media: MediaRow) -> DbFuture<'_, bool> {
        Box::pin(async move {
            let client = self.client().await?;
            let n = client
                .execute(
                    &format!(
                        "INSERT INTO media ({MEDIA_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                            ON CONFLICT DO NOTHING"
                    ),
                    &[
                        &media.sha256,
                        &media.name,
                        &media.media_type,
                        &signed(media.size),
                        &media.width.map(i64::from),
                        &media.height.map(i64::from),
                        &media.duration_ms.map(signed),
                        &media.has_audio,
                        &media.uploaded_by,
                        &media.uploaded_at,
                    ],
                )
                .await
                .map_err(ctx("add to media library"))?;
            Ok(n == 1)
        })
    }

    fn media(&self) -> DbFuture<'_, Vec<MediaRow>> {
        Box::pin(async move {
            let client = self.client().await?;
            let rows = client
                .query(
                    &format!(
                        "SELECT {MEDIA_COLUMNS} FROM media ORDER BY uploaded_at COLLATE \"C\" DESC, name COLLATE \"C\""
                    ),
                    &[],
                )
                .await
                .map_err(ctx("list media"))?;
            all(rows, media_row, "read media")
        })
    }

    fn media_item(&self, sha256: String) -> DbFuture<'_, Option<MediaRow>> {
        Box::pin(async move {
            let client = self.client().await?;
            let row = client
                .query_opt(&format!("SELECT {MEDIA_COLUMNS} FROM media WHERE sha256 = $1"), &[&sha256])
                .await
                .map_err(ctx("read media"))?;
            one(row, media_row, "read media")
        })
    }

    fn thumbnail(&self, sha256: String) -> DbFuture<'_, Option<Vec<u8>>> {
        Box::pin(async move {
            let client = self.client().await?;
            let row = client
                .query_opt("SELECT thumbnail FROM media WHERE sha256 = $1", &[&sha256])
                .await
                .map_err(ctx("read thumbnail"))?;
            let png: Option<Option<Vec<u8>>> =
                row.map(|row| row.try_get(0)).transpose().map_err(ctx("read thumbnail"))?;
            Ok(png.flatten())
        })
    }

    fn store_thumbnail(&self, sha256: String, png: Vec<u8>) -> DbFuture<'_, ()> {
        Box::pin(async move {
            let client = self.client().await?;
            client
                .execute("UPDATE media SET thumbnail = $2 WHERE sha256 = $1", &[&sha256, &png])
                .await
                .map_err(ctx("keep thumbnail"))?;
            Ok(())
        })
    }

    fn insert_upload(&self, upload: UploadRow) -> DbFuture<'_, ()> {
        Box::pin(async move {
            let client = self.client().await?;
            client
                .execute(
                    "INSERT INTO uploads (id, name, size, owner, created_at) VALUES ($1, $2, $3, $4, $5)",
                    &[&upload.id, &upload.name, &signed(upload.size), &upload.owner, &upload.created_at],
                )
                .await
                .map_err(ctx("begin upload"))?;
            Ok(())
        })
    }

    fn upload(&self, id: String) -> DbFuture<'_, Option<UploadRow>> {
        Box::pin(async move {
            let client = self.client().await?;
            let row = client
                .query_opt("SELECT id, name, size, owner, created_at FROM uploads WHERE id = $1", &[&id])
                .await
                .map_err(ctx("read upload"))?;
            one(row, upload_row, "read upload")
        })
    }

    fn delete_upload(&self, id: String) -> DbFuture<'_, ()> {
        Box::pin(async move {
            let client = self.client().await?;
            client
                .execute("DELETE FROM uploads WHERE id = $1", &[&id])
                .await
                .map_err(ctx("forget upload"))?;
            Ok(())
        })
    }

    fn insert_api_token(&self, token: ApiToken, token_sha256: String) -> DbFuture<'_, bool> {
        Box::pin(async move {
            let client = self.client().await?;
            let n = client
                .execute(
                    "INSERT INTO api_tokens (name, token_sha256, roles, created_by, created_at)
                        VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                    &[&token.name, &token_sha256, &json(&token.roles), &token.created_by, &token.created_at],
                )
                .await
                .map_err(ctx("add token"))?;
            Ok(n == 1)
        })
    }

    fn api_token(&self, token_sha256: String) -> DbFuture<'_, Option<ApiToken>> {
        Box::pin(async move {
            let client = self.client().await?;
            let row = client
                .query_opt(
                    "SELECT name, roles, created_by, created_at FROM api_tokens WHERE token_sha256 = $1",
                    &[&token_sha256],
                )
                .await
                .map_err(ctx("read token"))?;
            one(row, api_token_row, "read token")
        })
    }

    fn api_tokens(&self) -> DbFuture<'_, Vec<ApiToken>> {
        Box::pin(async move {
            let client = self.client().await?;
            let rows = client
                .query(
                    "SELECT name, roles, created_by, created_at FROM api_tokens ORDER BY name COLLATE \"C\"",
                    &[],
                )
                .await
                .map_err(ctx("list tokens"))?;
            all(rows, api_token_row, "read token")
        })
    }

    fn delete_api_token(&self, name: String) -> DbFuture<'_, bool> {
        Box::pin(async move {
            let client = self.client().await?;
            let n = client
                .execute("DELETE FROM api_tokens WHERE name = $1", &[&name])
                .await
                .map_err(ctx("revoke token"))?;
            Ok(n == 1)
        })
    }

    fn draft(&self, channel: String) -> DbFuture<'_, Option<DraftRow>> {
        Box::pin(async move {
            let client = self.client().await?;
            let row = client
                .query_opt(&format!("SELECT {DRAFT_COLUMNS} FROM drafts WHERE channel = $1"), &[&channel])
                .await
                .map_err(ctx("read draft"))?;
            one(row, draft_row, "read draft")
        })
    }

    fn save_draft(&self, draft: DraftRow, expected: Option<u64>) -> DbFuture<'_, bool> {
        Box::pin(async move {
            let client = self.client().await?;
            let editors = json(&draft.editors);
            let values: [&(dyn tokio_postgres::types::ToSql + Sync); 11] = [
                &draft.channel,
                &signed(draft.revision),
                &signed(draft.base_version),
                &draft.state,
                &draft.content,
                &draft.updated_by,
                &draft.updated_at,
                &draft.submitted_by,
                &draft.submitted_at,
                &draft.note,
                &editors,
            ];
            // One statement each way: a concurrent save of the same draft waits
            // for this one's row lock (or its insert), then finds the revision
            // changed (or the row there) and changes nothing.
            let n = match expected {
                None => {
                    client
                        .execute(
                            &format!(
                                "INSERT INTO drafts ({DRAFT_COLUMNS})
                                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                                    ON CONFLICT (channel) DO NOTHING"
                            ),
                            &values,
                        )
                        .await
                }
                Some(revision) => {
                    let mut params = values.to_vec();
                    let expected = signed(revision);
                    params.push(&expected);
                    client
                        .execute(
                            "UPDATE drafts SET revision = $2, base_version = $3, state = $4, content = $5,
                                updated_by = $6, updated_at = $7, submitted_by = $8, submitted_at = $9,
                                note = $10, editors = $11
                             WHERE channel = $1 AND revision = $12",
                            &params,
                        )
                        .await
                }
            }
            .map_err(ctx("save draft"))?;
            Ok(n == 1)
        })
    }
}
