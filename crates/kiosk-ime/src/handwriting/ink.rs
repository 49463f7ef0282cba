//! Handwritten strokes as the pad sends them, checked and prepared for the recogniser: bounded
//! in size, clamped to the canvas, placed in a square, and simplified to the points that carry
//! the shape (jitter and the many points of a slow stroke add nothing).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The most strokes of one character (the most complex characters in use have about 30).
pub const MAX_STROKES: usize = 64;
/// The most points of all strokes together (a slow, long stroke sampled at 60 Hz has a few
/// hundred).
pub const MAX_POINTS: usize = 8192;
/// The largest canvas side accepted, in the pad's units.
pub const MAX_CANVAS: f64 = 10_000.0;
/// The side of the square the recogniser reads (zinnia scales by it).
pub const SQUARE: i32 = 1000;
/// Points of one stroke handed to the simplification at most: longer strokes keep every n-th
/// point first, so the work per stroke stays bounded whatever arrives.
const MAX_STROKE_POINTS: usize = 256;
/// Points of one stroke handed to zinnia at most. Its feature extraction grows exponentially
/// with a stroke's corners (a 24-corner zigzag takes 300 MB, 32 exhaust memory); a written
/// stroke has at most about six, so a stroke with more is simplified harder until it fits.
pub const MAX_STROKE_CORNERS: usize = 12;
/// Points closer to the line of their neighbours than this share of the square are dropped
/// (Ramer-Douglas-Peucker); it also drops the hooks a pen makes when it lands.
const SIMPLIFY_SHARE: f64 = 0.035;

/// What the handwriting pad sends: strokes of `[x, y]` points on a `width` × `height` canvas
/// (origin top left, y down).
#[derive(Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Ink {
    /// Each stroke's points in the order drawn.
    pub strokes: Vec<Vec<[f64; 2]>>,
    /// Canvas width.
    pub width: f64,
    /// Canvas height.
    pub height: f64,
}

impl std::fmt::Debug for Ink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Ink({} strokes on {}x{})",
            self.strokes.len(),
            self.width,
            self.height
        )
    }
}

/// Why strokes cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InkError {
    /// Width or height not a number above zero and at most [`MAX_CANVAS`].
    #[error("canvas size must be above 0 and at most {MAX_CANVAS}")]
    Canvas,
    /// A coordinate is not a finite number.
    #[error("stroke coordinates must be finite numbers")]
    NotFinite,
    /// More than [`MAX_STROKES`] strokes.
    #[error("{0} strokes; at most {MAX_STROKES}")]
    TooManyStrokes(usize),
    /// More than [`MAX_POINTS`] points.
    #[error("{0} points; at most {MAX_POINTS}")]
    TooManyPoints(usize),
}

/// Strokes ready for the recogniser: integer points in a [`SQUARE`] × [`SQUARE`] box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    /// The strokes (none empty).
    pub strokes: Vec<Vec<(i32, i32)>>,
}

impl Prepared {
    /// Whether nothing was drawn.
    pub fn is_empty(&self) -> bool {
        self.strokes.is_empty()
    }
}

