//! End to end on the example workbooks in `inputs/`: the real binary builds
//! every document, and the tests read them back (PDF text, xlsx cells, JSON).

mod common;

use calamine::{Data, Reader, open_workbook_auto};
use common::*;
use std::fs;
use std::path::Path;

fn build_examples(out: &Path) {
    let o = piao(&["build", "inputs/", "--out", out.to_str().expect("utf-8 path")]);
    assert!(o.status.success(), "build failed: {}", stderr(&o));
}

fn results(out: &Path, year: i32) -> serde_json::Value {
    let text = fs::read_to_string(out.join(format!("{year}_results.json"))).expect("results.json written");
    serde_json::from_str(&text).expect("valid JSON")
}

#[test]
fn the_examples_build_every_document() {
    let dir = tempfile::tempdir().expect("temp dir");
    build_examples(dir.path());
    for name in [
        "2024_allegato.pdf",
        "2024_schede.pdf",
        "2024_cruscotto.xlsx",
        "2024_results.json",
        "2019_allegato.pdf",
        "2019_schede.pdf",
        "2019_relazione.pdf",
        "2019_cruscotto.xlsx",
        "2019_results.json",
        "2025_allegato.pdf",
        "2025_schede.pdf",
        "2025_cruscotto.xlsx",
        "2025_results.json",
    ] {
        let meta = fs::metadata(dir.path().join(name)).unwrap_or_else(|_| panic!("{name} missing"));
        assert!(meta.len() > 1000, "{name} is too small");
    }
    // Every PDF embeds only the intended faces (src/fonts.rs): no fallback.
    for name in ["2024_allegato.pdf", "2019_relazione.pdf", "2025_schede.pdf", "2019_schede.pdf"] {
        for face in pdf_fonts(&dir.path().join(name)) {
            let intended = [
                "NotoSans",
                "NotoSans-Bold",
                "NotoSans-Italic",
                "NotoSans-BoldItalic",
                "NotoSansMath",
                "NotoSansSymbols2",
            ];
            assert!(intended.iter().any(|f| face == *f || face.starts_with(&format!("{f}-"))), "{name} embeds {face}");
        }
    }
    // The PIAO 2024 and 2025 have no actual values: no Relazione for them.
    assert!(!dir.path().join("2024_relazione.pdf").exists());
    assert!(!dir.path().join("2025_relazione.pdf").exists());
}

#[test]
fn the_relazione_prints_the_published_figures_of_2019() {
    let dir = tempfile::tempdir().expect("temp dir");
    build_examples(dir.path());
    let text = pdf_text(&dir.path().join("2019_relazione.pdf"));
    // Seed 002, 7.1.a: Economico-Finanziaria 94,4%; Proventi da Progetto Apprendistato 84%; Fatturato 94%.
    assert!(text.contains("Economico-Finanziaria — 94,4%"), "perspective figure missing");
    let proventi =
        text.find("Proventi da Progetto Apprendistato (Arezzo Sviluppo: FOAR) € 650.000").expect("Proventi row");
    let row = &text[proventi..proventi + 120];
    assert!(row.contains("€ 650.000") && row.contains("€ 542.816,75") && row.contains("84%"), "Proventi row: {row}");
    assert!(text.contains("0,94 94%"), "Fatturato row (0,94 → 94%)");
    // Every indicator of the workbook is printed.
    let json = results(dir.path(), 2019);
    let squashed = squash(&text);
    for ind in json["indicators"].as_array().expect("indicators") {
        let name = ind["name"].as_str().expect("name");
        assert!(squashed.contains(&squash(name)), "indicator «{name}» not in the Relazione");
    }
}

#[test]
fn the_annex_prints_every_objective_indicator_and_target() {
    let dir = tempfile::tempdir().expect("temp dir");
    build_examples(dir.path());
    // Arezzo-Siena PIAO 2024-2026 (seed 000) and Pistoia-Prato PIAO 2025-2027 (seed 001).
    for year in [2024, 2025] {
        let text = pdf_text(&dir.path().join(format!("{year}_allegato.pdf")));
        assert!(text.contains(&format!("Cruscotto di Ente {year}")));
        assert!(text.contains(&format!("Target {} Target {} Target {}", year, year + 1, year + 2)));
        assert!(text.contains("pag. 3 di"), "page numbers");
        let allegato = squash(&text);
        let cards = squash(&pdf_text(&dir.path().join(format!("{year}_schede.pdf"))));
        let json = results(dir.path(), year);
        for ind in json["indicators"].as_array().expect("indicators") {
            let name = ind["name"].as_str().expect("name");
            assert!(allegato.contains(&squash(name)), "{year}: indicator «{name}» missing from the Allegato");
            assert!(cards.contains(&squash(name)), "{year}: indicator «{name}» missing from the cards");
            for (y, t) in ind["targets"].as_object().expect("targets") {
                let t = t["text"].as_str().expect("target text");
                assert!(cards.contains(&squash(t)), "{year}: target {y} «{t}» of «{name}» missing from the cards");
                if y == &year.to_string() {
                    assert!(
                        allegato.contains(&squash(t)),
                        "{year}: target «{t}» of «{name}» missing from the Allegato"
                    );
                }
            }
        }
        for o in json["objectives"].as_array().expect("objectives") {
            let title = o["title"].as_str().expect("title");
            assert!(cards.contains(&squash(title)), "{year}: objective card «{title}» missing");
        }
    }
}

