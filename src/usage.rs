//! clap's own words in Italian. clap has no translations, so its usage
//! errors are rebuilt here from their kind and context, and the few fixed
//! English words of its help page (`[OPTIONS]`, `[default: …]`) are replaced.

use clap::error::{ContextKind, ContextValue, ErrorKind};

/// clap's fixed English words in help and usage lines, with their Italian.
const WORDS: &[(&str, &str)] = &[
    ("Usage: ", "Uso: "),
    ("[OPTIONS]", "[OPZIONI]"),
    ("[default: ", "[predefinito: "),
    ("[possible values: ", "[valori possibili: "),
    ("[aliases: ", "[alias: "),
];

/// A help page, usage line or version with clap's English words translated.
pub fn translate(text: &str) -> String {
    WORDS.iter().fold(text.to_string(), |t, (en, it)| t.replace(en, it))
}

/// The Italian message for a usage error: what is wrong, a suggestion when
/// clap has one, the usage line and where to read more.
pub fn error_message(e: &clap::Error) -> String {
    let get = |kind: ContextKind| e.get(kind).map(value_text).filter(|s| !s.is_empty());
    let arg = get(ContextKind::InvalidArg).unwrap_or_default();
    let mut out = match e.kind() {
        ErrorKind::InvalidSubcommand => {
            format!("comando sconosciuto «{}»", get(ContextKind::InvalidSubcommand).unwrap_or_default())
        }
        ErrorKind::UnknownArgument => format!("opzione o argomento sconosciuto «{arg}»"),
        ErrorKind::MissingRequiredArgument => format!("manca un argomento obbligatorio: {arg}"),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "manca il comando da eseguire".to_string()
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            format!("valore non valido «{}» per {arg}", get(ContextKind::InvalidValue).unwrap_or_default())
        }
        ErrorKind::ArgumentConflict => {
            format!("{arg} non può essere usato insieme a {}", get(ContextKind::PriorArg).unwrap_or_default())
        }
        ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("numero di valori non valido per {arg}")
        }
        ErrorKind::NoEquals => format!("{arg} richiede un valore scritto con «=»"),
        _ => "comando non valido".to_string(),
    };
    out = format!("errore: {out}\n");
    let suggestion = get(ContextKind::SuggestedSubcommand).or_else(|| get(ContextKind::SuggestedArg));
    if let Some(s) = suggestion {
        out.push_str(&format!("  forse si intendeva «{s}»?\n"));
    }
    if let Some(valid) = get(ContextKind::ValidValue) {
        out.push_str(&format!("  valori ammessi: {valid}\n"));
    }
    if let Some(usage) = get(ContextKind::Usage) {
        out.push_str(&format!("\n{}\n", translate(usage.trim())));
    }
    let command = usage_command(e).unwrap_or_else(|| "piao".to_string());
    out.push_str(&format!("\nPer saperne di più: «{command} --help».\n"));
    out
}

/// `piao build` from the usage line `Usage: piao build [OPTIONS] …`.
fn usage_command(e: &clap::Error) -> Option<String> {
    let usage = e.get(ContextKind::Usage).map(value_text)?;
    let words: Vec<&str> = usage.split_whitespace().skip(1).take_while(|w| !w.starts_with(['[', '<', '-'])).collect();
    (!words.is_empty()).then(|| words.join(" "))
}

fn value_text(v: &ContextValue) -> String {
    match v {
        ContextValue::String(s) => s.clone(),
        ContextValue::Strings(v) => v.join(", "),
        ContextValue::StyledStr(s) => s.to_string(),
        ContextValue::StyledStrs(v) => v.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(", "),
        ContextValue::Number(n) => n.to_string(),
        ContextValue::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use clap::Parser;

    fn message(args: &[&str]) -> String {
        match Cli::try_parse_from(args) {
            Ok(_) => panic!("{args:?} should not parse"),
            Err(e) => error_message(&e),
        }
    }

    #[test]
    fn usage_errors_are_italian_with_no_english_left() {
        let cases: &[(&[&str], &str)] = &[
            (&["piao", "bulid"], "comando sconosciuto «bulid»"),
            (&["piao", "build"], "manca un argomento obbligatorio: <CARTELLA_DI_LAVORO>..."),
            (&["piao", "check", "--bogus", "x.xlsx"], "opzione o argomento sconosciuto «--bogus»"),
            (&["piao", "template", "x.xlsx", "--anno", "abc"], "valore non valido «abc» per --anno <ANNO>"),
        ];
        for (args, expected) in cases {
            let m = message(args);
            assert!(m.contains(expected), "{args:?}: {m}");
            for english in ["error:", "Usage:", "For more information", "[OPTIONS]", "tip:"] {
                assert!(!m.contains(english), "{args:?} still says «{english}»: {m}");
            }
        }
        assert!(message(&["piao", "bulid"]).contains("forse si intendeva «build»?"));
        assert!(message(&["piao", "check", "--bogus", "x.xlsx"]).contains("«piao check --help»"));
        assert!(message(&["piao", "build"]).contains("Uso: piao build <CARTELLA_DI_LAVORO>..."));
    }

    #[test]
    fn help_words_are_translated() {
        let t = translate("Uso: piao build [OPTIONS] <X>\n  -o <C>  Cartella [default: out]");
        assert_eq!(t, "Uso: piao build [OPZIONI] <X>\n  -o <C>  Cartella [predefinito: out]");
    }
}
