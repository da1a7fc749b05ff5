//! What a user supplies besides the workbook runs on a budget and is checked
//! before any document is laid out: the `--nomi` pattern, the comment
//! template `commenti.jinja`, the logo. A runaway template or a pipe as logo
//! ends in an Italian error, never a hang.

mod common;

use common::*;
use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs `piao build` and returns its output; a run still going after two
/// minutes (a hang) is stopped and fails the test.
fn build_bounded(wb: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_piao"))
        .arg("build")
        .arg(wb)
        .arg("--out")
        .arg(out)
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("piao runs");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let o = child.wait_with_output().expect("output");
            panic!("piao did not end: {}", stderr(&o));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A folder with the small plan and a `layouts/` beside it whose
/// `schede.typ` is broken: had any document been laid out, its error would
/// show.
fn scene() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("piano.xlsx");
    small_plan(&wb, "≥ 95%");
    let layouts = dir.path().join("layouts");
    fs::create_dir(&layouts).expect("layouts");
    fs::write(layouts.join("schede.typ"), "#let x = (\n").expect("broken layout");
    (dir, wb, layouts)
}

#[test]
fn a_runaway_or_broken_name_pattern_stops_before_any_layout() {
    let (dir, wb, _) = scene();
    let out = dir.path().join("out");
    let nested = "{% for a in range(100000) %}{% for b in range(100000) %}{{ a }}{% endfor %}{% endfor %}";
    let o = build_bounded(&wb, &out, &["--nomi", nested]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("schema dei nomi dei file non valido") && err.contains("troppi calcoli"), "{err}");
    assert!(!err.contains("schede.typ"), "{err}");
    let o = build_bounded(&wb, &out, &["--nomi", "{{ anno"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("schema dei nomi dei file non valido «{{ anno»"), "{err}");
    assert!(!err.contains("schede.typ"), "{err}");
    let o = build_bounded(&wb, &out, &["--nomi", "{{ 'x' * 10000 }}{{ documento }}"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("il nome prodotto supera"), "{err}");
    assert!(!out.exists(), "nothing written");
}

#[test]
fn a_broken_comment_template_is_an_error_naming_its_file_and_line() {
    let (dir, wb, layouts) = scene();
    let out = dir.path().join("out");
    let file = layouts.join("commenti.jinja");
    fs::write(&file, "{#- Commento -#}\n{{ tipo }}\n{% if punteggio %}{{ punteggio ) }}{% endif %}\n")
        .expect("template");
    let o = build_bounded(&wb, &out, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(err.contains(&file.display().to_string()), "{err}");
    assert!(err.contains("modello dei commenti non valido, riga 3"), "{err}");
    assert!(!err.contains("schede.typ"), "no layout ran: {err}");
    assert!(!out.exists(), "nothing written");
    // Valid syntax, but an error when run (an unknown filter).
    fs::write(&file, "{{ tipo }}\n\n{{ stato | sconosciuto }}\n").expect("template");
    let o = build_bounded(&wb, &out, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(err.contains("modello dei commenti non valido, riga 3"), "{err}");
    // Nested loops run out of fuel instead of hanging.
    fs::write(
        &file,
        "{% for a in range(100000) %}{% for b in range(100000) %}{% set c = a + b %}{% endfor %}{% endfor %}\n",
    )
    .expect("template");
    let o = build_bounded(&wb, &out, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(err.contains("il modello richiede troppi calcoli"), "{err}");
    // A comment the size of a book.
    fs::write(&file, "{% for a in range(2000) %}parola lunga {% endfor %}\n").expect("template");
    let o = build_bounded(&wb, &out, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(err.contains("un commento supera"), "{err}");
    assert!(!out.exists(), "nothing written");
    // A working template is used in the Relazione.
    fs::remove_file(layouts.join("schede.typ")).expect("rm");
    fs::write(&file, "Commento personalizzato: {{ tipo }} {{ stato }}.\n").expect("template");
    let o = build_bounded(&wb, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(pdf_text(&out.join("2025_relazione.pdf")).contains("Commento personalizzato: obiettivo"));
}

#[test]
fn a_logo_must_be_a_regular_file_under_the_size_limit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    // A pipe: opening it for reading would wait for a writer forever.
    let fifo = dir.path().join("logo.png");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo (coreutils)");
    assert!(made.success());
    let wb = dir.path().join("pipe.xlsx");
    plan_with_logo(&wb, "logo.png");
    let o = build_bounded(&wb, &out, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("Logo: non è un file ordinario"), "{err}");
    // Reported at the workbook's cell that names the logo, with the file.
    assert!(err.contains("pipe.xlsx") && err.contains("Ente!B4") && err.contains("logo.png"), "{err}");
    // A folder.
    fs::create_dir(dir.path().join("cartella.png")).expect("dir");
    let wb = dir.path().join("cartella.xlsx");
    plan_with_logo(&wb, "cartella.png");
    let o = build_bounded(&wb, &out, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("Logo: non è un file ordinario"), "{err}");
    // Over the limit.
    let big = dir.path().join("grande.png");
    fs::write(&big, vec![0u8; 5 * 1024 * 1024 + 1]).expect("big");
    let wb = dir.path().join("grande.xlsx");
    plan_with_logo(&wb, "grande.png");
    let o = build_bounded(&wb, &out, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("Logo: il file è più grande del limite di 5 MB"), "{err}");
    assert!(err.contains("grande.xlsx") && err.contains("Ente!B4") && err.contains("grande.png"), "{err}");
    assert!(!out.exists(), "nothing written");
}
