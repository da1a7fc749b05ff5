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
fn release_memory() {
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
    match &ctx.plan.ente.logo {
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|e| Diagnostic::error(format!("logo non leggibile: {e}")))?;
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("png").to_lowercase();
            Ok(Some((format!("logo.{ext}"), bytes)))
        }
        None => Ok(None),
    }
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
