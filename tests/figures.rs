//! Figures reach the documents as the workbook states them: a clear word
//! for a formula nobody calculated.

mod common;

use common::*;

/// A formula stored without its result (as programs that do not calculate
/// write them) is named as such at its cell, not as a missing name.
#[test]
fn a_formula_without_a_computed_value_is_said_at_its_cell() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("formule.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    // Sheet, columns, cells row by row ("" leaves a cell empty).
    let sheets: [(&str, usize, Vec<&str>); 4] = [
        ("Ente", 2, vec!["Voce", "Valore", "Denominazione", "Camera di Commercio di Prova", "Anno", "2025"]),
        (
            "Obiettivi",
            4,
            vec!["Codice", "Livello", "Titolo", "Prospettiva", "OS1", "Strategico", "Imprese", "Processi interni"],
        ),
        (
            "Indicatori",
            4,
            vec!["Codice", "Obiettivo", "Nome", "Target 2025", "I1", "OS1", "Pratiche", "10", "I2", "OS1", "", "5"],
        ),
        ("Consuntivi", 3, vec!["Indicatore", "Anno", "Valore", "I1", "2025", ""]),
    ];
    for (name, width, cells) in sheets {
        let ws = book.add_worksheet();
        ws.set_name(name).expect("name");
        for (n, text) in cells.iter().enumerate() {
            let (r, c) = ((n / width) as u32, (n % width) as u16);
            if !text.is_empty() {
                ws.write_string(r, c, *text).expect("write");
            }
        }
    }
    // An indicator's name and another's actual value are formulas without results.
    // (rust_xlsxwriter stores 0 unless told to store no result.)
    let ind = book.worksheet_from_name("Indicatori").expect("sheet");
    ind.set_formula_result_default("");
    ind.write_formula(2, 2, "=\"Pratiche \"&\"evase\"").expect("f");
    let cons = book.worksheet_from_name("Consuntivi").expect("sheet");
    cons.set_formula_result_default("");
    cons.write_formula(1, 2, "=5+3").expect("f");
    book.save(&wb).expect("save");
    let o = piao(&["check", wb.to_str().expect("path")]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let said = "la cella contiene una formula senza valore calcolato: aprire e salvare il file con Excel o LibreOffice";
    let line = |severity: &str, cell: &str| {
        err.lines().any(|l| l.starts_with(severity) && l.ends_with(&format!("formule.xlsx: {cell}: {said}")))
    };
    // A required cell is an error; an actual value reads blank, with a warning.
    assert!(line("errore: ", "Indicatori!C3"), "{err}");
    assert!(line("avviso: ", "Consuntivi!C2"), "{err}");
    assert!(!err.contains("Nome dell'indicatore mancante"), "{err}");
}
