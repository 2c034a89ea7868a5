//! The report's charts, drawn with plotters to SVG documents.
//!
//! One SVG pixel is one PDF point: a chart is drawn at the size it takes on the
//! page, so its type sizes are the page's. Labels are set in Noto Sans; plotters
//! only guesses text widths, so the legend and label areas are measured here
//! with the report's own [`Typesetter`].

use std::fmt::Display;

mod axis;

use plotters::prelude::{
    ChartBuilder, Circle, Color, EmptyElement, IntoDrawingArea, IntoFont, LineSeries, RGBColor, Rectangle,
    SVGBackend, Text, TextStyle,
};
use plotters::style::text_anchor::{HPos, Pos, VPos};

use self::axis::Axis;
use crate::error::RenderError;
use crate::model::Lang;
use crate::numbers;
use crate::style::{FONT_FAMILY, INK, MUTED, RULE, Rgb, WHITE};
use crate::text::Typesetter;

/// plotters' SVG backend writes a font size of `size / 1.24`; asking for
/// `size * 1.24` gives `size` points.
const PLOTTERS_FONT_SCALE: f64 = 1.24;
/// The size of axis labels, in points.
const LABEL_SIZE: f32 = 8.0;
/// The height of the legend strip above a chart.
const LEGEND_H: u32 = 22;

/// One series of a monthly chart: its name, colour and twelve values.
pub(crate) struct Series<'s> {
    /// The name shown in the legend.
    pub name: &'s str,
    /// The colour of its bars or line.
    pub color: Rgb,
    /// January to December.
    pub values: [u64; 12],
}

fn rgb(c: Rgb) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

fn font(size: f32, color: Rgb) -> TextStyle<'static> {
    let style: TextStyle<'static> = (FONT_FAMILY, f64::from(size) * PLOTTERS_FONT_SCALE).into_font().into();
    TextStyle { color: rgb(color).to_backend_color(), ..style }
}

fn failed<E: Display>(chart: &'static str) -> impl Fn(E) -> RenderError {
    move |err| RenderError::Chart { chart, reason: err.to_string() }
}

/// A round top for an axis from 0 that holds `max`, and its step: four to six steps.
fn axis_steps(max: u64) -> (f64, f64) {
    let max = max.max(1) as f64;
    let magnitude = 10f64.powf(max.log10().floor());
    let step = [0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|f| f * magnitude)
        .find(|step| (max / step).ceil() <= 5.0)
        .unwrap_or(magnitude * 10.0)
        .max(1.0);
    ((max / step).ceil() * step, step)
}

fn ticks(top: f64, step: f64) -> Vec<f64> {
    (0..).map(|i| f64::from(i) * step).take_while(|v| *v <= top + step / 2.0).collect()
}

/// The width of the widest axis label, with room for the tick.
fn label_area(ts: &Typesetter, labels: impl IntoIterator<Item = String>) -> u32 {
    let widest = labels.into_iter().map(|label| ts.width(&label, false, LABEL_SIZE)).fold(0.0, f32::max);
    (widest + 12.0).ceil() as u32
}

/// Twelve months of several series as grouped bars.
pub(crate) fn monthly_bars(
    ts: &Typesetter,
    months: &[&str; 12],
    series: &[Series],
    lang: Lang,
    size: (u32, u32),
) -> Result<String, RenderError> {
    monthly(ts, months, series, lang, size, false)
}

/// Twelve months of several series as lines with a dot on each month.
pub(crate) fn monthly_lines(
    ts: &Typesetter,
    months: &[&str; 12],
    series: &[Series],
    lang: Lang,
    size: (u32, u32),
) -> Result<String, RenderError> {
    monthly(ts, months, series, lang, size, true)
}

