//! Finding a sheet's header row and columns by the contract's names and
//! synonyms, below any title rows, in any column order.

use super::RawSheet;
use super::cell::Cell;
use super::names::normalize;
use crate::diag::Diagnostic;
use calamine::Data;

/// One column of the contract: its key in code and every accepted header.
#[derive(Debug, Clone, Copy)]
pub struct ColumnSpec {
    /// The key the model reads the column by.
    pub key: &'static str,
    /// Accepted headers, the canonical one first.
    pub names: &'static [&'static str],
    /// A header row must have it.
    pub required: bool,
    /// What the column holds, in Italian (the template's header note).
    pub note: &'static str,
}

/// Columns that repeat once per year (`Target 2025`, `Consuntivo 2024`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearKind {
    /// `Target {anno}` or a bare `{anno}`.
    Target,
    /// `Consuntivo {anno}`.
    Actual,
    /// `Valori {anno}`: the baseline, measured in that year.
    Baseline,
}

/// The contract of one sheet.
#[derive(Debug, Clone, Copy)]
pub struct SheetSpec {
    /// Accepted sheet names, the canonical one first.
    pub names: &'static [&'static str],
    /// Its columns.
    pub columns: &'static [ColumnSpec],
    /// What the sheet holds, in Italian (the template's instructions).
    pub note: &'static str,
    /// Header prefixes of per-year columns (`"target"`, `""` for a bare year).
    pub year_columns: &'static [(&'static str, YearKind)],
}

/// A sheet read against its contract: where the header is and which column
/// holds what.
pub struct Table<'a> {
    /// The sheet name as written in the workbook.
    pub sheet: &'a str,
    /// The header row, absolute and zero-based.
    pub header_row: u32,
    keyed: Vec<(&'static str, usize)>,
    /// Per-year columns: kind, year, relative column.
    pub year_columns: Vec<(YearKind, i32, usize)>,
    /// Columns the contract does not know: header text and relative column.
    pub extra: Vec<(String, usize)>,
    raw: &'a RawSheet,
    header_rel: usize,
}

/// One data row of a [`Table`].
#[derive(Clone, Copy)]
pub struct Row<'a> {
    table: &'a Table<'a>,
    rel: usize,
}

fn year_header(h: &str, prefix: &str) -> Option<i32> {
    let rest = if prefix.is_empty() { h } else { h.strip_prefix(prefix)?.strip_prefix(' ')? };
    (rest.len() == 4 && rest.chars().all(|c| c.is_ascii_digit())).then(|| rest.parse().ok()).flatten()
}

