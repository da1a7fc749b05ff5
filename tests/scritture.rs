//! Writing the outputs: all or nothing whatever file fails, never through a
//! link planted in the output folder, two runs into one folder never mixed,
//! file and sheet names that Windows and Excel accept, a closed pipe a
//! normal end.

mod common;

use common::C::*;
use common::*;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Every entry of a folder: (name, bytes), a folder as `None`.
fn listing(dir: &Path) -> Vec<(String, Option<Vec<u8>>)> {
    let mut v: Vec<(String, Option<Vec<u8>>)> = fs::read_dir(dir)
        .expect("list")
        .flatten()
        .map(|e| {
            let p = e.path();
            let bytes = if p.is_dir() { None } else { Some(fs::read(&p).expect("read")) };
            (e.file_name().to_string_lossy().to_string(), bytes)
        })
        .collect();
    v.sort();
    v
}

fn build(wb: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["build", wb.to_str().expect("p"), "--out", out.to_str().expect("p")];
    args.extend_from_slice(extra);
    piao(&args)
}

#[test]
fn a_folder_where_the_last_output_goes_leaves_every_earlier_output_as_it_was() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("piano.xlsx");
    let out = dir.path().join("out");
    small_plan(&wb, "≥ 95%");
    let o = build(&wb, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    // results.json is the last file written: a folder takes its place.
    fs::remove_file(out.join("2025_results.json")).expect("rm");
    fs::create_dir(out.join("2025_results.json")).expect("blocker");
    fs::write(out.join("2025_results.json").join("dentro.txt"), b"x").expect("blocker content");
    let before = listing(&out);
    // A corrected target changes the Relazione, the cruscotto and the JSON.
    small_plan(&wb, "≥ 90%");
    let o = build(&wb, &out, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(err.contains("al posto del file «2025_results.json» c'è una cartella"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(listing(&out) == before, "every earlier output is as it was, nothing left behind");
    // Once the folder is moved away, the run goes through.
    fs::remove_dir_all(out.join("2025_results.json")).expect("rm blocker");
    let o = build(&wb, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(pdf_text(&out.join("2025_relazione.pdf")).contains("≥ 90% 90% 100%"));
    let names: Vec<String> = listing(&out).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        ["2025_allegato.pdf", "2025_cruscotto.xlsx", "2025_relazione.pdf", "2025_results.json", "2025_schede.pdf"]
    );
}

#[test]
fn an_output_folder_that_cannot_be_made_is_an_italian_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("piano.xlsx");
    small_plan(&wb, "≥ 95%");
    let file = dir.path().join("occupato");
    fs::write(&file, b"un file, non una cartella").expect("file");
    let o = build(&wb, &file, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(err.contains("impossibile creare la cartella di destinazione"), "{err}");
    assert_eq!(fs::read(&file).expect("read"), b"un file, non una cartella");
}

#[test]
fn a_link_planted_under_a_temporary_name_is_never_followed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("piano.xlsx");
    let out = dir.path().join("out");
    small_plan(&wb, "≥ 95%");
    fs::create_dir(&out).expect("out");
    let victim = dir.path().join("vittima.txt");
    fs::write(&victim, b"da non toccare").expect("victim");
    for doc in ["allegato.pdf", "schede.pdf", "relazione.pdf", "cruscotto.xlsx", "results.json"] {
        std::os::unix::fs::symlink(&victim, out.join(format!(".2025_{doc}.tmp"))).expect("link");
    }
    let o = build(&wb, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(fs::read(&victim).expect("victim"), b"da non toccare");
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("2025_results.json")).expect("json")).expect("valid JSON");
    assert!(json.is_object());
    assert!(!fs::symlink_metadata(out.join("2025_results.json")).expect("meta").file_type().is_symlink());
}

#[test]
fn two_builds_into_one_folder_never_mix_their_outputs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = dir.path().join("a").join("piano.xlsx");
    let b = dir.path().join("b").join("piano.xlsx");
    fs::create_dir_all(a.parent().expect("p")).expect("dir");
    fs::create_dir_all(b.parent().expect("p")).expect("dir");
    small_plan(&a, "≥ 95%");
    small_plan(&b, "≥ 90%");
    // What each run writes on its own.
    let (ref_a, ref_b) = (dir.path().join("ref_a"), dir.path().join("ref_b"));
    assert!(build(&a, &ref_a, &[]).status.success());
    assert!(build(&b, &ref_b, &[]).status.success());
    let (ref_a, ref_b) = (listing(&ref_a), listing(&ref_b));
    assert_ne!(ref_a, ref_b);
    let out = dir.path().join("out");
    for round in 0..3 {
        let spawn = |wb: &PathBuf| {
            Command::new(env!("CARGO_BIN_EXE_piao"))
                .args(["build", wb.to_str().expect("p"), "--out", out.to_str().expect("p")])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("piao runs")
        };
        let (first, second) = if round % 2 == 0 { (&a, &b) } else { (&b, &a) };
        let ca = spawn(first);
        let cb = spawn(second);
        for child in [ca, cb] {
            let o = child.wait_with_output().expect("wait");
            let err = stderr(&o);
            assert!(
                o.status.success() || (o.status.code() == Some(3) && err.contains("errore")),
                "round {round}: each run succeeds or fails cleanly: {err}"
            );
            assert!(!err.contains("panicked"), "{err}");
        }
        let now = listing(&out);
        assert!(now == ref_a || now == ref_b, "round {round}: the folder holds one run's outputs, nothing else");
    }
}

