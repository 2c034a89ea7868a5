//! The report's look in one place: page, margins, palette and type sizes.

/// A colour as red, green and blue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rgb(pub u8, pub u8, pub u8);

/// A4 width in points.
pub(crate) const PAGE_W: f32 = 595.28;
/// A4 height in points.
pub(crate) const PAGE_H: f32 = 841.89;
/// Left and right margin (22 mm).
pub(crate) const MARGIN_X: f32 = 62.0;
/// Where the content of a page starts, below the running header.
pub(crate) const TOP: f32 = 86.0;
/// Where the content of a page must end, above the footer.
pub(crate) const BOTTOM: f32 = PAGE_H - 76.0;
/// The running header's baseline.
pub(crate) const HEADER_Y: f32 = 46.0;
/// The footer's baseline.
pub(crate) const FOOTER_Y: f32 = PAGE_H - 40.0;
/// The width of the content between the margins.
pub(crate) const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN_X;

/// The family name of Noto Sans, as charts ask for it.
pub(crate) const FONT_FAMILY: &str = "Noto Sans";

/// Deep blue: titles, the cover, table heads, the first series.
pub(crate) const BLUE: Rgb = Rgb(0x0b, 0x3d, 0x91);
/// Gold accent: rules, the badge, the second series.
pub(crate) const GOLD: Rgb = Rgb(0xc8, 0x9b, 0x2c);
/// A lighter blue for a third series.
pub(crate) const BLUE_LIGHT: Rgb = Rgb(0x6f, 0x93, 0xd1);
/// Body text.
pub(crate) const INK: Rgb = Rgb(0x1c, 0x23, 0x33);
/// Secondary text: leads, labels, header and footer.
pub(crate) const MUTED: Rgb = Rgb(0x5a, 0x64, 0x78);
/// Thin rules and grid lines.
pub(crate) const RULE: Rgb = Rgb(0xd3, 0xda, 0xe6);
/// The tint of alternate table rows and figure cards.
pub(crate) const TINT: Rgb = Rgb(0xf2, 0xf5, 0xfa);
/// White.
pub(crate) const WHITE: Rgb = Rgb(0xff, 0xff, 0xff);
/// Text on the deep blue of the cover that is not the title.
pub(crate) const ON_BLUE: Rgb = Rgb(0xd6, 0xe0, 0xf2);

/// A section's title.
pub(crate) const SECTION_SIZE: f32 = 21.0;
/// A heading within a section.
pub(crate) const HEADING_SIZE: f32 = 12.5;
/// Running text.
pub(crate) const BODY_SIZE: f32 = 10.0;
/// Table cells.
pub(crate) const TABLE_SIZE: f32 = 8.8;
/// The header and footer.
pub(crate) const SMALL_SIZE: f32 = 8.0;
/// Line height as a multiple of the type size.
pub(crate) const LEADING: f32 = 1.35;
