//! The shapes of the URLs a screen serves, in one place: the views build them,
//! the servers answer them. (The device API's URLs, which a screen asks a
//! server or mirror, are `kiosk_wire::paths`.)
//!
//! - media for the webview: `<media_base>/blobs/<sha256>`, where the media base
//!   is `http://127.0.0.1:<port>/<per-launch secret>`;
//! - brochures for phones: `<brochure_base>/brochures/<id>/<locale>.pdf`, one
//!   stable URL per brochure and language, the same across releases.

use kiosk_core::blob::BlobId;
use kiosk_core::locale::LocaleTag;

/// The media server's route, under its secret.
pub const MEDIA_ROUTE: &str = "/{secret}/blobs/{sha}";

/// The brochure server's route.
pub const BROCHURE_ROUTE: &str = "/brochures/{id}/{file}";

/// The URL of a blob on the media server whose base is `media_base`.
pub fn media_url(media_base: &str, id: &BlobId) -> String {
    format!("{media_base}/blobs/{id}")
}

/// The download URL of a brochure in a language.
pub fn brochure_url(base_url: &str, brochure_id: &str, locale: &LocaleTag) -> String {
    format!("{base_url}/brochures/{brochure_id}/{locale}.pdf")
}

/// The brochure's locale named by the last segment of its URL (`en.pdf`).
pub fn brochure_locale(file: &str) -> Option<LocaleTag> {
    LocaleTag::new(file.strip_suffix(".pdf")?).ok()
}

/// How the views turn blobs and brochures into URLs.
#[derive(Debug, Clone)]
pub struct Urls {
    /// Media server base (`MediaServer::base_url`).
    pub media_base: String,
    /// Brochure server base as phones see it.
    pub brochure_base: String,
}

impl Urls {
    /// The URL of a blob for the webview.
    pub fn blob(&self, id: &BlobId) -> String {
        media_url(&self.media_base, id)
    }

    /// The URL of a brochure for a phone.
    pub fn brochure(&self, brochure_id: &str, locale: &LocaleTag) -> String {
        brochure_url(&self.brochure_base, brochure_id, locale)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_url_matches_its_route() {
        let en = LocaleTag::new("en").unwrap();
        let urls = Urls {
            media_base: "http://127.0.0.1:4000/s3cret".into(),
            brochure_base: "http://10.0.0.5:8088".into(),
        };
        let id = BlobId::of(b"film");
        assert_eq!(urls.blob(&id), format!("http://127.0.0.1:4000/s3cret/blobs/{id}"));
        let brochure = urls.brochure("invest", &en);
        assert_eq!(brochure, "http://10.0.0.5:8088/brochures/invest/en.pdf");
        let file = brochure.rsplit('/').next().unwrap();
        assert_eq!(brochure_locale(file), Some(en));
        assert_eq!(brochure_locale("en.txt"), None);
        assert_eq!(
            BROCHURE_ROUTE.matches('/').count(),
            brochure.trim_start_matches("http://10.0.0.5:8088").matches('/').count()
        );
        assert_eq!(
            MEDIA_ROUTE.matches('/').count(),
            urls.blob(&id).trim_start_matches("http://127.0.0.1:4000").matches('/').count()
        );
    }
}
