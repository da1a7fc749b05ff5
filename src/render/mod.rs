//! Render stage: turns the plan and its results into files. Each exporter
//! receives one [`ExportContext`] and returns named bytes; nothing is written
//! until every document of the workbook has been produced, then all files are
//! renamed into place together (see [`output`]).

mod comments;
pub mod json;
mod layouts;
pub mod names;
pub mod output;
mod pdf;
pub mod view;
mod world;
pub mod xlsx;

pub use layouts::Layouts;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Plan;
use crate::score::Results;
use rayon::prelude::*;
use std::sync::Arc;

/// Everything an exporter may read.
pub struct ExportContext<'a> {
    /// The plan.
    pub plan: &'a Plan,
    /// Its results for the reference year.
    pub results: &'a Results,
    /// The run's diagnostics (the xlsx lists them).
    pub diags: &'a Diagnostics,
    /// The layouts in force.
    pub layouts: Arc<Layouts>,
    /// PDFs of earlier builds in this process (`watch`), reused when a
    /// document's inputs are byte for byte the same.
    pub cache: Option<&'a DocCache>,
}

/// The last PDF of each document with the hash of what it was made from.
#[derive(Default)]
pub struct DocCache(std::sync::Mutex<std::collections::HashMap<&'static str, (u64, Vec<u8>)>>);

impl DocCache {
    fn get(&self, key: &'static str, hash: u64) -> Option<Vec<u8>> {
        let map = self.0.lock().ok()?;
        map.get(key).filter(|(h, _)| *h == hash).map(|(_, b)| b.clone())
    }

    fn put(&self, key: &'static str, hash: u64, bytes: &[u8]) {
        if let Ok(mut map) = self.0.lock() {
            map.insert(key, (hash, bytes.to_vec()));
        }
    }
}

/// One produced file: its document key and its bytes.
pub struct Document {
    /// `allegato`, `schede`, `relazione`, `cruscotto`, `results`.
    pub key: &'static str,
    /// File extension.
    pub ext: &'static str,
    /// The content.
    pub bytes: Vec<u8>,
}

/// Drops typst's caches and gives the freed heap back to the system, so the
/// next documents start from a low peak.
pub fn release_memory() {
    typst::comemo::evict(0);
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free heap pages to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// From this many indicators the largest document is laid out alone.
pub const LARGE_PLAN: usize = 3000;

/// The PDF documents piao can produce: key, layout, title; largest first.
pub const PDF_DOCUMENTS: &[(&str, &str, &str)] = &[
    ("schede", "schede.typ", "Allegato al PIAO – Schede degli obiettivi"),
    ("relazione", "relazione.typ", "Relazione sulla Performance – Tabelle"),
    ("allegato", "allegato.typ", "Allegato al PIAO – Cruscotto e obiettivi"),
];

/// Compiles one PDF document (key, layout file, title) of the plan.
pub fn compile_one(ctx: &ExportContext, key: &'static str, layout: &str, title: &str) -> Result<Vec<u8>, Diagnostic> {
    compile_with_logo(ctx, key, layout, title, load_logo(ctx)?).map(|d| d.bytes)
}

fn load_logo(ctx: &ExportContext) -> Result<Option<(String, Vec<u8>)>, Diagnostic> {
    read_logo(ctx.plan)
}

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
    let fail = |what: String| {
        Diagnostic::error(format!("Logo: {what}"))
            .in_file(&shown)
            .hint("indicare in Ente › Logo un'immagine PNG, JPEG o SVG accanto alla cartella di lavoro")
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

fn compile_with_logo(
    ctx: &ExportContext,
    key: &'static str,
    layout: &str,
    title: &str,
    logo: Option<(String, Vec<u8>)>,
) -> Result<Document, Diagnostic> {
    let data = view::document_data(ctx, key, title, logo.as_ref().map(|(n, _)| n.as_str()));
    let ident = format!("piao/{key}/{}/{}", ctx.plan.ente.name, ctx.plan.ente.year);
    let hash = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (layout, &ident, &data, &logo, ctx.plan.ente.date_of(key), ctx.layouts.fingerprint()).hash(&mut h);
        h.finish()
    };
    if let Some(bytes) = ctx.cache.and_then(|c| c.get(key, hash)) {
        return Ok(Document { key, ext: "pdf", bytes });
    }
    let job = pdf::PdfJob { layout, ident, data, logo, date: ctx.plan.ente.date_of(key) };
    let bytes = pdf::compile(job, ctx.layouts.clone())?;
    if let Some(c) = ctx.cache {
        c.put(key, hash, &bytes);
    }
    Ok(Document { key, ext: "pdf", bytes })
}

/// The documents [`render_all`] produces for this plan, as `(key,
/// extension)` in the same order: their file names are settled (and checked)
/// before anything is laid out.
pub fn planned_documents(plan: &Plan) -> Vec<(&'static str, &'static str)> {
    let mut docs: Vec<(&'static str, &'static str)> = PDF_DOCUMENTS
        .iter()
        .filter(|(key, _, _)| *key != "relazione" || plan.has_actuals())
        .map(|(key, _, _)| (*key, "pdf"))
        .collect();
    docs.push(("cruscotto", "xlsx"));
    docs.push(("results", "json"));
    docs
}

/// Runs the user's comment template on every comment the Relazione prints,
/// before any layout runs: a broken or runaway template stops the run here,
/// naming its file and line.
pub fn check_templates(ctx: &ExportContext) -> Result<(), Diagnostic> {
    comments::check(&ctx.layouts, ctx.plan, ctx.results, ctx.plan.has_actuals())
}

/// Produces every document the plan supports: the PIAO annex PDFs always,
/// the Relazione when actual values exist, the xlsx and results.json. PDFs
/// are compiled in parallel.
pub fn render_all(ctx: &ExportContext) -> Result<Vec<Document>, Diagnostic> {
    let logo = load_logo(ctx)?;
    // The largest document first, so that on two cores it runs beside the
    // other two in turn: faster than three at once, and a lower memory peak.
    // A very large plan lays out the largest alone, gives the memory back,
    // then lays out the other two side by side: the three together would
    // pass 2 GiB at 6 000 indicators.
    let wanted: Vec<&(&'static str, &'static str, &'static str)> =
        PDF_DOCUMENTS.iter().filter(|(key, _, _)| *key != "relazione" || ctx.plan.has_actuals()).collect();
    let compile = |(key, layout, title): &&(&'static str, &'static str, &'static str)| {
        compile_with_logo(ctx, key, layout, title, logo.clone())
    };
    let pdfs = || -> Vec<Result<Document, Diagnostic>> {
        if ctx.plan.indicators.len() >= LARGE_PLAN {
            let mut r: Vec<_> = wanted[..1].iter().map(compile).collect();
            release_memory();
            r.extend(wanted[1..].par_iter().map(compile).collect::<Vec<_>>());
            r
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
    docs.push(Document { key: "cruscotto", ext: "xlsx", bytes: xlsx? });
    docs.push(Document { key: "results", ext: "json", bytes: json });
    Ok(docs)
}
