//! Figures reach the documents as the workbook states them: every target
//! year (also outside the triennium), the operator the score compares
//! with, bars that start at 0, and a clear word for a formula nobody
//! calculated.

mod common;

use calamine::{Data, Reader, open_workbook_auto};
use common::C::*;
use common::*;
use std::path::Path;
use std::process::Command;

/// A 2023 plan with the triennium 2023–2025 and targets for 2023..2026;
/// the targets carry their own operators (`<=1`, `< 20%`, `ITP < -10`), a
/// deadline, and a filled `Consuntivo 2022` column no document prints.
fn four_year_plan(path: &Path) {
    let indicators = vec![
        vec![
            S("Codice"),
            S("Obiettivo"),
            S("Nome"),
            S("Target 2023"),
            S("Target 2024"),
            S("Target 2025"),
            S("Target 2026"),
            S("Consuntivo 2022"),
        ],
        vec![S("I1"), S("OS1"), S("Tempo medio di evasione"), S("<=1"), S("<=1"), S("<=0,9"), S("<=0,77"), S("1")],
        vec![S("I2"), S("OS1"), S("Quota di pratiche sospese"), S("< 20%"), S("< 19%"), S("< 18%"), S("< 17%"), E],
        vec![S("I3"), S("OP1"), S("Tempestività dei pagamenti"), S("ITP < -10"), S("ITP < -10"), E, S("ITP < -12"), E],
        vec![S("I4"), S("OP1"), S("Eventi realizzati"), S("5"), S("6"), S("7"), S("4321"), E],
        vec![
            S("I5"),
            S("OP1"),
            S("Relazione approvata"),
            S("31/12/2023"),
            S("31/12/2024"),
            S("31/12/2025"),
            S("30/11/2026"),
            E,
        ],
    ];
    workbook(
        path,
        &[
            (
                "Ente",
                vec![
                    vec![S("Voce"), S("Valore")],
                    vec![S("Denominazione"), S("Camera di Commercio di Prova")],
                    vec![S("Anno"), N(2023.0)],
                    vec![S("Triennio"), S("2023-2025")],
                ],
            ),
            ("Ambiti", vec![vec![S("Codice"), S("Denominazione")], vec![S("A"), S("Competitività delle imprese")]]),
            (
                "Obiettivi",
                vec![
                    vec![
                        S("Codice"),
                        S("Livello"),
                        S("Titolo"),
                        S("Ambito"),
                        S("Obiettivo strategico"),
                        S("Struttura"),
                    ],
                    vec![S("OS1"), S("Strategico"), S("Imprese più digitali"), S("A"), E, E],
                    vec![S("OP1"), S("Operativo"), S("Sportello digitale"), E, S("OS1"), S("Area 1")],
                ],
            ),
            ("Indicatori", indicators),
        ],
    );
}

fn build(wb: &Path, out: &Path) -> String {
    let o = piao(&["build", wb.to_str().expect("path"), "--out", out.to_str().expect("path")]);
    assert!(o.status.success(), "{}", stderr(&o));
    stderr(&o)
}

#[test]
fn a_target_year_outside_the_triennium_reaches_every_document() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("piano.xlsx");
    four_year_plan(&wb);
    let out = dir.path().join("out");
    let err = build(&wb, &out);
    for pdf in ["2023_allegato.pdf", "2023_schede.pdf"] {
        let text = pdf_text(&out.join(pdf));
        assert!(text.contains("Target 2026"), "{pdf}: no 2026 column: {text}");
        // The cruscotto di ente of the Allegato lists the strategic indicators.
        let targets: &[&str] = if pdf == "2023_schede.pdf" {
            &["<=0,77", "< 17%", "ITP < -12", "4321", "30/11/2026"]
        } else {
            &["<=0,77", "< 17%"]
        };
        for target in targets {
            assert!(text.contains(target), "{pdf}: the 2026 target «{target}» is missing: {text}");
        }
    }
    let mut book = open_workbook_auto(out.join("2023_cruscotto.xlsx")).expect("opens");
    let ind = book.worksheet_range("Indicatori").expect("Indicatori");
    let header: Vec<String> = ind.rows().next().expect("header").iter().map(|d| d.to_string()).collect();
    let col = header.iter().position(|h| h == "Target 2026").unwrap_or_else(|| panic!("no Target 2026: {header:?}"));
    let cells: Vec<&Data> = (1..=5).map(|r| ind.get_value((r, col as u32)).expect("cell")).collect();
    let close = |d: &Data, v: f64| matches!(d, Data::Float(f) if (f - v).abs() < 1e-12);
    assert!(close(cells[0], 0.77) && close(cells[1], 0.17) && close(cells[3], 4321.0), "{cells:?}");
    assert_eq!(cells[2], &Data::String("ITP < -12".into()));
    assert!(matches!(cells[4], Data::DateTime(_)), "{cells:?}");
    // The filled column no document prints is named, once, at its header.
    let warning = "Indicatori!H1: la colonna «Consuntivo 2022» non è stampata in nessun documento";
    assert_eq!(err.matches(warning).count(), 1, "{err}");
}

