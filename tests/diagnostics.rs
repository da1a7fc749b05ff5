//! Bad input: every problem named at its cell, in Italian, the right exit
//! code, nothing written, previous outputs intact.

mod common;

use common::*;
use std::fs;

#[test]
fn an_unreadable_target_is_an_error_at_its_cell() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("piano.xlsx");
    small_plan(&wb, "circa cinque");
    let o = piao(&["check", wb.to_str().expect("path")]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("errore: ") && err.contains("piano.xlsx: Indicatori!E2: valore non riconosciuto «circa cinque»"),
        "{err}"
    );
    assert!(err.contains("suggerimento: atteso ad es."), "{err}");
}

#[test]
fn a_failed_build_leaves_the_previous_outputs_intact() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("piano.xlsx");
    let out = dir.path().join("out");
    small_plan(&wb, "≥ 95%");
    let o = piao(&["build", wb.to_str().expect("path"), "--out", out.to_str().expect("path")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let before = fs::read(out.join("2025_relazione.pdf")).expect("relazione written");
    let text = pdf_text(&out.join("2025_relazione.pdf"));
    // 90% against ≥ 95%: SAL 94,7% → 95%; events 8 of 10 → 80%.
    assert!(text.contains("≥ 95% 90% 95%"), "{text}");
    assert!(text.contains("10 8 80%"), "{text}");
    small_plan(&wb, "#REF!");
    // A spreadsheet error typed as text is still not a target.
    let o = piao(&["build", wb.to_str().expect("path"), "--out", out.to_str().expect("path")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("nessun documento prodotto"), "{}", stderr(&o));
    assert_eq!(fs::read(out.join("2025_relazione.pdf")).expect("still there"), before);
    let leftovers: Vec<String> = fs::read_dir(&out)
        .expect("list")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn missing_sheets_and_orphan_codes_are_all_reported_together() {
    use C::*;
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("rotto.xlsx");
    workbook(
        &wb,
        &[
            ("Ente", vec![vec![S("Voce"), S("Valore")], vec![S("Anno"), N(2025.0)]]),
            (
                "Indicatori",
                vec![
                    vec![S("Codice"), S("Obiettivo"), S("Nome")],
                    vec![S("I1"), S("X9"), S("Orfano")],
                    vec![S("I1"), S("X9"), S("Doppio")],
                ],
            ),
        ],
    );
    let o = piao(&["check", "--breve", wb.to_str().expect("path")]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("manca il foglio obbligatorio «Obiettivi»"), "{err}");
    assert!(err.contains("Ente: errore: manca la voce «Denominazione»"), "{err}");
    assert!(err.contains("codice indicatore «I1» ripetuto"), "{err}");
    assert!(err.contains("l'indicatore «I1» indica l'obiettivo «X9», che non esiste"), "{err}");
}

#[test]
fn a_file_that_is_not_a_workbook_is_refused_in_italian() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("finto.xlsx");
    fs::write(&bad, b"questo non e' un file excel").expect("write");
    let o = piao(&["check", bad.to_str().expect("path")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("non è un foglio di calcolo leggibile"), "{}", stderr(&o));
}

#[test]
fn wrong_usage_exits_with_2() {
    let o = piao(&["build"]);
    assert_eq!(o.status.code(), Some(2));
}
