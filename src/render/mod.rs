//! Render stage: turns the report tree into files. Each exporter receives
//! one [`ExportContext`] and returns named bytes; nothing is written until
//! every document of the workbook has been produced, then all files are
//! renamed into place together (see [`output`]). Which documents exist is
//! [`DocKind`]'s business; the data each layout reads is [`data`]'s.

pub mod comments;
pub mod data;
pub mod json;
mod kind;
mod layouts;
pub mod names;
pub mod output;
mod pdf;
mod trim;
mod world;
pub mod xlsx;

pub use kind::DocKind;
pub use layouts::{EMBEDDED as EMBEDDED_LAYOUTS, Layouts};

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Plan;
use crate::report::Report;
use rayon::prelude::*;
use std::sync::Arc;
use std::time::Duration;

/// Everything an exporter may read.
pub struct ExportContext<'a, 'p> {
    /// The report tree of the plan and its results.
    pub report: &'a Report<'p>,
    /// The run's diagnostics (the xlsx lists them).
    pub diags: &'a Diagnostics,
    /// The layouts in force.
    pub layouts: Arc<Layouts>,
    /// The Relazione's comments, written before any layout ran.
    pub comments: &'a comments::Written,
    /// PDFs of earlier builds in this process (`watch`), reused when a
    /// document's inputs are byte for byte the same.
    pub cache: Option<&'a DocCache>,
}

/// A laid-out PDF kept for reuse: the hash of what it was made from, its
/// bytes and the layout warnings it gave.
type Cached = (u64, Vec<u8>, Vec<Diagnostic>);

/// The last PDF of each document with the hash of what it was made from.
#[derive(Default)]
pub struct DocCache(std::sync::Mutex<std::collections::HashMap<DocKind, Cached>>);

impl DocCache {
    fn get(&self, kind: DocKind, hash: u64) -> Option<(Vec<u8>, Vec<Diagnostic>)> {
        let map = self.0.lock().ok()?;
        map.get(&kind).filter(|(h, _, _)| *h == hash).map(|(_, b, w)| (b.clone(), w.clone()))
    }

    fn put(&self, kind: DocKind, hash: u64, bytes: &[u8], warnings: &[Diagnostic]) {
        if let Ok(mut map) = self.0.lock() {
            map.insert(kind, (hash, bytes.to_vec(), warnings.to_vec()));
        }
    }
}

/// One produced file: its kind, its bytes and the warnings its layout gave.
pub struct Document {
    /// Which document.
    pub kind: DocKind,
    /// The content.
    pub bytes: Vec<u8>,
    /// typst's warnings about the layout (PDFs only).
    pub warnings: Vec<Diagnostic>,
}

/// Drops typst's caches and gives the freed heap back to the system, so the
/// next documents start from a low peak.
pub fn release_memory() {
    typst::comemo::evict(0);
    trim::give_back();
}

/// Between the workbooks of a folder: drops what typst memoised for
/// documents laid out two or more workbooks ago (what the workbooks in
/// progress use stays), so the memory of a run stays flat in the number of
/// workbooks. The freed heap is kept for the next workbooks and given back
/// to the system only once the process has grown by 256 MiB (`REGROWTH` in
/// `trim.rs`) since the last time: giving it back after every workbook made
/// the next one fault the same pages in again (60 workbooks: about a tenth
/// of the time, for 3–5% less memory).
pub fn trim_memory() {
    typst::comemo::evict(2);
    trim::give_back_when_grown();
}

/// From this many indicators the PDFs are laid out one at a time.
pub const LARGE_PLAN: usize = 3000;

/// The largest logo accepted: a letterhead picture weighs a few hundred KB;
/// the limit keeps a wrong file from filling memory and every PDF.
pub const LOGO_MAX_BYTES: u64 = 5 * 1024 * 1024;

