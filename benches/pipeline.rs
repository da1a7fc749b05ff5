//! `cargo bench`: piao side by side with LibreOffice headless, in the same
//! run, on synthetic plans (`src/synthetic.rs`), against the budgets of
//! issue 16. Prints a table (BENCHMARKS.md records the figures) and exits
//! non-zero when a budget is exceeded.
//!
//! - cold build of one workbook of 600 and 6 000 indicators: a fresh
//!   `piao build` process writing every document, against `soffice
//!   --headless --convert-to pdf` of the same workbook;
//! - the rebuild after one changed actual value, as `piao watch` does it
//!   (`pipeline::build_workbook` with a `DocCache`, in one process);
//! - a folder of N workbooks of 500–560 indicators built in one `piao
//!   build` call, against LibreOffice converting the same folder in one
//!   call, at 20 and 60 workbooks: memory must not grow with N.
//!
//! Every figure is the median of three runs; peak memory is the largest
//! resident size of the process and its children (GNU `time`, package
//! `time`).
//!
//! - `piao serve`: from uploading the 2019 example to its documents ready.
//!
//! `cargo bench -- 600` (or `6000`, `cartella`, `serve`) runs one part only.

use piao::diag::Diagnostics;
use piao::render::{self, ExportContext, Layouts};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Runs per figure.
const RUNS: usize = 3;

fn median<T: PartialOrd + Copy>(mut v: Vec<T>) -> T {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    v[v.len() / 2]
}

/// One run of a command: wall time and peak resident memory (MiB) of the
/// process and its descendants, as GNU time reports it. (The rusage of our
/// own child would count this process's memory too: the child is spawned
/// sharing it and keeps its high-water mark across exec.) Its error output
/// goes to a file: a pipe nobody reads could fill and stop it.
fn run_once(cmd: &mut Command) -> (Duration, f64) {
    let log = tempfile::NamedTempFile::new().expect("log file");
    let peak = tempfile::NamedTempFile::new().expect("peak file");
    let mut timed = Command::new("/usr/bin/time");
    timed.args(["-f", "%M", "-o"]).arg(peak.path()).arg(cmd.get_program()).args(cmd.get_args());
    let start = Instant::now();
    let status = timed
        .stdout(std::process::Stdio::null())
        .stderr(log.reopen().expect("log file"))
        .status()
        .expect("spawn /usr/bin/time");
    let elapsed = start.elapsed();
    if !status.success() {
        let err = std::fs::read_to_string(log.path()).unwrap_or_default();
        panic!("{cmd:?} failed: {err}");
    }
    let kib: f64 = std::fs::read_to_string(peak.path())
        .unwrap_or_default()
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .expect("peak memory from /usr/bin/time");
    (elapsed, kib / 1024.0)
}

/// Median time and median peak memory of [`RUNS`] runs.
fn measure(mut make: impl FnMut() -> Command) -> (Duration, f64) {
    let runs: Vec<(Duration, f64)> = (0..RUNS).map(|_| run_once(&mut make())).collect();
    (median(runs.iter().map(|r| r.0).collect()), median(runs.iter().map(|r| r.1).collect()))
}

fn piao_build(inputs: &Path, out: &Path, names: Option<&str>) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_piao"));
    c.arg("build").arg("--out").arg(out).arg(inputs);
    if let Some(n) = names {
        c.args(["--nomi", n]);
    }
    c
}

/// LibreOffice with its own profile, so that it never hands the work to
/// an instance another program on this machine is running.
fn soffice(profile: &Path, out: &Path, inputs: &[PathBuf]) -> Command {
    let mut c = Command::new("soffice");
    c.arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--norestore", "--convert-to", "pdf", "--outdir"])
        .arg(out)
        .args(inputs);
    c
}

fn write(path: &Path, bytes: Vec<u8>) {
    std::fs::write(path, bytes).expect("write workbook");
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64()).replace('.', ",")
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1e3)
}

/// A ratio as the tables print it: «1,65×».
fn times(r: f64) -> String {
    format!("{r:.2}×").replace('.', ",")
}

fn mib(m: f64) -> String {
    format!("{m:.0} MiB")
}

/// Load average of the machine (the benchmark shares it).
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

struct Single {
    n: usize,
    piao: (Duration, f64),
    office: (Duration, f64),
    rebuild: Duration,
    /// (document, layout, export, pages), each laid out alone and cold.
    profile: Vec<(String, Duration, Duration, usize)>,
}

/// The watch rebuild: the workbook built once, then three corrections in
/// turn, each a workbook with one more actual value set to 0 (a value typst
/// has not laid out before, as in a real correction), each rebuild timed;
/// the median of three.
fn watch_rebuild(path: &Path, corrections: &[PathBuf]) -> Duration {
    let cache = piao::render::DocCache::default();
    let opts = piao::pipeline::Options::default();
    let build = |p: &Path| {
        let built = piao::pipeline::build_workbook(p, &opts, Some(&cache));
        built.files.expect("documents").len()
    };
    build(path);
    median(
        corrections
            .iter()
            .map(|p| {
                let t = Instant::now();
                std::hint::black_box(build(p));
                t.elapsed()
            })
            .collect(),
    )
}

