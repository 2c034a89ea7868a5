//! `POST /v1/enrol`: a screen trades a one-time code from an admin for its own
//! bearer token and learns the channel it follows. `POST /v1/token/renew`: a
//! screen trades its token, before it expires, for a fresh one.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The body of `POST /v1/enrol`: `{"code", "name"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export, export_to = "wire/")]
pub struct EnrolRequest {
    /// The one-time code from the admin.
    pub code: String,
    /// A name for the screen, for people: 1–100 printable characters.
    pub name: String,
}

/// The answer to an enrolment: `{"device_id", "token", "channel"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, export_to = "wire/")]
pub struct Enrolled {
    /// The device's id.
    pub device_id: String,
    /// Its bearer token; the server keeps only its hash.
    pub token: String,
    /// The channel it follows.
    pub channel: String,
}

/// The answer to `POST /v1/token/renew`: `{"token", "expires_at"}`. The token
/// sent stops working; the new one works until `expires_at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, export_to = "wire/")]
pub struct TokenRenewed {
    /// The new bearer token; the server keeps only its hash.
    pub token: String,
    /// When it expires, RFC 3339.
    #[ts(type = "string")]
    pub expires_at: jiff::Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_names_exactly_its_code_and_name() {
        let request: EnrolRequest = serde_json::from_str(r#"{"code": "c0de", "name": "Hall A"}"#).unwrap();
        assert_eq!(request, EnrolRequest { code: "c0de".into(), name: "Hall A".into() });
        assert!(serde_json::from_str::<EnrolRequest>(r#"{"code": "c", "name": "n", "extra": 1}"#).is_err());
        assert!(serde_json::from_str::<EnrolRequest>(r#"{"code": "c"}"#).is_err());
    }

    #[test]
    fn a_renewal_travels_as_token_and_expiry() {
        let json = serde_json::json!({"token": "t", "expires_at": "2027-12-01T10:00:00Z"});
        let renewed: TokenRenewed = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(renewed.expires_at, "2027-12-01T10:00:00Z".parse().unwrap());
        assert_eq!(serde_json::to_value(&renewed).unwrap(), json);
    }

    #[test]
    fn the_answer_travels_as_device_id_token_and_channel() {
        let enrolled = Enrolled { device_id: "d".into(), token: "t".into(), channel: "wtc-booths".into() };
        let json = serde_json::to_value(&enrolled).unwrap();
        assert_eq!(json, serde_json::json!({"device_id": "d", "token": "t", "channel": "wtc-booths"}));
        assert_eq!(serde_json::from_value::<Enrolled>(json).unwrap(), enrolled);
    }
}
