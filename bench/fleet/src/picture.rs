//! The new picture of release 2: a real PNG of about the size asked for, with
//! grain that deflate cannot squeeze, so its bytes on the wire are its size.

/// A PNG of about `kilobytes` KB (480 pixels wide), different for every `seed`.
pub fn grainy_png(kilobytes: usize, seed: u64) -> anyhow::Result<Vec<u8>> {
    const WIDTH: u32 = 480;
    let height = ((kilobytes * 1024) / (WIDTH as usize * 3)).max(1) as u32;
    let mut state = seed | 1;
    let mut pixels = Vec::with_capacity(WIDTH as usize * height as usize * 3);
    for y in 0..height {
        for x in 0..WIDTH {
            // xorshift64: grain over a warm gradient.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let grain = state as u8;
            pixels.push((x * 200 / WIDTH) as u8 ^ grain);
            pixels.push((y * 160 / height) as u8 ^ (grain >> 1));
            pixels.push(40 ^ (state >> 8) as u8);
        }
    }
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, WIDTH, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.write_header()?.write_image_data(&pixels)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_a_png_of_about_the_size_asked_for() {
        let bytes = grainy_png(300, 7).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        assert!((250_000..400_000).contains(&bytes.len()), "{} bytes", bytes.len());
        assert_ne!(bytes, grainy_png(300, 8).unwrap());
    }
}
