//! Reading stage: opens a workbook with calamine and finds, in each sheet the
//! contract names, the header row and the columns, keeping every cell's
//! position so later stages can name it in a diagnostic.

mod cell;
mod names;
mod number;
mod table;

pub use cell::Cell;
pub use names::normalize;
pub use number::{decimal_from_f64, parse_italian_number};
pub use table::{ColumnSpec, Row, SheetSpec, Table, YearKind};

use crate::diag::Diagnostic;
use calamine::{Data, Range, Reader};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// A workbook as calamine read it: sheet names and cell grids, nothing
/// interpreted yet.
pub struct RawWorkbook {
    /// The file name as the user gave it, for diagnostics.
    pub file: String,
    /// The folder holding the workbook (relative paths such as the logo
    /// resolve from it).
    pub dir: PathBuf,
    /// Every sheet, in workbook order.
    pub sheets: Vec<RawSheet>,
}

/// One sheet's cells; `range.start()` gives the absolute position of the
/// first cell.
pub struct RawSheet {
    /// The sheet name as written in the workbook.
    pub name: String,
    /// The used cells; every cell of a merged area holds the area's value.
    pub range: Range<Data>,
    /// Hidden in the spreadsheet program (it is read all the same).
    pub hidden: bool,
    /// Absolute positions of formulas stored without a computed value (a
    /// file written by a program that does not calculate): such a cell reads
    /// as blank, and the model says why instead of «mancante».
    pub uncomputed: HashSet<(u32, u32)>,
}

impl RawWorkbook {
    /// Opens any format calamine reads (xlsx, xlsm, xls, ods) and loads every
    /// sheet. Failures are reported in Italian, naming the file.
    pub fn open(path: &Path) -> Result<RawWorkbook, Diagnostic> {
        let file = path.display().to_string();
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        if !path.is_file() {
            return Err(Diagnostic::error("file non trovato o non leggibile")
                .hint("controllare il percorso del file Excel")
                .in_file(&file));
        }
        let mut book = calamine::open_workbook_auto(path).map_err(|e| open_error(path, &file, &e))?;
        let meta: Vec<(String, bool)> = book
            .sheets_metadata()
            .iter()
            .map(|s| (s.name.clone(), s.visible != calamine::SheetVisible::Visible))
            .collect();
        let mut sheets = Vec::with_capacity(meta.len());
        for (name, hidden) in meta {
            match book.worksheet_range(&name) {
                Ok(mut range) => {
                    for area in merged_areas(&mut book, &name) {
                        fill_merged(&mut range, area);
                    }
                    let uncomputed = uncomputed_formulas(&mut book, &name, &range);
                    sheets.push(RawSheet { name, range, hidden, uncomputed })
                }
                Err(e) => {
                    return Err(Diagnostic::error(format!("impossibile leggere il foglio: {e}"))
                        .at(&name, None)
                        .in_file(&file));
                }
            }
        }
        Ok(RawWorkbook { file, dir, sheets })
    }

    /// Finds a sheet by any of its accepted names (compared normalised).
    pub fn sheet(&self, names: &[&str]) -> Option<&RawSheet> {
        self.sheets.iter().find(|s| names.iter().any(|n| normalize(&s.name) == normalize(n)))
    }
}

/// The merged areas of a sheet, where the format records them (xlsx, xls).
fn merged_areas<RS: std::io::Read + std::io::Seek>(
    book: &mut calamine::Sheets<RS>,
    name: &str,
) -> Vec<calamine::Dimensions> {
    match book {
        calamine::Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        calamine::Sheets::Xls(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// The formula cells whose stored value is blank. A formula that computes
/// an empty text looks the same in the file; the model only reports these
/// cells where a value is needed.
fn uncomputed_formulas<RS: std::io::Read + std::io::Seek>(
    book: &mut calamine::Sheets<RS>,
    name: &str,
    values: &Range<Data>,
) -> HashSet<(u32, u32)> {
    let Ok(formulas) = book.worksheet_formula(name) else { return HashSet::new() };
    let start = formulas.start().unwrap_or((0, 0));
    formulas
        .used_cells()
        .map(|(r, c, _)| (start.0 + r as u32, start.1 + c as u32))
        .filter(|pos| match values.get_value(*pos) {
            None | Some(Data::Empty) => true,
            Some(Data::String(s)) => s.trim().is_empty(),
            Some(_) => false,
        })
        .collect()
}

/// Copies a merged area's value (its top-left cell) into every cell of the
/// area: a "Programma di intervento" merged over five rows belongs to all
/// five.
fn fill_merged(range: &mut Range<Data>, area: calamine::Dimensions) {
    let Some(value) = range.get_value(area.start).cloned() else { return };
    if matches!(value, Data::Empty) {
        return;
    }
    // A merged area is at most a screenful in practice; refuse absurd ones.
    let cells =
        (area.end.0.saturating_sub(area.start.0) as u64 + 1) * (area.end.1.saturating_sub(area.start.1) as u64 + 1);
    if cells > 10_000 {
        return;
    }
    for r in area.start.0..=area.end.0 {
        for c in area.start.1..=area.end.1 {
            if (r, c) != area.start && matches!(range.get_value((r, c)), Some(Data::Empty) | None) {
                range.set_value((r, c), value.clone());
            }
        }
    }
}

/// True for an encrypted (password-protected) Office file: a compound file
/// with an `EncryptionInfo` stream.
fn is_encrypted_office(path: &Path) -> bool {
    let Ok(bytes) = std::fs::read(path) else { return false };
    let cfb = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    let marker: Vec<u8> = "EncryptionInfo".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    cfb && bytes.windows(marker.len()).any(|w| w == marker.as_slice())
}

fn open_error(path: &Path, file: &str, e: &calamine::Error) -> Diagnostic {
    let text = e.to_string();
    let lower = text.to_lowercase();
    let d = if lower.contains("password") || lower.contains("encrypt") || is_encrypted_office(path) {
        Diagnostic::error("il file è protetto da password").hint("salvare una copia senza password e rieseguire")
    } else {
        Diagnostic::error(format!("il file non è un foglio di calcolo leggibile ({text})")).hint(
            "formati accettati: .xlsx, .xlsm, .xls, .ods; se il file è danneggiato, riaprirlo e salvarlo di nuovo",
        )
    };
    d.in_file(file)
}