#[test]
fn names_windows_refuses_are_sanitised_with_a_warning_and_sheet_names_stay_valid() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("piano.xlsx");
    let long = "Area dei servizi alle imprese e alla regolazione del mercato";
    workbook(
        &wb,
        &[
            (
                "Ente",
                vec![
                    vec![S("Voce"), S("Valore")],
                    vec![S("Denominazione"), S("Camera: Roma/Lazio? \"A\" <B> | C* \\ D.")],
                    vec![S("Anno"), N(2025.0)],
                ],
            ),
            (
                "Strutture",
                vec![
                    vec![S("Codice"), S("Denominazione")],
                    vec![S("Dirigente'"), S("Dirigente con apostrofo")],
                    vec![S("Dirigente"), S("Dirigente senza apostrofo")],
                    vec![S("[SG]:*?/\\"), S("Segreteria")],
                    vec![S(long), S("Area lunga")],
                    vec![S(&format!("{long} bis")), S("Area lunga bis")],
                ],
            ),
            (
                "Obiettivi",
                vec![
                    vec![
                        S("Codice"),
                        S("Livello"),
                        S("Titolo"),
                        S("Prospettiva"),
                        S("Obiettivo strategico"),
                        S("Struttura"),
                    ],
                    vec![S("OS1"), S("Strategico"), S("Strategico uno"), S("Processi interni"), E, E],
                    vec![S("OP1"), S("Operativo"), S("Primo"), E, S("OS1"), S("Dirigente'")],
                    vec![S("OP2"), S("Operativo"), S("Secondo"), E, S("OS1"), S("Dirigente")],
                    vec![S("OP3"), S("Operativo"), S("Terzo"), E, S("OS1"), S("[SG]:*?/\\")],
                    vec![S("OP4"), S("Operativo"), S("Quarto"), E, S("OS1"), S(long)],
                    vec![S("OP5"), S("Operativo"), S("Quinto"), E, S("OS1"), S(&format!("{long} bis"))],
                ],
            ),
            (
                "Indicatori",
                vec![
                    vec![S("Codice"), S("Obiettivo"), S("Nome"), S("Target 2025")],
                    vec![S("I1"), S("OP1"), S("Uno"), S("5")],
                    vec![S("I2"), S("OP2"), S("Due"), S("5")],
                    vec![S("I3"), S("OP3"), S("Tre"), S("5")],
                    vec![S("I4"), S("OP4"), S("Quattro"), S("5")],
                    vec![S("I5"), S("OP5"), S("Cinque"), S("5")],
                ],
            ),
        ],
    );
    let out = dir.path().join("out");
    let o = build(&wb, &out, &["--nomi", "{{documento}} {{ente}}"]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    let ente = "Camera_ Roma_Lazio_ _A_ _B_ _ C_ _ D";
    assert!(err.contains(&format!("usato «schede {ente}» (e così per altri 3 documenti)")), "{err}");
    let names: Vec<String> = listing(&out).into_iter().map(|(n, _)| n).collect();
    let mut expected: Vec<String> = ["allegato.pdf", "schede.pdf", "cruscotto.xlsx", "results.json"]
        .iter()
        .map(|d| {
            let (doc, ext) = d.split_once('.').expect("ext");
            format!("{doc} {ente}.{ext}")
        })
        .collect();
    expected.sort();
    assert_eq!(names, expected);
    // A device name of Windows gets a `_`.
    let out2 = dir.path().join("out2");
    let o = build(&wb, &out2, &["--nomi", "{{ 'CON' if documento == 'allegato' else documento }}"]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("il nome «CON» contiene caratteri o parole non ammessi") && err.contains("usato «CON_»"),
        "{err}"
    );
    let names: Vec<String> = listing(&out2).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["CON_.pdf", "cruscotto.xlsx", "results.json", "schede.pdf"]);
    // The unit sheets of the cruscotto.
    use calamine::Reader;
    let book: calamine::Xlsx<_> = calamine::open_workbook(out.join(format!("cruscotto {ente}.xlsx"))).expect("xlsx");
    let sheets = book.sheet_names();
    for expected in [
        "Struttura Dirigente",
        "Struttura Dirigente 2",
        "Struttura _SG______",
        "Struttura Area dei servizi alle",
        "Struttura Area dei servizi al 2",
    ] {
        assert!(sheets.iter().any(|s| s == expected), "{expected} in {sheets:?}");
    }
    for s in &sheets {
        assert!(
            s.chars().count() <= 31 && !s.ends_with('\'') && !s.contains(['[', ']', ':', '*', '?', '/', '\\']),
            "{s}"
        );
    }
}

