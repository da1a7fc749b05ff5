//! Output file names from a minijinja pattern (default
//! `{{anno}}_{{documento}}`): run on a budget, made acceptable to Windows and
//! Excel (a warning says what was changed), kept inside the output folder and
//! checked for collisions before any document is laid out.

use crate::diag::Diagnostic;
use crate::model::Plan;
use std::io::{self, Write};

/// Fuel of one name: a pattern is a line, not a program; nested loops run
/// out of it in milliseconds instead of hanging.
const FUEL: u64 = 20_000;

/// The longest rendered name accepted before sanitising, in bytes.
const MAX_RENDERED: usize = 4096;

/// The longest file name stem written, in bytes: file systems allow 255 per
/// name, and the temporary files add a prefix and a suffix.
const MAX_STEM: usize = 180;

/// Characters Windows refuses in a file name.
const FORBIDDEN: &[char] = &['<', '>', ':', '"', '/', '\\', '|', '?', '*'];

/// Names Windows reserves for devices, whatever the extension.
const RESERVED: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM¹",
    "COM²", "COM³", "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT¹", "LPT²",
    "LPT³", "CONIN$", "CONOUT$",
];

/// The file names of a run's documents, with the warnings their sanitising
/// produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileNames {
    /// One name per document, extension included, in the order asked.
    pub names: Vec<String>,
    /// What was changed to make the names valid on every system.
    pub warnings: Vec<Diagnostic>,
}

/// The file name of every document (`(key, extension)`), from the pattern.
/// An invalid pattern, an empty name or two documents with one name (as
/// Windows compares names: ignoring case) are errors.
pub fn file_names(pattern: &str, plan: &Plan, documents: &[(&str, &str)]) -> Result<FileNames, Diagnostic> {
    let mut env = minijinja::Environment::new();
    env.set_fuel(Some(FUEL));
    let template = env.template_from_str(pattern).map_err(|e| bad_pattern(pattern, &e))?;
    let stem =
        std::path::Path::new(&plan.file).file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
    let mut names = Vec::new();
    let mut changed: Vec<(String, String)> = Vec::new();
    for (key, ext) in documents {
        let ctx = minijinja::context! { anno => plan.ente.year, documento => *key, ente => plan.ente.name.as_str(), file => stem.as_str() };
        let mut out = Limited::new(MAX_RENDERED);
        template.render_captured_to(ctx, &mut out).map_err(|e| bad_pattern(pattern, &e))?;
        let rendered = String::from_utf8_lossy(&out.bytes).to_string();
        let clean = sanitise(&rendered);
        if clean.is_empty() {
            return Err(Diagnostic::error(format!(
                "lo schema dei nomi «{pattern}» produce un nome vuoto per il documento «{key}»"
            ))
            .in_file("--nomi")
            .hint("ad es. «{{anno}}_{{documento}}» oppure «{{file}}_{{documento}}»"));
        }
        if clean != rendered.trim() && !changed.iter().any(|(r, _)| r == &rendered) {
            changed.push((rendered, clean.clone()));
        }
        names.push(format!("{clean}.{ext}"));
    }
    for (i, name) in names.iter().enumerate() {
        let same: Vec<&str> = names
            .iter()
            .zip(documents)
            .filter(|(n, _)| n.to_lowercase() == name.to_lowercase())
            .map(|(_, (key, _))| *key)
            .collect();
        if same.len() > 1 && names.iter().position(|n| n.to_lowercase() == name.to_lowercase()) == Some(i) {
            return Err(Diagnostic::error(format!(
                "lo schema dei nomi «{pattern}» dà lo stesso nome «{name}» a più documenti ({}): nessun documento è stato prodotto",
                same.join(", ")
            ))
            .in_file("--nomi")
            .hint("lo schema deve contenere {{documento}}, ad es. «{{anno}}_{{documento}}»"));
        }
    }
    // One warning for the run: the first name changed, and how many more.
    let warnings = changed
        .first()
        .map(|(rendered, clean)| {
            let more = match changed.len() - 1 {
                0 => String::new(),
                1 => " (e così per un altro documento)".to_string(),
                n => format!(" (e così per altri {n} documenti)"),
            };
            Diagnostic::warning(format!(
                "il nome «{}» contiene caratteri o parole non ammessi nei nomi dei file (Windows, Excel): usato «{clean}»{more}",
                rendered.trim()
            ))
            .in_file("--nomi")
            .hint("non sono ammessi < > : \" / \\ | ? *, i nomi riservati CON, NUL, COM1… e i punti o spazi finali")
        })
        .into_iter()
        .collect();
    Ok(FileNames { names, warnings })
}

