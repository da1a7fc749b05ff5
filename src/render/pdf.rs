//! Compiles one typst layout with the model's JSON into PDF bytes: PDF/A-2a
//! with PDF/UA-1 tagging, metadata from the layout's `document(..)`, and the
//! creation date from the workbook, so the same input gives the same bytes.

use super::layouts::Layouts;
use super::world::PiaoWorld;
use crate::diag::Diagnostic;
use chrono::{Datelike, NaiveDate};
use std::sync::Arc;
use std::time::{Duration, Instant};
use typst::WorldExt;
use typst::diag::{SourceDiagnostic, Warned};
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

/// What one PDF is made of.
pub struct PdfJob<'a> {
    /// The layout file that is the document's main file (`allegato.typ`).
    pub layout: &'a str,
    /// A stable identifier (document kind and entity).
    pub ident: String,
    /// The model as JSON, served as `/data.json`.
    pub data: Vec<u8>,
    /// Logo file name and bytes, served as `/<name>`.
    pub logo: Option<(String, Vec<u8>)>,
    /// The date of the document.
    pub date: NaiveDate,
    /// Drop typst's memoised layouts before the export (a very large plan:
    /// the export then runs with only the pages in memory).
    pub release_after_layout: bool,
}

/// A laid-out PDF and typst's warnings about its layouts.
pub struct Compiled {
    /// The PDF.
    pub bytes: Vec<u8>,
    /// typst's warnings, each naming the layout file and line.
    pub warnings: Vec<Diagnostic>,
    /// How long typst took to lay the document out, and to export the PDF.
    pub timing: (Duration, Duration),
    /// How many pages it has.
    pub pages: usize,
}

/// Lays out and exports one document. A layout error names the layout file
/// and line; so do typst's warnings, which reach the user as warnings.
pub fn compile(job: PdfJob, layouts: Arc<Layouts>) -> Result<Compiled, Diagnostic> {
    compile_then(job, layouts, || ()).0
}

/// [`compile`], running `during_export` on another core while the PDF is
/// exported (typst's export is single-threaded); its result comes back
/// beside the PDF.
pub fn compile_then<R: Send>(
    job: PdfJob,
    layouts: Arc<Layouts>,
    during_export: impl FnOnce() -> R + Send,
) -> (Result<Compiled, Diagnostic>, R) {
    let Some(world) = PiaoWorld::new(job.layout, layouts.clone(), job.data, job.logo, job.date) else {
        return (Err(Diagnostic::error(format!("nome di modello non valido «{}»", job.layout))), during_export());
    };
    let start = Instant::now();
    let Warned { output, warnings } = typst::compile::<PagedDocument>(&world);
    let laid_out = start.elapsed();
    if job.release_after_layout {
        super::release_memory();
    }
    rayon::join(|| export(&world, &layouts, job.ident, job.date, output, warnings, laid_out), during_export)
}

/// Evaluates a job's layout script as `typst::compile` first does, into
/// typst's memo: a later [`compile`] of the same job starts from the
/// evaluated document. Used while another document is exported, when one
/// core would otherwise wait. A script with errors is memoised with them,
/// and the compile reports them as it always does.
pub fn evaluate(job: &PdfJob, layouts: Arc<Layouts>) {
    use typst::World;
    use typst::comemo::Track;
    use typst::engine::{Route, Sink, Traced};
    let Some(world) = PiaoWorld::new(job.layout, layouts, job.data.clone(), job.logo.clone(), job.date) else {
        return;
    };
    let world: &dyn World = &world;
    let Ok(main) = world.source(world.main()) else { return };
    let mut sink = Sink::new();
    let _ = typst_eval::eval(
        world.track(),
        world.library(),
        Traced::default().track(),
        sink.track_mut(),
        Route::default().track(),
        &main,
    );
}