#[test]
fn one_name_for_several_documents_is_refused_before_any_layout_runs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("piano.xlsx");
    small_plan(&wb, "≥ 95%");
    // A broken layout: had any document been laid out, its error would show.
    let layouts = dir.path().join("modelli");
    fs::create_dir(&layouts).expect("dir");
    fs::write(layouts.join("schede.typ"), "#let x = (\n").expect("layout");
    let out = dir.path().join("out");
    let o = build(&wb, &out, &["--nomi", "x", "--layouts", layouts.to_str().expect("p")]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("lo schema dei nomi «x» dà lo stesso nome «x.pdf» a più documenti"), "{err}");
    assert!(!err.contains("schede.typ"), "no layout ran: {err}");
    assert!(!out.exists() || listing(&out).is_empty());
    // Names that differ only in case are one name on Windows.
    let o = build(&wb, &out, &["--nomi", "{{ 'X' if documento == 'schede' else 'x' }}"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("dà lo stesso nome"), "{}", stderr(&o));
}

#[test]
fn a_closed_pipe_is_a_normal_end() {
    let dir = tempfile::tempdir().expect("temp dir");
    let old = dir.path().join("prima.xlsx");
    let new = dir.path().join("dopo.xlsx");
    small_plan(&old, "≥ 95%");
    small_plan(&new, "≥ 90%");
    let cases: Vec<Vec<&str>> = vec![
        vec!["diff", old.to_str().expect("p"), new.to_str().expect("p")],
        vec!["check", old.to_str().expect("p")],
        vec!["--help"],
    ];
    for args in cases {
        let mut child = Command::new(env!("CARGO_BIN_EXE_piao"))
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("piao runs");
        // The reader goes away before piao writes anything, as `| head -0`.
        drop(child.stdout.take());
        let o = child.wait_with_output().expect("wait");
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}
