//! The planning core of milepost: work-day calendars, the dependency graph, the critical path
//! method (CPM) and Monte Carlo forecasts.
//!
//! Its core is deliberately *pure*: [`calendar`], [`graph`], [`cpm`] and
//! [`forecast`](mod@forecast) know nothing about YAML, programs or people. They take plain
//! [`Task`]s — a duration in work days, dependency indices, a few dates and a group (program)
//! index — and return plain data ([`Schedule`], [`Forecast`]). Keeping the core free of the
//! model makes it easy to test against independent computations and to benchmark in
//! isolation. The edge modules [`portfolio`], [`view`](mod@view) and [`forecast_view`] are
//! where a loaded portfolio (from `milepost-load`) meets that core: tasks from milestones,
//! cycle findings located in the files, and rows per milestone for every renderer.
//!
//! * [`calendar`]: the [`Calendar`] of work days and holidays, with O(log h) date ↔ work-day
//!   index conversion.
//! * [`graph`]: dependency validation, topological order and [`find_cycles`].
//! * [`cpm`]: [`schedule`], the schedule semantics of `docs/semantics.md` (a contract).
//! * [`forecast`](mod@forecast): [`forecast()`], seeded, parallel, memory-bounded Monte Carlo.
//! * [`portfolio`] and [`view`](mod@view): from a loaded portfolio to tasks, and from the
//!   schedule back to rows per milestone ([`PlanView`]) that the CLI and reports render;
//!   [`forecast_view`]: the same for the forecast ([`ForecastView`]).
//!
//! Nothing here panics on input or recurses: errors are [`ScheduleError`] / [`CalendarError`].

#![warn(missing_docs)]

pub mod calendar;
pub mod cpm;
pub mod error;
pub mod forecast;
pub mod forecast_view;
pub mod graph;
pub mod portfolio;
pub mod view;

pub use calendar::Calendar;
pub use cpm::{MAX_GROUPS, Schedule, Task, TaskSchedule, schedule};
pub use error::{CalendarError, ScheduleError};
pub use forecast::{
    CHUNK_RUNS, Estimate, Forecast, ForecastInput, ForecastMemo, GroupForecast, Percentiles,
    TaskForecast, forecast,
};
pub use forecast_view::{
    ForecastRow, ForecastView, ProgramForecastRow, STANDARD_RUNS, STANDARD_SEED, percent,
};
pub use graph::find_cycles;
pub use portfolio::{MilestoneKey, PortfolioPlan, anchored_finish, calendar_of, expected_finish};
pub use view::{PlanRow, PlanView};
