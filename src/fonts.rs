//! The only typefaces piao's documents use, embedded in the binary so that
//! every machine lays out the same bytes: Noto Sans (text), Noto Sans Math
//! (`≤ ≥` and other operators Noto Sans 2 lacks) and Noto Sans Symbols 2
//! (the status signs `● ◐ ○`). All under the SIL Open Font License 1.1; the
//! files and their origin are in `fonts/` (see `fonts/README.md`).

use std::sync::atomic::{AtomicU8, Ordering};

/// (file name, bytes) of every embedded face, in the order typst falls back.
pub const FACES: &[(&str, &[u8])] = &[
    ("NotoSans-Regular.ttf", include_bytes!("../fonts/NotoSans-Regular.ttf")),
    ("NotoSans-Bold.ttf", include_bytes!("../fonts/NotoSans-Bold.ttf")),
    ("NotoSans-Italic.ttf", include_bytes!("../fonts/NotoSans-Italic.ttf")),
    ("NotoSans-BoldItalic.ttf", include_bytes!("../fonts/NotoSans-BoldItalic.ttf")),
    ("NotoSansMath-Regular.ttf", include_bytes!("../fonts/NotoSansMath-Regular.ttf")),
    ("NotoSansSymbols2-Regular.ttf", include_bytes!("../fonts/NotoSansSymbols2-Regular.ttf")),
];

/// The font families, in the order the layouts ask for them (`stile.typ`).
pub const FAMILIES: &[&str] = &["Noto Sans", "Noto Sans Math", "Noto Sans Symbols2"];

/// The embedded faces, parsed once, for coverage checks.
static PARSED: std::sync::LazyLock<Vec<typst::text::Font>> = std::sync::LazyLock::new(|| {
    FACES.iter().flat_map(|(_, d)| typst::text::Font::iter(typst::foundations::Bytes::new(*d))).collect()
});

/// What [`drawable`] found for each character of the Basic Multilingual
/// Plane it was asked about: 0 not asked yet, 1 drawn, 2 not drawn. Every
/// string a layout receives is checked character by character, and the
/// faces' coverage tables are a search each.
static SEEN: [AtomicU8; 0x10000] = [const { AtomicU8::new(0) }; 0x10000];

/// Whether an embedded face draws `c`. White space and the invisible
/// format characters need no glyph; ASCII and Latin-1 letters are all in
/// Noto Sans (a fast path for the common case).
pub fn drawable(c: char) -> bool {
    if c.is_whitespace()
        || (' '..='~').contains(&c)
        || ('\u{A1}'..='\u{FF}').contains(&c)
        || matches!(c, '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}')
    {
        return true;
    }
    let covered = || PARSED.iter().any(|f| f.info().coverage.contains(c as u32));
    let Some(seen) = SEEN.get(c as usize) else { return covered() };
    match seen.load(Ordering::Relaxed) {
        1 => true,
        2 => false,
        _ => {
            let drawn = covered();
            seen.store(if drawn { 1 } else { 2 }, Ordering::Relaxed);
            drawn
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use typst::foundations::Bytes;
    use typst::text::Font;

    /// Every sign the layouts and the view print is drawn by an embedded
    /// face, so typst never falls back to nothing.
    #[test]
    fn every_sign_the_documents_use_is_covered() {
        let fonts: Vec<Font> = FACES.iter().flat_map(|(_, d)| Font::iter(Bytes::new(*d))).collect();
        assert_eq!(fonts.len(), FACES.len());
        for c in "àèéìòù€≥≤●◐○–—«»→·°‰\u{FFFD}".chars() {
            assert!(fonts.iter().any(|f| f.info().coverage.contains(c as u32)), "no embedded face draws «{c}»");
            assert!(drawable(c), "«{c}»");
        }
        for c in ['😀', '中', '\u{E000}'] {
            assert!(!drawable(c), "«{c}» has no embedded glyph");
        }
        // The second answer comes from `SEEN` and is the same.
        for c in ['≥', '●', '中', '\u{E000}'] {
            assert_eq!(drawable(c), drawable(c), "«{c}»");
            assert_eq!(SEEN[c as usize].load(Ordering::Relaxed), if drawable(c) { 1 } else { 2 }, "«{c}»");
        }
        let families: Vec<&str> = fonts.iter().map(|f| f.info().family.as_str()).collect();
        for family in FAMILIES {
            assert!(families.contains(family), "{family} not embedded: {families:?}");
        }
    }
}
