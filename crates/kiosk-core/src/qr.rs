//! QR codes as SVG documents, for brochure links and social cards.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// An SVG of the QR code for `text`: black on white with the standard quiet zone,
/// error correction level M (survives a scuffed or glossy screen).
///
/// Fails only for text too long for any QR code (about 2,300 bytes at level M).
pub fn qr_svg(text: &str) -> Result<String, qrcode::types::QrError> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)?;
    Ok(code
        .render::<svg::Color<'_>>()
        .min_dimensions(256, 256)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .quiet_zone(true)
        .build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_an_svg() {
        let svg = qr_svg("http://192.168.1.20:8088/brochures/invest-guide/vi.pdf").unwrap();
        assert!(svg.starts_with("<?xml") && svg.contains("<svg") && svg.contains("#000000"));
        assert!(qr_svg(&"x".repeat(5000)).is_err());
    }
}
