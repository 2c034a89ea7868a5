//! A numeric chart axis whose ticks are chosen by the report, not by plotters:
//! months at whole numbers, counts at round steps, bars at their rows.

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};

/// An axis from `range.start` to `range.end` with ticks and grid lines at `ticks`.
#[derive(Debug, Clone)]
pub(crate) struct Axis {
    range: Range<f64>,
    ticks: Vec<f64>,
}

impl Axis {
    /// An axis over `range` with ticks at `ticks`.
    pub fn new(range: Range<f64>, ticks: Vec<f64>) -> Self {
        Axis { range, ticks }
    }
}

impl Ranged for Axis {
    // Labels always come from the chart's own formatter.
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let span = self.range.end - self.range.start;
        let at = if span == 0.0 { 0.0 } else { (value - self.range.start) / span };
        (f64::from(limit.0) + at * f64::from(limit.1 - limit.0)).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        // Bold grid lines only: no light lines between the ticks.
        if hint.weight().allow_light_points() { Vec::new() } else { self.ticks.clone() }
    }

    fn range(&self) -> Range<f64> {
        self.range.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_map_linearly_onto_the_pixels() {
        let axis = Axis::new(0.5..12.5, (1..=12).map(f64::from).collect());
        assert_eq!(axis.map(&0.5, (0, 120)), 0);
        assert_eq!(axis.map(&12.5, (0, 120)), 120);
        assert_eq!(axis.map(&6.5, (100, 0)), 50);
    }
}