/// The entity's logo (`Logo` in `Ente`) as `(name inside the typst world,
/// bytes)`. It must be a regular file of at most [`LOGO_MAX_BYTES`]: a pipe
/// or a device would block the run, a huge file would fill memory.
pub fn read_logo(plan: &Plan) -> Result<Option<(String, Vec<u8>)>, Diagnostic> {
    use std::io::Read;
    let Some(path) = &plan.ente.logo else { return Ok(None) };
    let shown = path.display().to_string();
    // At the workbook's cell that names the logo, the logo file in the text.
    let fail = |what: String| {
        let d = Diagnostic::error(format!("Logo: {what} («{shown}»)"))
            .hint("indicare in Ente › Logo un'immagine PNG, JPEG o SVG accanto alla cartella di lavoro");
        match &plan.ente.logo_cell {
            Some((sheet, cell)) => d.at(sheet, Some(cell.clone())).in_file(&plan.file),
            None => d.in_file(&shown),
        }
    };
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // A pipe opened without O_NONBLOCK waits for a writer forever; opened
    // this way it is refused below by its type.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path).map_err(|e| fail(format!("file non leggibile: {e}")))?;
    let meta = file.metadata().map_err(|e| fail(format!("file non leggibile: {e}")))?;
    if !meta.is_file() {
        return Err(fail("non è un file ordinario (una cartella, una pipe o un dispositivo)".to_string()));
    }
    let too_big = || fail(format!("il file è più grande del limite di {} MB", LOGO_MAX_BYTES / (1024 * 1024)));
    if meta.len() > LOGO_MAX_BYTES {
        return Err(too_big());
    }
    let mut bytes = Vec::new();
    file.take(LOGO_MAX_BYTES + 1).read_to_end(&mut bytes).map_err(|e| fail(format!("file non leggibile: {e}")))?;
    if bytes.len() as u64 > LOGO_MAX_BYTES {
        return Err(too_big());
    }
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("png").to_lowercase();
    Ok(Some((format!("logo.{ext}"), bytes)))
}

/// The `/data.json` of a PDF document: its data struct, made printable.
pub fn layout_data(ctx: &ExportContext, kind: DocKind, logo: Option<&str>) -> Vec<u8> {
    let src = data::Source {
        report: ctx.report,
        title: kind.title(),
        date: kind.date(&ctx.report.plan.ente).format("%d/%m/%Y").to_string(),
        logo,
        comments: Some(ctx.comments),
    };
    let Some(json) = kind.layout_data(&src) else { return Vec::new() };
    crate::printable::printable_json(json)
}

/// Lays out one PDF document (or takes it from the watch cache).
pub fn compile_pdf(
    ctx: &ExportContext,
    kind: DocKind,
    logo: Option<(String, Vec<u8>)>,
) -> Result<Document, Diagnostic> {
    match prepare_pdf(ctx, kind, logo)? {
        Prepared::Cached(doc) => Ok(doc),
        Prepared::Job(job) => finish_pdf(ctx, job, || ()).0,
    }
}

/// A PDF about to be laid out: its job and what it is made from (the hash
/// the watch cache knows it by).
struct PdfWork {
    kind: DocKind,
    hash: u64,
    job: pdf::PdfJob<'static>,
}

/// A PDF document before its layout: taken from the watch cache, or a job.
enum Prepared {
    Cached(Document),
    Job(PdfWork),
}

/// Writes a PDF's layout data and looks it up in the watch cache.
fn prepare_pdf(ctx: &ExportContext, kind: DocKind, logo: Option<(String, Vec<u8>)>) -> Result<Prepared, Diagnostic> {
    let Some(layout) = kind.layout() else {
        return Err(Diagnostic::error(format!("errore interno: «{}» non è un PDF", kind.key())));
    };
    let plan = ctx.report.plan;
    let data = layout_data(ctx, kind, logo.as_ref().map(|(n, _)| n.as_str()));
    let ident = format!("piao/{}/{}/{}", kind.key(), plan.ente.name, plan.ente.year);
    let date = kind.date(&plan.ente);
    let hash = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (layout, &ident, &data, &logo, date, ctx.layouts.fingerprint()).hash(&mut h);
        h.finish()
    };
    if let Some((bytes, warnings)) = ctx.cache.and_then(|c| c.get(kind, hash)) {
        return Ok(Prepared::Cached(Document { kind, bytes, warnings }));
    }
    // A very large plan's annexes keep nothing memoised past their layout;
    // the Relazione keeps its layouts for `watch`.
    let release_after_layout = plan.indicators.len() >= LARGE_PLAN && kind != DocKind::Relazione;
    let job = pdf::PdfJob { layout, ident, data, logo, date, release_after_layout };
    Ok(Prepared::Job(PdfWork { kind, hash, job }))
}

