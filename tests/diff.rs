//! `piao diff` on two versions of a plan built here.

mod common;

use common::C::*;
use common::*;

fn version(path: &std::path::Path, op1_title: &'static str, i2_target: &'static str, extra: bool) {
    let mut obj = vec![
        vec![S("Codice"), S("Livello"), S("Titolo"), S("Prospettiva"), S("Obiettivo strategico")],
        vec![S("OS1"), S("Strategico"), S("Imprese digitali"), S("Processi interni"), E],
        vec![S("OP1"), S("Operativo"), S(op1_title), E, S("OS1")],
        vec![S("OP2"), S("Operativo"), S("Invariato"), E, S("OS1")],
    ];
    let mut ind = vec![
        vec![S("Codice"), S("Obiettivo"), S("Nome"), S("Target 2025"), S("Target 2026")],
        vec![S("I1"), S("OS1"), S("Pratiche evase"), S("≥ 95%"), S("≥ 96%")],
        vec![S("I2"), S("OP1"), S("Eventi"), S(i2_target), S("12")],
        vec![S("I4"), S("OP2"), S("Report"), S("2"), S("2")],
    ];
    if extra {
        obj.push(vec![S("OP3"), S("Operativo"), S("Nuovo obiettivo"), E, S("OS1")]);
        ind.push(vec![S("I3"), S("OP3"), S("Nuovo indicatore"), S("1"), E]);
    }
    workbook(
        path,
        &[
            (
                "Ente",
                vec![
                    vec![S("Voce"), S("Valore")],
                    vec![S("Denominazione"), S("Camera di Prova")],
                    vec![S("Anno"), N(2025.0)],
                ],
            ),
            ("Obiettivi", obj),
            ("Indicatori", ind),
        ],
    );
}

#[test]
fn diff_reports_changes_and_the_rate_of_modified_objectives() {
    let dir = tempfile::tempdir().expect("temp dir");
    let old = dir.path().join("approvato.xlsx");
    let new = dir.path().join("corretto.xlsx");
    version(&old, "Sportello digitale", "10", false);
    version(&new, "Sportello digitale unico", "11", true);
    let out = dir.path().join("confronto.xlsx");
    let o = piao(&["diff", old.to_str().expect("p"), new.to_str().expect("p"), "--out", out.to_str().expect("p")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    for line in [
        "~ obiettivo OP1 rinominato: «Sportello digitale» → «Sportello digitale unico»",
        "~ indicatore I2: Target 2025 «10» → «11»",
        "+ obiettivo OP3 aggiunto: Nuovo obiettivo",
        "+ indicatore I3 aggiunto: Nuovo indicatore",
        "Obiettivi soggetti a modifica in itinere: 1 su 3 programmati ex ante (33,3%)",
    ] {
        assert!(text.contains(line), "missing «{line}» in:\n{text}");
    }
    assert!(!text.contains("OP2"), "an untouched objective is not listed");
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(&out).expect("xlsx");
    let rows = book.worksheet_range("Modifiche").expect("Modifiche");
    assert_eq!(rows.height(), 5, "header and four changes");
    let o = piao(&["diff", old.to_str().expect("p"), old.to_str().expect("p")]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("Nessuna differenza."));
}

/// A plan whose versions differ only in `Assegnazioni` and in the notes of
/// actual values: both are reported, and neither counts as a modification
/// of the plan's objectives.
fn assigned(path: &std::path::Path, note: &'static str, second_assignment: bool) {
    let mut assignments = vec![vec![S("Soggetto"), S("Obiettivo"), S("Peso")], vec![S("Rossi"), S("OP1"), N(60.0)]];
    if second_assignment {
        assignments.push(vec![S("Rossi"), S("OP2"), N(40.0)]);
    }
    workbook(
        path,
        &[
            (
                "Ente",
                vec![
                    vec![S("Voce"), S("Valore")],
                    vec![S("Denominazione"), S("Camera di Prova")],
                    vec![S("Anno"), N(2025.0)],
                ],
            ),
            (
                "Obiettivi",
                vec![
                    vec![S("Codice"), S("Livello"), S("Titolo"), S("Prospettiva"), S("Obiettivo strategico")],
                    vec![S("OS1"), S("Strategico"), S("Imprese digitali"), S("Processi interni"), E],
                    vec![S("OP1"), S("Operativo"), S("Sportello"), E, S("OS1")],
                    vec![S("OP2"), S("Operativo"), S("Eventi"), E, S("OS1")],
                ],
            ),
            (
                "Indicatori",
                vec![
                    vec![S("Codice"), S("Obiettivo"), S("Nome"), S("Target 2025")],
                    vec![S("I1"), S("OP1"), S("Pratiche evase"), S("≥ 95%")],
                    vec![S("I2"), S("OP2"), S("Eventi"), S("10")],
                ],
            ),
            (
                "Consuntivi",
                vec![
                    vec![S("Indicatore"), S("Anno"), S("Valore"), S("Note")],
                    vec![S("I2"), N(2025.0), N(8.0), S(note)],
                ],
            ),
            ("Assegnazioni", assignments),
        ],
    );
}

#[test]
fn diff_reports_assignments_and_notes_of_actual_values() {
    let dir = tempfile::tempdir().expect("temp dir");
    let old = dir.path().join("prima.xlsx");
    let new = dir.path().join("dopo.xlsx");
    assigned(&old, "", false);
    assigned(&new, "due eventi rinviati", true);
    let o = piao(&["diff", old.to_str().expect("p"), new.to_str().expect("p")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    for line in [
        "+ assegnazione Rossi → OP2 aggiunto: 40",
        "~ indicatore I2: Consuntivo 2025 – nota «» → «due eventi rinviati»",
        "Obiettivi soggetti a modifica in itinere: 0 su 3 programmati ex ante (0,0%)",
    ] {
        assert!(text.contains(line), "missing «{line}» in:\n{text}");
    }
    assert!(!text.contains("assegnazione Rossi → OP1"), "an unchanged assignment is reported:\n{text}");
}
