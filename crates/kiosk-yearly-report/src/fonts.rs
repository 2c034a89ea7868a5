//! The report's two fonts, Noto Sans regular and bold, given as bytes.

use std::path::Path;
use std::sync::Arc;

use crate::error::RenderError;

/// Noto Sans regular and bold, the only fonts the report uses.
///
/// They cover every Vietnamese letter with its diacritics; the report's text and
/// its charts' labels are set in them and embedded (subset) in the PDF.
#[derive(Clone)]
pub struct Fonts {
    regular: Arc<Vec<u8>>,
    bold: Arc<Vec<u8>>,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fonts")
            .field("regular_bytes", &self.regular.len())
            .field("bold_bytes", &self.bold.len())
            .finish()
    }
}

/// Letters a font must have to set Vietnamese (and the report's own marks).
const NEEDED: &str = "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹĐƯƠ·…—";

impl Fonts {
    /// Where Debian's package fonts-noto-core puts Noto Sans regular.
    pub const REGULAR_PATH: &'static str = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf";
    /// Where Debian's package fonts-noto-core puts Noto Sans bold.
    pub const BOLD_PATH: &'static str = "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf";

    /// The fonts from their bytes (TrueType or OpenType files).
    ///
    /// Fails when either is no font or lacks Vietnamese letters.
    pub fn new(regular: Vec<u8>, bold: Vec<u8>) -> Result<Self, RenderError> {
        check("regular", &regular)?;
        check("bold", &bold)?;
        Ok(Fonts { regular: Arc::new(regular), bold: Arc::new(bold) })
    }

    /// Noto Sans from Debian's fonts-noto-core ([`Self::REGULAR_PATH`], [`Self::BOLD_PATH`]).
    ///
    /// A missing file is an error naming the path and the package to install.
    pub fn from_system() -> Result<Self, RenderError> {
        Self::from_files(Self::REGULAR_PATH.as_ref(), Self::BOLD_PATH.as_ref())
    }

    /// The fonts read from two files.
    pub fn from_files(regular: &Path, bold: &Path) -> Result<Self, RenderError> {
        let read = |path: &Path| {
            std::fs::read(path).map_err(|source| RenderError::FontMissing { path: path.to_owned(), source })
        };
        Self::new(read(regular)?, read(bold)?)
    }

    /// The bytes of the regular or the bold font.
    pub(crate) fn bytes(&self, bold: bool) -> &Arc<Vec<u8>> {
        if bold { &self.bold } else { &self.regular }
    }

    /// The fonts as krilla draws text with them: (regular, bold).
    pub(crate) fn krilla(&self) -> Result<(krilla::text::Font, krilla::text::Font), RenderError> {
        let font = |bold: bool, which| {
            krilla::text::Font::new(krilla::Data::from(self.bytes(bold).clone()), 0)
                .ok_or(RenderError::FontInvalid { which, reason: "krilla cannot read it".to_owned() })
        };
        Ok((font(false, "regular")?, font(true, "bold")?))
    }

    /// A font database with just these fonts, as the SVG renderer finds fonts;
    /// every generic family (sans-serif and the rest) is Noto Sans.
    pub(crate) fn database(&self) -> usvg::fontdb::Database {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(self.regular.to_vec());
        db.load_font_data(self.bold.to_vec());
        let family = db.faces().next().and_then(|face| face.families.first()).map(|(name, _)| name.clone());
        let family = family.unwrap_or_else(|| crate::style::FONT_FAMILY.to_owned());
        db.set_sans_serif_family(family.clone());
        db.set_serif_family(family.clone());
        db.set_monospace_family(family.clone());
        db.set_cursive_family(family.clone());
        db.set_fantasy_family(family);
        db
    }
}

fn check(which: &'static str, bytes: &[u8]) -> Result<(), RenderError> {
    let face = rustybuzz::Face::from_slice(bytes, 0).ok_or_else(|| RenderError::FontInvalid {
        which,
        reason: "not a TrueType or OpenType font".to_owned(),
    })?;
    let missing: String = NEEDED.chars().filter(|c| face.glyph_index(*c).is_none()).collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(RenderError::FontInvalid { which, reason: format!("it has no glyphs for {missing:?}") })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_font_names_its_path_and_package() {
        let err = Fonts::from_files("/nonexistent/NotoSans-Regular.ttf".as_ref(), Fonts::BOLD_PATH.as_ref())
            .expect_err("no such file");
        let message = err.to_string();
        assert!(message.contains("/nonexistent/NotoSans-Regular.ttf"), "{message}");
        assert!(message.contains("fonts-noto-core"), "{message}");
    }

    #[test]
    fn bytes_that_are_no_font_are_refused() {
        let err = Fonts::new(b"not a font".to_vec(), b"nor this".to_vec()).expect_err("no font");
        assert!(err.to_string().contains("regular"), "{err}");
    }
}
