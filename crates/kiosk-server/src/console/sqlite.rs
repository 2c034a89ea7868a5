//! [`StaffDb`] on the embedded SQLite database (its tables are migration 5 of
//! [`crate::sqlite::MIGRATIONS`]).

use rusqlite::{OptionalExtension, Row, params};

use super::db::*;
use crate::db::DbFuture;
use crate::sqlite::{SqliteDb, ctx};

/// The most audit lines one query answers.
pub const MAX_AUDIT_READ: u32 = 1_000;

fn user_row(row: &Row<'_>) -> rusqlite::Result<UserRow> {
    let roles: String = row.get(3)?;
    Ok(UserRow {
        name: row.get(0)?,
        password_hash: row.get(1)?,
        is_admin: row.get(2)?,
        roles: serde_json::from_str(&roles).unwrap_or_default(),
        created_at: row.get(4)?,
        failed_logins: row.get(5)?,
        locked_until: row.get(6)?,
    })
}

const USER_COLUMNS: &str = "name, password_hash, is_admin, roles, created_at, failed_logins, locked_until";

fn media_row(row: &Row<'_>) -> rusqlite::Result<MediaRow> {
    Ok(MediaRow {
        sha256: row.get(0)?,
        name: row.get(1)?,
        media_type: row.get(2)?,
        size: row.get::<_, i64>(3)? as u64,
        width: row.get(4)?,
        height: row.get(5)?,
        duration_ms: row.get::<_, Option<i64>>(6)?.map(|v| v as u64),
        has_audio: row.get(7)?,
        uploaded_by: row.get(8)?,
        uploaded_at: row.get(9)?,
    })
}

const MEDIA_COLUMNS: &str =
    "sha256, name, media_type, size, width, height, duration_ms, has_audio, uploaded_by, uploaded_at";

fn draft_row(row: &Row<'_>) -> rusqlite::Result<DraftRow> {
    let editors: String = row.get(10)?;
    Ok(DraftRow {
        channel: row.get(0)?,
        revision: row.get::<_, i64>(1)? as u64,
        base_version: row.get::<_, i64>(2)? as u64,
        state: row.get(3)?,
        content: row.get(4)?,
        updated_by: row.get(5)?,
        updated_at: row.get(6)?,
        submitted_by: row.get(7)?,
        submitted_at: row.get(8)?,
        note: row.get(9)?,
        editors: serde_json::from_str(&editors).unwrap_or_default(),
    })
}

fn audit_row(row: &Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        id: row.get(0)?,
        at: row.get(1)?,
        actor: row.get(2)?,
        action: row.get(3)?,
        channel: row.get(4)?,
        detail: row.get(5)?,
        remote: row.get(6)?,
    })
}

fn api_token_row(row: &Row<'_>) -> rusqlite::Result<ApiToken> {
    let roles: String = row.get(1)?;
    Ok(ApiToken {
        name: row.get(0)?,
        roles: serde_json::from_str(&roles).unwrap_or_default(),
        created_by: row.get(2)?,
        created_at: row.get(3)?,
    })
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("plain data serializes")
}

