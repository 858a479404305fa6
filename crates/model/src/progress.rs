//! Progress of long work, reported to whoever listens.
//!
//! The libraries say how far a long piece of work has got — a history walk, a forecast, a
//! site build — through [`report`]; they never draw anything. The binary installs a
//! [`Progress`] sink once ([`install`]) when it wants a progress bar (on a terminal, not
//! `--quiet`, not a machine format); without one, reporting costs an atomic load.

use std::sync::OnceLock;

/// A listener for progress.
pub trait Progress: Send + Sync {
    /// A stage of `total` steps begins (`"reading history"`); the previous one, if any, ends.
    fn start(&self, stage: &str, total: u64);
    /// `steps` more steps of the current stage are done.
    fn advance(&self, steps: u64);
    /// The work is over: clear whatever was drawn.
    fn finish(&self);
}

static SINK: OnceLock<Box<dyn Progress>> = OnceLock::new();

/// Installs the process's progress sink. Only the first call counts.
pub fn install(sink: Box<dyn Progress>) {
    let _ = SINK.set(sink);
}

/// Where progress goes: the installed sink, if any.
pub fn report() -> Option<&'static dyn Progress> {
    SINK.get().map(AsRef::as_ref)
}

/// Starts a stage on the installed sink, if any.
pub fn start(stage: &str, total: u64) {
    if let Some(s) = report() {
        s.start(stage, total);
    }
}

/// Advances the current stage on the installed sink, if any.
pub fn advance(steps: u64) {
    if let Some(s) = report() {
        s.advance(steps);
    }
}

/// Ends the work on the installed sink, if any.
pub fn finish() {
    if let Some(s) = report() {
        s.finish();
    }
}
