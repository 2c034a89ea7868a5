//! Why a report could not be made.

use std::path::PathBuf;

/// Why [`crate::render`] or [`crate::Fonts`] failed; the message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A font file could not be read.
    #[error(
        "cannot read the font {path}: {source}; install Debian's package fonts-noto-core \
         (apt-get install fonts-noto-core)"
    )]
    FontMissing {
        /// The font file.
        path: PathBuf,
        /// Why it could not be read.
        source: std::io::Error,
    },
    /// Font bytes that are no usable font.
    #[error("the {which} font cannot be used: {reason}")]
    FontInvalid {
        /// Which font: `"regular"` or `"bold"`.
        which: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// A chart could not be drawn.
    #[error("cannot draw the chart {chart}: {reason}")]
    Chart {
        /// Which chart.
        chart: &'static str,
        /// What went wrong.
        reason: String,
    },
    /// A drawn chart could not be read back as SVG.
    #[error("cannot read the chart's SVG: {0}")]
    Svg(String),
    /// The PDF could not be written.
    #[error("cannot write the PDF: {0}")]
    Pdf(String),
}
