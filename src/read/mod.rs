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
    /// The used cells.
    pub range: Range<Data>,
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
        let mut book = calamine::open_workbook_auto(path).map_err(|e| open_error(&file, &e))?;
        let names = book.sheet_names().to_vec();
        let mut sheets = Vec::with_capacity(names.len());
        for name in names {
            match book.worksheet_range(&name) {
                Ok(range) => sheets.push(RawSheet { name, range }),
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
        self.sheets
            .iter()
            .find(|s| names.iter().any(|n| normalize(&s.name) == normalize(n)))
    }
}

fn open_error(file: &str, e: &calamine::Error) -> Diagnostic {
    let text = e.to_string();
    let lower = text.to_lowercase();
    let d = if lower.contains("password") || lower.contains("encrypt") {
        Diagnostic::error("il file è protetto da password").hint("salvare una copia senza password e rieseguire")
    } else {
        Diagnostic::error(format!("il file non è un foglio di calcolo leggibile ({text})"))
            .hint("formati accettati: .xlsx, .xlsm, .xls, .ods; se il file è danneggiato, riaprirlo e salvarlo di nuovo")
    };
    d.in_file(file)
}