/// Lays out and exports a prepared PDF, running `during_export` meanwhile
/// (see [`pdf::compile_then`]), and keeps it in the watch cache.
fn finish_pdf<R: Send>(
    ctx: &ExportContext,
    work: PdfWork,
    during_export: impl FnOnce() -> R + Send,
) -> (Result<Document, Diagnostic>, R) {
    let PdfWork { kind, hash, job } = work;
    let (compiled, meanwhile) = pdf::compile_then(job, ctx.layouts.clone(), during_export);
    let doc = compiled.map(|c| {
        if let Some(cache) = ctx.cache {
            cache.put(kind, hash, &c.bytes, &c.warnings);
        }
        Document { kind, bytes: c.bytes, warnings: c.warnings }
    });
    (doc, meanwhile)
}

/// The PDFs of a very large plan, one at a time, each using both cores on
/// its page runs (every area, unit and person starts a page), typst's
/// memory given back before the next one is laid out: the peak is that of
/// the largest document alone. While one is exported (single-threaded),
/// the next one's data are written and its script evaluated on the other
/// core, which would otherwise wait. The Relazione comes last and its
/// layouts stay memoised, so that `watch`, which lays out only the
/// Relazione after a corrected actual, reuses every page run the
/// correction did not touch.
fn pdfs_one_at_a_time(
    ctx: &ExportContext,
    wanted: &[DocKind],
    logo: &Option<(String, Vec<u8>)>,
) -> Vec<Result<Document, Diagnostic>> {
    let mut order = wanted.to_vec();
    order.sort_by_key(|k| match k {
        DocKind::Schede => 0,
        DocKind::Allegato => 1,
        _ => 2,
    });
    let mut done: Vec<(DocKind, Result<Document, Diagnostic>)> = Vec::new();
    let mut ahead: Option<Result<Prepared, Diagnostic>> = None;
    let mut laid_out = false;
    for (i, kind) in order.iter().enumerate() {
        let prepared = ahead.take().unwrap_or_else(|| prepare_pdf(ctx, *kind, logo.clone()));
        let work = match prepared {
            Ok(Prepared::Job(work)) => work,
            Ok(Prepared::Cached(doc)) => {
                done.push((*kind, Ok(doc)));
                continue;
            }
            Err(e) => {
                done.push((*kind, Err(e)));
                continue;
            }
        };
        // The previous document emptied typst's caches after its layout
        // (only the evaluation of this one is there now): what its export
        // freed goes back to the system.
        if std::mem::replace(&mut laid_out, true) {
            trim::give_back();
        }
        // Not beside the Schede's export: their pages alone are the run's
        // peak (999 MiB at 6 000 indicators; with the Relazione evaluated
        // meanwhile, 1045 MiB).
        let following = order.get(i + 1).copied().filter(|_| *kind != DocKind::Schede);
        let (doc, next) = finish_pdf(ctx, work, || {
            following.map(|k| {
                let prepared = prepare_pdf(ctx, k, logo.clone());
                if let Ok(Prepared::Job(work)) = &prepared {
                    pdf::evaluate(&work.job, ctx.layouts.clone());
                }
                prepared
            })
        });
        ahead = next;
        done.push((*kind, doc));
    }
    wanted
        .iter()
        .map(|k| match done.iter().position(|(d, _)| d == k) {
            Some(i) => done.swap_remove(i).1,
            None => Err(Diagnostic::error("errore interno: documento mancante")),
        })
        .collect()
}