#[test]
fn the_operator_column_prints_the_operator_the_score_uses() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("piano.xlsx");
    four_year_plan(&wb);
    let out = dir.path().join("out");
    build(&wb, &out);
    // Cards: name, (empty type, unit, baseline), operator, targets.
    let cards = pdf_text(&out.join("2023_schede.pdf"));
    for (name, op, first) in [
        ("Tempo medio di evasione", "≤", "<=1"),
        ("Quota di pratiche sospese", "<", "< 20%"),
        ("Tempestività dei pagamenti", "<", "ITP < -10"),
        ("Eventi realizzati", "≥", "5"),
        ("Relazione approvata", "≤", "31/12/2023"),
    ] {
        let row = format!("{name} {op} {first}");
        assert!(cards.contains(&row), "«{row}» not in the cards: {cards}");
    }
    let mut book = open_workbook_auto(out.join("2023_cruscotto.xlsx")).expect("opens");
    let ind = book.worksheet_range("Indicatori").expect("Indicatori");
    let ops: Vec<String> = (1..=5).map(|r| ind.get_value((r, 4)).expect("cell").to_string()).collect();
    assert_eq!(ops, vec!["≤", "<", "<", "≥", "≤"]);
}

/// A formula stored without its result (as programs that do not calculate
/// write them) is named as such at its cell, not as a missing name.
#[test]
fn a_formula_without_a_computed_value_is_said_at_its_cell() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("formule.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    // Sheet, columns, cells row by row ("" leaves a cell empty).
    let sheets: [(&str, usize, Vec<&str>); 4] = [
        ("Ente", 2, vec!["Voce", "Valore", "Denominazione", "", "Anno", "2025"]),
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
    // The entity's name, an indicator's name and another's actual value are
    // formulas without results.
    // (rust_xlsxwriter stores 0 unless told to store no result.)
    let ente = book.worksheet_from_name("Ente").expect("sheet");
    ente.set_formula_result_default("");
    ente.write_formula(1, 1, "=\"Camera di \"&\"Prova\"").expect("f");
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
    assert!(line("errore: ", "Ente!B2"), "{err}");
    assert!(!err.contains("non è compilata"), "{err}");
    assert!(line("avviso: ", "Consuntivi!C2"), "{err}");
    assert!(!err.contains("Nome dell'indicatore mancante"), "{err}");
}

/// The pixels of one PDF page at `dpi` (pdftoppm, binary PPM).
fn page_pixels(pdf: &Path, page: usize, dpi: u32) -> (usize, usize, Vec<u8>) {
    let prefix = pdf.with_extension("");
    let o = Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-f", &page.to_string(), "-l", &page.to_string(), "-singlefile"])
        .arg(pdf)
        .arg(&prefix)
        .output()
        .expect("pdftoppm is installed (poppler-utils)");
    assert!(o.status.success(), "pdftoppm: {}", String::from_utf8_lossy(&o.stderr));
    let bytes = std::fs::read(prefix.with_extension("ppm")).expect("ppm written");
    // Header: "P6", width, height, maxval, each followed by one whitespace.
    let mut fields = Vec::new();
    let mut pos = 0;
    while fields.len() < 4 {
        while bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        let start = pos;
        while !bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..pos]).to_string());
    }
    assert_eq!(fields[0], "P6");
    let (w, h): (usize, usize) = (fields[1].parse().expect("width"), fields[2].parse().expect("height"));
    (w, h, bytes[pos + 1..].to_vec())
}

