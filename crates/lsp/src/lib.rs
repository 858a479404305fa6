//! `milepost lsp`: a Language Server Protocol server over stdio for a milepost portfolio.
//!
//! Built on `lsp-server` and `lsp-types`, the synchronous scaffold rust-analyzer uses: the
//! server owns its message loop, so debouncing and coalescing edits is a plain loop over a
//! channel rather than an async runtime's cancellation (see `docs/adr/0003-language-server.md`).
//!
//! What it serves, for the portfolio at the workspace root (or found upwards from the first
//! file opened):
//!
//! - **diagnostics** from the same engine as `milepost check` — schema, references, every
//!   rule, the plan — for every file on disk and every open buffer (unsaved text wins), with
//!   rule ids as codes, links to the rule docs and related places;
//! - **completion** of people and teams, milestone ids (`program/id` across programs), gate
//!   templates, rule ids and options in milepost.yaml, and enum values;
//! - **go to definition**, **find references**, **document** and **workspace symbols**;
//! - **hover** with the plan: a milestone's planned dates, slack, criticality, P80 and what
//!   drives it; a person's work;
//! - **code actions** from milepost's hints: "did you mean", `reviewed:` today, a missing
//!   required field.
//!
//! Edits are debounced: a burst of `didChange` is analysed once, after a short quiet
//! period, and requests that arrive meanwhile are answered from the latest text. Unchanged
//! files are not parsed again ([`milepost_load::ParseCache`]).

pub mod convert;
pub mod features;
pub mod index;
mod server;
pub mod world;

pub use server::{Options, run, serve_stdio};
