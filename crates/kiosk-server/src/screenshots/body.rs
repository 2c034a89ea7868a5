//! Reading an upload's body up to a limit: a declared `Content-Length` over it
//! is refused before a byte is read, and a body that grows past it is refused
//! at the chunk that crosses it; the rest is never read.

use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use futures_util::StreamExt;

use crate::error::ApiError;

/// `413 too_large`: the body is over `limit` bytes.
pub fn too_large(limit: u64) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
        format!("a screenshot is at most {limit} bytes ({} MiB)", limit / (1024 * 1024)),
    )
}

/// The body's bytes, at most `limit` of them; `413` (see [`too_large`]) as soon
/// as it says or proves to be longer, `400 cut_off` when it breaks off.
pub async fn read_capped(headers: &HeaderMap, body: Body, limit: u64) -> Result<Vec<u8>, ApiError> {
    let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit) {
        return Err(too_large(limit));
    }
    let mut bytes = Vec::with_capacity(declared.unwrap_or(0) as usize);
    let mut stream = body.into_data_stream();
    while let Some(piece) = stream.next().await {
        let piece = piece.map_err(|e| {
            ApiError::bad_request("cut_off", format!("the upload broke off after {} bytes: {e}", bytes.len()))
        })?;
        if (bytes.len() + piece.len()) as u64 > limit {
            return Err(too_large(limit));
        }
        bytes.extend_from_slice(&piece);
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(n: usize, size: usize) -> Body {
        let pieces = (0..n).map(move |_| Ok::<_, std::io::Error>(vec![7u8; size]));
        Body::from_stream(futures_util::stream::iter(pieces))
    }

    #[tokio::test]
    async fn reads_up_to_the_limit_and_no_further() {
        let none = HeaderMap::new();
        assert_eq!(read_capped(&none, chunks(4, 10), 40).await.unwrap().len(), 40);
        assert_eq!(read_capped(&none, chunks(5, 10), 40).await.unwrap_err().code, "too_large");

        let mut declared = HeaderMap::new();
        declared.insert(header::CONTENT_LENGTH, "41".parse().unwrap());
        let refused = read_capped(&declared, chunks(1, 1), 40).await.unwrap_err();
        assert_eq!((refused.status, refused.code), (StatusCode::PAYLOAD_TOO_LARGE, "too_large"));
    }
}