/// The first page whose text contains `needle`.
fn page_with(pdf: &Path, needle: &str) -> usize {
    for page in 1..200 {
        let o = Command::new("pdftotext")
            .args(["-f", &page.to_string(), "-l", &page.to_string(), "-raw"])
            .arg(pdf)
            .arg("-")
            .output()
            .expect("pdftotext");
        let text = String::from_utf8_lossy(&o.stdout);
        if text.trim().is_empty() && !o.status.success() {
            break;
        }
        if fold(&text).contains(needle) {
            return page;
        }
    }
    panic!("no page with «{needle}»");
}

/// Bars of the Relazione's chart: horizontal runs, at least 4 pixels high,
/// of one status colour; (top row, left x, width) from top to bottom.
fn bars(w: usize, h: usize, px: &[u8]) -> Vec<(usize, usize, usize)> {
    let colours: [[u8; 3]; 4] = [[0x2e, 0x7d, 0x32], [0xe0, 0xa1, 0x00], [0xc6, 0x28, 0x28], [0x8a, 0x8a, 0x8a]];
    let is_bar = |x: usize, y: usize| {
        let p = &px[(y * w + x) * 3..(y * w + x) * 3 + 3];
        colours.iter().any(|c| c.iter().zip(p).all(|(a, b)| a.abs_diff(*b) <= 8))
    };
    // The longest run of bar colour in each row.
    let runs: Vec<Option<(usize, usize)>> = (0..h)
        .map(|y| {
            let mut best: Option<(usize, usize)> = None;
            let mut x = 0;
            while x < w {
                if is_bar(x, y) {
                    let start = x;
                    while x < w && is_bar(x, y) {
                        x += 1;
                    }
                    if best.is_none_or(|(_, len)| x - start > len) {
                        best = Some((start, x - start));
                    }
                }
                x += 1;
            }
            best.filter(|(_, len)| *len >= 3)
        })
        .collect();
    let mut out = Vec::new();
    let mut y = 0;
    while y < h {
        if let Some(run) = runs[y] {
            let top = y;
            while y < h && runs[y] == Some(run) {
                y += 1;
            }
            if y - top >= 4 {
                out.push((top, run.0, run.1));
            }
        } else {
            y += 1;
        }
    }
    out
}

#[test]
fn every_bar_of_the_relazione_chart_starts_at_zero_and_is_as_long_as_its_figure() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path();
    build(&root().join("inputs/arezzo-siena-relazione-2019.xlsx"), out);
    let pdf = out.join("2019_relazione.pdf");
    let text = pdf_text(&pdf);
    // The areas and their figures, from the headings «Nome — 94,4%».
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("2019_results.json")).expect("json")).expect("valid");
    let figures: Vec<f64> = json["areas"]
        .as_array()
        .expect("areas")
        .iter()
        .map(|a| {
            let name = a["name"].as_str().expect("name");
            let at = text.find(&format!("{name} — ")).unwrap_or_else(|| panic!("no heading for {name}"));
            let rest = &text[at + name.len() + " — ".len()..];
            let figure = rest.split('%').next().expect("figure").replace(',', ".");
            figure.parse().unwrap_or_else(|_| panic!("{name}: «{figure}»"))
        })
        .collect();
    assert!(figures.iter().any(|f| *f < 100.0), "the example has a bar below 100%: {figures:?}");
    // The chart's page (the index names its heading too: look for the caption).
    let page = page_with(&pdf, "Risultato di ciascun ambito (scala");
    let dpi = 100;
    let (w, h, px) = page_pixels(&pdf, page, dpi);
    let found = bars(w, h, &px);
    assert_eq!(found.len(), figures.len(), "one bar per area: {found:?}");
    let left = found[0].1;
    // 12 cm is 100%.
    let full = 12.0 / 2.54 * f64::from(dpi);
    for ((_, x, width), figure) in found.iter().zip(&figures) {
        assert!(x.abs_diff(left) <= 1, "a bar starts at {x}, the first at {left}: {found:?}");
        let expected = full * figure.min(100.0) / 100.0;
        assert!((*width as f64 - expected).abs() <= 3.0, "{figure}% is {width} px wide, expected {expected:.0}");
    }
}
