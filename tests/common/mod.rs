//! Helpers shared by the integration tests: run the real binary, extract PDF
//! text with pdftotext, build small workbooks with rust_xlsxwriter.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `piao` with arguments.
pub fn piao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_piao")).args(args).current_dir(root()).output().expect("the piao binary runs")
}

/// Standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// The text of a PDF in content order (`pdftotext -raw`, poppler-utils):
/// a table cell's lines stay together. Whitespace folded.
pub fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-raw")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext is installed (poppler-utils)");
    assert!(out.status.success(), "pdftotext failed on {}", path.display());
    fold(&String::from_utf8_lossy(&out.stdout))
}

/// The base names of the fonts a PDF embeds (`pdffonts`, poppler-utils),
/// without the subset prefix: `ABCDEF+NotoSans-Bold` is `NotoSans-Bold`.
pub fn pdf_fonts(path: &Path) -> Vec<String> {
    let out = Command::new("pdffonts").arg(path).output().expect("pdffonts is installed (poppler-utils)");
    assert!(out.status.success(), "pdffonts failed on {}", path.display());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(2)
        .filter_map(|l| l.split_whitespace().next())
        .map(|n| n.split_once('+').map_or(n, |(_, f)| f).to_string())
        .collect()
}

/// Whitespace folded to single spaces, for comparing wrapped text.
pub fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// All whitespace removed: table cells wrap long names anywhere.
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A cell of a generated workbook.
pub enum C<'a> {
    /// Text.
    S(&'a str),
    /// A typed number.
    N(f64),
    /// A typed number shown as a percentage (0.95 shows 95%).
    P(f64),
    /// A typed date.
    D(u16, u8, u8),
    /// A formula with its cached result.
    F(&'a str, &'a str),
    /// Nothing.
    E,
}

/// Writes a workbook with the given sheets (name, rows).
pub fn workbook(path: &Path, sheets: &[(&str, Vec<Vec<C>>)]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).expect("sheet name");
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                match cell {
                    C::S(s) => {
                        ws.write_string(r as u32, c as u16, *s).expect("write");
                    }
                    C::N(n) => {
                        ws.write_number(r as u32, c as u16, *n).expect("write");
                    }
                    C::P(n) => {
                        let f = rust_xlsxwriter::Format::new().set_num_format("0%");
                        ws.write_number_with_format(r as u32, c as u16, *n, &f).expect("write");
                    }
                    C::D(y, m, d) => {
                        let f = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
                        let dt = rust_xlsxwriter::ExcelDateTime::from_ymd(*y, *m, *d).expect("date");
                        ws.write_datetime_with_format(r as u32, c as u16, &dt, &f).expect("write");
                    }
                    C::F(formula, result) => {
                        let f = rust_xlsxwriter::Formula::new(*formula).set_result(*result);
                        ws.write_formula(r as u32, c as u16, f).expect("write");
                    }
                    C::E => {}
                }
            }
        }
    }
    wb.save(path).expect("save workbook");
}

/// A small valid plan: one area, one strategic objective, one operational
/// objective, two indicators with actual values. `target` is the text of the
/// first indicator's 2025 target.
pub fn small_plan(path: &Path, target: &str) {
    small_plan_with(path, target, "90%");
}

/// [`small_plan`] with `actual` as the first indicator's actual value.
pub fn small_plan_with(path: &Path, target: &str, actual: &str) {
    small_plan_of(path, "Camera di Commercio di Prova", target, actual);
}

/// [`small_plan_with`] for the entity named `ente`.
pub fn small_plan_of(path: &Path, ente: &str, target: &str, actual: &str) {
    use C::*;
    workbook(
        path,
        &[
            ("Ente", vec![vec![S("Voce"), S("Valore")], vec![S("Denominazione"), S(ente)], vec![S("Anno"), N(2025.0)]]),
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
            (
                "Indicatori",
                vec![
                    vec![S("Codice"), S("Obiettivo"), S("Nome"), S("UdM"), S("Target 2025")],
                    vec![S("I1"), S("OS1"), S("Pratiche evase entro 5 giorni"), S("%"), S(target)],
                    vec![S("I2"), S("OP1"), S("Eventi realizzati"), S("n."), S("10")],
                ],
            ),
            (
                "Consuntivi",
                vec![
                    vec![S("Indicatore"), S("Anno"), S("Valore"), S("Note")],
                    vec![S("I1"), N(2025.0), S(actual), E],
                    vec![S("I2"), N(2025.0), N(8.0), S("Due eventi rinviati")],
                ],
            ),
        ],
    );
}

/// Converts a workbook with LibreOffice headless (`ods`, `xls`); the converted
/// file is returned. LibreOffice is a test dependency (.ci/run installs it).
pub fn convert(path: &Path, ext: &str) -> PathBuf {
    let dir = path.parent().expect("parent");
    let profile = dir.join("lo-profile");
    let o = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", ext, "--outdir"])
        .arg(dir)
        .arg(path)
        .output()
        .expect("LibreOffice (soffice) is installed: apt-get install libreoffice-calc");
    let out = path.with_extension(ext);
    assert!(out.exists(), "LibreOffice did not convert {}: {}", path.display(), String::from_utf8_lossy(&o.stderr));
    out
}

/// The text of every zip entry (of an xlsx) whose name starts with `prefix`,
/// in name order.
pub fn zip_text(path: &Path, prefix: &str) -> String {
    use std::io::Read;
    let file = std::fs::File::open(path).expect("the xlsx opens");
    let mut zip = zip::ZipArchive::new(file).expect("the xlsx is a zip");
    let mut names: Vec<String> =
        zip.file_names().filter_map(Result::ok).filter(|n| n.starts_with(prefix)).map(|n| n.to_string()).collect();
    names.sort();
    let mut out = String::new();
    for name in names {
        zip.by_name(&name).expect("entry").read_to_string(&mut out).expect("UTF-8 entry");
    }
    out
}

/// The smallest valid plan, whose `Ente` names `logo` as its Logo.
pub fn plan_with_logo(path: &Path, logo: &str) {
    workbook(
        path,
        &[
            (
                "Ente",
                vec![
                    vec![C::S("Voce"), C::S("Valore")],
                    vec![C::S("Denominazione"), C::S("Camera di Prova")],
                    vec![C::S("Anno"), C::N(2025.0)],
                    vec![C::S("Logo"), C::S(logo)],
                ],
            ),
            (
                "Obiettivi",
                vec![
                    vec![C::S("Codice"), C::S("Livello"), C::S("Titolo"), C::S("Prospettiva")],
                    vec![C::S("OS1"), C::S("Strategico"), C::S("A"), C::S("Processi interni")],
                ],
            ),
            (
                "Indicatori",
                vec![
                    vec![C::S("Codice"), C::S("Obiettivo"), C::S("Nome"), C::S("Target 2025")],
                    vec![C::S("I1"), C::S("OS1"), C::S("N"), C::S("5")],
                ],
            ),
        ],
    );
}
