//! One cell with its position: the unit every later stage reads values from
//! and reports problems at.

use super::number::{decimal_from_f64, parse_italian_number};
use crate::diag::{Diagnostic, a1};
use calamine::Data;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Removes the characters that print nothing (zero-width space, joiners,
/// byte-order mark, soft hyphen, direction marks): two codes that differ
/// only by them are the same code.
pub fn strip_invisible(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().any(super::guard::is_invisible) {
        s.chars().filter(|c| !super::guard::is_invisible(*c)).collect::<String>().into()
    } else {
        s.into()
    }
}

/// A cell of a sheet, with its absolute zero-based position.
#[derive(Debug, Clone, Copy)]
pub struct Cell<'a> {
    /// The value calamine read (for formulas, the cached value).
    pub data: &'a Data,
    /// The sheet name as written in the workbook.
    pub sheet: &'a str,
    /// Zero-based row.
    pub row: u32,
    /// Zero-based column.
    pub col: u32,
    /// A formula stored without a computed value (the cell reads as blank).
    pub uncomputed: bool,
    /// For a typed number: whether its cell is formatted as a percentage,
    /// `None` where the file format does not tell (xls, ods).
    pub percent_format: Option<bool>,
}

/// The last day a spreadsheet can hold (31/12/9999) as a serial number,
/// plus the 1904 system's offset: beyond it a "date" is a slip.
const MAX_DATE_SERIAL: f64 = 2_958_465.0 + 1_462.0;

impl<'a> Cell<'a> {
    /// The cell's A1 name (`F12`).
    pub fn a1(&self) -> String {
        a1(self.row, self.col)
    }

    /// An error located at this cell.
    pub fn error(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(message).at(self.sheet, Some(self.a1()))
    }

    /// A warning located at this cell.
    pub fn warning(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(message).at(self.sheet, Some(self.a1()))
    }

    /// True for an empty cell or one holding only spaces.
    pub fn is_blank(&self) -> bool {
        match self.data {
            Data::Empty => true,
            Data::String(s) => strip_invisible(s).trim().is_empty(),
            _ => false,
        }
    }

    /// The diagnostic for a formula stored without a computed value, placed
    /// at this cell: it explains a blank that would otherwise read «mancante».
    pub fn uncomputed_formula(&self) -> Option<Diagnostic> {
        (self.uncomputed && self.is_blank()).then(|| {
            self.error("la cella contiene una formula senza valore calcolato: aprire e salvare il file con Excel o LibreOffice")
                .hint("il programma che ha scritto il file non ha calcolato le formule; Excel e LibreOffice le calcolano al salvataggio")
        })
    }

    /// A spreadsheet error value (`#DIV/0!`, `#REF!`, `#N/D`) as a diagnostic:
    /// such a cell is never read as a number.
    pub fn error_value(&self) -> Option<Diagnostic> {
        match self.data {
            Data::Error(e) => Some(
                self.error(format!("la cella contiene il valore di errore «{e}» del foglio di calcolo"))
                    .hint("correggere la formula o sostituirla con un valore"),
            ),
            _ => None,
        }
    }

    /// The cell as the text a person sees: strings trimmed, numbers in their
    /// shortest form, dates as `dd/mm/yyyy`, booleans as `si`/`no`. `None`
    /// for a blank cell; an error value is a diagnostic.
    pub fn text(&self) -> Result<Option<String>, Diagnostic> {
        if let Some(d) = self.error_value() {
            return Err(d);
        }
        Ok(match self.data {
            Data::Empty => None,
            Data::String(s) => {
                let t = strip_invisible(s);
                let t = t.trim();
                (!t.is_empty()).then(|| t.to_string())
            }
            Data::Int(i) => Some(i.to_string()),
            Data::Float(f) => match decimal_from_f64(*f) {
                Some(d) => Some(d.normalize().to_string()),
                None => {
                    return Err(self
                        .error(format!("il numero {f:e} è fuori dall'intervallo che piao calcola in modo esatto"))
                        .hint("controllare la cella: è probabilmente un errore di battitura"));
                }
            },
            Data::Bool(b) => Some(if *b { "si" } else { "no" }.to_string()),
            Data::DateTime(_) | Data::DateTimeIso(_) => {
                match self.date() {
                    Some(d) => Some(d.format("%d/%m/%Y").to_string()),
                    None => {
                        return Err(self
                        .error("la cella è formattata come data ma il valore è fuori dal calendario (oltre il 31/12/9999)")
                        .hint("scrivere la data come gg/mm/aaaa, ad es. 31/12/2025"));
                    }
                }
            }
            Data::DurationIso(s) => Some(s.clone()),
            Data::Error(_) => None,
        })
    }

