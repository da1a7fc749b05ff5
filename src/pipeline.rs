//! The pipeline as a library: one workbook read, modelled, scored, reported
//! and rendered in memory ([`build_workbook`]), then published all together
//! ([`publish`]). The commands, the web page and the benchmarks call these;
//! nothing here prints.

use crate::diag::{Diagnostic, Diagnostics};
use crate::fmt;
use crate::model::{self, Plan};
use crate::read::RawWorkbook;
use crate::render::{self, DocKind, ExportContext, Layouts, comments, names, output};
use crate::report::Report;
use crate::score;
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Workbook extensions piao reads.
const EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "ods"];

/// Reads and models one workbook; the plan is `None` when it has errors.
pub fn load(path: &Path) -> (Option<Plan>, Diagnostics) {
    match RawWorkbook::open(path) {
        Ok(raw) => model::build(&raw),
        Err(d) => {
            let mut ds = Diagnostics::new();
            ds.push(d);
            (None, ds)
        }
    }
}

/// The workbooks named; a folder means every workbook in it (Excel's `~$`
/// lock files and hidden files skipped), in name order.
pub fn expand_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, Diagnostic> {
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let entries = std::fs::read_dir(input).map_err(|e| {
                Diagnostic::error(format!("cartella non leggibile: {e}")).in_file(&input.display().to_string())
            })?;
            let mut found: Vec<PathBuf> =
                entries.flatten().map(|e| e.path()).filter(|p| p.is_file() && is_workbook(p)).collect();
            found.sort();
            if found.is_empty() {
                return Err(Diagnostic::error(
                    "la cartella non contiene cartelle di lavoro (.xlsx, .xlsm, .xls, .ods)",
                )
                .in_file(&input.display().to_string()));
            }
            out.extend(found);
        } else {
            out.push(input.clone());
        }
    }
    Ok(out)
}

/// A workbook file by its extension, not a lock file (`~$x.xlsx`,
/// `.~lock.x.ods#`) nor a hidden file.
pub fn is_workbook(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    !name.starts_with("~$")
        && !name.starts_with('.')
        && p.extension().and_then(|x| x.to_str()).is_some_and(|x| EXTENSIONS.contains(&x.to_lowercase().as_str()))
}

/// How the documents of a build are made.
#[derive(Debug, Clone)]
pub struct Options {
    /// User layouts folder (else `layouts/` beside the workbook, if any).
    pub layouts: Option<PathBuf>,
    /// File name pattern (minijinja).
    pub names: String,
    /// The name shown for the workbook in diagnostics and documents, when it
    /// is stored under another one (the web page keeps uploads under
    /// generated names): the documents are then the same bytes as
    /// `piao build` of the file under its own name.
    pub shown_as: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options { layouts: None, names: "{{anno}}_{{documento}}".to_string(), shown_as: None }
    }
}

/// Why a build produced no documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The workbook (or its logo) has errors.
    InputErrors,
    /// A setting is wrong: the names pattern, or names that collide.
    Settings,
    /// A layout, the comment template or the file system failed.
    Render,
}

/// One document of a build, named and rendered, not yet written.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// The file name.
    pub name: String,
    /// Which document.
    pub kind: DocKind,
    /// The content.
    pub bytes: Vec<u8>,
}

/// The figures a rebuild compares with the previous one: the entity, its
/// areas, strategic objectives and units, by label.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    /// (label, score) in document order.
    pub figures: Vec<(String, Option<Decimal>)>,
}

impl Snapshot {
    /// The figures of a report.
    pub fn of(report: &Report) -> Snapshot {
        let mut figures = vec![("Ente".to_string(), report.entity.score)];
        figures.extend(report.areas.iter().map(|a| (a.area.name.clone(), a.figure.score)));
        figures.extend(
            report.strategic().map(|o| (format!("{} – {}", o.objective.code, o.objective.title), o.figure.score)),
        );
        let plan = report.plan;
        figures.extend(plan.units.iter().map(|u| (u.name.clone(), report.results.unit(&u.code).and_then(|r| r.score))));
        Snapshot { figures }
    }

    /// Lines such as «Economico-finanziaria: 94,4% → 96,1%» for every figure
    /// whose printed value changed.
    pub fn changes_since(&self, before: &Snapshot) -> Vec<String> {
        let show = |s: Option<Decimal>| s.map_or("n.v.".to_string(), |s| fmt::percent(s, 1));
        self.figures
            .iter()
            .filter_map(|(label, now)| {
                let old = before.figures.iter().find(|(l, _)| l == label).map(|(_, s)| *s);
                match old {
                    None => Some(format!("{label}: nuovo, {}", show(*now))),
                    Some(old) if show(old) != show(*now) => Some(format!("{label}: {} → {}", show(old), show(*now))),
                    Some(_) => None,
                }
            })
            .collect()
    }
}

