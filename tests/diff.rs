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
