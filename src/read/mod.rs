//! Reading stage: opens a workbook with calamine and finds, in each sheet the
//! contract names, the header row and the columns, keeping every cell's
//! position so later stages can name it in a diagnostic.

mod cell;
pub mod guard;
mod names;
mod number;
mod table;

pub use cell::Cell;
pub use names::normalize;
pub use number::{decimal_from_f64, parse_italian_number};
pub use table::{ColumnSpec, Row, SheetSpec, Table, YearKind};

use crate::diag::Diagnostic;
use calamine::{Data, DataRef, Range, Reader};
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
    /// What reading found at single cells (control characters dropped,
    /// text cut at the length limit); the model reports them with its own.
    pub notes: Vec<Diagnostic>,
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
    /// The typed numbers whose cell is formatted as a percentage (absolute
    /// positions), where the format records it (xlsx, xlsm); `None` for
    /// formats whose reader does not tell (xls, ods).
    pub percent_cells: Option<HashSet<(u32, u32)>>,
}

impl RawWorkbook {
    /// Opens any format calamine reads (xlsx, xlsm, xls, ods) and loads every
    /// sheet, within the limits of [`guard`]: a zip bomb, a sheet spanning
    /// the whole grid or a panic inside calamine end in a diagnostic naming
    /// the file (and sheet, and cell), never in a crash. Failures are
    /// reported in Italian.
    pub fn open(path: &Path) -> Result<RawWorkbook, Diagnostic> {
        let file = path.display().to_string();
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        if !path.is_file() {
            return Err(Diagnostic::error("file non trovato o non leggibile")
                .hint("controllare il percorso del file Excel")
                .in_file(&file));
        }
        let damaged = |reason: String| guard::damaged(reason).in_file(&file);
        match std::fs::File::open(path) {
            Ok(f) => guard::check_zip(std::io::BufReader::new(f)).map_err(|d| d.in_file(&file))?,
            Err(e) => return Err(damaged(e.to_string())),
        }
        if is_compound_file(path)
            && path.metadata().map(|m| m.len()).unwrap_or(0) <= guard::MAX_ENTRY_BYTES
            && let Ok(bytes) = std::fs::read(path)
        {
            guard::check_xls(&bytes).map_err(|d| d.in_file(&file))?;
        }
        let mut book = match guard::catch_panic(|| calamine::open_workbook_auto(path)) {
            Ok(Ok(book)) => book,
            Ok(Err(e)) => return Err(open_error(path, &file, &e)),
            Err(reason) => return Err(damaged(reason)),
        };
        let meta: Vec<(String, bool)> = book
            .sheets_metadata()
            .iter()
            .map(|s| (s.name.clone(), s.visible != calamine::SheetVisible::Visible))
            .collect();
        let mut sheets = Vec::with_capacity(meta.len());
        let mut notes = Vec::new();
        let mut cells = 0usize;
        for (name, hidden) in meta {
            let read = guard::catch_panic(|| read_sheet(&mut book, &name, &mut cells));
            match read {
                Ok(Ok((mut range, percent_cells))) => {
                    for area in guard::catch_panic(|| merged_areas(&mut book, &name)).unwrap_or_default() {
                        fill_merged(&mut range, area);
                    }
                    guard::clean_texts(&name, &mut range, &mut notes);
                    let uncomputed =
                        guard::catch_panic(|| uncomputed_formulas(&mut book, &name, &range)).unwrap_or_default();
                    sheets.push(RawSheet { name, range, hidden, uncomputed, percent_cells })
                }
                Ok(Err(d)) => return Err(d.at(&name, None).in_file(&file)),
                Err(reason) => return Err(damaged(reason).at(&name, None)),
            }
        }
        Ok(RawWorkbook { file, dir, sheets, notes })
    }

    /// Finds a sheet by any of its accepted names (compared normalised).
    pub fn sheet(&self, names: &[&str]) -> Option<&RawSheet> {
        self.sheets.iter().find(|s| names.iter().any(|n| normalize(&s.name) == normalize(n)))
    }
}

/// Positions of the typed numbers formatted as percentages, when known.
type PercentCells = Option<HashSet<(u32, u32)>>;

