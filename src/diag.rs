//! Diagnostics as data: every problem a run finds, with its place in the
//! workbook, collected and printed together (errors first), in Italian.

use std::fmt::Write as _;

/// How serious a diagnostic is; errors stop the documents from being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The input cannot be used as it is.
    Error,
    /// The input is usable, but something looks wrong.
    Warning,
    /// Worth knowing, nothing to fix.
    Info,
}

impl Severity {
    /// The Italian word printed before the message.
    pub fn word(self) -> &'static str {
        match self {
            Severity::Error => "errore",
            Severity::Warning => "avviso",
            Severity::Info => "nota",
        }
    }
}

/// One problem found in a run, with where it was found.
///
/// A diagnostic is usually created without its file (the reader of a cell does
/// not know the file name) and located by the caller with [`Diagnostic::at`]
/// and [`Diagnostic::in_file`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// Error, warning or information.
    pub severity: Severity,
    /// The workbook (or layout) file name, as the user gave it.
    pub file: Option<String>,
    /// The sheet name as written in the workbook.
    pub sheet: Option<String>,
    /// The cell in A1 notation (`F12`).
    pub cell: Option<String>,
    /// What was found and what was expected, in Italian.
    pub message: String,
    /// How to fix it, when there is something useful to say.
    pub hint: Option<String>,
}

impl Diagnostic {
    fn new(severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic { severity, file: None, sheet: None, cell: None, message: message.into(), hint: None }
    }

    /// An error: the documents cannot be produced until it is fixed.
    pub fn error(message: impl Into<String>) -> Self {
        Self::new(Severity::Error, message)
    }

    /// A warning: the run goes on.
    pub fn warning(message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, message)
    }

    /// Information only.
    pub fn info(message: impl Into<String>) -> Self {
        Self::new(Severity::Info, message)
    }

    /// Adds a hint on how to fix the problem.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Places the diagnostic at a sheet and, optionally, a cell.
    pub fn at(mut self, sheet: &str, cell: Option<String>) -> Self {
        self.sheet = Some(sheet.to_string());
        if cell.is_some() {
            self.cell = cell;
        }
        self
    }

    /// Names the file the diagnostic belongs to, unless it already has one.
    pub fn in_file(mut self, file: &str) -> Self {
        if self.file.is_none() {
            self.file = Some(file.to_string());
        }
        self
    }

    /// `Indicatori!F12`, `Indicatori` or nothing: the place inside the file.
    pub fn place(&self) -> Option<String> {
        match (&self.sheet, &self.cell) {
            (Some(s), Some(c)) => Some(format!("{s}!{c}")),
            (Some(s), None) => Some(s.clone()),
            _ => None,
        }
    }
}

/// All diagnostics of a run, in the order they were found.
#[derive(Debug, Clone, Default, serde::Serialize)]
#[serde(transparent)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Records many diagnostics.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// True when at least one diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// How many diagnostics have this severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    /// The diagnostics, errors first, then warnings, then notes; stable
    /// within each severity.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.items.iter().collect();
        v.sort_by_key(|d| d.severity);
        v
    }

    /// True when there is nothing to report.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Shows the file `from` as `to` in every diagnostic that names it (a
    /// workbook stored under a generated name keeps its own in messages).
    pub fn rename_file(&mut self, from: &str, to: &str) {
        for d in &mut self.items {
            if d.file.as_deref() == Some(from) {
                d.file = Some(to.to_string());
            }
        }
    }

    /// Names the file on every diagnostic that has none.
    pub fn in_file(&mut self, file: &str) {
        for d in &mut self.items {
            if d.file.is_none() {
                d.file = Some(file.to_string());
            }
        }
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// Renders diagnostics for a person (`short == false`: severity, place,
/// message, hint on its own line) or for scripts (`short == true`: one line
/// `file:Sheet!A1: errore: message`).
pub fn render(diags: &Diagnostics, short: bool) -> String {
    let mut out = String::new();
    for d in diags.sorted() {
        let place = d.place();
        if short {
            let mut loc = d.file.clone().unwrap_or_default();
            if let Some(p) = &place {
                if !loc.is_empty() {
                    loc.push(':');
                }
                loc.push_str(p);
            }
            let _ = write!(out, "{loc}: {}: {}", d.severity.word(), d.message);
            if let Some(h) = &d.hint {
                let _ = write!(out, " ({h})");
            }
            out.push('\n');
        } else {
            let _ = write!(out, "{}: ", d.severity.word());
            if let Some(f) = &d.file {
                let _ = write!(out, "{f}: ");
            }
            if let Some(p) = &place {
                let _ = write!(out, "{p}: ");
            }
            out.push_str(&d.message);
            out.push('\n');
            if let Some(h) = &d.hint {
                let _ = writeln!(out, "  suggerimento: {h}");
            }
        }
    }
    out
}

/// The A1 name of a zero-based (row, column) position: (11, 5) is `F12`.
pub fn a1(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col as u64 + 1;
    while c > 0 {
        let rem = ((c - 1) % 26) as u8;
        letters.push(b'A' + rem);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row as u64 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_names_cells_like_a_spreadsheet() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(11, 5), "F12");
        assert_eq!(a1(0, 25), "Z1");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(9, 701), "ZZ10");
        assert_eq!(a1(0, 702), "AAA1");
    }

    #[test]
    fn errors_are_printed_first_with_file_sheet_and_cell() {
        let mut ds = Diagnostics::new();
        ds.push(Diagnostic::warning("pesi non a 100%").at("Indicatori", None));
        ds.push(
            Diagnostic::error("target non riconosciuto «circa cinque»")
                .at("Indicatori", Some("F12".into()))
                .hint("atteso ad es. «>= 95%»"),
        );
        ds.in_file("piano.xlsx");
        let text = render(&ds, false);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "errore: piano.xlsx: Indicatori!F12: target non riconosciuto «circa cinque»");
        assert_eq!(lines[1], "  suggerimento: atteso ad es. «>= 95%»");
        assert_eq!(lines[2], "avviso: piano.xlsx: Indicatori: pesi non a 100%");
        let short = render(&ds, true);
        assert!(short.starts_with("piano.xlsx:Indicatori!F12: errore: target non riconosciuto"));
        assert!(ds.has_errors());
        assert_eq!(ds.count(Severity::Warning), 1);
    }
}