/// A name every system accepts: characters Windows refuses and control
/// characters become `_`; leading dots (hidden files), trailing dots and
/// spaces are removed; a device name (`CON`, `NUL`, `COM1`…) gets a `_`; the
/// name is cut to `MAX_STEM` bytes.
pub fn sanitise(name: &str) -> String {
    let replaced: String =
        name.trim().chars().map(|c| if FORBIDDEN.contains(&c) || c.is_control() { '_' } else { c }).collect();
    let mut s = replaced.trim_start_matches(['.', ' ']).to_string();
    if s.len() > MAX_STEM {
        let mut end = MAX_STEM;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
    }
    let mut s = s.trim_end_matches(['.', ' ']).to_string();
    let base_end = s.find('.').unwrap_or(s.len());
    let base = s[..base_end].trim_end().to_uppercase();
    if RESERVED.contains(&base.as_str()) {
        s.insert(base_end, '_');
    }
    s
}

fn bad_pattern(pattern: &str, e: &minijinja::Error) -> Diagnostic {
    let reason = match e.kind() {
        minijinja::ErrorKind::OutOfFuel => "lo schema richiede troppi calcoli".to_string(),
        minijinja::ErrorKind::WriteFailure => format!("il nome prodotto supera {MAX_RENDERED} caratteri"),
        _ => e.detail().map_or_else(|| e.kind().to_string(), |d| format!("{}: {d}", e.kind())),
    };
    Diagnostic::error(format!("schema dei nomi dei file non valido «{pattern}»: {reason}"))
        .in_file("--nomi")
        .hint("ad es. «{{anno}}_{{documento}}» oppure «{{file}}_{{documento}}»")
}

/// A writer that refuses to grow past `limit` bytes: the output budget of
/// a user's template.
pub(crate) struct Limited {
    /// What was written.
    pub(crate) bytes: Vec<u8>,
    limit: usize,
}

impl Limited {
    /// An empty buffer that accepts at most `limit` bytes.
    pub(crate) fn new(limit: usize) -> Limited {
        Limited { bytes: Vec::new(), limit }
    }
}

impl Write for Limited {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.bytes.len() + buf.len() > self.limit {
            return Err(io::Error::other("troppo lungo"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_windows_refuses_are_made_acceptable() {
        assert_eq!(sanitise("2025_allegato"), "2025_allegato");
        assert_eq!(sanitise("CCIAA: Roma/Lazio? \"sì\" <a|b> *"), "CCIAA_ Roma_Lazio_ _sì_ _a_b_ _");
        assert_eq!(sanitise("CON"), "CON_");
        assert_eq!(sanitise("nul.2025"), "nul_.2025");
        assert_eq!(sanitise("Com1 "), "Com1_");
        assert_eq!(sanitise("CONTABILITÀ"), "CONTABILITÀ");
        assert_eq!(sanitise("piano. . "), "piano");
        assert_eq!(sanitise("..nascosto"), "nascosto");
        assert_eq!(sanitise("a\u{7}b\tc"), "a_b_c");
        assert_eq!(sanitise("..."), "");
        let long = "è".repeat(200);
        let cut = sanitise(&long);
        assert!(cut.len() <= MAX_STEM && cut.chars().all(|c| c == 'è'), "{cut}");
    }
}