    /// The cell as a typed date, when it holds one within the calendar a
    /// spreadsheet knows (1900–9999); a serial beyond it is no date (and
    /// [`Cell::text`] reports it).
    pub fn date(&self) -> Option<NaiveDate> {
        match self.data {
            Data::DateTime(dt) if (0.0..=MAX_DATE_SERIAL).contains(&dt.as_f64()) => {
                dt.as_datetime().map(|d| d.date()).filter(|d| chrono::Datelike::year(d) <= 9999)
            }
            Data::DateTime(_) => None,
            Data::DateTimeIso(s) => NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d").ok(),
            _ => None,
        }
    }

    /// The typed number in the cell, if it is one (dates excluded).
    pub fn typed_number(&self) -> Option<Decimal> {
        match self.data {
            Data::Int(i) => Some(Decimal::from(*i)),
            Data::Float(f) => decimal_from_f64(*f),
            _ => None,
        }
    }

    /// A plain quantity: a typed number, or Italian text (`1.150`, `2,5`,
    /// `95%` read as 0,95). `None` when blank.
    pub fn decimal(&self, what: &str) -> Result<Option<Decimal>, Diagnostic> {
        if let Some(n) = self.typed_number() {
            return Ok(Some(n));
        }
        if matches!(self.data, Data::Float(_)) {
            // A typed number too large for exact decimals: text() says so.
            self.text()?;
        }
        let Some(text) = self.text()? else { return Ok(None) };
        let (body, percent) = match text.strip_suffix('%') {
            Some(b) => (b.trim(), true),
            None => (text.as_str(), false),
        };
        match parse_italian_number(body) {
            Some(n) if percent => Ok(Some(n / Decimal::ONE_HUNDRED)),
            Some(n) => Ok(Some(n)),
            None => Err(self
                .error(format!("{what}: «{text}» non è un numero"))
                .hint("scrivere ad es. «25», «2,5», «33,3%»")),
        }
    }

    /// A year such as `2024` (typed or text).
    pub fn year(&self, what: &str) -> Result<Option<i32>, Diagnostic> {
        let Some(n) = self.decimal(what)? else { return Ok(None) };
        if n.fract().is_zero() && n >= Decimal::from(1900) && n <= Decimal::from(2200) {
            Ok(rust_decimal::prelude::ToPrimitive::to_i32(&n))
        } else {
            Err(self
                .error(format!("{what}: «{n}» non è un anno"))
                .hint("scrivere l'anno a quattro cifre, ad es. «2025»"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Cell;
    use calamine::{Data, ExcelDateTime, ExcelDateTimeType};

    fn cell(data: &Data) -> Cell<'_> {
        Cell { data, sheet: "Indicatori", row: 1, col: 4, uncomputed: false, percent_format: None }
    }

    #[test]
    fn a_date_serial_beyond_the_calendar_is_an_error_at_its_cell_not_a_panic() {
        for serial in [1e12, 3_000_000.0, -5.0, f64::MAX] {
            let d = Data::DateTime(ExcelDateTime::new(serial, ExcelDateTimeType::DateTime, false));
            assert_eq!(cell(&d).date(), None, "{serial}");
            let e = cell(&d).text().expect_err("out of the calendar");
            assert_eq!(e.place().as_deref(), Some("Indicatori!E2"));
        }
        let ok = Data::DateTime(ExcelDateTime::new(45657.0, ExcelDateTimeType::DateTime, false));
        assert_eq!(cell(&ok).text().ok().flatten().as_deref(), Some("31/12/2024"));
    }

    #[test]
    fn invisible_characters_are_not_part_of_a_text() {
        let d = Data::String("\u{200B}I1\u{FEFF}\u{200E} ".into());
        assert_eq!(cell(&d).text().ok().flatten().as_deref(), Some("I1"));
        assert!(cell(&Data::String("\u{200B}".into())).is_blank());
    }
}
