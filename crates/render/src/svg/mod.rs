//! SVG charts drawn by milepost: a gantt, a dependency graph and a risk heat map.
//!
//! Each chart is a self-contained `<svg>` string: sizes in a `viewBox` (it scales to the
//! page), colours as attributes (it looks the same pasted anywhere), no scripts, no external
//! references, and every piece of user text escaped with [`crate::escape::xml`] — a title
//! containing `</svg><script>` stays text. Long labels are cut with `…` and the full text is
//! in a `<title>` tooltip.

pub mod gantt;
pub mod graph;
pub mod heatmap;
pub mod series;

use std::fmt::Write as _;

use crate::escape::{num, xml};

/// The palette, shared by the charts and the HTML templates' CSS.
pub mod colour {
    /// Planned work.
    pub const PLANNED: &str = "#4c78a8";
    /// Work in progress.
    pub const ACTIVE: &str = "#0f7b74";
    /// Work on the critical path.
    pub const CRITICAL: &str = "#c8372d";
    /// Finished work.
    pub const DONE: &str = "#9aa5b1";
    /// Grid lines.
    pub const GRID: &str = "#e3e7ec";
    /// Text.
    pub const TEXT: &str = "#1f2933";
    /// Secondary text.
    pub const MUTED: &str = "#616e7c";
    /// The as-of ("today") line.
    pub const TODAY: &str = "#d97706";
    /// On track.
    pub const GREEN: &str = "#2f855a";
    /// At risk.
    pub const AMBER: &str = "#b7791f";
    /// Off track.
    pub const RED: &str = "#c53030";
}

/// A small SVG writer: elements with escaped text, numbers written compactly.
pub(crate) struct Svg {
    out: String,
}

impl Svg {
    /// Opens an `<svg>` of the given size with an accessible title.
    pub(crate) fn new(width: f64, height: f64, label: &str) -> Self {
        let mut out = String::new();
        let _ = write!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{label}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif" font-size="12" class="chart">"#,
            w = num(width),
            h = num(height),
            label = xml(label),
        );
        let _ = write!(out, "<title>{}</title>", xml(label));
        Self { out }
    }

    /// Appends raw, already-safe markup (element names and attributes built here).
    pub(crate) fn raw(&mut self, markup: &str) {
        self.out.push_str(markup);
    }

    /// A rectangle.
    pub(crate) fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str, extra: &str) {
        let _ = write!(
            self.out,
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{fill}"{}{extra}/>"#,
            num(x),
            num(y),
            num(w.max(0.0)),
            num(h.max(0.0)),
            if extra.is_empty() { "" } else { " " },
        );
    }

    /// A line.
    pub(crate) fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, stroke: &str, extra: &str) {
        let _ = write!(
            self.out,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{stroke}"{}{extra}/>"#,
            num(x1),
            num(y1),
            num(x2),
            num(y2),
            if extra.is_empty() { "" } else { " " },
        );
    }

    /// Text (escaped), with optional extra attributes and a tooltip with the full text.
    pub(crate) fn text(&mut self, x: f64, y: f64, text: &str, attrs: &str, tooltip: Option<&str>) {
        let _ = write!(
            self.out,
            r#"<text x="{}" y="{}"{}{attrs}>"#,
            num(x),
            num(y),
            if attrs.is_empty() { "" } else { " " },
        );
        if let Some(t) = tooltip {
            let _ = write!(self.out, "<title>{}</title>", xml(t));
        }
        self.out.push_str(&xml(text));
        self.out.push_str("</text>");
    }

    /// Closes the `<svg>` and returns it.
    pub(crate) fn finish(mut self) -> String {
        self.out.push_str("</svg>");
        self.out
    }
}