/// Checks `ink` and prepares it. Work is bounded by the limits, whatever was sent.
pub fn prepare(ink: &Ink) -> Result<Prepared, InkError> {
    let canvas_ok = |side: f64| side.is_finite() && side > 0.0 && side <= MAX_CANVAS;
    if !canvas_ok(ink.width) || !canvas_ok(ink.height) {
        return Err(InkError::Canvas);
    }
    if ink.strokes.len() > MAX_STROKES {
        return Err(InkError::TooManyStrokes(ink.strokes.len()));
    }
    let points: usize = ink.strokes.iter().map(Vec::len).sum();
    if points > MAX_POINTS {
        return Err(InkError::TooManyPoints(points));
    }
    if ink
        .strokes
        .iter()
        .flatten()
        .flatten()
        .any(|v| !v.is_finite())
    {
        return Err(InkError::NotFinite);
    }
    // The canvas goes into a square of its longer side, centred: zinnia scales x and y by
    // the same side, so a wide pad does not squash the character.
    let side = ink.width.max(ink.height);
    let scale = f64::from(SQUARE) / side;
    let (dx, dy) = ((side - ink.width) / 2.0, (side - ink.height) / 2.0);
    let place = |[x, y]: [f64; 2]| -> (f64, f64) {
        (
            (x.clamp(0.0, ink.width) + dx) * scale,
            (y.clamp(0.0, ink.height) + dy) * scale,
        )
    };
    let tolerance = SIMPLIFY_SHARE * f64::from(SQUARE);
    let strokes = ink
        .strokes
        .iter()
        .filter(|stroke| !stroke.is_empty())
        .map(|stroke| {
            let step = stroke.len().div_ceil(MAX_STROKE_POINTS).max(1);
            let last = stroke.len() - 1;
            let placed: Vec<(f64, f64)> = stroke
                .iter()
                .enumerate()
                .filter(|&(at, _)| at % step == 0 || at == last)
                .map(|(_, &point)| place(point))
                .collect();
            let mut kept = simplify(&placed, tolerance);
            let mut looser = tolerance;
            while kept.len() > MAX_STROKE_CORNERS {
                looser *= 1.5;
                kept = simplify(&kept, looser);
            }
            if kept.len() == 1 {
                // A tap is a dot: the recogniser wants a stroke with a direction.
                let (x, y) = kept[0];
                kept.push((x + 1.0, y + 1.0));
            }
            kept.into_iter()
                .map(|(x, y)| (x.round() as i32, y.round() as i32))
                .collect()
        })
        .collect();
    Ok(Prepared { strokes })
}

/// Ramer-Douglas-Peucker: the points of `line` that stay further than `tolerance` from the
/// simplified line, ends always kept, repeated points dropped. Iterative (no recursion depth
/// to worry about) and at most quadratic in the points of one stroke, which are bounded.
pub fn simplify(line: &[(f64, f64)], tolerance: f64) -> Vec<(f64, f64)> {
    let mut points: Vec<(f64, f64)> = Vec::with_capacity(line.len());
    for &p in line {
        if points.last() != Some(&p) {
            points.push(p);
        }
    }
    if points.len() < 3 {
        return points;
    }
    let mut keep = vec![false; points.len()];
    keep[0] = true;
    keep[points.len() - 1] = true;
    let mut pending = vec![(0, points.len() - 1)];
    while let Some((first, last)) = pending.pop() {
        let (mut farthest, mut distance) = (first, 0.0);
        for (at, &p) in points.iter().enumerate().take(last).skip(first + 1) {
            let d = distance_to_segment(p, points[first], points[last]);
            if d > distance {
                (farthest, distance) = (at, d);
            }
        }
        if distance > tolerance {
            keep[farthest] = true;
            pending.push((first, farthest));
            pending.push((farthest, last));
        }
    }
    points
        .into_iter()
        .zip(keep)
        .filter_map(|(p, kept)| kept.then_some(p))
        .collect()
}

