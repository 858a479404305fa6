//! Renderings of a schedule (`milepost plan`), one file per format.

pub mod csv;
pub mod dot;
pub mod json;
pub mod mermaid;
pub mod table;