/// Where the time of the PDFs goes, for the benchmarks: each PDF of the
/// plan laid out alone and cold (typst's caches emptied first), as
/// (document, layout time, PDF export time, pages).
pub fn profile_pdfs(ctx: &ExportContext) -> Result<Vec<(DocKind, Duration, Duration, usize)>, Diagnostic> {
    let mut out = Vec::new();
    for kind in DocKind::planned(ctx.report.plan) {
        if let Some(profile) = profile_pdf(ctx, kind)? {
            out.push(profile);
        }
    }
    Ok(out)
}

/// One document of [`profile_pdfs`], laid out alone and cold; `None` when
/// `kind` is not a PDF.
pub fn profile_pdf(
    ctx: &ExportContext,
    kind: DocKind,
) -> Result<Option<(DocKind, Duration, Duration, usize)>, Diagnostic> {
    let Some(layout) = kind.layout() else { return Ok(None) };
    let logo = read_logo(ctx.report.plan)?;
    release_memory();
    let plan = ctx.report.plan;
    let data = layout_data(ctx, kind, logo.as_ref().map(|(n, _)| n.as_str()));
    let ident = format!("piao/{}/{}/{}", kind.key(), plan.ente.name, plan.ente.year);
    let job = pdf::PdfJob { layout, ident, data, logo, date: kind.date(&plan.ente), release_after_layout: false };
    let compiled = pdf::compile(job, ctx.layouts.clone())?;
    release_memory();
    Ok(Some((kind, compiled.timing.0, compiled.timing.1, compiled.pages)))
}

/// Produces every document the plan has ([`DocKind::planned`]): the PIAO
/// annex PDFs always, the Relazione when actual values exist, the xlsx and
/// results.json. PDFs are compiled in parallel.
pub fn render_all(ctx: &ExportContext) -> Result<Vec<Document>, Diagnostic> {
    let plan = ctx.report.plan;
    let logo = read_logo(plan)?;
    // The largest document first, so that on two cores it runs beside the
    // other two in turn: faster than three at once, and a lower memory peak.
    // A very large plan lays them out one at a time (see
    // `pdfs_one_at_a_time`): the three together would pass 2 GiB at 6 000
    // indicators.
    let wanted: Vec<DocKind> = DocKind::planned(plan).into_iter().filter(|k| k.layout().is_some()).collect();
    let compile = |kind: &DocKind| compile_pdf(ctx, *kind, logo.clone());
    let pdfs = || -> Vec<Result<Document, Diagnostic>> {
        if plan.indicators.len() >= LARGE_PLAN {
            pdfs_one_at_a_time(ctx, &wanted, &logo)
        } else {
            wanted.par_iter().map(compile).collect()
        }
    };
    // The xlsx and the JSON are written meanwhile, on the core the largest
    // PDF leaves free.
    let (results, (xlsx, json)) = rayon::join(pdfs, || rayon::join(|| xlsx::export(ctx), || json::export(ctx)));
    let mut docs = Vec::new();
    for r in results {
        docs.push(r?);
    }
    docs.push(Document { kind: DocKind::Cruscotto, bytes: xlsx?, warnings: Vec::new() });
    docs.push(Document { kind: DocKind::Results, bytes: json, warnings: Vec::new() });
    Ok(docs)
}

/// The JSON Schemas of the published contracts as `(file name, pretty
/// JSON)`: the data of each layout and results.json. docs/schema/ holds the
/// committed copies, and a test fails when they differ, so a change of the
/// contract is always deliberate.
pub fn schema_files() -> Vec<(String, String)> {
    let mut files: Vec<(String, schemars::Schema)> =
        data::schemas().into_iter().map(|(name, s)| (format!("{name}.schema.json"), s)).collect();
    files.push(("results.schema.json".to_string(), json::schema()));
    files.into_iter().map(|(name, s)| (name, serde_json::to_string_pretty(&s).unwrap_or_default() + "\n")).collect()
}