fn distance_to_segment(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let length_squared = dx * dx + dy * dy;
    if length_squared == 0.0 {
        return (p.0 - a.0).hypot(p.1 - a.1);
    }
    let t = (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / length_squared).clamp(0.0, 1.0);
    (p.0 - (a.0 + t * dx)).hypot(p.1 - (a.1 + t * dy))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ink(strokes: Vec<Vec<[f64; 2]>>, width: f64, height: f64) -> Ink {
        Ink {
            strokes,
            width,
            height,
        }
    }

    #[test]
    fn a_straight_stroke_keeps_its_ends_only() {
        let line: Vec<[f64; 2]> = (0..=100).map(|i| [f64::from(i) * 3.0, 150.0]).collect();
        let prepared = prepare(&ink(vec![line], 300.0, 300.0)).unwrap();
        assert_eq!(prepared.strokes, [vec![(0, 500), (1000, 500)]]);
    }

    #[test]
    fn a_corner_is_kept() {
        let mut stroke: Vec<[f64; 2]> = (0..=50).map(|i| [f64::from(i) * 4.0, 20.0]).collect();
        stroke.extend((1..=50).map(|i| [200.0, 20.0 + f64::from(i) * 4.0]));
        let prepared = prepare(&ink(vec![stroke], 220.0, 220.0)).unwrap();
        assert_eq!(prepared.strokes[0].len(), 3, "{:?}", prepared.strokes);
    }

    #[test]
    fn a_wide_canvas_is_centred_in_a_square() {
        let prepared = prepare(&ink(vec![vec![[0.0, 0.0], [400.0, 200.0]]], 400.0, 200.0)).unwrap();
        assert_eq!(prepared.strokes[0], [(0, 250), (1000, 750)]);
    }

    #[test]
    fn points_off_the_canvas_are_clamped_and_taps_become_dots() {
        let prepared = prepare(&ink(
            vec![
                vec![[-50.0, 1e12]],
                vec![],
                vec![[10.0, 10.0], [10.0, 10.0]],
            ],
            100.0,
            100.0,
        ))
        .unwrap();
        assert_eq!(prepared.strokes.len(), 2, "the empty stroke is dropped");
        assert_eq!(prepared.strokes[0], [(0, 1000), (1, 1001)]);
        assert_eq!(prepared.strokes[1], [(100, 100), (101, 101)]);
    }

    #[test]
    fn a_long_stroke_is_thinned_before_simplifying() {
        // A spiral of 8000 points.
        let zigzag: Vec<[f64; 2]> = (0..8000)
            .map(|i| {
                let t = f64::from(i) / 100.0;
                [500.0 + 5.0 * t * t.cos(), 500.0 + 5.0 * t * t.sin()]
            })
            .collect();
        let prepared = prepare(&ink(vec![zigzag], 1000.0, 1000.0)).unwrap();
        assert!(prepared.strokes[0].len() <= MAX_STROKE_CORNERS);
    }

    #[test]
    fn a_stroke_with_many_corners_is_simplified_until_zinnia_can_take_it() {
        let zigzag: Vec<[f64; 2]> = (0..40)
            .map(|i| [f64::from(i) * 25.0, if i % 2 == 0 { 0.0 } else { 1000.0 }])
            .collect();
        let prepared = prepare(&ink(vec![zigzag], 1000.0, 1000.0)).unwrap();
        let kept = &prepared.strokes[0];
        assert!(kept.len() <= MAX_STROKE_CORNERS, "{} points", kept.len());
        assert_eq!(kept.first(), Some(&(0, 0)), "the ends stay");
        assert_eq!(kept.last(), Some(&(975, 1000)));
    }

    #[test]
    fn bad_ink_is_refused() {
        let one = vec![vec![[1.0, 1.0]]];
        assert_eq!(prepare(&ink(one.clone(), 0.0, 10.0)), Err(InkError::Canvas));
        assert_eq!(
            prepare(&ink(one.clone(), f64::NAN, 10.0)),
            Err(InkError::Canvas)
        );
        assert_eq!(prepare(&ink(one, 10.0, 1e9)), Err(InkError::Canvas));
        assert_eq!(
            prepare(&ink(vec![vec![[f64::INFINITY, 1.0]]], 10.0, 10.0)),
            Err(InkError::NotFinite)
        );
        assert_eq!(
            prepare(&ink(vec![vec![[1.0, 1.0]]; MAX_STROKES + 1], 10.0, 10.0)),
            Err(InkError::TooManyStrokes(MAX_STROKES + 1))
        );
        assert_eq!(
            prepare(&ink(vec![vec![[1.0, 1.0]; MAX_POINTS + 1]], 10.0, 10.0)),
            Err(InkError::TooManyPoints(MAX_POINTS + 1))
        );
        assert!(prepare(&ink(vec![], 10.0, 10.0)).unwrap().is_empty());
    }
}
