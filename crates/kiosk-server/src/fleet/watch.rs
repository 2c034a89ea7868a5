//! The fleet watcher: every few seconds it opens an alert for each screen that
//! went quiet, closes the alerts of screens that report again, and hands new
//! alerts to the webhook until it takes them.

use std::collections::HashMap;
use std::time::Duration;

use super::status::{ScreenStatus, check_every};
use crate::db::sortable_time;
use crate::state::AppState;

/// The longest wait between two tries of the webhook.
const MAX_BACKOFF: Duration = Duration::from_secs(600);

/// How long the webhook has to answer.
const WEBHOOK_TIMEOUT: Duration = Duration::from_secs(10);

/// Runs until the task is dropped or aborted.
pub async fn run(state: AppState) {
    let every = check_every(state.settings.offline_after);
    let webhook = state.settings.alert_webhook.clone().map(Webhook::new);
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut retries = Retries::default();
    loop {
        ticks.tick().await;
        if let Err(error) = check(&state).await {
            tracing::warn!(%error, "the fleet check failed; trying again at the next tick");
            continue;
        }
        if let Some(webhook) = &webhook {
            notify(&state, webhook, &mut retries).await;
        }
    }
}

/// One look at every screen: raises and clears alerts.
pub async fn check(state: &AppState) -> Result<(), crate::db::DbError> {
    let now = state.clock.now();
    for screen in state.fleet.screens().await? {
        match screen.status(now, state.settings.offline_after) {
            ScreenStatus::Offline => {
                let raised = state
                    .fleet
                    .raise_alert(screen.id.clone(), screen.last_heartbeat_at, sortable_time(now))
                    .await?;
                if raised.is_some() {
                    tracing::warn!(device = %screen.id, name = %screen.name, channel = %screen.channel,
                        "a screen went quiet: alert raised");
                }
            }
            ScreenStatus::Online | ScreenStatus::Late => {
                if state.fleet.clear_alerts(screen.id.clone(), sortable_time(now)).await? > 0 {
                    tracing::info!(device = %screen.id, name = %screen.name, "the screen reports again: alert cleared");
                }
            }
            ScreenStatus::Never => {}
        }
    }
    Ok(())
}

/// When each alert's webhook delivery may next be tried, and the wait after that.
#[derive(Debug, Default)]
struct Retries(HashMap<i64, (tokio::time::Instant, Duration)>);

/// Sends each open alert the webhook has not taken; a failure waits twice as
/// long as the one before, up to ten minutes.
async fn notify(state: &AppState, webhook: &Webhook, retries: &mut Retries) {
    let open = match state.fleet.alerts(true, 1000).await {
        Ok(open) => open,
        Err(error) => return tracing::warn!(%error, "open alerts not read"),
    };
    retries.0.retain(|id, _| open.iter().any(|a| a.id == *id));
    for alert in open.into_iter().filter(|a| a.notified_at.is_none()) {
        let now = tokio::time::Instant::now();
        if retries.0.get(&alert.id).is_some_and(|(next, _)| *next > now) {
            continue;
        }
        match webhook.send(&alert).await {
            Ok(()) => {
                retries.0.remove(&alert.id);
                if let Err(error) =
                    state.fleet.mark_notified(alert.id, sortable_time(state.clock.now())).await
                {
                    tracing::warn!(%error, alert = alert.id, "the webhook took the alert; not recorded");
                }
            }
            Err(error) => {
                let wait = retries
                    .0
                    .get(&alert.id)
                    .map_or(Duration::from_secs(5), |(_, w)| (*w * 2).min(MAX_BACKOFF));
                tracing::warn!(alert = alert.id, device = %alert.device, %error, retry_in_s = wait.as_secs(),
                    "the alert webhook did not take the alert");
                retries.0.insert(alert.id, (now + wait, wait));
            }
        }
    }
}

/// The configured webhook.
struct Webhook {
    url: String,
    client: reqwest::Client,
}

impl Webhook {
    fn new(url: String) -> Self {
        let client =
            reqwest::Client::builder().timeout(WEBHOOK_TIMEOUT).build().expect("an HTTP client builds");
        Self { url, client }
    }

    /// `POST`s the alert as JSON; any answer but 2xx is a failure.
    async fn send(&self, alert: &super::db::FleetAlert) -> Result<(), String> {
        let body = serde_json::to_vec(alert).expect("an alert serializes");
        let answer = self
            .client
            .post(&self.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if answer.status().is_success() { Ok(()) } else { Err(format!("answered {}", answer.status())) }
    }
}
