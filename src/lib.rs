//! `piao`: from a chamber of commerce's planning workbook to the PIAO annex,
//! the Relazione sulla Performance tables and the Giunta cruscotto.
//!
//! The pipeline is one-way: [`read`] (calamine → located cells) →
//! [`model`] (typed plan, joins checked) → [`score`] (SAL and aggregates) →
//! [`render`] (typst PDFs, xlsx, JSON). [`cmd`] holds one file per
//! subcommand; [`diag`] the diagnostics every stage reports.

// `Diagnostic` is the house error type: it carries file, sheet, cell,
// message and hint, and travels only on the cold path of a failed step.
// Boxing it in every `Result` would obscure each signature for no gain.
#![allow(clippy::result_large_err)]

pub mod cli;
pub mod cmd;
pub mod diag;
pub mod diff;
pub mod fmt;
pub mod fonts;
pub mod model;
pub mod printable;
pub mod read;
pub mod render;
pub mod score;
pub mod serve;
pub mod synthetic;
pub mod template;
pub mod usage;
