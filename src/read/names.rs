//! Normalised names: sheet names and column headers match case-insensitively,
//! ignoring accents, surrounding and repeated spaces, a trailing `:` or `*`.

/// Normalises a sheet name or header for comparison:
/// `"  Peso  Indicatori: "` and `"peso indicatori"` are equal.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        for l in ch.to_lowercase() {
            out.push(match l {
                'à' | 'á' | 'â' | 'ä' => 'a',
                'è' | 'é' | 'ê' | 'ë' => 'e',
                'ì' | 'í' | 'î' | 'ï' => 'i',
                'ò' | 'ó' | 'ô' | 'ö' => 'o',
                'ù' | 'ú' | 'û' | 'ü' => 'u',
                '\u{a0}' | '\t' | '\n' | '\r' => ' ',
                '’' => '\'',
                other => other,
            });
        }
    }
    let mut trimmed = out.trim();
    while let Some(rest) = trimmed.strip_suffix(':').or_else(|| trimmed.strip_suffix('*')) {
        trimmed = rest.trim_end();
    }
    trimmed.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn headers_match_ignoring_case_accents_spaces_and_trailing_marks() {
        assert_eq!(normalize("Peso indicatori:"), "peso indicatori");
        assert_eq!(normalize("  PESO   Indicatori * "), "peso indicatori");
        assert_eq!(normalize("Modalità di calcolo"), "modalita di calcolo");
        assert_eq!(normalize("Codice*"), "codice");
        assert_eq!(normalize("Unità\u{a0}di misura"), "unita di misura");
    }
}