/// Reads one sheet's cells. An xlsx sheet is streamed cell by cell: empty
/// cells are skipped, the used range is the rectangle of the filled cells
/// (not the furthest address the file declares) and is checked against
/// [`guard::MAX_AREA`] before it is built; the percentage format of typed
/// numbers is recorded. Other formats are read whole by calamine (their
/// readers bound the grid themselves) and checked the same way.
#[allow(clippy::result_large_err)] // Diagnostic is the house error type.
fn read_sheet<RS: std::io::Read + std::io::Seek>(
    book: &mut calamine::Sheets<RS>,
    name: &str,
    total: &mut usize,
) -> Result<(Range<Data>, PercentCells), Diagnostic> {
    let unreadable = |e: &dyn std::fmt::Display| Diagnostic::error(format!("impossibile leggere il foglio: {e}"));
    let calamine::Sheets::Xlsx(x) = book else {
        let range = book.worksheet_range(name).map_err(|e| unreadable(&e))?;
        *total += range.used_cells().count();
        if let (Some(start), Some(end)) = (range.start(), range.end()) {
            guard::check_area(name, start, end, end)?;
        }
        return Ok((range, None));
    };
    let mut reader = match x.worksheet_cells_reader(name) {
        Ok(r) => r,
        // A chart sheet or a dialog: no cells.
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok((Range::default(), Some(HashSet::new()))),
        Err(e) => return Err(unreadable(&e)),
    };
    let mut cells: Vec<calamine::Cell<Data>> = Vec::new();
    let mut percent = HashSet::new();
    let (mut start, mut end, mut far) = ((u32::MAX, u32::MAX), (0u32, 0u32), (0u32, 0u32));
    while let Some((cell, style)) = reader.next_cell_with_style_id().map_err(|e| unreadable(&e))? {
        let blank = match cell.get_value() {
            DataRef::Empty => true,
            DataRef::SharedString(s) => s.trim().is_empty(),
            DataRef::String(s) => s.trim().is_empty(),
            _ => false,
        };
        if blank {
            continue;
        }
        let pos = cell.get_position();
        *total += 1;
        if *total > guard::MAX_CELLS {
            return Err(Diagnostic::error(format!(
                "la cartella contiene più di {} celle compilate: troppe per un piano",
                crate::fmt::plain(guard::MAX_CELLS.into())
            ))
            .at(name, Some(crate::diag::a1(pos.0, pos.1))));
        }
        if matches!(cell.get_value(), DataRef::Float(_) | DataRef::Int(_))
            && reader
                .styles()
                .get(style)
                .and_then(|s| s.number_format.as_ref())
                .is_some_and(|f| is_percent_format(&f.format_code))
        {
            percent.insert(pos);
        }
        start = (start.0.min(pos.0), start.1.min(pos.1));
        if pos.0 > end.0 || pos.1 > end.1 {
            // The cell that last stretched the rectangle: where an error goes.
            far = pos;
        }
        end = (end.0.max(pos.0), end.1.max(pos.1));
        cells.push(calamine::Cell::new(pos, Data::from(cell.get_value().clone())));
    }
    if cells.is_empty() {
        return Ok((Range::default(), Some(percent)));
    }
    guard::check_area(name, start, end, far)?;
    Ok((Range::from_sparse(cells), Some(percent)))
}

/// True for a number format that shows a percentage (`0%`, `0.0%`): a `%`
/// outside quotes and brackets.
fn is_percent_format(code: &str) -> bool {
    let (mut quoted, mut bracket, mut escaped) = (false, false, false);
    for ch in code.chars() {
        match ch {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            '[' if !quoted => bracket = true,
            ']' if !quoted => bracket = false,
            '%' if !quoted && !bracket => return true,
            _ => {}
        }
    }
    false
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
    let blank = |pos: (u32, u32)| match values.get_value(pos) {
        None | Some(Data::Empty) => true,
        Some(Data::String(s)) => s.trim().is_empty(),
        Some(_) => false,
    };
    // An xlsx sheet is streamed, as its values were: a formula grid spanning
    // the whole sheet is never built.
    if let calamine::Sheets::Xlsx(x) = book {
        let mut found = HashSet::new();
        let Ok(mut reader) = x.worksheet_cells_reader(name) else { return found };
        let mut seen = 0usize;
        while let Ok(Some(record)) = reader.next_cell_with_formula_metadata() {
            seen += 1;
            if seen > guard::MAX_CELLS {
                break;
            }
            if record.formula.is_some() && blank(record.pos) {
                found.insert(record.pos);
            }
        }
        return found;
    }
    let Ok(formulas) = book.worksheet_formula(name) else { return HashSet::new() };
    let start = formulas.start().unwrap_or((0, 0));
    formulas.used_cells().map(|(r, c, _)| (start.0 + r as u32, start.1 + c as u32)).filter(|pos| blank(*pos)).collect()
}

/// Copies a merged area's value (its top-left cell) into every cell of the
/// area: a "Programma di intervento" merged over five rows belongs to all
/// five. Only cells inside the used range are filled: the range never grows
/// (an area reaching past it covers only blank rows).
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
            if (r, c) != area.start && matches!(range.get_value((r, c)), Some(Data::Empty)) {
                range.set_value((r, c), value.clone());
            }
        }
    }
}

/// True for a compound file (legacy `.xls`), by its first bytes.
fn is_compound_file(path: &Path) -> bool {
    let mut magic = [0u8; 8];
    std::fs::File::open(path).and_then(|mut f| std::io::Read::read_exact(&mut f, &mut magic)).is_ok()
        && magic == [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
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
