//! `piao`: from a chamber of commerce's planning workbook to the PIAO annex,
//! the Relazione sulla Performance tables and the Giunta cruscotto.
//!
//! The pipeline is one-way: [`read`] (calamine → located cells) →
//! [`model`] (typed plan, joins checked) → [`score`] (SAL and aggregates) →
//! [`report`] (the typed tree every output projects) → [`render`] (typst
//! PDFs, xlsx, JSON). [`pipeline`] runs it for one workbook in memory and
//! publishes the files; [`diag`] holds the diagnostics every stage
//! reports. Nothing in the library prints: the binary's commands do.

// `Diagnostic` is the house error type: it carries file, sheet, cell,
// message and hint, and travels only on the cold path of a failed step.
// Boxing it in every `Result` would obscure each signature for no gain.
#![allow(clippy::result_large_err)]

pub mod diag;
pub mod diff;
pub mod fmt;
pub mod fonts;
pub mod model;
pub mod pipeline;
pub mod printable;
pub mod read;
pub mod render;
pub mod report;
pub mod score;
pub mod synthetic;
pub mod template;