/// The export half of [`compile_then`]: the laid-out document as PDF/A-2a
/// with PDF/UA-1 tags.
fn export(
    world: &PiaoWorld,
    layouts: &Layouts,
    ident: String,
    date: NaiveDate,
    output: typst::diag::SourceResult<PagedDocument>,
    warnings: typst::ecow::EcoVec<SourceDiagnostic>,
    laid_out: Duration,
) -> Result<Compiled, Diagnostic> {
    let warnings = warnings.iter().map(|w| layout_warning(world, layouts, w)).collect();
    let document = output.map_err(|errors| layout_error(world, layouts, &errors))?;
    let stamp = Datetime::from_ymd_hms(date.year(), date.month() as u8, date.day() as u8, 0, 0, 0)
        .ok_or_else(|| Diagnostic::error("data del documento non valida"))?;
    let standards = PdfStandards::new(&[PdfStandard::A_2a, PdfStandard::Ua_1])
        .map_err(|e| Diagnostic::error(format!("standard PDF non disponibili: {}", e.message())))?;
    let options = PdfOptions {
        ident: Smart::Custom(ident),
        creator: Smart::Custom(Some("piao".into())),
        timestamp: Some(Timestamp::new_utc(stamp)),
        page_ranges: None,
        standards,
        tagged: true,
        pretty: false,
    };
    let start = Instant::now();
    let bytes = typst_pdf::pdf(&document, &options).map_err(|errors| layout_error(world, layouts, &errors))?;
    Ok(Compiled { bytes, warnings, timing: (laid_out, start.elapsed()), pages: document.pages().len() })
}

/// Where a typst message points: the layout file as the user knows it
/// (their own, or the embedded one) and the line.
fn locate(world: &PiaoWorld, layouts: &Layouts, d: &SourceDiagnostic) -> (Option<String>, String) {
    let mut file = None;
    let mut line = None;
    if let Some(id) = d.span.id() {
        let name = id.get().vpath().get_without_slash().to_string();
        if let (Ok(source), Some(range)) = (typst::World::source(world, id), world.range(d.span)) {
            line = source.lines().byte_to_line(range.start).map(|l| l + 1);
        }
        file = Some(match &layouts.dir {
            Some(dir) if layouts.overridden.contains(&name) => dir.join(&name).display().to_string(),
            _ => format!("layouts/{name} (incorporato)"),
        });
    }
    let place = match (&file, line) {
        (Some(f), Some(l)) => format!("{f}, riga {l}"),
        (Some(f), None) => f.clone(),
        _ => "modello".to_string(),
    };
    (file, place)
}

/// A typst warning as a diagnostic at `layout:line`.
fn layout_warning(world: &PiaoWorld, layouts: &Layouts, w: &SourceDiagnostic) -> Diagnostic {
    let (file, place) = locate(world, layouts, w);
    let mut d = Diagnostic::warning(format!("avviso del modello di impaginazione ({place}): {}", w.message));
    let hints: Vec<String> = w.hints.iter().map(|h| h.v.to_string()).collect();
    if !hints.is_empty() {
        d = d.hint(hints.join("; "));
    }
    if let Some(f) = file {
        d = d.in_file(&f);
    }
    d
}

/// The first error of a compilation as a diagnostic at `layout:line`.
fn layout_error(world: &PiaoWorld, layouts: &Layouts, errors: &[SourceDiagnostic]) -> Diagnostic {
    let Some(first) = errors.first() else {
        return Diagnostic::error("errore di impaginazione sconosciuto");
    };
    let (file, place) = locate(world, layouts, first);
    let hints: Vec<String> = first.hints.iter().map(|h| h.v.to_string()).collect();
    let mut d = Diagnostic::error(format!("errore nel modello di impaginazione ({place}): {}", first.message));
    if !hints.is_empty() {
        d = d.hint(hints.join("; "));
    }
    if let Some(f) = file {
        d = d.in_file(&f);
    }
    if errors.len() > 1 {
        d.message.push_str(&format!(" (e altri {} errori)", errors.len() - 1));
    }
    d
}
