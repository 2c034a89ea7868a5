//! Drawing laid-out pages into a PDF with krilla: text as real, selectable text
//! in the embedded Noto Sans, and charts as vectors through krilla-svg.

use std::sync::Arc;

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use krilla_svg::{SurfaceExt, SvgSettings};

use crate::error::RenderError;
use crate::fonts::Fonts;
use crate::layout::{Op, Page};
use crate::style::{FONT_FAMILY, PAGE_H, PAGE_W, Rgb};

/// What a page is drawn with.
struct Pen {
    regular: Font,
    bold: Font,
    svg_options: usvg::Options<'static>,
}

/// The PDF of `pages`, with `metadata`.
pub(crate) fn write(pages: &[Page], fonts: &Fonts, metadata: Metadata) -> Result<Vec<u8>, RenderError> {
    let (regular, bold) = fonts.krilla()?;
    let svg_options = usvg::Options {
        font_family: FONT_FAMILY.to_owned(),
        fontdb: Arc::new(fonts.database()),
        languages: vec!["vi".to_owned(), "en".to_owned()],
        ..usvg::Options::default()
    };
    let pen = Pen { regular, bold, svg_options };
    let size = Size::from_wh(PAGE_W, PAGE_H).ok_or_else(|| RenderError::Pdf("bad page size".to_owned()))?;
    let mut document = Document::new();
    document.set_metadata(metadata);
    for laid in pages {
        let mut page = document.start_page_with(PageSettings::new(size));
        let mut surface = page.surface();
        for op in &laid.ops {
            pen.draw(&mut surface, op)?;
        }
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|err| RenderError::Pdf(err.to_string()))
}

fn paint(color: Rgb) -> krilla::paint::Paint {
    rgb::Color::new(color.0, color.1, color.2).into()
}

fn fill(color: Rgb) -> Fill {
    Fill { paint: paint(color), opacity: NormalizedF32::ONE, rule: Default::default() }
}

impl Pen {
    fn draw(&self, surface: &mut Surface, op: &Op) -> Result<(), RenderError> {
        match op {
            Op::Text { x, y, size, bold, color, text } => {
                surface.set_stroke(None);
                surface.set_fill(Some(fill(*color)));
                let font = if *bold { &self.bold } else { &self.regular };
                surface.draw_text(
                    Point::from_xy(*x, *y),
                    font.clone(),
                    *size,
                    text,
                    false,
                    TextDirection::Auto,
                );
            }
            Op::Rect { x, y, w, h, color } => {
                let mut path = PathBuilder::new();
                if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                    path.push_rect(rect);
                }
                if let Some(path) = path.finish() {
                    surface.set_stroke(None);
                    surface.set_fill(Some(fill(*color)));
                    surface.draw_path(&path);
                }
            }
            Op::Line { x1, y1, x2, y2, width, color } => {
                let mut path = PathBuilder::new();
                path.move_to(*x1, *y1);
                path.line_to(*x2, *y2);
                if let Some(path) = path.finish() {
                    surface.set_fill(None);
                    surface.set_stroke(Some(Stroke {
                        paint: paint(*color),
                        width: *width,
                        ..Stroke::default()
                    }));
                    surface.draw_path(&path);
                }
            }
            Op::Svg { x, y, w, h, svg } => {
                let tree = usvg::Tree::from_str(svg, &self.svg_options)
                    .map_err(|err| RenderError::Svg(err.to_string()))?;
                let size = Size::from_wh(*w, *h)
                    .ok_or_else(|| RenderError::Svg(format!("a chart cannot be {w}×{h}")))?;
                surface.push_transform(&Transform::from_translate(*x, *y));
                let drawn = surface.draw_svg(&tree, size, SvgSettings::default());
                surface.pop();
                drawn.ok_or_else(|| RenderError::Svg("krilla-svg could not draw a chart".to_owned()))?;
            }
        }
        Ok(())
    }
}