fn monthly(
    ts: &Typesetter,
    months: &[&str; 12],
    series: &[Series],
    lang: Lang,
    size: (u32, u32),
    lines: bool,
) -> Result<String, RenderError> {
    let err = failed("month by month");
    let max = series.iter().flat_map(|s| s.values).max().unwrap_or(0);
    let (top, step) = axis_steps(max);
    let y_ticks = ticks(top, step);
    let y_area = label_area(ts, y_ticks.iter().map(|v| numbers::axis(*v, lang)));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&rgb(WHITE)).map_err(&err)?;
        let (legend_area, plot_area) = root.split_vertically(LEGEND_H);
        let entries: Vec<(&str, Rgb)> = series.iter().map(|s| (s.name, s.color)).collect();
        legend(ts, &legend_area, &entries, y_area).map_err(&err)?;
        // Every month is named where the names fit side by side, every other month otherwise.
        let widest = months.iter().map(|m| ts.width(m, false, LABEL_SIZE)).fold(0.0, f32::max);
        let per_month = size.0.saturating_sub(y_area + 4) as f32 / 12.0;
        let every = if widest + 6.0 <= per_month { 1 } else { 2 };
        let x_ticks: Vec<f64> = (1..=12).step_by(every).map(f64::from).collect();
        let mut chart = ChartBuilder::on(&plot_area)
            .margin_right(4)
            .margin_top(6)
            .x_label_area_size(20)
            .y_label_area_size(y_area)
            .build_cartesian_2d(Axis::new(0.5..12.5, x_ticks), Axis::new(0.0..top, y_ticks))
            .map_err(&err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .bold_line_style(rgb(RULE).stroke_width(1))
            .axis_style(rgb(MUTED).stroke_width(1))
            .label_style(font(LABEL_SIZE, MUTED))
            .x_label_style(font(LABEL_SIZE, INK))
            .x_label_formatter(&|x| month_label(months, *x))
            .y_label_formatter(&|y| numbers::axis(*y, lang))
            .draw()
            .map_err(&err)?;
        let group = 0.76;
        let bar = group / series.len().max(1) as f64;
        for (i, s) in series.iter().enumerate() {
            let color = rgb(s.color);
            let points = s.values.iter().enumerate().map(|(m, v)| ((m + 1) as f64, *v as f64));
            if lines {
                chart.draw_series(LineSeries::new(points.clone(), color.stroke_width(2))).map_err(&err)?;
                chart.draw_series(points.map(|p| Circle::new(p, 3, color.filled()))).map_err(&err)?;
            } else {
                let left = -group / 2.0 + i as f64 * bar;
                let bars = points.map(|(x, v)| {
                    Rectangle::new([(x + left + bar * 0.06, 0.0), (x + left + bar * 0.94, v)], color.filled())
                });
                chart.draw_series(bars).map_err(&err)?;
            }
        }
        root.present().map_err(&err)?;
    }
    Ok(svg)
}

fn month_label(months: &[&str; 12], x: f64) -> String {
    let month = x.round();
    if (1.0..=12.0).contains(&month) { months[month as usize - 1].to_owned() } else { String::new() }
}

/// A row of coloured squares with their series' names, starting at `indent`.
fn legend<DB: plotters::prelude::DrawingBackend>(
    ts: &Typesetter,
    area: &plotters::prelude::DrawingArea<DB, plotters::coord::Shift>,
    entries: &[(&str, Rgb)],
    indent: u32,
) -> Result<(), plotters::drawing::DrawingAreaErrorKind<DB::ErrorType>> {
    let middle = (LEGEND_H / 2) as i32;
    let mut x = indent as i32;
    for (name, color) in entries {
        area.draw(&Rectangle::new([(x, middle - 5), (x + 10, middle + 5)], rgb(*color).filled()))?;
        let style = font(LABEL_SIZE + 0.5, INK).pos(Pos::new(HPos::Left, VPos::Center));
        area.draw(&Text::new(name.to_string(), (x + 15, middle), style))?;
        x += 15 + ts.width(name, false, LABEL_SIZE + 0.5).ceil() as i32 + 18;
    }
    Ok(())
}

/// The height of one bar with its label above it.
const BAR_ROW: f32 = 32.0;
/// The height of the value axis under the bars.
const BAR_AXIS: f32 = 24.0;

/// The height of a horizontal bar chart of `n` bars.
pub(crate) fn bars_height(n: usize) -> f32 {
    BAR_AXIS + BAR_ROW * n.max(1) as f32
}

