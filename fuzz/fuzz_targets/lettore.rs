//! Fuzzes the reader and the model. Bytes that start like a file
//! (`PK`: xlsx/ods; the compound-file signature: xls) are written as a
//! workbook file as they are, so the files of `tests/estremi.rs` (kept with
//! `PIAO_CORPUS=dir`) seed it; any other bytes choose the cells of a small
//! plan (texts, numbers, blanks), which is written as xlsx and read back.
//! Any content must give a plan or diagnostics, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rust_xlsxwriter::Workbook;

const SHEETS: [(&str, &[&str]); 5] = [
    ("Ente", &["Voce", "Valore"]),
    ("Obiettivi", &["Codice", "Livello", "Titolo", "Ambito", "Obiettivo strategico", "Struttura", "Peso"]),
    ("Indicatori", &["Codice", "Obiettivo", "Nome", "UdM", "Operatore", "Baseline", "Target 2025", "Target 2026", "Peso"]),
    ("Consuntivi", &["Indicatore", "Anno", "Valore", "Note", "Neutralizzato"]),
    ("Strutture", &["Codice", "Denominazione", "Padre"]),
];

fuzz_target!(|data: &[u8]| {
    let ext = if data.starts_with(b"PK") {
        Some("xlsx")
    } else if data.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Some("xls")
    } else {
        None
    };
    if let Some(ext) = ext {
        let Ok(dir) = tempfile::tempdir() else { return };
        let path = dir.path().join(format!("fuzz.{ext}"));
        if std::fs::write(&path, data).is_err() {
            return;
        }
        let (plan, mut diags) = piao::pipeline::load(&path);
        if let Some(plan) = plan {
            let _ = piao::score::score(&plan, &mut diags);
        }
        let _ = piao::diag::render(&diags, false);
        return;
    }
    let text = String::from_utf8_lossy(data);
    let mut cells = text.split('|');
    let mut wb = Workbook::new();
    for (name, headers) in SHEETS {
        let ws = wb.add_worksheet();
        if ws.set_name(name).is_err() {
            return;
        }
        for (c, h) in headers.iter().enumerate() {
            let _ = ws.write_string(0, c as u16, *h);
        }
        for r in 1..4u32 {
            for c in 0..headers.len() as u16 {
                let Some(cell) = cells.next() else { break };
                let _ = match cell.strip_prefix('#').and_then(|n| n.parse::<f64>().ok()) {
                    Some(n) => ws.write_number(r, c, n).map(|_| ()),
                    None if cell.is_empty() => Ok(()),
                    None => ws.write_string(r, c, cell).map(|_| ()),
                };
            }
        }
    }
    let Ok(dir) = tempfile::tempdir() else { return };
    let path = dir.path().join("fuzz.xlsx");
    if wb.save(&path).is_err() {
        return;
    }
    let (plan, mut diags) = piao::pipeline::load(&path);
    if let Some(plan) = plan {
        let _ = piao::score::score(&plan, &mut diags);
    }
    let _ = piao::diag::render(&diags, false);
});
