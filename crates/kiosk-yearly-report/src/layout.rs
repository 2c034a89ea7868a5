//! What a page shows, as a list of drawing operations in points from the page's
//! top-left corner. Laying out makes these lists; [`crate::pdf`] draws them.

use crate::style::{LEADING, Rgb};

/// One thing drawn on a page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Op {
    /// One line of text; `x` is its left end, `y` its baseline.
    Text {
        /// Left end.
        x: f32,
        /// Baseline.
        y: f32,
        /// Type size in points.
        size: f32,
        /// Bold or regular.
        bold: bool,
        /// Colour.
        color: Rgb,
        /// The text.
        text: String,
    },
    /// A filled rectangle.
    Rect {
        /// Left.
        x: f32,
        /// Top.
        y: f32,
        /// Width.
        w: f32,
        /// Height.
        h: f32,
        /// Fill colour.
        color: Rgb,
    },
    /// A straight line.
    Line {
        /// Start, x.
        x1: f32,
        /// Start, y.
        y1: f32,
        /// End, x.
        x2: f32,
        /// End, y.
        y2: f32,
        /// Stroke width.
        width: f32,
        /// Colour.
        color: Rgb,
    },
    /// A chart: an SVG document scaled into the box.
    Svg {
        /// Left.
        x: f32,
        /// Top.
        y: f32,
        /// Width.
        w: f32,
        /// Height.
        h: f32,
        /// The SVG document.
        svg: String,
    },
}

/// How a line of text sits in its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    /// Against the left edge.
    Left,
    /// Against the right edge.
    Right,
}

/// One page's operations, drawn in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Page {
    /// What is drawn, first to last.
    pub ops: Vec<Op>,
}

impl Page {
    /// Text whose left end is `x` and baseline `y`.
    pub fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, color: Rgb, text: impl Into<String>) {
        let text = text.into();
        if !text.is_empty() {
            self.ops.push(Op::Text { x, y, size, bold, color, text });
        }
    }

    /// A filled rectangle.
    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: Rgb) {
        self.ops.push(Op::Rect { x, y, w, h, color });
    }

    /// A horizontal line from `x1` to `x2` at `y`.
    pub fn hline(&mut self, x1: f32, x2: f32, y: f32, width: f32, color: Rgb) {
        self.ops.push(Op::Line { x1, y1: y, x2, y2: y, width, color });
    }

    /// All the text on the page, in drawing order (for tests).
    #[cfg(test)]
    pub fn texts(&self) -> Vec<&str> {
        self.ops
            .iter()
            .filter_map(|op| match op {
                Op::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }
}

/// The height of one line of text of `size`.
pub(crate) fn line_height(size: f32) -> f32 {
    size * LEADING
}

/// The baseline of a line of `size` whose line box starts at `top`, so that the
/// letters sit in the middle of the box.
pub(crate) fn baseline(top: f32, size: f32) -> f32 {
    top + line_height(size) / 2.0 + size * 0.36
}
