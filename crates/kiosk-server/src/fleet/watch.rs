//! The fleet watcher: every few seconds it opens an alert for each screen that
//! went quiet, closes the alerts of screens that report again, and hands new
//! alerts to the webhook and the e-mail server until each has taken them.
//!
//! Which of the two took an alert is kept in memory; the alert is marked
//! notified once both have. A restart in between sends it again to both.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use super::email::Mailer;
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
    let mut notifiers: Vec<Notifier> =
        state.settings.alert_webhook.clone().map(Webhook::new).map(Notifier::Webhook).into_iter().collect();
    if let Some(email) = &state.settings.alert_email {
        match Mailer::new(email) {
            Ok(mailer) => notifiers.push(Notifier::Email(Box::new(mailer))),
            Err(error) => tracing::error!(%error, "alerts will not be e-mailed"),
        }
    }
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut retries = Retries::default();
    loop {
        ticks.tick().await;
        if let Err(error) = check(&state).await {
            tracing::warn!(%error, "the fleet check failed; trying again at the next tick");
            continue;
        }
        if !notifiers.is_empty() {
            notify(&state, &notifiers, &mut retries).await;
        }
    }
}

/// One look at every screen: raises and clears alerts.
pub async fn check(state: &AppState) -> Result<(), crate::db::DbError> {
    let now = state.clock.now();
    for screen in state.fleet.screens().await? {
        if screen.token_revoked_at.is_some() {
            // A revoked screen is expected to go quiet.
            state.fleet.clear_alerts(screen.id.clone(), sortable_time(now)).await?;
            continue;
        }
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

/// Where alerts go.
enum Notifier {
    /// The configured webhook.
    Webhook(Webhook),
    /// The configured SMTP server.
    Email(Box<Mailer>),
}

impl Notifier {
    fn name(&self) -> &'static str {
        match self {
            Self::Webhook(_) => "webhook",
            Self::Email(_) => "e-mail",
        }
    }

    async fn send(&self, alert: &super::db::FleetAlert) -> Result<(), String> {
        match self {
            Self::Webhook(webhook) => webhook.send(alert).await,
            Self::Email(mailer) => mailer.send(alert).await,
        }
    }
}

/// Per alert and notifier: when the next try may be and the wait after that;
/// and which notifiers took which alert.
#[derive(Debug, Default)]
struct Retries {
    waits: HashMap<(i64, &'static str), (tokio::time::Instant, Duration)>,
    taken: HashSet<(i64, &'static str)>,
}

/// Sends each open alert to each notifier that has not taken it; a failure
/// waits twice as long as the one before, up to ten minutes.
async fn notify(state: &AppState, notifiers: &[Notifier], retries: &mut Retries) {
    let open = match state.fleet.alerts(true, 1000).await {
        Ok(open) => open,
        Err(error) => return tracing::warn!(%error, "open alerts not read"),
    };
    retries.waits.retain(|(id, _), _| open.iter().any(|a| a.id == *id));
    retries.taken.retain(|(id, _)| open.iter().any(|a| a.id == *id));
    for alert in open.into_iter().filter(|a| a.notified_at.is_none()) {
        for notifier in notifiers {
            let key = (alert.id, notifier.name());
            let now = tokio::time::Instant::now();
            if retries.taken.contains(&key) || retries.waits.get(&key).is_some_and(|(next, _)| *next > now) {
                continue;
            }
            match notifier.send(&alert).await {
                Ok(()) => {
                    retries.waits.remove(&key);
                    retries.taken.insert(key);
                }
                Err(error) => {
                    let wait = retries
                        .waits
                        .get(&key)
                        .map_or(Duration::from_secs(5), |(_, w)| (*w * 2).min(MAX_BACKOFF));
                    tracing::warn!(alert = alert.id, device = %alert.device, %error, retry_in_s = wait.as_secs(),
                        "the alert {} did not take the alert", notifier.name());
                    retries.waits.insert(key, (now + wait, wait));
                }
            }
        }
        if notifiers.iter().all(|n| retries.taken.contains(&(alert.id, n.name())))
            && let Err(error) = state.fleet.mark_notified(alert.id, sortable_time(state.clock.now())).await
        {
            tracing::warn!(%error, alert = alert.id, "the alert was sent; not recorded");
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
