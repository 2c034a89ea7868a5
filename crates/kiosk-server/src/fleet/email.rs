//! Alerts by e-mail: a new alert is sent through the configured SMTP server
//! (`[alerts.email]`) to the booth staff, in Vietnamese and English, with
//! lettre. `security = "starttls"` (the default, port 587) or `"tls"` (port
//! 465) check the server's certificate against the web's root authorities;
//! `"none"` (port 25) is for a relay on the same machine or LAN.

use std::time::Duration;

use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::db::FleetAlert;
use crate::settings::{EmailAlerts, SmtpSecurity};

/// How long the SMTP server has to answer.
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

/// Sends alerts through one SMTP server.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    to: Vec<Mailbox>,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").field("from", &self.from).field("to", &self.to).finish_non_exhaustive()
    }
}

impl Mailer {
    /// A mailer for `config` (addresses were checked when the config was read).
    pub fn new(config: &EmailAlerts) -> Result<Self, String> {
        let builder = match config.security {
            SmtpSecurity::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&config.server),
            SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&config.server),
            SmtpSecurity::None => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.server)),
        }
        .map_err(|e| format!("SMTP server {:?}: {e}", config.server))?;
        let mut builder = builder.port(config.port()).timeout(Some(SMTP_TIMEOUT));
        if let (Some(user), Some(password)) = (&config.user, &config.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        let parse = |text: &str| text.parse::<Mailbox>().map_err(|e| format!("{text:?}: {e}"));
        Ok(Self {
            transport: builder.build(),
            from: parse(&config.from)?,
            to: config.to.iter().map(|t| parse(t)).collect::<Result<_, _>>()?,
        })
    }

    /// Sends the alert to every recipient; the server's refusal as text.
    pub async fn send(&self, alert: &FleetAlert) -> Result<(), String> {
        let (subject, body) = words(alert);
        let mut message = Message::builder().from(self.from.clone()).subject(subject);
        for to in &self.to {
            message = message.to(to.clone());
        }
        let message = message.header(ContentType::TEXT_PLAIN).body(body).map_err(|e| e.to_string())?;
        self.transport.send(message).await.map(|_| ()).map_err(|e| e.to_string())
    }
}

/// The subject and body of an alert's e-mail, in Vietnamese then English (pure).
pub fn words(alert: &FleetAlert) -> (String, String) {
    let since = alert.since.as_deref().map_or("—", |s| s.get(..19).unwrap_or(s));
    let raised = alert.raised_at.get(..19).unwrap_or(&alert.raised_at);
    let subject = format!(
        "[Kiosk Bình Dương] Màn hình \"{}\" mất kết nối / Screen \"{}\" went offline",
        alert.device_name, alert.device_name
    );
    let body = format!(
        "Màn hình \"{name}\" (kênh {channel}) không còn báo về máy chủ.\n\
         Lần báo cuối: {since} (UTC). Cảnh báo lúc: {raised} (UTC).\n\
         Xin kiểm tra nguồn điện và mạng của màn hình; cảnh báo tự đóng khi màn hình báo lại.\n\n\
         Screen \"{name}\" (channel {channel}) has stopped reporting to the server.\n\
         Last heard from: {since} (UTC). Alert raised: {raised} (UTC).\n\
         Please check the screen's power and network; the alert closes by itself when it reports again.\n\n\
         Alert {id}, device {device}.\n",
        name = alert.device_name,
        channel = alert.channel,
        id = alert.id,
        device = alert.device,
    );
    (subject, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alert_mail_names_the_screen_and_its_last_sign_of_life_in_both_languages() {
        let alert = FleetAlert {
            id: 7,
            device: "d-1".into(),
            device_name: "Sảnh A".into(),
            channel: "booth".into(),
            kind: "offline".into(),
            since: Some("2026-12-06T09:00:00.000000000Z".into()),
            raised_at: "2026-12-06T09:10:02.500000000Z".into(),
            cleared_at: None,
            notified_at: None,
        };
        let (subject, body) = words(&alert);
        assert!(subject.contains("Màn hình \"Sảnh A\" mất kết nối"), "{subject}");
        assert!(subject.contains("Screen \"Sảnh A\" went offline"), "{subject}");
        for said in [
            "Lần báo cuối: 2026-12-06T09:00:00",
            "Last heard from: 2026-12-06T09:00:00",
            "kênh booth",
            "Alert 7",
        ] {
            assert!(body.contains(said), "{said}: {body}");
        }
    }
}
