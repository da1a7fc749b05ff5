//! Text that prints: what a cell says never stops a PDF from being laid out.
//! Just before a layout receives its data, every string is made printable:
//! a character no embedded face draws becomes `�` (the workbook, the xlsx and
//! results.json keep the text as written), a grapheme with an absurd run of
//! combining marks is cut to the Unicode stream-safe limit (typst's shaping
//! grows with the square of a cluster), and a word longer than a line gets
//! invisible break opportunities (an unbroken word is one PDF string, and
//! PDF/A allows at most 32 767 bytes in one). The reader warns at the cell
//! (`read::guard::clean_texts`) for each of these; `render::view` applies
//! it to every string a layout receives.

use crate::fonts::drawable;
use serde_json::Value;
use std::borrow::Cow;
use unicode_segmentation::UnicodeSegmentation;

/// Printed instead of a character no embedded face can draw.
pub const PLACEHOLDER: char = '\u{FFFD}';

/// At most this many characters in one grapheme: a base and the 30
/// combining marks Unicode's stream-safe text format allows.
pub const MAX_CLUSTER: usize = 31;

/// A word longer than this many characters gets a break opportunity every
/// this many characters: wider than any table column piao lays out.
pub const LONG_WORD: usize = 80;

/// Whether `text` needs [`printable`] to change it.
pub fn needs_change(text: &str) -> bool {
    problems(text) != Problems::default()
}

/// What [`printable`] changes in a text, for the reader's warning.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Problems {
    /// Characters no embedded face draws (the first few, as written).
    pub undrawable: Vec<char>,
    /// A word longer than [`LONG_WORD`] characters.
    pub long_word: bool,
    /// A grapheme with more than [`MAX_CLUSTER`] characters.
    pub long_cluster: bool,
}