/// Horizontal bars, largest first from the top, each with its name above it and
/// its value at its end; a name is shortened only when wider than the chart.
pub(crate) fn horizontal_bars(
    ts: &Typesetter,
    bars: &[(String, u64)],
    color: Rgb,
    lang: Lang,
    size: (u32, u32),
) -> Result<String, RenderError> {
    let err = failed("bars");
    let max = bars.iter().map(|(_, v)| *v).max().unwrap_or(0);
    let widest_value = f64::from(ts.width(&numbers::count(max, lang), false, LABEL_SIZE));
    // The longest bar leaves room for its value at its end.
    let axis_for = |plot_w: f64| {
        let reach = max.max(1) as f64 * plot_w / (plot_w - widest_value - 10.0).max(plot_w / 2.0);
        axis_steps(reach.ceil() as u64)
    };
    // The last tick's label is centred on the chart's right edge.
    let (rough_top, _) = axis_for(f64::from(size.0));
    let margin_right = (ts.width(&numbers::axis(rough_top, lang), false, LABEL_SIZE) / 2.0).ceil() as u32 + 2;
    let plot_w = f64::from(size.0.saturating_sub(margin_right + 2).max(1));
    let (top, step) = axis_for(plot_w);
    let labels: Vec<String> =
        bars.iter().map(|(label, _)| ts.fit(label, false, LABEL_SIZE + 0.5, plot_w as f32 - 4.0)).collect();
    let n = bars.len().max(1);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&rgb(WHITE)).map_err(&err)?;
        let mut chart = ChartBuilder::on(&root)
            .margin_left((ts.width("0", false, LABEL_SIZE) / 2.0).ceil() as u32 + 2)
            .margin_right(margin_right)
            .x_label_area_size(BAR_AXIS as u32 - 4)
            .build_cartesian_2d(Axis::new(0.0..top, ticks(top, step)), Axis::new(0.0..n as f64, Vec::new()))
            .map_err(&err)?;
        chart
            .configure_mesh()
            // The values stand at the bars' ends: no grid lines to cross the names.
            .disable_mesh()
            .disable_y_axis()
            .axis_style(rgb(MUTED).stroke_width(1))
            .x_label_style(font(LABEL_SIZE, MUTED))
            .x_label_formatter(&|x| numbers::axis(*x, lang))
            .draw()
            .map_err(&err)?;
        // Row i spans y from n - i - 1 (bottom) to n - i (top): the name in the
        // upper half, the bar in the lower.
        let row = |i: usize| (n - i - 1) as f64;
        let fill = rgb(color);
        chart
            .draw_series(bars.iter().enumerate().map(|(i, (_, v))| {
                Rectangle::new([(0.0, row(i) + 0.12), (*v as f64, row(i) + 0.5)], fill.filled())
            }))
            .map_err(&err)?;
        let name_style = font(LABEL_SIZE + 0.5, INK).pos(Pos::new(HPos::Left, VPos::Bottom));
        chart
            .draw_series(labels.iter().enumerate().map(|(i, label)| {
                EmptyElement::at((0.0, row(i) + 0.58)) + Text::new(label.clone(), (1, 0), name_style.clone())
            }))
            .map_err(&err)?;
        let value_style = font(LABEL_SIZE, INK).pos(Pos::new(HPos::Left, VPos::Center));
        chart
            .draw_series(bars.iter().enumerate().map(|(i, (_, v))| {
                let at = (*v as f64, row(i) + 0.31);
                EmptyElement::at(at) + Text::new(numbers::count(*v, lang), (5, 0), value_style.clone())
            }))
            .map_err(&err)?;
        root.present().map_err(&err)?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_end_on_a_round_number_above_the_largest_value() {
        assert_eq!(axis_steps(0), (1.0, 1.0));
        assert_eq!(axis_steps(7), (8.0, 2.0));
        assert_eq!(axis_steps(123_456), (125_000.0, 25_000.0));
        assert_eq!(axis_steps(100_000), (100_000.0, 20_000.0));
        let (top, step) = axis_steps(9_876);
        assert!(top >= 9_876.0 && top / step <= 5.0, "{top} {step}");
    }
}
