//! The province's yearly report of the Bình Dương smart-city kiosk network, as a PDF.
//!
//! The network communicates Bình Dương's title of Intelligent Community of the
//! Year 2023 (TOP 1 ICF); its communication plan asks for a yearly report of
//! results to the province. kiosk-server counts the year into a [`YearlyReport`]
//! and calls [`render`], which writes an A4 PDF in Vietnamese or English:
//!
//! 1. the cover with the contents;
//! 2. key figures (or, for a year with nothing counted, a plain statement of that);
//! 3. month by month, as charts and a table;
//! 4. interactions by language and by country;
//! 5. brochures taken home, the most viewed chapters and the most played items;
//! 6. every screen with its uptime, its table running on over pages;
//! 7. the answers to each survey question.
//!
//! Text is real, selectable text in Noto Sans with every Vietnamese diacritic;
//! charts are drawn with plotters as SVG and put into the PDF as vectors by
//! krilla-svg, their labels set in the same fonts.
//!
//! # Layout
//! - [`model`]: the data the server fills in.
//! - `words`: every word shown, one table per language; `numbers`: numbers,
//!   percentages and dates as each language writes them.
//! - `charts`: the plotters charts; `text`: measuring and wrapping text.
//! - `layout`, `flow`, `table`: pages as drawing operations, the cursor that
//!   breaks pages, tables whose header repeats; `sections`: what each page shows.
//! - `pdf`: drawing the pages with krilla.
//!
//! # Example
//! ```no_run
//! use kiosk_yearly_report::{Fonts, Lang, YearlyReport, render};
//!
//! let report = YearlyReport::empty(2026, "Asia/Ho_Chi_Minh", "2026-11-10T08:30:00+07:00");
//! let pdf = render(&report, "vi".parse::<Lang>()?, &Fonts::from_system()?)?;
//! std::fs::write("bao-cao-2026.pdf", pdf)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod model;

mod charts;
mod error;
mod flow;
mod fonts;
mod layout;
mod numbers;
mod pdf;
#[cfg(any(test, feature = "sample"))]
mod sample;
mod sections;
mod style;
mod table;
mod text;
mod words;

pub use error::RenderError;
pub use fonts::Fonts;
pub use model::{
    Count, CountryCount, Lang, MonthCounts, ScreenSummary, SurveySummary, Totals, UnknownLang, YearlyReport,
};

use krilla::metadata::Metadata;

/// The PDF of `report` written in `lang`, set in `fonts`.
///
/// # Errors
/// When a chart cannot be drawn or the PDF cannot be written; the message says which.
pub fn render(report: &YearlyReport, lang: Lang, fonts: &Fonts) -> Result<Vec<u8>, RenderError> {
    let ts = text::Typesetter::new(fonts).ok_or(RenderError::FontInvalid {
        which: "regular or bold",
        reason: "rustybuzz cannot read it".to_owned(),
    })?;
    let pages = sections::lay_out(report, lang, &ts)?;
    let w = words::words(lang);
    let title = words::fill(w.title, &[("year", &report.year.to_string())]);
    let metadata = Metadata::new()
        .title(format!("{title} · {}", w.network))
        .description(w.subtitle.to_owned())
        .language(lang.tag().to_owned())
        .creator("kiosk-yearly-report".to_owned());
    pdf::write(&pages, fonts, metadata)
}