/// One workbook's documents, rendered in memory.
pub struct Built {
    /// Every document, or why there are none.
    pub files: Result<Vec<OutputFile>, Failure>,
    /// Every diagnostic of the run.
    pub diags: Diagnostics,
    /// The computed figures (empty when the plan had errors).
    pub snapshot: Snapshot,
}

/// Reads, scores, reports and renders one workbook in memory; nothing is
/// written. Everything the user supplies besides the workbook (the names
/// pattern, the logo, the layouts, the comment template) is checked before
/// any layout runs. `cache` lets a watch reuse documents whose inputs did
/// not change.
pub fn build_workbook(path: &Path, opts: &Options, cache: Option<&render::DocCache>) -> Built {
    let (mut plan, mut diags) = load(path);
    let real = path.display().to_string();
    let shown = opts.shown_as.clone().unwrap_or_else(|| real.clone());
    diags.rename_file(&real, &shown);
    if let Some(plan) = &mut plan {
        plan.file = shown.clone();
    }
    let fail = |diags, failure| Built { files: Err(failure), diags, snapshot: Snapshot::default() };
    let Some(plan) = plan else {
        diags.push(
            Diagnostic::error("nessun documento prodotto finché gli errori indicati non sono corretti").in_file(&shown),
        );
        return fail(diags, Failure::InputErrors);
    };
    let results = score::score(&plan, &mut diags);
    diags.in_file(&plan.file);
    let report = Report::build(&plan, &results);
    let snapshot = Snapshot::of(&report);
    let planned = DocKind::planned(&plan);
    let keys: Vec<(&str, &str)> = planned.iter().map(|k| (k.key(), k.ext())).collect();
    let names = match names::file_names(&opts.names, &plan, &keys) {
        Ok(n) => n,
        Err(d) => {
            diags.push(d);
            return fail(diags, Failure::Settings);
        }
    };
    diags.extend(names.warnings.iter().cloned());
    if let Err(d) = render::read_logo(&plan) {
        diags.push(d);
        return fail(diags, Failure::InputErrors);
    }
    let layouts_dir = opts.layouts.clone().or_else(|| path.parent().map(|p| p.join("layouts")).filter(|p| p.is_dir()));
    let layouts = match Layouts::load(layouts_dir.as_deref()) {
        Ok(l) => {
            diags.extend(l.warnings.iter().cloned());
            Arc::new(l)
        }
        Err(d) => {
            diags.push(d);
            return fail(diags, Failure::Render);
        }
    };
    let written = match comments::write_all(&layouts, &report) {
        Ok(w) => w,
        Err(d) => {
            diags.push(d);
            return fail(diags, Failure::Render);
        }
    };
    let documents = {
        let ctx = ExportContext { report: &report, diags: &diags, layouts, comments: &written, cache };
        render::render_all(&ctx)
    };
    let documents = match documents {
        Ok(d) => d,
        Err(d) => {
            diags.push(d);
            return fail(diags, Failure::Render);
        }
    };
    let mut files = Vec::new();
    for doc in documents {
        diags.extend(doc.warnings);
        match planned.iter().position(|k| *k == doc.kind) {
            Some(i) => files.push(OutputFile { name: names.names[i].clone(), kind: doc.kind, bytes: doc.bytes }),
            None => {
                diags.push(Diagnostic::error(format!("errore interno: documento «{}» non previsto", doc.kind.key())));
                return fail(diags, Failure::Render);
            }
        }
    }
    Built { files: Ok(files), diags, snapshot }
}

/// Writes built documents into `out` all at once; `taken` holds the names
/// other workbooks of the same run already wrote (compared as Windows
/// does, ignoring case).
pub fn publish(
    built: Built,
    out: &Path,
    path: &Path,
    taken: &mut Vec<String>,
) -> (Result<Vec<output::Written>, Failure>, Diagnostics, Snapshot) {
    let Built { files, mut diags, snapshot } = built;
    let files = match files {
        Ok(f) => f,
        Err(o) => return (Err(o), diags, snapshot),
    };
    if let Some(f) = files.iter().find(|f| taken.iter().any(|t| t.to_lowercase() == f.name.to_lowercase())) {
        diags.push(
            Diagnostic::error(format!(
                "il file «{}» è prodotto anche da un'altra cartella di lavoro di questa esecuzione",
                f.name
            ))
            .in_file(&path.display().to_string())
            .hint("usare ad es. --nomi \"{{file}}_{{documento}}\""),
        );
        return (Err(Failure::Settings), diags, snapshot);
    }
    let named: Vec<(String, Vec<u8>)> = files.into_iter().map(|f| (f.name, f.bytes)).collect();
    match output::write_all(out, &named) {
        Ok(paths) => {
            taken.extend(named.into_iter().map(|(n, _)| n));
            (Ok(paths), diags, snapshot)
        }
        Err(d) => {
            diags.push(d);
            (Err(Failure::Render), diags, snapshot)
        }
    }
}
