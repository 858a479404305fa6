//! Renderings of history data (`diff`, `audit`, `metrics`), one file per command.

pub mod audit;
pub mod diff;
pub mod metrics;
