//! Serving a blob kept as an object ([`StoredBlob::Object`](crate::blob_store::StoredBlob::Object))
//! the way `tower_http`'s `ServeFile` serves one kept as a file: one `bytes=`
//! range (`206` with `Content-Range`, `416` when it cannot be met or several
//! are asked), `If-Range` and `If-None-Match` against the blob's ETag (its
//! SHA-256, which never changes), `Accept-Ranges`, and the bytes streamed from
//! the store by a ranged read.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kiosk_core::blob::BlobId;

use crate::blob_store::{BlobStore, BlobStoreError};

/// What a `Range` header asks of a blob of a given size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wanted {
    /// No range: every byte.
    Whole,
    /// The bytes `first..=last`.
    Part {
        /// The first byte's offset.
        first: u64,
        /// The last byte's offset.
        last: u64,
    },
    /// A range that is malformed or lies past the end.
    Unsatisfiable,
    /// More than one range (not served, as `ServeFile` does not).
    Several,
}

/// Reads one `Range` header against a blob of `size` bytes: `bytes=A-B` (`B`
/// clipped to the end), `bytes=A-` and `bytes=-N` (the last `N` bytes, at most all).
pub fn wanted(range: Option<&HeaderValue>, size: u64) -> Wanted {
    let Some(range) = range else { return Wanted::Whole };
    let Some(spec) = range.to_str().ok().and_then(|text| text.strip_prefix("bytes=")) else {
        return Wanted::Unsatisfiable;
    };
    if spec.contains(',') {
        return Wanted::Several;
    }
    let Some((from, to)) = spec.split_once('-') else { return Wanted::Unsatisfiable };
    let number = |text: &str| match text.bytes().all(|b| b.is_ascii_digit()) {
        true => text.parse::<u64>().ok(),
        false => None,
    };
    let last_byte = size.checked_sub(1);
    let wanted = match (from, to) {
        ("", suffix) => match (number(suffix), last_byte) {
            (Some(n), Some(last)) if n > 0 && n <= size => Some((size - n, last)),
            _ => None,
        },
        (from, "") => number(from).zip(last_byte),
        (from, to) => number(from).zip(number(to)).zip(last_byte).map(|((a, b), last)| (a, b.min(last))),
    };
    match wanted {
        Some((first, last)) if first <= last => Wanted::Part { first, last },
        _ => Wanted::Unsatisfiable,
    }
}

/// The strong ETag of blob `id`: its name.
pub fn etag(id: &BlobId) -> String {
    format!("\"{id}\"")
}

/// Whether an `If-None-Match` header names `etag` (weakly; `*` names every one).
pub fn names_etag(value: Option<&HeaderValue>, etag: &str) -> bool {
    value.and_then(|v| v.to_str().ok()).is_some_and(|text| {
        text.split(',').map(str::trim).any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag)
    })
}

/// Whether an `If-Range` header is exactly `etag` (a date never is: a blob
/// kept as an object has no modification time to compare with).
fn if_range_holds(value: &HeaderValue, etag: &str) -> bool {
    value.to_str().is_ok_and(|text| text.trim() == etag)
}

