//! The keys every replica signs with: the first replica records the public
//! halves; another whose key files differ is refused at start, since screens
//! pin one key and would refuse half of what the replicas sign.

use super::{PgStore, ctx};
use crate::db::{DbError, sortable_time};

impl PgStore {
    /// Records `public_key` (hex) as the fleet's key `name` unless one is
    /// recorded already; answers the one recorded.
    pub async fn fleet_key(&self, name: &str, public_key: &str) -> Result<String, DbError> {
        let client = self.client().await?;
        let now = sortable_time(self.clock().now());
        client
            .execute(
                "INSERT INTO server_keys (name, public_key, recorded_at) VALUES ($1, $2, $3)
                 ON CONFLICT (name) DO NOTHING",
                &[&name, &public_key, &now],
            )
            .await
            .map_err(ctx("record the fleet's key"))?;
        let row = client
            .query_one("SELECT public_key FROM server_keys WHERE name = $1", &[&name])
            .await
            .map_err(ctx("read the fleet's key"))?;
        Ok(row.get(0))
    }
}
