//! Measuring text: how wide a line is in the report's fonts, where to break it,
//! and how to shorten one that cannot break.
//!
//! Text is shaped with rustybuzz, as krilla shapes it when it draws, so what is
//! measured here is what lands on the page.

use crate::fonts::Fonts;

/// Where a word too wide for its line may break.
const BREAK_AFTER: [char; 3] = ['-', '/', '_'];

/// The ellipsis put at the end of text shortened to fit.
const ELLIPSIS: char = '…';

/// Measures text set in the report's fonts.
pub(crate) struct Typesetter<'a> {
    regular: rustybuzz::Face<'a>,
    bold: rustybuzz::Face<'a>,
}

impl<'a> Typesetter<'a> {
    /// A typesetter for `fonts`, which were checked to be fonts when made.
    pub fn new(fonts: &'a Fonts) -> Option<Self> {
        Some(Typesetter {
            regular: rustybuzz::Face::from_slice(fonts.bytes(false), 0)?,
            bold: rustybuzz::Face::from_slice(fonts.bytes(true), 0)?,
        })
    }

    /// The advance width of `text` on one line, in points.
    pub fn width(&self, text: &str, bold: bool, size: f32) -> f32 {
        if text.is_empty() {
            return 0.0;
        }
        let face = if bold { &self.bold } else { &self.regular };
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let shaped = rustybuzz::shape(face, &[], buffer);
        let units: i64 = shaped.glyph_positions().iter().map(|p| i64::from(p.x_advance)).sum();
        units as f32 / face.units_per_em() as f32 * size
    }

    /// `text` broken into lines no wider than `max`, at spaces where it can and
    /// inside a word only when the word alone is too wide. Never empty.
    pub fn wrap(&self, text: &str, bold: bool, size: f32, max: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
                if self.width(&candidate, bold, size) <= max {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                if self.width(word, bold, size) <= max {
                    line = word.to_owned();
                } else {
                    let mut pieces = self.break_word(word, bold, size, max);
                    line = pieces.pop().unwrap_or_default();
                    lines.extend(pieces);
                }
            }
            lines.push(line);
        }
        lines
    }

    /// A word too wide for `max` cut into pieces that fit: after a hyphen,
    /// slash or underscore where there is one, between letters otherwise.
    fn break_word(&self, word: &str, bold: bool, size: f32, max: f32) -> Vec<String> {
        let mut pieces = Vec::new();
        let mut piece = String::new();
        for c in word.chars() {
            piece.push(c);
            if self.width(&piece, bold, size) <= max || piece.chars().count() == 1 {
                continue;
            }
            piece.pop();
            // After the last hyphen, if what follows it still fits with this letter.
            let cut = piece
                .rfind(BREAK_AFTER)
                .map(|at| at + 1)
                .filter(|at| self.width(&format!("{}{c}", &piece[*at..]), bold, size) <= max)
                .unwrap_or(piece.len());
            let rest = piece.split_off(cut);
            pieces.push(std::mem::replace(&mut piece, rest));
            piece.push(c);
        }
        pieces.push(piece);
        pieces
    }

    /// `text` on one line no wider than `max`, shortened with an ellipsis when it must be.
    pub fn fit(&self, text: &str, bold: bool, size: f32, max: f32) -> String {
        if self.width(text, bold, size) <= max {
            return text.to_owned();
        }
        let mut chars: Vec<char> = text.chars().collect();
        while !chars.is_empty() {
            chars.pop();
            let shortened: String =
                chars.iter().collect::<String>().trim_end().to_owned() + &ELLIPSIS.to_string();
            if self.width(&shortened, bold, size) <= max {
                return shortened;
            }
        }
        ELLIPSIS.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_typesetter(test: impl FnOnce(&Typesetter)) {
        let fonts = Fonts::from_system().unwrap_or_else(|err| panic!("{err}"));
        test(&Typesetter::new(&fonts).expect("checked fonts"));
    }

    #[test]
    fn wider_text_measures_wider() {
        with_typesetter(|ts| {
            let short = ts.width("Báo cáo", false, 10.0);
            assert!(short > 20.0 && short < 60.0, "{short}");
            assert!(ts.width("Báo cáo kết quả", false, 10.0) > short);
            assert!(ts.width("Báo cáo", true, 10.0) > short);
            assert!((ts.width("Báo cáo", false, 20.0) - 2.0 * short).abs() < 0.01);
        });
    }

    #[test]
    fn lines_wrap_within_their_width() {
        with_typesetter(|ts| {
            let text =
                "Truyền thông về danh hiệu Cộng đồng thông minh tiêu biểu năm 2023 trên bảng tin điện tử";
            let lines = ts.wrap(text, false, 10.0, 120.0);
            assert!(lines.len() > 2, "{lines:?}");
            assert!(lines.iter().all(|line| ts.width(line, false, 10.0) <= 120.0), "{lines:?}");
            assert_eq!(lines.join(" "), text);
            let long = ts.wrap("Trung-tâm-Hội-chợ-Triển-lãm-WTC-Bình-Dương", false, 10.0, 60.0);
            assert!(
                long.len() > 1 && long.iter().all(|line| ts.width(line, false, 10.0) <= 60.0),
                "{long:?}"
            );
            assert!(long.iter().take(long.len() - 1).all(|line| line.ends_with('-')), "{long:?}");
            assert_eq!(long.concat(), "Trung-tâm-Hội-chợ-Triển-lãm-WTC-Bình-Dương");
            let letters = ts.wrap("Trungtâmhộichợtriểnlãm", false, 10.0, 40.0);
            assert!(
                letters.len() > 1 && letters.iter().all(|line| ts.width(line, false, 10.0) <= 40.0),
                "{letters:?}"
            );
        });
    }

    #[test]
    fn too_long_text_is_shortened_with_an_ellipsis() {
        with_typesetter(|ts| {
            let fitted = ts.fit("Khu công nghiệp Việt Nam – Singapore (VSIP)", false, 10.0, 80.0);
            assert!(fitted.ends_with('…') && ts.width(&fitted, false, 10.0) <= 80.0, "{fitted}");
            assert_eq!(ts.fit("VSIP", false, 10.0, 80.0), "VSIP");
        });
    }
}
