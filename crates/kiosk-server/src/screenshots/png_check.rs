//! Whether an upload is a whole PNG of a sensible size: the signature, then the
//! header read with the `png` crate (width and height within
//! [`MAX_WIDTH`] × [`MAX_HEIGHT`]), then every row decoded, one at a time, so
//! that a truncated or corrupt file is refused without the memory a whole frame
//! would take. Pure; a few tens of milliseconds for a 1080p picture.

use std::io::Cursor;

use kiosk_wire::screenshot::{MAX_HEIGHT, MAX_WIDTH};

/// The eight bytes every PNG starts with.
pub const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];

/// Why bytes are not an acceptable screenshot.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PngRefusal {
    /// The bytes do not start as a PNG does.
    #[error("the body is not a PNG (it does not start with the PNG signature)")]
    NotPng,
    /// The header says a picture larger than allowed.
    #[error("the PNG is {width}×{height} pixels; a screenshot is at most {MAX_WIDTH}×{MAX_HEIGHT}")]
    TooManyPixels {
        /// Pixels across, as the header says.
        width: u32,
        /// Pixels down, as the header says.
        height: u32,
    },
    /// The PNG does not decode.
    #[error("the PNG does not decode: {0}")]
    Undecodable(String),
}

/// The size of a PNG, `(width, height)`, once it decoded completely.
pub fn check_png(bytes: &[u8]) -> Result<(u32, u32), PngRefusal> {
    if !bytes.starts_with(&PNG_SIGNATURE) {
        return Err(PngRefusal::NotPng);
    }
    let undecodable = |e: png::DecodingError| PngRefusal::Undecodable(e.to_string());
    let mut decoder = png::Decoder::new(Cursor::new(bytes));
    let header = decoder.read_header_info().map_err(undecodable)?;
    let (width, height) = (header.width, header.height);
    if width > MAX_WIDTH || height > MAX_HEIGHT {
        return Err(PngRefusal::TooManyPixels { width, height });
    }
    let mut reader = decoder.read_info().map_err(undecodable)?;
    let mut rows = 0u32;
    while reader.next_row().map_err(undecodable)?.is_some() {
        rows += 1;
    }
    if rows == 0 {
        return Err(PngRefusal::Undecodable("it holds no rows".into()));
    }
    reader.finish().map_err(undecodable)?;
    Ok((width, height))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = Vec::new();
        let mut encoder = png::Encoder::new(&mut bytes, width, height);
        encoder.set_color(png::ColorType::Rgb);
        let mut writer = encoder.write_header().unwrap();
        let pixels: Vec<u8> = (0..width * height * 3).map(|i| (i % 251) as u8).collect();
        writer.write_image_data(&pixels).unwrap();
        writer.finish().unwrap();
        bytes
    }

    #[test]
    fn a_whole_png_tells_its_size() {
        assert_eq!(check_png(&png(64, 36)), Ok((64, 36)));
    }

    #[test]
    fn refuses_what_is_not_a_whole_png_of_a_screen_s_size() {
        assert_eq!(check_png(b"GIF89a..."), Err(PngRefusal::NotPng));
        assert_eq!(check_png(b""), Err(PngRefusal::NotPng));

        let mut header_only = Vec::new();
        png::Encoder::new(&mut header_only, 100_000, 100_000).write_header().unwrap();
        assert_eq!(
            check_png(&header_only),
            Err(PngRefusal::TooManyPixels { width: 100_000, height: 100_000 })
        );

        let whole = png(64, 36);
        let cut = &whole[..whole.len() - 30];
        assert!(matches!(check_png(cut), Err(PngRefusal::Undecodable(_))), "{:?}", check_png(cut));
        let mut corrupt = whole.clone();
        let middle = corrupt.len() / 2;
        corrupt[middle] ^= 0xff;
        assert!(matches!(check_png(&corrupt), Err(PngRefusal::Undecodable(_))));
    }
}
