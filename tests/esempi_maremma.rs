//! The two Maremma e Tirreno examples (seeds 003 and 004): `piao check`
//! accepts them without errors, every objective title and indicator name
//! transcribed in `inputs/sorgenti/` is printed in the cards built from them,
//! and every strategic indicator in the Cruscotto di Ente of the Allegato. The names are read from the TSV sources, so a row added to a source
//! is checked without touching this test.

mod common;

use common::*;
use std::fs;
use std::path::Path;

/// The values of one column of a TSV source, as the generator writes them
/// into the xlsx (a leading `'` only forces text and is dropped).
fn column(sheet: &Path, header: &str) -> Vec<String> {
    let text = fs::read_to_string(sheet).unwrap_or_else(|e| panic!("{}: {e}", sheet.display()));
    let mut lines = text.lines();
    let head: Vec<&str> = lines.next().expect("header row").split('\t').collect();
    let i = head.iter().position(|h| *h == header).unwrap_or_else(|| panic!("{header} not in {}", sheet.display()));
    lines
        .map(|l| l.split('\t').nth(i).unwrap_or("").trim())
        .map(|c| c.strip_prefix('\'').unwrap_or(c).to_string())
        .collect()
}

/// Checks and builds one example, then looks for every objective title and
/// indicator name of its sources in the cards, and for the strategic
/// indicators in the annex (operational objectives without a Struttura, the
/// transversal ones, are not in its tables per structure yet).
fn check_and_build(name: &str, year: i32, objectives: usize, indicators: usize) {
    let workbook = format!("inputs/{name}.xlsx");
    let o = piao(&["check", &workbook]);
    assert!(o.status.success(), "{name}: check failed: {}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("0 errori"), "{name}: {out}");
    assert!(out.contains(&format!("{objectives} obiettivi")), "{name}: {out}");
    assert!(out.contains(&format!("{indicators} indicatori")), "{name}: {out}");

    let dir = tempfile::tempdir().expect("temp dir");
    let o = piao(&["build", &workbook, "--out", dir.path().to_str().expect("utf-8 path")]);
    assert!(o.status.success(), "{name}: build failed: {}", stderr(&o));
    let cards = squash(&pdf_text(&dir.path().join(format!("{year}_schede.pdf"))));
    let annex = squash(&pdf_text(&dir.path().join(format!("{year}_allegato.pdf"))));

    let sources = root().join("inputs/sorgenti").join(name);
    let titles = column(&sources.join("03_Obiettivi.tsv"), "Titolo");
    let levels = column(&sources.join("03_Obiettivi.tsv"), "Livello");
    let codes = column(&sources.join("03_Obiettivi.tsv"), "Codice");
    let names = column(&sources.join("04_Indicatori.tsv"), "Nome");
    let owners = column(&sources.join("04_Indicatori.tsv"), "Obiettivo");
    let strategic: Vec<&String> =
        codes.iter().zip(&levels).filter(|(_, l)| *l == "Strategico").map(|(c, _)| c).collect();
    assert_eq!(strategic.len(), 14, "{name}: strategic objectives");
    assert_eq!(titles.len(), objectives, "{name}: objective rows");
    assert_eq!(names.len(), indicators, "{name}: indicator rows");
    // Every target of the plan's triennium, as written in the source.
    for y in year..year + 3 {
        let targets = column(&sources.join("04_Indicatori.tsv"), &format!("Target {y}"));
        for (t, n) in targets.iter().zip(&names).filter(|(t, _)| !t.is_empty()) {
            assert!(cards.contains(&squash(t)), "{name}: target {y} «{t}» of «{n}» missing from the cards");
        }
    }
    for title in &titles {
        assert!(cards.contains(&squash(title)), "{name}: objective «{title}» missing from the cards");
    }
    for (n, objective) in names.iter().zip(&owners) {
        assert!(cards.contains(&squash(n)), "{name}: indicator «{n}» missing from the cards");
        if strategic.contains(&objective) {
            assert!(annex.contains(&squash(n)), "{name}: indicator «{n}» missing from the Allegato");
        }
    }
}

#[test]
fn the_cruscotto_2022_of_maremma_e_tirreno_checks_and_prints_every_name_and_target() {
    check_and_build("maremma-tirreno-cruscotto-2022", 2022, 106, 155);
}

#[test]
fn the_pira_2023_of_maremma_e_tirreno_checks_and_prints_every_name_and_target() {
    check_and_build("maremma-tirreno-pira-2023", 2023, 14, 58);
}