impl Problems {
    /// The Italian warning for a cell, or `None` when the text prints as is.
    pub fn message(&self) -> Option<String> {
        let mut parts = Vec::new();
        if !self.undrawable.is_empty() {
            let shown: Vec<String> = self.undrawable.iter().map(|c| format!("«{c}»")).collect();
            parts.push(format!(
                "{} non si può stampare con i caratteri tipografici dei documenti: nei PDF compare «{PLACEHOLDER}»",
                shown.join(" ")
            ));
        }
        if self.long_word {
            parts.push(format!("una parola di oltre {LONG_WORD} caratteri senza spazi va a capo dove capita"));
        }
        if self.long_cluster {
            parts.push("una lettera con decine di segni diacritici: nei PDF ne restano al massimo 30".to_string());
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

/// What in `text` does not print as written.
pub fn problems(text: &str) -> Problems {
    let mut p = Problems::default();
    let (mut word, mut marks) = (0usize, 0usize);
    for c in text.chars() {
        if c.is_whitespace() {
            word = 0;
            marks = 0;
            continue;
        }
        if is_combining(c) {
            marks += 1;
            p.long_cluster |= marks >= MAX_CLUSTER;
        } else {
            marks = 0;
            word += 1;
            p.long_word |= word > LONG_WORD;
        }
        if !drawable(c) && p.undrawable.len() < 5 && !p.undrawable.contains(&c) {
            p.undrawable.push(c);
        }
    }
    p
}

/// A combining mark or joiner that extends the previous character's
/// grapheme (a conservative test: only these make clusters grow).
fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// The text as a PDF can print it (see the module comment).
pub fn printable(text: &str) -> Cow<'_, str> {
    if !needs_change(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut word = 0usize;
    for cluster in text.graphemes(true) {
        let first = cluster.chars().next().unwrap_or(' ');
        if first.is_whitespace() {
            word = 0;
        } else {
            word += 1;
            if word > LONG_WORD && (word - 1).is_multiple_of(LONG_WORD) {
                out.push('\u{200B}');
            }
        }
        // A grapheme is one visible character: drawn whole, or one placeholder.
        if cluster.chars().all(drawable) {
            out.extend(cluster.chars().take(MAX_CLUSTER));
        } else {
            out.push(PLACEHOLDER);
        }
    }
    Cow::Owned(out)
}

/// A layout's data as JSON text with every string made printable. The
/// text is scanned string by string first: when no string needs a change
/// (every workbook that is not hostile) it is returned as it is, without
/// building a tree of values; otherwise it is parsed, fixed with
/// [`make_printable`] and written again.
pub fn printable_json(json: Vec<u8>) -> Vec<u8> {
    if !json_needs_change(&json) {
        return json;
    }
    let Ok(mut value) = serde_json::from_slice::<Value>(&json) else { return json };
    make_printable(&mut value);
    serde_json::to_vec(&value).unwrap_or(json)
}

/// Whether a string of the JSON text might need [`printable`]: the test of
/// [`problems`], run on each string's escaped text. It errs only towards
/// yes: an escape other than a quote, a backslash, a slash or a line, tab or
/// return counts as a change (an escaped line, tab or return ends a word, as
/// the character itself does).
fn json_needs_change(json: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(json) else { return true };
    let mut inside = false;
    let mut escaped = false;
    let (mut word, mut marks) = (0usize, 0usize);
    for c in text.chars() {
        if !inside {
            if c == '"' {
                inside = true;
                word = 0;
                marks = 0;
            }
            continue;
        }
        if escaped {
            escaped = false;
            match c {
                'n' | 't' | 'r' => {
                    word = 0;
                    marks = 0;
                }
                '"' | '\\' | '/' => word += 1,
                _ => return true,
            }
            if word > LONG_WORD {
                return true;
            }
            continue;
        }
        match c {
            '"' => inside = false,
            '\\' => escaped = true,
            c if c.is_whitespace() => {
                word = 0;
                marks = 0;
            }
            c if is_combining(c) => {
                marks += 1;
                if marks >= MAX_CLUSTER || !drawable(c) {
                    return true;
                }
            }
            c => {
                marks = 0;
                word += 1;
                if word > LONG_WORD || !drawable(c) {
                    return true;
                }
            }
        }
    }
    false
}

/// Makes every string of a layout's data printable, in place.
pub fn make_printable(value: &mut Value) {
    match value {
        Value::String(s) => {
            if let Cow::Owned(t) = printable(s) {
                *s = t;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(make_printable),
        Value::Object(map) => map.values_mut().for_each(make_printable),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_italian_text_is_untouched() {
        let t = "Qualità dei servizi: ≥ 95% entro il 31/12/2025 — «Registro Imprese» ● ◐ ○ € ‰";
        assert!(matches!(printable(t), Cow::Borrowed(_)));
    }

    #[test]
    fn emoji_and_cjk_become_the_placeholder() {
        assert_eq!(printable("Servizi 😀 digitali 中文"), "Servizi \u{FFFD} digitali \u{FFFD}\u{FFFD}");
        // A multi-character emoji is one placeholder.
        assert_eq!(printable("a 👩‍💻 b"), "a \u{FFFD} b");
    }

    #[test]
    fn combining_marks_are_cut_to_the_stream_safe_limit() {
        let text = format!("a{} b", "\u{301}".repeat(20_000));
        assert_eq!(printable(&text).chars().count(), MAX_CLUSTER + 2);
        assert_eq!(printable("caffè"), "caffè");
        let decomposed = "caffe\u{300}";
        assert_eq!(printable(decomposed), decomposed);
    }

    #[test]
    fn long_words_get_invisible_break_opportunities() {
        let text = "è".repeat(17_000);
        let t = printable(&text);
        assert!(t.split('\u{200B}').all(|w| w.chars().count() <= LONG_WORD), "a piece is too long");
        assert_eq!(t.replace('\u{200B}', ""), text);
        let short = "parola ".repeat(1000);
        assert!(matches!(printable(&short), Cow::Borrowed(_)));
    }

    #[test]
    fn json_text_is_kept_as_written_unless_a_string_needs_a_change() {
        // Ordinary text, escapes included: the same bytes back.
        let ok = serde_json::to_vec(&serde_json::json!({"a": ["Qualità ≥ 95% «x»", "riga\nriga \"q\" a\\b"], "n": 3}))
            .unwrap_or_default();
        assert!(!json_needs_change(&ok));
        assert_eq!(printable_json(ok.clone()), ok);
        // Keys and values side by side do not make a long word.
        let many =
            serde_json::to_vec(&serde_json::json!({"abcdefghij": "klmnopqrstuvwxyz".repeat(4), "x": "y".repeat(60)}))
                .unwrap_or_default();
        assert!(!json_needs_change(&many));
        // Each kind of change is found, and the result is what make_printable gives;
        // a combining mark no embedded face draws too.
        let undrawable_mark = (0x1AB0..=0x1AFF)
            .chain(0x1DC0..=0x1DFF)
            .chain(0x20D0..=0x20FF)
            .filter_map(char::from_u32)
            .find(|c| !drawable(*c))
            .map(|c| format!("a{c}"))
            .unwrap_or_else(|| "😀".to_string());
        for bad in [
            "😀",
            "è".repeat(200).as_str(),
            &format!("a{}", "\u{301}".repeat(40)),
            "a\u{1}b",
            "a\u{8}b",
            &undrawable_mark,
        ] {
            let json = serde_json::to_vec(&serde_json::json!({"k": [bad]})).unwrap_or_default();
            assert!(json_needs_change(&json), "{bad:?}");
            let mut v = serde_json::json!({"k": [bad]});
            make_printable(&mut v);
            assert_eq!(printable_json(json), serde_json::to_vec(&v).unwrap_or_default(), "{bad:?}");
        }
    }

    #[test]
    fn every_string_of_the_data_is_made_printable() {
        let mut v = serde_json::json!({"a": ["ok", {"b": "😀"}], "n": 3});
        make_printable(&mut v);
        assert_eq!(v, serde_json::json!({"a": ["ok", {"b": "\u{FFFD}"}], "n": 3}));
    }
}
