//! The one place where `serve` calls the rest of piao: the build of an
//! uploaded workbook (the library pipeline `build` and `watch` use), the
//! comparison of two versions and the workbooks it offers for download.

use piao::diag::{Diagnostic, Diagnostics, Severity};
use piao::fmt;
use piao::pipeline::{Options, Snapshot, build_workbook, load};
use piao::render::output;
use piao::score::{self, AGGREGATE_DECIMALS, Status};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// One figure of the summary, already formatted for the page.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Figure {
    /// The area's (or the entity's) name.
    pub name: String,
    /// `94,4%`, or `n.v.` when not scored.
    pub score: String,
    /// The score as a percentage number for the bar chart (`None`: not scored).
    pub percent: Option<f64>,
    /// The status in words (`raggiunto`).
    pub status: String,
    /// The status's symbol (`●`).
    pub symbol: String,
    /// The status's key, for the page's colours (`raggiunto`, `parziale`...).
    pub key: String,
}

/// What a build gives the version page: entity, year, the summary, the
/// diagnostics, the figures to compare with the next version and the
/// documents (already written in the version's folder).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Built {
    /// The entity's name, when the plan could be read.
    pub entity: Option<String>,
    /// The plan's year, when the plan could be read.
    pub year: Option<i32>,
    /// The entity's synthetic index.
    pub index: Option<Figure>,
    /// The areas, in plan order.
    pub areas: Vec<Figure>,
    /// Every diagnostic, errors first.
    pub diagnostics: Vec<DiagLine>,
    /// (label, exact score as text) of every figure `watch` compares.
    pub figures: Vec<(String, Option<String>)>,
    /// The file names of the documents, in the order `build` writes them.
    pub documents: Vec<String>,
}

/// The status as a CSS class name of the page (hyphens, not underscores).
fn status_key(s: Status) -> &'static str {
    match s {
        Status::Raggiunto => "raggiunto",
        Status::Parziale => "parziale",
        Status::NonRaggiunto => "non-raggiunto",
        Status::NonValutabile => "non-valutabile",
        Status::DatoMancante => "dato-mancante",
    }
}

/// One diagnostic as the page shows it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DiagLine {
    /// `errore`, `avviso`, `nota`.
    pub severity: String,
    /// `error`, `warning`, `info`: for the page's styles.
    pub key: String,
    /// `Foglio!Cella`, the sheet, or empty.
    pub place: String,
    /// The message.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

impl From<&Diagnostic> for DiagLine {
    fn from(d: &Diagnostic) -> Self {
        DiagLine {
            severity: d.severity.word().to_string(),
            key: match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "info",
            }
            .to_string(),
            place: d.place().unwrap_or_default(),
            message: d.message.clone(),
            hint: d.hint.clone().unwrap_or_default(),
        }
    }
}

fn figure(name: &str, score: Option<Decimal>, status: Status) -> Figure {
    Figure {
        name: name.to_string(),
        score: score.map_or_else(|| "n.v.".to_string(), |s| fmt::percent(s, AGGREGATE_DECIMALS)),
        percent: score.map(|s| {
            use rust_decimal::prelude::ToPrimitive;
            (fmt::percent_as_printed(s, AGGREGATE_DECIMALS) * Decimal::from(100)).to_f64().unwrap_or(0.0)
        }),
        status: status.label().to_string(),
        symbol: status.symbol().to_string(),
        key: status_key(status).to_string(),
    }
}

/// Builds the workbook at `workbook` exactly as `piao build` does for the
/// file under its own name `shown_as` (the name it was uploaded with, shown
/// in diagnostics and in the cruscotto's Anomalie) and writes its documents
/// into `out` (all or nothing); then frees typst's caches so that memory
/// stays flat over many uploads.
pub fn build(workbook: &Path, shown_as: &str, out: &Path) -> Built {
    // The default names and no layouts of its own: the workbook lies alone
    // in its folder, so no `layouts/` sits beside it.
    let opts = Options { shown_as: Some(shown_as.to_string()), ..Options::default() };
    let result = build_workbook(workbook, &opts, None);
    let mut diags: Diagnostics = result.diags;
    let mut built = Built { figures: figures(&result.snapshot), ..Built::default() };
    if let Ok(files) = result.files {
        let files: Vec<(String, Vec<u8>)> = files.into_iter().map(|f| (f.name, f.bytes)).collect();
        match output::write_all(out, &files) {
            Ok(_) => built.documents = files.into_iter().map(|(n, _)| n).collect(),
            Err(d) => diags.push(d),
        }
    }
    // The summary: the plan read again (cheap next to the PDFs) and scored.
    if let (Some(plan), _) = load(workbook) {
        let results = score::score(&plan, &mut Diagnostics::new());
        built.entity = Some(plan.ente.name.clone());
        built.year = Some(plan.ente.year);
        if !diags.has_errors() {
            built.index = Some(figure("Indice sintetico dell'ente", results.entity.score, results.entity.status));
            built.areas =
                plan.areas.iter().zip(&results.areas).map(|(a, r)| figure(&a.name, r.score, r.status)).collect();
        }
    }
    built.diagnostics = diags.sorted().into_iter().map(DiagLine::from).collect();
    piao::render::release_memory();
    built
}

fn figures(s: &Snapshot) -> Vec<(String, Option<String>)> {
    s.figures.iter().map(|(l, v)| (l.clone(), v.map(|d| d.to_string()))).collect()
}

fn snapshot(figures: &[(String, Option<String>)]) -> Snapshot {
    Snapshot { figures: figures.iter().map(|(l, v)| (l.clone(), v.as_deref().and_then(|s| s.parse().ok()))).collect() }
}

/// Lines such as «Economico-Finanziaria: 94,4% → 98,5%» for every figure
/// whose printed value changed between two builds.
pub fn figure_changes(before: &[(String, Option<String>)], now: &[(String, Option<String>)]) -> Vec<String> {
    snapshot(now).changes_since(&snapshot(before))
}

/// One line of the comparison of two versions, for the page.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChangeLine {
    /// aggiunto, rimosso, rinominato, modificato.
    pub kind: String,
    /// obiettivo or indicatore.
    pub item: String,
    /// The code.
    pub code: String,
    /// The field that changed.
    pub field: String,
    /// Old value.
    pub before: String,
    /// New value.
    pub after: String,
}

/// The comparison of two versions: every change, and the share of the old
/// version's objectives modified (`«12,5%» (1 su 8)`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Comparison {
    /// Every change.
    pub changes: Vec<ChangeLine>,
    /// The rate of objectives modified, formatted.
    pub rate: Option<String>,
    /// Objectives modified.
    pub modified: usize,
    /// Objectives of the old version.
    pub planned: usize,
}

/// Compares two stored workbooks (`None` when either cannot be read).
pub fn compare(old: &Path, new: &Path) -> Option<Comparison> {
    let (Some(old), _) = load(old) else { return None };
    let (Some(new), _) = load(new) else { return None };
    let report = piao::diff::compare(&old, &new);
    Some(Comparison {
        rate: report.rate().map(|r| fmt::percent(r, 1)),
        modified: report.modified,
        planned: report.planned,
        changes: report
            .changes
            .into_iter()
            .map(|c| ChangeLine {
                kind: c.kind.word().to_string(),
                item: c.item.to_string(),
                code: c.code,
                field: c.field,
                before: c.before,
                after: c.after,
            })
            .collect(),
    })
}

/// The blank workbook of the contract (`example`: with a small sample plan)
/// for `year`.
pub fn template(year: i32, example: bool) -> Result<Vec<u8>, String> {
    piao::template::write(year, example).map_err(|e| e.to_string())
}
