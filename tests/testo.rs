//! Text that prints (issue «Extreme and hostile workbooks»): what a cell says
//! never makes a build fail with exit 3. Characters no embedded face draws,
//! clusters of combining marks, words longer than a line and over-long
//! titles each get a diagnostic at their cell; the PDFs are laid out.

mod common;

use common::C::*;
use common::*;
use std::fs;
use std::path::Path;

/// A one-objective plan whose objective has `title` and `description`, and
/// whose entity is `entity`.
fn plan(path: &Path, entity: &str, title: &str, description: &str) {
    workbook(
        path,
        &[
            (
                "Ente",
                vec![
                    vec![S("Voce"), S("Valore")],
                    vec![S("Denominazione"), S(entity)],
                    vec![S("Anno"), N(2025.0)],
                    vec![S("Data"), D(2025, 1, 30)],
                ],
            ),
            (
                "Obiettivi",
                vec![
                    vec![S("Codice"), S("Livello"), S("Titolo"), S("Descrizione"), S("Prospettiva")],
                    vec![S("OS1"), S("Strategico"), S(title), S(description), S("Processi interni")],
                ],
            ),
            (
                "Indicatori",
                vec![
                    vec![S("Codice"), S("Obiettivo"), S("Nome"), S("Target 2025")],
                    vec![S("I1"), S("OS1"), S("Pratiche evase"), S("10")],
                ],
            ),
        ],
    );
}

fn build(dir: &Path, wb: &Path) -> std::process::Output {
    piao(&["build", wb.to_str().expect("p"), "--out", dir.join("out").to_str().expect("p")])
}

#[test]
fn emoji_cjk_combining_marks_and_long_words_print_with_a_warning_at_their_cell() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("testo.xlsx");
    let combining = format!("Qualità{} dei servizi", "\u{301}".repeat(10_000));
    let long_word = "è".repeat(17_000);
    plan(&wb, "Camera di Commercio di Prova", "Servizi 😀 digitali 中文", &format!("{combining} {long_word}"));
    let o = build(dir.path(), &wb);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    for expected in [
        "testo.xlsx: Obiettivi!C2: «😀» «中» «文» non si può stampare con i caratteri tipografici dei documenti: nei PDF compare «\u{FFFD}»",
        "testo.xlsx: Obiettivi!D2: una parola di oltre 80 caratteri senza spazi va a capo dove capita; una lettera con decine di segni diacritici",
    ] {
        assert!(err.contains(expected), "missing «{expected}» in:\n{err}");
    }
    let schede = pdf_text(&dir.path().join("out/2025_schede.pdf"));
    assert!(schede.contains("Servizi \u{FFFD} digitali \u{FFFD}\u{FFFD}"), "{}", &schede[..schede.len().min(2000)]);
    assert_eq!(squash(&schede).matches('è').count(), 17_000, "the long word is printed whole");
    // The data keeps the text as written.
    let json = fs::read_to_string(dir.path().join("out/2025_results.json")).expect("results.json");
    assert!(json.contains("Servizi 😀 digitali 中文"));
}

#[test]
fn an_over_long_title_or_entity_name_is_an_error_at_its_cell_not_a_layout_failure() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("lungo.xlsx");
    let long = "è ".repeat(12_000);
    plan(&wb, &long, &long, "breve");
    let o = build(dir.path(), &wb);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("lungo.xlsx: Ente!B2: Denominazione: 23.999 caratteri, oltre il limite di 1.000"), "{err}");
    assert!(
        err.contains("lungo.xlsx: Obiettivi!C2: Titolo dell'obiettivo: 23.999 caratteri, oltre il limite di 1.000"),
        "{err}"
    );
    assert!(!err.contains("modello di impaginazione"), "{err}");
    assert!(!dir.path().join("out").exists(), "nothing is written when the workbook has errors");
}