#[test]
fn the_pdfs_are_tagged_archival_and_in_italian() {
    let dir = tempfile::tempdir().expect("temp dir");
    build_examples(dir.path());
    let bytes = fs::read(dir.path().join("2019_relazione.pdf")).expect("pdf");
    let raw = String::from_utf8_lossy(&bytes);
    assert!(raw.contains("<pdfaid:part>2</pdfaid:part>"), "declares PDF/A-2");
    assert!(raw.contains("<pdfaid:conformance>A</pdfaid:conformance>"), "conformance level A");
    assert!(raw.contains("<pdfuaid:part>1</pdfuaid:part>"), "declares PDF/UA-1");
    assert!(raw.contains("/StructTreeRoot"), "tagged");
    assert!(raw.contains("<dc:language><rdf:Bag><rdf:li>it-IT</rdf:li>"), "language it-IT");
}

#[test]
fn the_cruscotto_xlsx_holds_numbers_not_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    build_examples(dir.path());
    let mut wb = open_workbook_auto(dir.path().join("2019_cruscotto.xlsx")).expect("xlsx opens");
    let names = wb.sheet_names().to_vec();
    for s in ["Sintesi", "Obiettivi", "Indicatori", "Anomalie"] {
        assert!(names.iter().any(|n| n == s), "sheet {s} missing: {names:?}");
    }
    assert!(names.iter().any(|n| n.starts_with("Struttura ")), "one sheet per unit");
    let ind = wb.worksheet_range("Indicatori").expect("Indicatori");
    let header: Vec<String> = ind.rows().next().expect("header").iter().map(|d| d.to_string()).collect();
    let sal_col = header.iter().position(|h| h == "SAL").expect("SAL column");
    let row = ind
        .rows()
        .find(|r| r.iter().any(|d| d.to_string().starts_with("Proventi da Progetto Apprendistato")))
        .expect("Proventi row");
    match &row[sal_col] {
        Data::Float(f) => assert!((f - 0.835102).abs() < 1e-5, "SAL {f}"),
        other => panic!("SAL is not a number: {other:?}"),
    }
    let sintesi = wb.worksheet_range("Sintesi").expect("Sintesi");
    let ef = sintesi.rows().find(|r| r.iter().any(|d| *d == "Economico-Finanziaria")).expect("EF row");
    match &ef[3] {
        Data::Float(f) => assert!((f - 0.94378).abs() < 1e-4, "EF {f}"),
        other => panic!("area score is not a number: {other:?}"),
    }
}

#[test]
fn results_json_carries_clean_percentages() {
    let dir = tempfile::tempdir().expect("temp dir");
    build_examples(dir.path());
    let json = results(dir.path(), 2019);
    assert_eq!(json["schema"], "piao-results/1");
    let ef = json["areas"].as_array().expect("areas").iter().find(|a| a["code"] == "EF").expect("EF area");
    // (100 + 83,5102… + 100 + 94) / 4 does not terminate: 10 places, half to even.
    assert_eq!(ef["score"], "94.3775673077");
    let proventi = json["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .find(|i| i["name"].as_str().is_some_and(|n| n.starts_with("Proventi da Progetto")))
        .expect("Proventi");
    assert_eq!(proventi["sal"], "83.5102692308");
    let one = json["objectives"].as_array().expect("objectives").iter().find(|o| o["code"] == "1").expect("1");
    assert_eq!(one["score"], "100", "a terminating figure is written exactly");
    assert_eq!(proventi["status"], "parziale");
}

#[test]
fn the_same_workbook_gives_the_same_bytes() {
    let a = tempfile::tempdir().expect("temp dir");
    let b = tempfile::tempdir().expect("temp dir");
    build_examples(a.path());
    build_examples(b.path());
    let mut names: Vec<_> = fs::read_dir(a.path()).expect("list").flatten().map(|e| e.file_name()).collect();
    names.sort();
    assert!(names.len() >= 9);
    for n in names {
        assert_eq!(
            fs::read(a.path().join(&n)).expect("a"),
            fs::read(b.path().join(&n)).expect("b"),
            "{n:?} differs between two builds"
        );
    }
}

#[test]
fn check_summarises_the_example_plan() {
    let o = piao(&["check", "inputs/arezzo-siena-relazione-2019.xlsx"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("Camera di Commercio di Arezzo-Siena — anno 2019"), "{out}");
    assert!(out.contains("203 indicatori, 203 consuntivi 2019"), "{out}");
    assert!(out.contains("0 errori"), "{out}");
}