/// typst's own time per PDF: each laid out alone, cold, in this process.
fn typst_profile(path: &Path) -> Vec<(String, Duration, Duration, usize)> {
    let raw = piao::read::RawWorkbook::open(path).expect("open");
    let plan = piao::model::build(&raw).0.expect("valid");
    let results = piao::score::score(&plan, &mut Diagnostics::new());
    let report = piao::report::Report::build(&plan, &results);
    let layouts = Arc::new(Layouts::load(None).expect("layouts"));
    let comments = render::comments::write_all(&layouts, &report).expect("comments");
    let diags = Diagnostics::new();
    let ctx = ExportContext { report: &report, diags: &diags, layouts, comments: &comments, cache: None };
    render::profile_pdfs(&ctx).expect("pdfs").into_iter().map(|(k, l, e, p)| (k.key().to_string(), l, e, p)).collect()
}

fn single(dir: &Path, profile: &Path, n: usize) -> Single {
    let path = dir.join(format!("sintetico-{n}.xlsx"));
    write(&path, piao::synthetic::workbook(n).expect("generate"));
    // Three corrections at different indicators, each a count (the kind of
    // every seventh indicator from the second), for which 0 is a valid
    // actual value.
    let corrections: Vec<PathBuf> = [n / 2, n / 3, 2 * n / 3]
        .iter()
        .map(|&i| {
            let i = i - i % 7 + 1;
            let p = dir.join(format!("sintetico-{n}-corretto-{i}.xlsx"));
            write(&p, piao::synthetic::workbook_with_change(n, Some(i)).expect("generate"));
            p
        })
        .collect();
    let out = dir.join(format!("out-{n}"));
    let office_out = dir.join(format!("lo-{n}"));
    // Side by side: piao, LibreOffice, piao, … so that a change of load
    // touches both.
    let mut piao_runs = Vec::new();
    let mut office_runs = Vec::new();
    for _ in 0..RUNS {
        piao_runs.push(run_once(&mut piao_build(&path, &out, None)));
        office_runs.push(run_once(&mut soffice(profile, &office_out, std::slice::from_ref(&path))));
    }
    let pick =
        |v: &[(Duration, f64)]| (median(v.iter().map(|r| r.0).collect()), median(v.iter().map(|r| r.1).collect()));
    let rebuild = watch_rebuild(&path, &corrections);
    let profile = typst_profile(&path);
    Single { n, piao: pick(&piao_runs), office: pick(&office_runs), rebuild, profile }
}

struct Folder {
    n: usize,
    piao: (Duration, f64),
    office: (Duration, f64),
}

fn folder(dir: &Path, profile: &Path, count: usize) -> Folder {
    let inputs = dir.join(format!("cartella-{count}"));
    std::fs::create_dir_all(&inputs).expect("folder");
    let mut files = Vec::new();
    for i in 0..count {
        // 500–560 indicators, different in each workbook.
        let n = 500 + (i * 37) % 61;
        let p = inputs.join(format!("camera-{i:02}.xlsx"));
        write(&p, piao::synthetic::workbook(n).expect("generate"));
        files.push(p);
    }
    let out = dir.join(format!("out-cartella-{count}"));
    let office_out = dir.join(format!("lo-cartella-{count}"));
    let piao = measure(|| piao_build(&inputs, &out, Some("{{file}}_{{documento}}")));
    let office = measure(|| soffice(profile, &office_out, &files));
    let written = std::fs::read_dir(&out).map(|d| d.count()).unwrap_or(0);
    assert_eq!(written, count * 5, "every workbook's five files");
    Folder { n: count, piao, office }
}

/// `piao serve`: from the upload of the 2019 example to the version page
/// with its documents ready (median of five uploads into one server).
fn serve_upload() -> Duration {
    use std::io::{BufRead, BufReader};
    let data = tempfile::tempdir().expect("temp dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_piao"))
        .args(["serve", "--porta", "0", "--dati"])
        .arg(data.path())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("piao serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("address");
    let base = line.split_whitespace().find(|w| w.starts_with("http://")).expect("address").trim_end_matches('/');
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).max_redirects(0).build().into();
    let home = agent.get(format!("{base}/")).call().expect("home");
    let cookie = home
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .expect("CSRF cookie")
        .to_string();
    let token = cookie.split_once('=').expect("token").1.to_string();
    let bytes = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs/arezzo-siena-relazione-2019.xlsx"))
        .expect("the 2019 example");
    let took = median(
        (0..5)
            .map(|_| {
                let t = Instant::now();
                use ureq::unversioned::multipart::{Form, Part};
                let form = Form::new().text("csrf", &token).part("file", Part::bytes(&bytes).file_name("esempio.xlsx"));
                let res = agent.post(format!("{base}/carica")).header("Cookie", &cookie).send(form).expect("upload");
                assert_eq!(res.status().as_u16(), 303, "the upload ends on the version page");
                t.elapsed()
            })
            .collect(),
    );
    let _ = child.kill();
    let _ = child.wait();
    took
}

