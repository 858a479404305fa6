//! The progress bar of long work (history walks, forecasts, site builds), on stderr.
//!
//! Shown only when stderr is a terminal, the command's output format is for people, and
//! `--quiet` is off; and only once the work has taken a second (so quick runs never flash
//! a bar). Cleared before the command prints its result (`output` finishes the progress
//! before handing out standard output). The libraries report progress
//! through `milepost_model::progress`; this module draws it with `indicatif`.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use milepost_model::progress::{self, Progress};

/// How long work runs before a bar appears; `MILEPOST_PROGRESS_DELAY_MS` overrides it (the
/// tests set 0).
const DELAY: Duration = Duration::from_secs(1);

struct Terminal {
    bar: ProgressBar,
    started: Instant,
    delay: Duration,
    shown: AtomicBool,
}

impl Terminal {
    fn show_when_due(&self) {
        if !self.shown.load(Ordering::Relaxed) && self.started.elapsed() >= self.delay {
            self.shown.store(true, Ordering::Relaxed);
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }
}

impl Progress for Terminal {
    fn start(&self, stage: &str, total: u64) {
        self.bar.reset();
        self.bar.set_length(total);
        self.bar.set_position(0);
        self.bar.set_message(stage.to_owned());
        self.show_when_due();
    }

    fn advance(&self, steps: u64) {
        self.bar.inc(steps);
        self.show_when_due();
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// Installs the progress bar for this run, when a person is watching: stderr is a
/// terminal, the output format is not a machine format, and `--quiet` is off.
pub fn enable(machine_format: bool) {
    if machine_format || crate::output::quiet() || !std::io::stderr().is_terminal() {
        return;
    }
    let delay = std::env::var("MILEPOST_PROGRESS_DELAY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(DELAY, Duration::from_millis);
    let style =
        ProgressStyle::with_template("{spinner} {msg:20} [{bar:30}] {pos}/{len} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
    let bar =
        ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden()).with_style(style);
    bar.enable_steady_tick(Duration::from_millis(120));
    progress::install(Box::new(Terminal {
        bar,
        started: Instant::now(),
        delay,
        shown: AtomicBool::new(false),
    }));
}
