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
    let raw = piao::read::RawWorkbook::open(path).map_err(|d| d.message)?;
    let plan = piao::model::build(&raw).0.ok_or("la cartella di lavoro ha errori: si veda piao check")?;
    let results = piao::score::score(&plan, &mut Diagnostics::new());
    let report = piao::report::Report::build(&plan, &results);
    let layouts = Arc::new(Layouts::load(layouts_dir).map_err(|d| d.message)?);
    let comments = render::comments::write_all(&layouts, &report).map_err(|d| d.message)?;
    let diags = Diagnostics::new();
    let ctx = ExportContext { report: &report, diags: &diags, layouts, comments: &comments, cache: None };
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
        typst_timing::export_json(std::io::BufWriter::new(file), |_| (String::new(), 0))?;
    }
    Ok(())
}
