//! `cargo bench`: times each stage and the whole build on synthetic plans of
//! 600 and 6 000 indicators, a watch-style rebuild after one changed cell,
//! and the peak memory of a cold build, against the budgets of the
//! regeneration issue. Prints a table (BENCHMARKS.md records the figures);
//! exits non-zero when a budget is exceeded.

use piao::diag::Diagnostics;
use piao::render::{self, ExportContext, Layouts};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed()
            })
            .collect(),
    )
}

/// Peak resident memory of the children waited for so far, in MiB.
fn children_peak_mib() -> f64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage only writes into the struct we own.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    usage.ru_maxrss as f64 / 1024.0
}

fn pipeline(path: &Path, cache: Option<&render::DocCache>) -> usize {
    let built = piao::pipeline::build_workbook(path, &piao::pipeline::Options::default(), cache);
    built.files.expect("documents").len()
}

struct Row {
    n: usize,
    read: Duration,
    model: Duration,
    score: Duration,
    render: Duration,
    cold: Duration,
    rebuild: Duration,
}

fn measure(dir: &Path, n: usize) -> Row {
    let path = dir.join(format!("sintetico-{n}.xlsx"));
    std::fs::write(&path, piao::synthetic::workbook(n).expect("generate")).expect("write");
    let changed = dir.join(format!("sintetico-{n}-corretto.xlsx"));
    std::fs::write(&changed, piao::synthetic::workbook_with_change(n, Some(n / 2)).expect("generate")).expect("write");
    let runs = if n > 1000 { 3 } else { 5 };

    // Cold: a fresh process builds every document and writes them.
    let out = dir.join(format!("out-{n}"));
    let cold = time(runs, || {
        let status = Command::new(env!("CARGO_BIN_EXE_piao"))
            .args(["build", "--out"])
            .arg(&out)
            .arg(&path)
            .output()
            .expect("piao runs");
        assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    });

    let raw = piao::read::RawWorkbook::open(&path).expect("open");
    let read = time(runs, || piao::read::RawWorkbook::open(&path).map(|r| r.sheets.len()).unwrap_or(0));
    let model = time(runs, || piao::model::build(&raw).0.map(|p| p.indicators.len()));
    let (plan, _) = piao::model::build(&raw);
    let plan = plan.expect("valid");
    let score = time(runs, || piao::score::score(&plan, &mut Diagnostics::new()).indicators.len());
    let layouts = Arc::new(Layouts::load(None).expect("layouts"));
    let results = piao::score::score(&plan, &mut Diagnostics::new());
    let diags = Diagnostics::new();
    let report = piao::report::Report::build(&plan, &results);
    let comments = render::comments::write_all(&layouts, &report).expect("comments");
    let ctx =
        ExportContext { report: &report, diags: &diags, layouts: layouts.clone(), comments: &comments, cache: None };
    let render = time(runs, || render::render_all(&ctx).map(|d| d.len()).unwrap_or(0));

    // Watch: the process keeps typst's caches and the documents' cache; one
    // actual value changed.
    let cache = render::DocCache::default();
    pipeline(&path, Some(&cache));
    let rebuild = time(1, || pipeline(&changed, Some(&cache)));
    Row { n, read, model, score, render, cold, rebuild }
}

fn main() {
    // `cargo bench -- <filter>` passes extra arguments; accept and ignore them.
    let dir = tempfile::tempdir().expect("temp dir");
    let small = measure(dir.path(), 600);
    let peak_small = children_peak_mib();
    let large = measure(dir.path(), 6000);
    let peak_large = children_peak_mib();
    println!(
        "| indicatori | lettura | modello | calcolo | documenti (in processo) | build a freddo (processo nuovo) | ricostruzione dopo una cella | memoria di picco |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (r, peak) in [(&small, peak_small), (&large, peak_large)] {
        println!(
            "| {} | {:.0} ms | {:.0} ms | {:.1} ms | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} MiB |",
            r.n,
            r.read.as_secs_f64() * 1e3,
            r.model.as_secs_f64() * 1e3,
            r.score.as_secs_f64() * 1e3,
            r.render.as_secs_f64() * 1e3,
            r.cold.as_secs_f64() * 1e3,
            r.rebuild.as_secs_f64() * 1e3,
            peak
        );
    }
    let ratio = large.cold.as_secs_f64() / small.cold.as_secs_f64();
    let budgets = [
        ("build a freddo, 600 indicatori ≤ 2,0 s", small.cold.as_secs_f64() <= 2.0),
        ("6 000 indicatori entro 12× il tempo di 600", ratio <= 12.0),
        ("memoria di picco a 6 000 ≤ 2 GiB", peak_large <= 2048.0),
        ("ricostruzione dopo una cella, 600 indicatori ≤ 0,3 s", small.rebuild.as_secs_f64() <= 0.3),
    ];
    println!();
    println!("rapporto 6 000 / 600: {ratio:.1}×");
    let mut ok = true;
    for (name, pass) in budgets {
        println!("{} {name}", if pass { "ok      " } else { "SUPERATO" });
        ok &= pass;
    }
    if !ok {
        std::process::exit(1);
    }
}