/// Answers a `GET` of blob `id`, `size` bytes of `mime`, read from `store`
/// as the request's `headers` ask; `None` when the store no longer has it.
pub async fn serve_object(
    store: &dyn BlobStore,
    id: &BlobId,
    size: u64,
    mime: &mime::Mime,
    headers: &HeaderMap,
) -> Result<Option<Response>, BlobStoreError> {
    let etag = etag(id);
    let etag_value = HeaderValue::from_str(&etag).expect("hex is a valid header value");
    if names_etag(headers.get(header::IF_NONE_MATCH), &etag) {
        return Ok(Some((StatusCode::NOT_MODIFIED, [(header::ETAG, etag_value)]).into_response()));
    }
    let range = match headers.get(header::IF_RANGE) {
        Some(if_range) if !if_range_holds(if_range, &etag) => None,
        _ => headers.get(header::RANGE),
    };
    let content_type = HeaderValue::from_str(mime.as_ref()).expect("a MIME type is a valid header value");
    let unsatisfiable = |body: &'static str| {
        let content_range = format!("bytes */{size}");
        let mut response = (StatusCode::RANGE_NOT_SATISFIABLE, body).into_response();
        response.headers_mut().remove(header::CONTENT_TYPE);
        response
            .headers_mut()
            .insert(header::CONTENT_RANGE, HeaderValue::from_str(&content_range).expect("digits"));
        response.headers_mut().insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
        response
    };
    let (status, read, content_range) = match wanted(range, size) {
        Wanted::Whole => (StatusCode::OK, None, None),
        Wanted::Part { first, last } => {
            (StatusCode::PARTIAL_CONTENT, Some(first..last + 1), Some(format!("bytes {first}-{last}/{size}")))
        }
        Wanted::Unsatisfiable => return Ok(Some(unsatisfiable(""))),
        Wanted::Several => return Ok(Some(unsatisfiable("Cannot serve multipart range requests"))),
    };
    let length = read.as_ref().map_or(size, |r| r.end - r.start);
    let Some(stream) = store.read(id, read).await? else { return Ok(None) };
    let mut response = Response::new(Body::from_stream(stream));
    *response.status_mut() = status;
    let out = response.headers_mut();
    out.insert(header::CONTENT_TYPE, content_type);
    out.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    out.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    out.insert(header::ETAG, etag_value);
    if let Some(content_range) = content_range {
        out.insert(header::CONTENT_RANGE, HeaderValue::from_str(&content_range).expect("digits"));
    }
    Ok(Some(response))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ask(range: &str, size: u64) -> Wanted {
        wanted(Some(&HeaderValue::from_str(range).unwrap()), size)
    }

    #[test]
    fn reads_one_range_as_serve_file_does() {
        let part = |first, last| Wanted::Part { first, last };
        assert_eq!(wanted(None, 10), Wanted::Whole);
        assert_eq!(ask("bytes=0-0", 10), part(0, 0));
        assert_eq!(ask("bytes=2-5", 10), part(2, 5));
        assert_eq!(ask("bytes=9-9", 10), part(9, 9));
        assert_eq!(ask("bytes=3-", 10), part(3, 9));
        assert_eq!(ask("bytes=4-99", 10), part(4, 9), "the end is clipped");
        assert_eq!(ask("bytes=-3", 10), part(7, 9));
        assert_eq!(ask("bytes=-10", 10), part(0, 9));
        for refused in [
            "bytes=-11",
            "bytes=-0",
            "bytes=10-",
            "bytes=10-12",
            "bytes=5-4",
            "bytes=a-b",
            "bytes=-",
            "items=0-1",
            "bytes=0-1-2",
            "bytes= 1-2",
            "bytes=+1-2",
        ] {
            assert_eq!(ask(refused, 10), Wanted::Unsatisfiable, "{refused}");
        }
        assert_eq!(ask("bytes=0-1,4-5", 10), Wanted::Several);
        assert_eq!(ask("bytes=0-", 0), Wanted::Unsatisfiable, "an empty blob has no byte to send");
    }

    #[test]
    fn conditional_headers_name_the_etag() {
        let id = BlobId::of(b"x");
        let tag = etag(&id);
        let value = |text: &str| HeaderValue::from_str(text).unwrap();
        assert!(names_etag(Some(&value(&tag)), &tag));
        assert!(names_etag(Some(&value(&format!("\"other\", {tag}"))), &tag));
        assert!(names_etag(Some(&value("*")), &tag));
        assert!(!names_etag(Some(&value("\"other\"")), &tag));
        assert!(!names_etag(Some(&value("Wed, 21 Oct 2015 07:28:00 GMT")), &tag));
        assert!(!names_etag(None, &tag));
        assert!(names_etag(Some(&value(&format!("W/{tag}"))), &tag), "If-None-Match compares weakly");
        assert!(if_range_holds(&value(&tag), &tag));
        assert!(!if_range_holds(&value(&format!("W/{tag}")), &tag), "If-Range compares strongly");
        assert!(!if_range_holds(&value("Wed, 21 Oct 2015 07:28:00 GMT"), &tag));
    }
}