impl<'a> Table<'a> {
    /// Finds the header row: the first row whose cells name every required
    /// column. Title rows, notes and blank rows above it are skipped.
    pub fn find(raw: &'a RawSheet, spec: &SheetSpec) -> Result<Table<'a>, Diagnostic> {
        let mut best: Option<(usize, Vec<&'static str>)> = None;
        // Normalised once: a sheet of a million rows without a header row
        // must not normalise every synonym again for every cell.
        let names: Vec<Vec<String>> =
            spec.columns.iter().map(|c| c.names.iter().map(|n| normalize(n)).collect()).collect();
        for (rel, row) in raw.range.rows().enumerate() {
            let headers: Vec<String> = row
                .iter()
                .map(|d| match d {
                    Data::String(s) => normalize(s),
                    Data::Int(i) => i.to_string(),
                    Data::Float(f) if f.fract() == 0.0 => format!("{f}"),
                    _ => String::new(),
                })
                .collect();
            let mut keyed: Vec<(&'static str, usize)> = Vec::new();
            let mut year_columns = Vec::new();
            let mut extra = Vec::new();
            for (col, h) in headers.iter().enumerate() {
                if h.is_empty() {
                    continue;
                }
                if let Some(c) =
                    spec.columns.iter().zip(&names).find(|(_, ns)| ns.iter().any(|n| n == h)).map(|(c, _)| c)
                {
                    if !keyed.iter().any(|(k, _)| *k == c.key) {
                        keyed.push((c.key, col));
                    }
                } else if let Some((kind, year)) =
                    spec.year_columns.iter().find_map(|(p, k)| year_header(h, p).map(|y| (*k, y)))
                {
                    year_columns.push((kind, year, col));
                } else if let Data::String(s) = &row[col] {
                    extra.push((s.trim().to_string(), col));
                }
            }
            let missing: Vec<&'static str> = spec
                .columns
                .iter()
                .filter(|c| c.required && !keyed.iter().any(|(k, _)| *k == c.key))
                .map(|c| c.names[0])
                .collect();
            if missing.is_empty() {
                let start = raw.range.start().unwrap_or((0, 0));
                return Ok(Table {
                    sheet: &raw.name,
                    header_row: start.0 + rel as u32,
                    keyed,
                    year_columns,
                    extra,
                    raw,
                    header_rel: rel,
                });
            }
            let found = spec.columns.iter().filter(|c| c.required).count() - missing.len();
            if found > 0 && best.as_ref().is_none_or(|(_, m)| missing.len() < m.len()) {
                best = Some((rel, missing));
            }
        }
        let required: Vec<String> =
            spec.columns.iter().filter(|c| c.required).map(|c| format!("«{}»", c.names[0])).collect();
        let message = match best {
            Some((rel, missing)) => {
                let row = raw.range.start().unwrap_or((0, 0)).0 as usize + rel + 1;
                let names: Vec<String> = missing.iter().map(|m| format!("«{m}»")).collect();
                format!("riga di intestazione incompleta (riga {row}): mancano le colonne {}", names.join(", "))
            }
            None => format!("riga di intestazione non trovata: servono le colonne {}", required.join(", ")),
        };
        Err(Diagnostic::error(message)
            .at(&raw.name, None)
            .hint("i nomi delle colonne e i sinonimi accettati sono in docs/cartella-di-lavoro.md"))
    }

    /// True when the sheet has the column with this key.
    pub fn has(&self, key: &str) -> bool {
        self.keyed.iter().any(|(k, _)| *k == key)
    }

    /// The data rows below the header, blank rows skipped.
    pub fn rows(&'a self) -> impl Iterator<Item = Row<'a>> + 'a {
        (self.header_rel + 1..self.raw.range.height())
            .map(move |rel| Row { table: self, rel })
            .filter(|r| !r.is_blank())
    }

    /// Unknown columns as one information diagnostic, or none.
    pub fn extra_columns_note(&self) -> Option<Diagnostic> {
        if self.extra.is_empty() {
            return None;
        }
        let names: Vec<String> = self.extra.iter().map(|(n, _)| format!("«{n}»")).collect();
        Some(
            Diagnostic::info(format!(
                "colonne non previste dal tracciato, conservate e disponibili ai modelli: {}",
                names.join(", ")
            ))
            .at(self.sheet, None),
        )
    }

    fn cell(&'a self, rel_row: usize, rel_col: usize) -> Cell<'a> {
        static EMPTY: Data = Data::Empty;
        let start = self.raw.range.start().unwrap_or((0, 0));
        let (row, col) = (start.0 + rel_row as u32, start.1 + rel_col as u32);
        Cell {
            data: self.raw.range.get((rel_row, rel_col)).unwrap_or(&EMPTY),
            sheet: self.sheet,
            row,
            col,
            uncomputed: self.raw.uncomputed.contains(&(row, col)),
            percent_format: self.raw.percent_cells.as_ref().map(|p| p.contains(&(row, col))),
        }
    }
}

impl<'a> Row<'a> {
    /// The cell of the column with this key, if the sheet has the column.
    pub fn get(&self, key: &str) -> Option<Cell<'a>> {
        let col = self.table.keyed.iter().find(|(k, _)| *k == key)?.1;
        Some(self.table.cell(self.rel, col))
    }

    /// The first cell of the row (for diagnostics about the whole row).
    pub fn first(&self) -> Cell<'a> {
        self.table.cell(self.rel, 0)
    }

    /// The per-year cells of one kind, in column order.
    pub fn years(&self, kind: YearKind) -> Vec<(i32, Cell<'a>)> {
        self.table
            .year_columns
            .iter()
            .filter(|(k, _, _)| *k == kind)
            .map(|(_, y, c)| (*y, self.table.cell(self.rel, *c)))
            .collect()
    }

    /// The unknown columns' values, as text, by header.
    pub fn extra(&self) -> Vec<(String, String)> {
        self.table
            .extra
            .iter()
            .filter_map(|(name, c)| {
                let cell = self.table.cell(self.rel, *c);
                cell.text().ok().flatten().map(|t| (name.clone(), t))
            })
            .collect()
    }

    fn is_blank(&self) -> bool {
        let width = self.table.raw.range.width();
        (0..width).all(|c| self.table.cell(self.rel, c).is_blank())
    }
}