fn main() {
    let filter: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let wants = |part: &str| filter.is_empty() || filter.iter().any(|f| f == part);
    // PIAO_BENCH_DIR keeps the workbooks and outputs there, to compare by
    // hand (e.g. with `piao build --layouts`).
    let temp = tempfile::tempdir().expect("temp dir");
    let kept = std::env::var_os("PIAO_BENCH_DIR").map(PathBuf::from);
    let dir = kept.as_deref().unwrap_or(temp.path());
    std::fs::create_dir_all(dir).expect("bench dir");
    let profile = dir.join("lo-profilo");
    // LibreOffice's first start writes its profile: not part of a figure.
    let warm = dir.join("riscaldamento.xlsx");
    write(&warm, piao::synthetic::workbook(10).expect("generate"));
    run_once(&mut soffice(&profile, dir, &[warm]));
    println!("carico della macchina all'inizio: {}", load());

    let singles: Vec<Single> =
        [600, 6000].into_iter().filter(|n| wants(&n.to_string())).map(|n| single(dir, &profile, n)).collect();
    let folders: Vec<Folder> =
        if wants("cartella") { [20, 60].into_iter().map(|n| folder(dir, &profile, n)).collect() } else { Vec::new() };
    println!("carico della macchina alla fine: {}", load());
    println!();
    println!(
        "| indicatori | piao build (processo nuovo) | LibreOffice | rapporto | piao memoria | LibreOffice memoria | ricostruzione dopo una cella |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    for s in &singles {
        println!(
            "| {} | {} | {} | {} | {} | {} | {} |",
            s.n,
            secs(s.piao.0),
            secs(s.office.0),
            times(s.office.0.as_secs_f64() / s.piao.0.as_secs_f64()),
            mib(s.piao.1),
            mib(s.office.1),
            ms(s.rebuild),
        );
    }
    if !singles.is_empty() {
        println!();
        println!("| indicatori | documento | pagine | impaginazione (typst) | esportazione PDF |");
        println!("|---:|---|---:|---:|---:|");
        for s in &singles {
            for (doc, layout, export, pages) in &s.profile {
                println!("| {} | {doc} | {pages} | {} | {} |", s.n, ms(*layout), ms(*export));
            }
        }
    }
    if !folders.is_empty() {
        println!();
        println!(
            "| cartelle di lavoro (500–560 indicatori) | piao build | LibreOffice | rapporto | piao memoria | LibreOffice memoria |"
        );
        println!("|---:|---:|---:|---:|---:|---:|");
        for f in &folders {
            println!(
                "| {} | {} | {} | {} | {} | {} |",
                f.n,
                secs(f.piao.0),
                secs(f.office.0),
                times(f.office.0.as_secs_f64() / f.piao.0.as_secs_f64()),
                mib(f.piao.1),
                mib(f.office.1)
            );
        }
    }

    let ratio = |s: &Single| s.office.0.as_secs_f64() / s.piao.0.as_secs_f64();
    let mut budgets: Vec<(String, bool)> = Vec::new();
    for s in &singles {
        match s.n {
            600 => {
                budgets.push(("600 indicatori: LibreOffice impiega ≥ 2× piao".into(), ratio(s) >= 2.0));
                budgets.push((
                    "600 indicatori: ricostruzione dopo una cella ≤ 0,1 s".into(),
                    s.rebuild.as_secs_f64() <= 0.1,
                ));
            }
            _ => {
                budgets.push(("6 000 indicatori: piao non più lento di LibreOffice".into(), ratio(s) >= 1.0));
                budgets.push(("6 000 indicatori: memoria di picco ≤ 1 GiB".into(), s.piao.1 <= 1024.0));
                budgets.push((
                    "6 000 indicatori: ricostruzione dopo una cella ≤ 1 s".into(),
                    s.rebuild.as_secs_f64() <= 1.0,
                ));
            }
        }
    }
    for f in &folders {
        let r = f.office.0.as_secs_f64() / f.piao.0.as_secs_f64();
        budgets.push((format!("cartella di {}: piao non più lento di LibreOffice", f.n), r >= 1.0));
        budgets.push((format!("cartella di {}: memoria di picco ≤ 2 GB", f.n), f.piao.1 * 1024.0 * 1024.0 <= 2e9));
    }
    if wants("serve") {
        let upload = serve_upload();
        println!();
        println!("piao serve, esempio 2019 dal caricamento ai documenti pronti: {:.0} ms", upload.as_secs_f64() * 1e3);
        budgets.push(("piao serve, esempio 2019 caricato e pronto ≤ 1,5 s".into(), upload.as_secs_f64() <= 1.5));
    }
    if let [small, large] = folders.as_slice() {
        // Flat: three times the workbooks may not cost a quarter more memory.
        budgets.push((
            "memoria piatta nel numero di cartelle (60 entro 1,25× di 20)".into(),
            large.piao.1 <= small.piao.1 * 1.25,
        ));
    }
    println!();
    let mut ok = true;
    for (name, pass) in budgets {
        println!("{} {name}", if pass { "ok      " } else { "SUPERATO" });
        ok &= pass;
    }
    if !ok {
        std::process::exit(1);
    }
}
