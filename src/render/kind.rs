//! The documents piao produces, one variant each: its key (in file names
//! and messages), its extension, its layout and title for a PDF, its date,
//! and whether a plan has it. Adding a document is one variant.

use super::data::{AllegatoDati, RelazioneDati, SchedeDati, Source};
use crate::model::{Ente, Plan};
use chrono::NaiveDate;

/// One kind of document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocKind {
    /// Allegato al PIAO – Schede degli obiettivi (PDF).
    Schede,
    /// Relazione sulla Performance – Tabelle (PDF; only with actual values).
    Relazione,
    /// Allegato al PIAO – Cruscotto e obiettivi (PDF).
    Allegato,
    /// Cruscotto per la Giunta (xlsx).
    Cruscotto,
    /// results.json (open data).
    Results,
}

impl DocKind {
    /// Every document, in the order they are produced and named: the PDFs
    /// largest first, then the xlsx and the JSON.
    pub const ALL: [DocKind; 5] =
        [DocKind::Schede, DocKind::Relazione, DocKind::Allegato, DocKind::Cruscotto, DocKind::Results];

    /// The key used in file names (`{{documento}}`) and messages.
    pub fn key(self) -> &'static str {
        match self {
            DocKind::Schede => "schede",
            DocKind::Relazione => "relazione",
            DocKind::Allegato => "allegato",
            DocKind::Cruscotto => "cruscotto",
            DocKind::Results => "results",
        }
    }

    /// The file extension.
    pub fn ext(self) -> &'static str {
        match self {
            DocKind::Schede | DocKind::Relazione | DocKind::Allegato => "pdf",
            DocKind::Cruscotto => "xlsx",
            DocKind::Results => "json",
        }
    }

    /// The typst layout of a PDF document.
    pub fn layout(self) -> Option<&'static str> {
        match self {
            DocKind::Schede => Some("schede.typ"),
            DocKind::Relazione => Some("relazione.typ"),
            DocKind::Allegato => Some("allegato.typ"),
            DocKind::Cruscotto | DocKind::Results => None,
        }
    }

    /// The title printed on the document.
    pub fn title(self) -> &'static str {
        match self {
            DocKind::Schede => "Allegato al PIAO – Schede degli obiettivi",
            DocKind::Relazione => "Relazione sulla Performance – Tabelle",
            DocKind::Allegato => "Allegato al PIAO – Cruscotto e obiettivi",
            DocKind::Cruscotto => "Cruscotto per la Giunta",
            DocKind::Results => "Risultati (dati aperti)",
        }
    }

    /// Whether the document prints results (actual values, SAL, scores). The
    /// PIAO annexes do not: their data stays the same when only actual
    /// values change, and a watch rebuild reuses them.
    pub fn has_results(self) -> bool {
        !matches!(self, DocKind::Schede | DocKind::Allegato)
    }

    /// The date the document carries: the Relazione its own, every other
    /// document the PIAO's (see [`Ente::report_date`]).
    pub fn date(self, ente: &Ente) -> NaiveDate {
        if self == DocKind::Relazione { ente.report_date } else { ente.date }
    }

    /// Whether the plan has this document: the Relazione needs actual values.
    pub fn applies_to(self, plan: &Plan) -> bool {
        self != DocKind::Relazione || plan.has_actuals()
    }

    /// The documents of a plan, in [`DocKind::ALL`] order.
    pub fn planned(plan: &Plan) -> Vec<DocKind> {
        DocKind::ALL.into_iter().filter(|k| k.applies_to(plan)).collect()
    }

    /// The data a PDF's layout reads as `/data.json`, as JSON text in the
    /// order of the data structs' fields (none for the xlsx and the JSON
    /// document).
    pub fn layout_data(self, src: &Source) -> Option<Vec<u8>> {
        let bytes = match self {
            DocKind::Schede => serde_json::to_vec(&SchedeDati::new(src)),
            DocKind::Relazione => serde_json::to_vec(&RelazioneDati::new(src)),
            DocKind::Allegato => serde_json::to_vec(&AllegatoDati::new(src)),
            DocKind::Cruscotto | DocKind::Results => return None,
        };
        bytes.ok()
    }
}
