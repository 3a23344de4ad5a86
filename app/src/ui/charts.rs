//! The History page's charts as SVG shapes, computed here (pure, so tested here) and drawn by
//! Leptos on the server and in the page: no chart library, nothing fetched at run time.

use crate::game::Phase;
use crate::wire::HistoryPoint;

/// Every chart's drawing box (`viewBox="0 0 WIDTH HEIGHT"`, stretched to the page's width).
pub const WIDTH: f64 = 600.0;
/// See [`WIDTH`].
pub const HEIGHT: f64 = 120.0;

/// One bar: left edge, top, width, height.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bar {
    /// Left edge.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

/// A bar per value, scaled so the largest fills the height (a 1-pixel gap between bars when
/// there is room for one).
pub fn bars(values: &[f64]) -> Vec<Bar> {
    let slot = WIDTH / values.len().max(1) as f64;
    let gap = if slot > 3.0 { 1.0 } else { 0.0 };
    let max = values.iter().copied().fold(0.0, f64::max);
    values
        .iter()
        .enumerate()
        .filter(|(_, v)| **v > 0.0)
        .map(|(i, v)| {
            let height = if max > 0.0 { v / max * HEIGHT } else { 0.0 };
            Bar {
                x: i as f64 * slot,
                y: HEIGHT - height,
                width: slot - gap,
                height,
            }
        })
        .collect()
}

/// The points of a line through `values` in `[0, 1]` (entropy), one per slot's middle, as SVG's
/// `points` attribute.
pub fn line(values: &[f64]) -> String {
    let slot = WIDTH / values.len().max(1) as f64;
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let x = (i as f64 + 0.5) * slot;
            let y = HEIGHT - v.clamp(0.0, 1.0) * HEIGHT;
            format!("{x:.1},{y:.1}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// One band of time in one phase: left edge, width, phase.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    /// Left edge.
    pub x: f64,
    /// Width.
    pub width: f64,
    /// The phase the points in it spent most time in.
    pub phase: Phase,
}

/// The phase bands: each point drawn in the phase it spent most time in, neighbours in the same
/// phase merged into one band.
pub fn bands(points: &[HistoryPoint]) -> Vec<Band> {
    let slot = WIDTH / points.len().max(1) as f64;
    let mut bands: Vec<Band> = Vec::new();
    for (i, point) in points.iter().enumerate() {
        let phase = point.main_phase();
        match bands.last_mut() {
            Some(last) if last.phase == phase => last.width += slot,
            _ => bands.push(Band {
                x: i as f64 * slot,
                width: slot,
                phase,
            }),
        }
    }
    bands
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_busiest_bucket_fills_the_height_and_empty_ones_draw_nothing() {
        let drawn = bars(&[2.0, 0.0, 4.0]);
        assert_eq!(drawn.len(), 2);
        assert_eq!(drawn[1].height, HEIGHT);
        assert_eq!(drawn[0].height, HEIGHT / 2.0);
        assert_eq!(drawn[0].y, HEIGHT / 2.0);
        assert_eq!(drawn[1].x, 400.0);
        assert!(bars(&[]).is_empty());
    }

    #[test]
    fn the_entropy_line_goes_through_each_slots_middle() {
        assert_eq!(line(&[0.0, 1.0]), "150.0,120.0 450.0,0.0");
    }

    #[test]
    fn neighbouring_points_in_one_phase_make_one_band() {
        let at = |phase_ms| HistoryPoint {
            phase_ms,
            ..HistoryPoint::default()
        };
        let drawn = bands(&[
            at([60_000, 0, 0, 0]),
            at([0, 0, 60_000, 0]),
            at([10_000, 0, 50_000, 0]),
            at([60_000, 0, 0, 0]),
        ]);
        let phases: Vec<Phase> = drawn.iter().map(|b| b.phase).collect();
        assert_eq!(phases, [Phase::Calm, Phase::Hot, Phase::Calm]);
        assert_eq!(drawn[1].width, 300.0);
    }
}