impl StaffDb for SqliteDb {
    fn insert_user(&self, user: UserRow) -> DbFuture<'_, bool> {
        Box::pin(self.call(move |c| {
            let n = c
                .execute(
                    "INSERT OR IGNORE INTO users (name, password_hash, is_admin, roles, created_at,
                        failed_logins, locked_until) VALUES (?1, ?2, ?3, ?4, ?5, 0, NULL)",
                    params![user.name, user.password_hash, user.is_admin, json(&user.roles), user.created_at],
                )
                .map_err(ctx("add user"))?;
            Ok(n == 1)
        }))
    }

    fn user(&self, name: String) -> DbFuture<'_, Option<UserRow>> {
        Box::pin(self.call(move |c| {
            c.query_row(&format!("SELECT {USER_COLUMNS} FROM users WHERE name = ?1"), [name], user_row)
                .optional()
                .map_err(ctx("read user"))
        }))
    }

    fn users(&self) -> DbFuture<'_, Vec<UserRow>> {
        Box::pin(self.call(|c| {
            let mut stmt = c
                .prepare(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY name"))
                .map_err(ctx("list users"))?;
            let rows = stmt.query_map([], user_row).map_err(ctx("list users"))?;
            rows.collect::<Result<_, _>>().map_err(ctx("read user"))
        }))
    }

    fn update_user(
        &self,
        name: String,
        is_admin: bool,
        roles: Vec<RoleGrant>,
        password_hash: Option<String>,
    ) -> DbFuture<'_, bool> {
        Box::pin(self.call(move |c| {
            let n = match password_hash {
                Some(hash) => c.execute(
                    "UPDATE users SET is_admin = ?2, roles = ?3, password_hash = ?4, failed_logins = 0,
                        locked_until = NULL WHERE name = ?1",
                    params![name, is_admin, json(&roles), hash],
                ),
                None => c.execute(
                    "UPDATE users SET is_admin = ?2, roles = ?3 WHERE name = ?1",
                    params![name, is_admin, json(&roles)],
                ),
            }
            .map_err(ctx("change user"))?;
            Ok(n == 1)
        }))
    }

    fn set_login_state(
        &self,
        name: String,
        failed_logins: u32,
        locked_until: Option<String>,
    ) -> DbFuture<'_, ()> {
        Box::pin(self.call(move |c| {
            c.execute(
                "UPDATE users SET failed_logins = ?2, locked_until = ?3 WHERE name = ?1",
                params![name, failed_logins, locked_until],
            )
            .map_err(ctx("record sign-in"))?;
            Ok(())
        }))
    }

    fn insert_session(&self, session: SessionRow) -> DbFuture<'_, ()> {
        Box::pin(self.call(move |c| {
            // Ended sessions are cleared as new ones begin.
            c.execute("DELETE FROM sessions WHERE expires_at <= ?1", [&session.created_at])
                .map_err(ctx("clear old sessions"))?;
            c.execute(
                "INSERT INTO sessions (id_sha256, user, csrf_token, created_at, expires_at)
                    VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    session.id_sha256,
                    session.user,
                    session.csrf_token,
                    session.created_at,
                    session.expires_at
                ],
            )
            .map_err(ctx("start session"))?;
            Ok(())
        }))
    }

    fn session(&self, id_sha256: String) -> DbFuture<'_, Option<SessionRow>> {
        Box::pin(self.call(move |c| {
            c.query_row(
                "SELECT id_sha256, user, csrf_token, created_at, expires_at FROM sessions WHERE id_sha256 = ?1",
                [id_sha256],
                |row| {
                    Ok(SessionRow {
                        id_sha256: row.get(0)?,
                        user: row.get(1)?,
                        csrf_token: row.get(2)?,
                        created_at: row.get(3)?,
                        expires_at: row.get(4)?,
                    })
                },
            )
            .optional()
            .map_err(ctx("read session"))
        }))
    }

    fn delete_session(&self, id_sha256: String) -> DbFuture<'_, ()> {
        Box::pin(self.call(move |c| {
            c.execute("DELETE FROM sessions WHERE id_sha256 = ?1", [id_sha256])
                .map_err(ctx("end session"))?;
            Ok(())
        }))
    }

    fn append_audit(&self, entry: AuditEntry) -> DbFuture<'_, ()> {
        Box::pin(self.call(move |c| {
            c.execute(
                "INSERT INTO audit (at, actor, action, channel, detail, remote) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![entry.at, entry.actor, entry.action, entry.channel, entry.detail, entry.remote],
            )
            .map_err(ctx("write audit log"))?;
            Ok(())
        }))
    }

    fn audit(&self, query: AuditQuery, channels: Option<Vec<String>>) -> DbFuture<'_, Vec<AuditEntry>> {
        Box::pin(self.call(move |c| {
            let limit = query.limit.unwrap_or(MAX_AUDIT_READ).min(MAX_AUDIT_READ);
            let visible = channels.map(|list| json(&list));
            let mut stmt = c
                .prepare(
                    "SELECT id, at, actor, action, channel, detail, remote FROM audit
                     WHERE (?1 IS NULL OR channel = ?1) AND (?2 IS NULL OR actor = ?2)
                       AND (?3 IS NULL OR channel IN (SELECT value FROM json_each(?3))
                            OR channel IS NULL)
                     ORDER BY id DESC LIMIT ?4",
                )
                .map_err(ctx("read audit log"))?;
            let rows = stmt
                .query_map(params![query.channel, query.actor, visible, limit], audit_row)
                .map_err(ctx("read audit log"))?;
            rows.collect::<Result<_, _>>().map_err(ctx("read audit line"))
        }))
    }

    fn insert_media(&self, media: MediaRow) -> DbFuture<'_, bool> {
        Box::pin(self.call(move |c| {
            let n = c
                .execute(
                    &format!("INSERT OR IGNORE INTO media ({MEDIA_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"),
                    params![
                        media.sha256,
                        media.name,
                        media.media_type,
                        media.size as i64,
                        media.width,
                        media.height,
                        media.duration_ms.map(|v| v as i64),
                        media.has_audio,
                        media.uploaded_by,
                        media.uploaded_at
                    ],
                )
                .map_err(ctx("add to media library"))?;
            Ok(n == 1)
        }))
    }

    fn media(&self) -> DbFuture<'_, Vec<MediaRow>> {
        Box::pin(self.call(|c| {
            let mut stmt = c
                .prepare(&format!("SELECT {MEDIA_COLUMNS} FROM media ORDER BY uploaded_at DESC, name"))
                .map_err(ctx("list media"))?;
            let rows = stmt.query_map([], media_row).map_err(ctx("list media"))?;
            rows.collect::<Result<_, _>>().map_err(ctx("read media"))
        }))
    }

    fn media_item(&self, sha256: String) -> DbFuture<'_, Option<MediaRow>> {
        Box::pin(self.call(move |c| {
            c.query_row(&format!("SELECT {MEDIA_COLUMNS} FROM media WHERE sha256 = ?1"), [sha256], media_row)
                .optional()
                .map_err(ctx("read media"))
        }))
    }

    fn thumbnail(&self, sha256: String) -> DbFuture<'_, Option<Vec<u8>>> {
        Box::pin(self.call(move |c| {
            c.query_row("SELECT thumbnail FROM media WHERE sha256 = ?1", [sha256], |row| row.get(0))
                .optional()
                .map(Option::flatten)
                .map_err(ctx("read thumbnail"))
        }))
    }

    fn store_thumbnail(&self, sha256: String, png: Vec<u8>) -> DbFuture<'_, ()> {
        Box::pin(self.call(move |c| {
            c.execute("UPDATE media SET thumbnail = ?2 WHERE sha256 = ?1", params![sha256, png])
                .map_err(ctx("keep thumbnail"))?;
            Ok(())
        }))
    }

    fn insert_upload(&self, upload: UploadRow) -> DbFuture<'_, ()> {
        Box::pin(self.call(move |c| {
            c.execute(
                "INSERT INTO uploads (id, name, size, owner, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![upload.id, upload.name, upload.size as i64, upload.owner, upload.created_at],
            )
            .map_err(ctx("begin upload"))?;
            Ok(())
        }))
    }

    fn upload(&self, id: String) -> DbFuture<'_, Option<UploadRow>> {
        Box::pin(self.call(move |c| {
            c.query_row("SELECT id, name, size, owner, created_at FROM uploads WHERE id = ?1", [id], |row| {
                Ok(UploadRow {
                    id: row.get(0)?,
                    name: row.get(1)?,
                    size: row.get::<_, i64>(2)? as u64,
                    owner: row.get(3)?,
                    created_at: row.get(4)?,
                })
            })
            .optional()
            .map_err(ctx("read upload"))
        }))
    }

    fn delete_upload(&self, id: String) -> DbFuture<'_, ()> {
        Box::pin(self.call(move |c| {
            c.execute("DELETE FROM uploads WHERE id = ?1", [id]).map_err(ctx("forget upload"))?;
            Ok(())
        }))
    }

    fn insert_api_token(&self, token: ApiToken, token_sha256: String) -> DbFuture<'_, bool> {
        Box::pin(self.call(move |c| {
            let n = c
                .execute(
                    "INSERT OR IGNORE INTO api_tokens (name, token_sha256, roles, created_by, created_at)
                        VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![token.name, token_sha256, json(&token.roles), token.created_by, token.created_at],
                )
                .map_err(ctx("add token"))?;
            Ok(n == 1)
        }))
    }

    fn api_token(&self, token_sha256: String) -> DbFuture<'_, Option<ApiToken>> {
        Box::pin(self.call(move |c| {
            c.query_row(
                "SELECT name, roles, created_by, created_at FROM api_tokens WHERE token_sha256 = ?1",
                [token_sha256],
                api_token_row,
            )
            .optional()
            .map_err(ctx("read token"))
        }))
    }

    fn api_tokens(&self) -> DbFuture<'_, Vec<ApiToken>> {
        Box::pin(self.call(|c| {
            let mut stmt = c
                .prepare("SELECT name, roles, created_by, created_at FROM api_tokens ORDER BY name")
                .map_err(ctx("list tokens"))?;
            let rows = stmt.query_map([], api_token_row).map_err(ctx("list tokens"))?;
            rows.collect::<Result<_, _>>().map_err(ctx("read token"))
        }))
    }

    fn delete_api_token(&self, name: String) -> DbFuture<'_, bool> {
        Box::pin(self.call(move |c| {
            let n =
                c.execute("DELETE FROM api_tokens WHERE name = ?1", [name]).map_err(ctx("revoke token"))?;
            Ok(n == 1)
        }))
    }

    fn draft(&self, channel: String) -> DbFuture<'_, Option<DraftRow>> {
        Box::pin(self.call(move |c| {
            c.query_row(
                "SELECT channel, revision, base_version, state, content, updated_by, updated_at,
                    submitted_by, submitted_at, note, editors FROM drafts WHERE channel = ?1",
                [channel],
                draft_row,
            )
            .optional()
            .map_err(ctx("read draft"))
        }))
    }

    fn save_draft(&self, draft: DraftRow, expected: Option<u64>) -> DbFuture<'_, bool> {
        Box::pin(self.call(move |c| {
            let tx = c.transaction().map_err(ctx("begin draft save"))?;
            let stored: Option<i64> = tx
                .query_row("SELECT revision FROM drafts WHERE channel = ?1", [&draft.channel], |row| {
                    row.get(0)
                })
                .optional()
                .map_err(ctx("read draft revision"))?;
            if stored.map(|r| r as u64) != expected {
                return Ok(false);
            }
            tx.execute(
                "INSERT OR REPLACE INTO drafts (channel, revision, base_version, state, content, updated_by,
                    updated_at, submitted_by, submitted_at, note, editors)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![
                    draft.channel,
                    draft.revision as i64,
                    draft.base_version as i64,
                    draft.state,
                    draft.content,
                    draft.updated_by,
                    draft.updated_at,
                    draft.submitted_by,
                    draft.submitted_at,
                    draft.note,
                    json(&draft.editors)
                ],
            )
            .map_err(ctx("save draft"))?;
            tx.commit().map_err(ctx("commit draft"))?;
            Ok(true)
        }))
    }
}
