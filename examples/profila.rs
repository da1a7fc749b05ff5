//! Where a workbook's PDFs spend their time, for whoever works on speed or
//! on the layouts: each PDF laid out alone and cold, layout and export
//! apart, and optionally typst's own trace.
//!
//! `cargo run --release --example profila -- FILE [LAYOUTS]`
//!
//! - `SOLO=schede` (or `allegato`, `relazione`, several separated by commas)
//!   profiles only those documents;
//! - `VOLTE=5` lays each out five times and prints the median;
//! - `TRACCIA=trace.json` writes typst's timing events (Chrome trace format:
//!   chrome://tracing or ui.perfetto.dev), where each iteration, page run
//!   and table appears with its duration.

use piao::diag::Diagnostics;
use piao::render::{self, DocKind, ExportContext, Layouts};
use std::process::ExitCode;
use std::sync::Arc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first().map(std::path::Path::new) else {
        eprintln!("uso: profila CARTELLA_DI_LAVORO [CARTELLA_MODELLI]");
        return ExitCode::from(2);
    };
    match run(path, args.get(1).map(std::path::Path::new)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}: {e}", path.display());
            ExitCode::FAILURE
        }
    }
}

fn run(path: &std::path::Path, layouts_dir: Option<&std::path::Path>) -> Result<(), String> {
    let clock = std::time::Instant::now();
    let lap = |what: &str| println!("{what:32} {:7.1} ms", clock.elapsed().as_secs_f64() * 1e3);
    let raw = piao::read::RawWorkbook::open(path).map_err(|d| d.message)?;
    lap("lettura");
    let plan = piao::model::build(&raw).0.ok_or("la cartella di lavoro ha errori: si veda piao check")?;
    lap("+ modello");
    let results = piao::score::score(&plan, &mut Diagnostics::new());
    lap("+ punteggi");
    let report = piao::report::Report::build(&plan, &results);
    lap("+ resoconto");
    let layouts = Arc::new(Layouts::load(layouts_dir).map_err(|d| d.message)?);
    let comments = render::comments::write_all(&layouts, &report).map_err(|d| d.message)?;
    lap("+ commenti");
    let diags = Diagnostics::new();
    let ctx = ExportContext { report: &report, diags: &diags, layouts, comments: &comments, cache: None };
    let xlsx = render::xlsx::export(&ctx).map_err(|d| d.message)?;
    lap(&format!("+ cruscotto xlsx ({} KB)", xlsx.len() / 1024));
    let json = render::json::export(&ctx);
    lap(&format!("+ results.json ({} KB)", json.len() / 1024));
    for kind in DocKind::planned(&plan).into_iter().filter(|k| k.layout().is_some()) {
        let data = render::layout_data(&ctx, kind, None);
        lap(&format!("+ dati di {} ({} KB)", kind.key(), data.len() / 1024));
    }
    let trace = std::env::var("TRACCIA").ok();
    if trace.is_some() {
        typst_timing::enable();
    }
    let only = std::env::var("SOLO").unwrap_or_default();
    let times: usize = std::env::var("VOLTE").ok().and_then(|v| v.parse().ok()).unwrap_or(1).max(1);
    for kind in DocKind::planned(&plan) {
        if !only.is_empty() && !only.split(',').any(|k| k.trim() == kind.key()) {
            continue;
        }
        let mut layout = Vec::new();
        let mut export = Vec::new();
        let mut pages = 0;
        for _ in 0..times {
            if let Some((_, l, e, p)) = render::profile_pdf(&ctx, kind).map_err(|d| d.message)? {
                layout.push(l.as_secs_f64() * 1e3);
                export.push(e.as_secs_f64() * 1e3);
                pages = p;
            }
        }
        if layout.is_empty() {
            continue;
        }
        layout.sort_by(f64::total_cmp);
        export.sort_by(f64::total_cmp);
        let mid = times / 2;
        println!(
            "{:10} {:5} pagine  impaginazione {:7.0} ms (min {:.0}, max {:.0})  esportazione {:6.0} ms",
            kind.key(),
            pages,
            layout[mid],
            layout[0],
            layout[times - 1],
            export[mid],
        );
    }
    if let Some(trace) = trace {
        let file = std::fs::File::create(&trace).map_err(|e| format!("{trace}: {e}"))?;
        // Each timed span as «layout file, line», so that the trace says
        // which line of which layout the time went to.
        let mut sources = std::collections::HashMap::new();
        let where_is = |raw: std::num::NonZeroU64| {
            let span = typst::syntax::Span::from_raw(raw);
            let Some(id) = span.id() else { return (String::new(), 0) };
            let name = id.get().vpath().get_without_slash().to_string();
            let source = sources
                .entry(id)
                .or_insert_with(|| typst::syntax::Source::new(id, ctx.layouts.get(&name).unwrap_or("").to_string()));
            let line =
                source.find(span).and_then(|n| source.lines().byte_to_line(n.range().start)).map_or(0, |l| l + 1);
            (name, line as u32)
        };
        typst_timing::export_json(std::io::BufWriter::new(file), where_is)?;
    }
    Ok(())
}
