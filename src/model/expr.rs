//! Target expressions: the one grammar for targets, baselines and actual
//! values (`≥ 95%`, `Entro 31/12/2025`, `si`, `≥ Buono`, `3,5/5`, `n.d.`).
//! Each parsed expression keeps the text it was written as.

use crate::read::{normalize, parse_italian_number};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

/// The comparison a target asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[schemars(description = "Il confronto richiesto dal target: >=, >, <=, <, =.")]
pub enum Op {
    /// `>=`, `≥`, `almeno`, `non inferiore a`
    #[serde(rename = ">=")]
    Ge,
    /// `>`
    #[serde(rename = ">")]
    Gt,
    /// `<=`, `≤`, `entro`, `non superiore a`
    #[serde(rename = "<=")]
    Le,
    /// `<`
    #[serde(rename = "<")]
    Lt,
    /// `=`
    #[serde(rename = "=")]
    Eq,
}

impl Op {
    /// The symbol printed in documents.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Ge => "≥",
            Op::Gt => ">",
            Op::Le => "≤",
            Op::Lt => "<",
            Op::Eq => "=",
        }
    }

    /// Reads an operator as the `Operatore` column writes it.
    pub fn parse(s: &str) -> Option<Op> {
        let n = normalize(s);
        OPERATORS.iter().find(|(w, _)| *w == n).map(|(_, op)| *op)
    }
}

/// Operators in the order they are tried (longest first).
const OPERATORS: &[(&str, Op)] = &[
    ("non inferiore a", Op::Ge),
    ("non superiore a", Op::Le),
    ("almeno", Op::Ge),
    ("entro il", Op::Le),
    ("entro", Op::Le),
    (">=", Op::Ge),
    ("=>", Op::Ge),
    ("≥", Op::Ge),
    ("<=", Op::Le),
    ("=<", Op::Le),
    ("≤", Op::Le),
    (">", Op::Gt),
    ("<", Op::Lt),
    ("=", Op::Eq),
];

/// An ordered scale of judgements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(
    description = "Scala ordinata di giudizi: esito (negativo < positivo), giudizio (insufficiente < … < ottimo), livello (basso < medio < alto)."
)]
pub enum Scale {
    /// Negativo < Positivo
    #[schemars(description = "negativo < positivo")]
    Esito,
    /// Insufficiente < Sufficiente < Discreto < Buono < Ottimo
    #[schemars(description = "insufficiente < sufficiente < discreto < buono < ottimo")]
    Giudizio,
    /// Basso < Medio < Alto
    #[schemars(description = "basso < medio < alto")]
    Livello,
}

const LEVELS: &[(&str, Scale, u8)] = &[
    ("negativo", Scale::Esito, 0),
    ("positivo", Scale::Esito, 1),
    ("insufficiente", Scale::Giudizio, 0),
    ("sufficiente", Scale::Giudizio, 1),
    ("discreto", Scale::Giudizio, 2),
    ("buono", Scale::Giudizio, 3),
    ("ottimo", Scale::Giudizio, 4),
    ("basso", Scale::Livello, 0),
    ("medio", Scale::Livello, 1),
    ("alto", Scale::Livello, 2),
];

/// What an expression states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[schemars(
    description = "Che cosa dice l'espressione: number (quantità; le percentuali sono frazioni, 95% è 0.95), date (scadenza), yes_no, level (livello di una scala), missing (nulla da confrontare: vuoto, n.d.), measure_only (anno di rilevazione, non valutato)."
)]
pub enum Value {
    /// A quantity; percentages are fractions (95% is 0.95), per mille too.
    #[schemars(description = "Una quantità; le percentuali sono frazioni (95% è 0.95), così i per mille.")]
    Number {
        /// The exact value.
        #[schemars(description = "Il valore esatto, come stringa decimale.")]
        #[serde(with = "rust_decimal::serde::str")]
        #[schemars(with = "String")]
        value: Decimal,
        /// The unit as written (`%`, `€`, `gg`, `/5`), if any.
        #[schemars(description = "L'unità come scritta (%, €, gg, /5), se c'è.")]
        unit: Option<String>,
    },
    /// A deadline or a date.
    #[schemars(description = "Una scadenza o una data.")]
    Date {
        /// The day.
        #[schemars(description = "Il giorno (aaaa-mm-gg).")]
        date: NaiveDate,
    },
    /// `si` / `no`.
    YesNo {
        /// True for `si`.
        #[schemars(description = "Vero per «sì».")]
        yes: bool,
    },
    /// A level on an ordered scale (`Buono`).
    #[schemars(description = "Un livello di una scala ordinata (ad es. «Buono»).")]
    Level {
        /// Which scale.
        #[schemars(description = "Quale scala.")]
        scale: Scale,
        /// Position on the scale, 0 lowest.
        #[schemars(description = "Posizione nella scala, 0 la più bassa.")]
        rank: u8,
        /// The level's name.
        #[schemars(description = "Il nome del livello.")]
        label: String,
    },
    /// Empty, `n.d.`, `-`, `da attivare`: nothing to compare.
    #[schemars(description = "Vuoto, n.d., -, da attivare: nulla da confrontare.")]
    Missing,
    /// `Anno di rilevazione`: the year sets the baseline; not scored.
    #[schemars(description = "Anno di rilevazione: l'anno fissa la baseline; non valutato.")]
    MeasureOnly,
}

/// A parsed cell: its comparison, its value and its original text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[schemars(description = "Un target, una baseline o un consuntivo: il testo come scritto e come è stato letto.")]
pub struct Expr {
    /// The text as written (for typed cells, as displayed).
    #[schemars(description = "Il testo come scritto nella cella (per le celle numeriche, come mostrato).")]
    pub text: String,
    /// The operator written in the cell or taken from `Operatore`.
    #[schemars(description = "L'operatore scritto nella cella o preso dalla colonna Operatore.")]
    pub op: Op,
    /// Whether the operator was written in the cell itself.
    #[schemars(description = "Vero se l'operatore è scritto nella cella stessa.")]
    pub explicit_op: bool,
    /// The value.
    #[schemars(description = "Il valore letto.")]
    pub value: Value,
}

/// Words that mean "no value" in a target or baseline cell.
const MISSING: &[&str] = &["n.d.", "n.d", "nd", "-", "—", "–", "da attivare", "non disponibile", "n/a", "na", "/"];

impl Expr {
    /// An expression from a typed number cell. With a `%` unit of measure the
    /// number is the fraction the spreadsheet holds (95% is 0.95).
    pub fn from_number(value: Decimal, text: String, default_op: Op) -> Expr {
        Expr { text, op: default_op, explicit_op: false, value: Value::Number { value, unit: None } }
    }

    /// An expression from a typed date cell: a deadline.
    pub fn from_date(date: NaiveDate) -> Expr {
        Expr { text: date.format("%d/%m/%Y").to_string(), op: Op::Le, explicit_op: false, value: Value::Date { date } }
    }

    /// An expression from a typed boolean cell.
    pub fn from_bool(yes: bool) -> Expr {
        Expr { text: if yes { "si" } else { "no" }.into(), op: Op::Eq, explicit_op: false, value: Value::YesNo { yes } }
    }

    /// Parses text; `default_op` applies when the text has no operator of
    /// its own. The error is the Italian reason, to be placed at the cell.
    pub fn parse(text: &str, default_op: Op) -> Result<Expr, String> {
        let original = text.trim().to_string();
        let mut s = normalize(&original);
        s = strip_comments(&s);
        let make = |op: Option<Op>, value: Value| {
            let explicit = op.is_some();
            let op = op.unwrap_or(match value {
                Value::Date { .. } => Op::Le,
                Value::YesNo { .. } => Op::Eq,
                _ => default_op,
            });
            Expr { text: original.clone(), op, explicit_op: explicit, value }
        };
        if s.is_empty() || MISSING.contains(&s.as_str()) {
            return Ok(make(None, Value::Missing));
        }
        if s == "anno di rilevazione" || s.starts_with("anno di rilevazione") {
            return Ok(make(None, Value::MeasureOnly));
        }
        // A descriptive label may precede the operator or the value
        // ("ITP < -10", "grado di soddisfazione medio 3,5/5").
        let (op, rest) = split_operator(&s);
        if let Some(v) = value_of(rest) {
            return Ok(make(op, v));
        }
        if op.is_none()
            && let Some(idx) = rest.find(|c: char| "<>=≥≤€+-".contains(c) || c.is_ascii_digit())
        {
            let label = &rest[..idx];
            if label.chars().all(|c| c.is_alphabetic() || c == ' ' || c == '\'' || c == '.') {
                let (op2, rest2) = split_operator(&rest[idx..]);
                if let Some(v) = value_of(rest2) {
                    return Ok(make(op2, v));
                }
            }
        }
        Err(format!("valore non riconosciuto «{original}»"))
    }

    /// True when this expression can be compared (a value is there).
    pub fn is_scorable(&self) -> bool {
        !matches!(self.value, Value::Missing | Value::MeasureOnly)
    }
}

/// Removes parenthesised remarks: `90,49% (media Toscana)` is `90,49%`.
fn strip_comments(s: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn split_operator(s: &str) -> (Option<Op>, &str) {
    let s = s.trim();
    for (word, op) in OPERATORS {
        if let Some(rest) = s.strip_prefix(word) {
            let alphabetic = word.chars().all(|c| c.is_alphabetic() || c == ' ');
            if alphabetic && rest.starts_with(|c: char| c.is_alphanumeric()) {
                continue;
            }
            return (Some(*op), rest.trim());
        }
    }
    (None, s)
}

fn value_of(s: &str) -> Option<Value> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    match s {
        "si" | "sì" | "s" | "yes" | "vero" => return Some(Value::YesNo { yes: true }),
        "no" | "falso" => return Some(Value::YesNo { yes: false }),
        _ => {}
    }
    if let Some((_, scale, rank)) = LEVELS.iter().find(|(w, _, _)| *w == s) {
        return Some(Value::Level { scale: *scale, rank: *rank, label: capitalize(s) });
    }
    if let Some(date) = parse_date(s) {
        return Some(Value::Date { date });
    }
    number_with_unit(s)
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

/// `31/12/2024`, `31-12-2023`, `30.04.2025`, `31/12/19`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = s.trim().split(['/', '-', '.']).collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    let d: u32 = parts[0].parse().ok()?;
    let m: u32 = parts[1].parse().ok()?;
    let mut y: i32 = parts[2].parse().ok()?;
    if parts[2].len() == 2 {
        y += 2000;
    } else if parts[2].len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

const UNITS: &[&str] = &["giorni", "gg.", "gg", "ore", "h", "n.", "n", "nr.", "num.", "euro", "€", "punti", "pt"];

fn number_with_unit(s: &str) -> Option<Value> {
    let mut s = s.trim().to_string();
    let mut unit: Option<String> = None;
    if let Some(rest) = s.strip_prefix('€') {
        s = rest.trim().to_string();
        unit = Some("€".into());
    }
    let end = s
        .char_indices()
        .find(|(i, c)| !(c.is_ascii_digit() || *c == '.' || *c == ',' || ((*c == '-' || *c == '+') && *i == 0)))
        .map(|(i, _)| i)
        .unwrap_or(s.len());
    let number = parse_italian_number(&s[..end])?;
    let tail = s[end..].trim();
    let (value, tail_unit) = match tail {
        "" => (number, None),
        // Scale decision for written values: a `%` sign makes the number a
        // fraction (95% is 0,95); a typed number in a `%` indicator is decided
        // in model::build (`expr`).
        "%" => (number / Decimal::ONE_HUNDRED, Some("%".to_string())),
        "‰" => (number / Decimal::from(1000), Some("‰".to_string())),
        t if t.starts_with('/') => {
            // `80/10.000 imprese attive`: words after the denominator describe it.
            let body = t[1..].trim();
            let end = body.find(|c: char| c.is_alphabetic()).unwrap_or(body.len());
            let (den_text, words) = (body[..end].trim(), body[end..].trim());
            if !words.chars().all(|c| c.is_alphabetic() || c == ' ' || c == '.') {
                return None;
            }
            let t = &format!("/{den_text}");
            let den = parse_italian_number(den_text)?;
            if den.is_zero() {
                return None;
            }
            if den <= Decimal::TEN {
                (number, Some(format!("/{}", den.normalize())))
            } else {
                (number / den, Some(t.to_string()))
            }
        }
        t if UNITS.contains(&t) => (number, Some(if t == "euro" { "€".to_string() } else { t.to_string() })),
        _ => return None,
    };
    Some(Value::Number { value, unit: tail_unit.or(unit) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().expect("test literal")
    }

    fn num(text: &str) -> (Op, Decimal, Option<String>) {
        let e = Expr::parse(text, Op::Ge).unwrap_or_else(|m| panic!("{text}: {m}"));
        match e.value {
            Value::Number { value, unit } => (e.op, value, unit),
            other => panic!("{text}: not a number: {other:?}"),
        }
    }

    #[test]
    fn numbers_with_operators_and_units() {
        assert_eq!(num("24"), (Op::Ge, dec("24"), None));
        assert_eq!(num("2,5"), (Op::Ge, dec("2.5"), None));
        assert_eq!(num("1.150"), (Op::Ge, dec("1150"), None));
        assert_eq!(num("≥ 95%"), (Op::Ge, dec("0.95"), Some("%".into())));
        assert_eq!(num(">=9,9%"), (Op::Ge, dec("0.099"), Some("%".into())));
        assert_eq!(num("<= 4,20 gg"), (Op::Le, dec("4.20"), Some("gg".into())));
        assert_eq!(num("€ 135.000,00"), (Op::Ge, dec("135000.00"), Some("€".into())));
        assert_eq!(num("≤ -20"), (Op::Le, dec("-20"), None));
        assert_eq!(num("< 1,4"), (Op::Lt, dec("1.4"), None));
        assert_eq!(num("ITP < -10"), (Op::Lt, dec("-10"), None));
        assert_eq!(num("0,40 N."), (Op::Ge, dec("0.40"), Some("n.".into())));
        assert_eq!(num("53 ‰"), (Op::Ge, dec("0.053"), Some("‰".into())));
        assert_eq!(num(">= 80/10.000"), (Op::Ge, dec("0.008"), Some("/10.000".into())));
        assert_eq!(num("grado di soddisfazione medio 3,5/5"), (Op::Ge, dec("3.5"), Some("/5".into())));
        assert_eq!(num("almeno 3"), (Op::Ge, dec("3"), None));
        assert_eq!(num("non superiore a 30"), (Op::Le, dec("30"), None));
        assert_eq!(num("90,49% (media Toscana Sistema Pareto)"), (Op::Ge, dec("0.9049"), Some("%".into())));
    }

    #[test]
    fn deadlines_in_every_written_form() {
        let d = |t: &str| match Expr::parse(t, Op::Ge).map(|e| (e.op, e.value)) {
            Ok((op, Value::Date { date })) => (op, date),
            other => panic!("{t}: {other:?}"),
        };
        let dec31 = NaiveDate::from_ymd_opt(2024, 12, 31).expect("date");
        assert_eq!(d("31/12/2024"), (Op::Le, dec31));
        assert_eq!(d("Entro 31-12-2024"), (Op::Le, dec31));
        assert_eq!(d("<= 31.12.2024"), (Op::Le, dec31));
        assert_eq!(d("entro il 31/12/24"), (Op::Le, dec31));
    }

    #[test]
    fn yes_no_levels_and_missing() {
        assert_eq!(Expr::parse("SI", Op::Ge).map(|e| e.value), Ok(Value::YesNo { yes: true }));
        assert_eq!(Expr::parse("sì", Op::Ge).map(|e| e.value), Ok(Value::YesNo { yes: true }));
        assert_eq!(Expr::parse("= si", Op::Ge).map(|e| (e.op, e.value)), Ok((Op::Eq, Value::YesNo { yes: true })));
        let buono = Expr::parse("≥ Buono", Op::Eq).expect("level");
        assert_eq!(buono.op, Op::Ge);
        assert!(matches!(buono.value, Value::Level { scale: Scale::Giudizio, rank: 3, .. }));
        assert!(matches!(
            Expr::parse("Positivo", Op::Ge).map(|e| e.value),
            Ok(Value::Level { scale: Scale::Esito, rank: 1, .. })
        ));
        for t in ["", "n.d.", "-", "da attivare", "N.D."] {
            assert_eq!(Expr::parse(t, Op::Ge).map(|e| e.value), Ok(Value::Missing), "{t}");
        }
        assert_eq!(Expr::parse("Anno di rilevazione", Op::Ge).map(|e| e.value), Ok(Value::MeasureOnly));
    }

    #[test]
    fn text_that_fits_no_form_is_refused_never_zero() {
        for t in ["circa cinque", "< 20 93%", "rispetto termini stabiliti", "95%%", "31/02/2024", "> >"] {
            assert!(Expr::parse(t, Op::Ge).is_err(), "{t} should be refused");
        }
    }

    /// Every distinct target, baseline and actual text of the seed documents
    /// (tests/fixtures/espressioni.tsv) parses as the fixture says.
    #[test]
    fn every_seed_expression_parses_as_expected() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/espressioni.tsv");
        let text = std::fs::read_to_string(path).expect("fixture");
        let mut failures = Vec::new();
        let mut count = 0;
        for line in text.lines().skip(1) {
            let f: Vec<&str> = line.split('\t').collect();
            let (input, kind, op, value, unit) = (f[0], f[1], f[2], f[3], f[4]);
            count += 1;
            let got = match Expr::parse(input, Op::Ge) {
                Err(_) => ("errore".to_string(), String::new(), String::new(), String::new()),
                Ok(e) => {
                    let op_text = |e: &Expr| {
                        match e.op {
                            Op::Ge => ">=",
                            Op::Gt => ">",
                            Op::Le => "<=",
                            Op::Lt => "<",
                            Op::Eq => "=",
                        }
                        .to_string()
                    };
                    match &e.value {
                        Value::Number { value, unit } => (
                            "numero".into(),
                            op_text(&e),
                            value.normalize().to_string(),
                            unit.clone().unwrap_or_default().to_lowercase(),
                        ),
                        Value::Date { date } => {
                            ("data".into(), op_text(&e), date.format("%Y-%m-%d").to_string(), String::new())
                        }
                        Value::YesNo { yes } => {
                            ("si_no".into(), op_text(&e), if *yes { "si" } else { "no" }.into(), String::new())
                        }
                        Value::Level { label, .. } => ("livello".into(), op_text(&e), label.clone(), String::new()),
                        Value::Missing => ("mancante".into(), String::new(), String::new(), String::new()),
                        Value::MeasureOnly => ("solo_misura".into(), String::new(), String::new(), String::new()),
                    }
                }
            };
            let want = (kind.to_string(), op.to_string(), value.to_string(), unit.to_string());
            if got != want {
                failures.push(format!("«{input}»: expected {want:?}, got {got:?}"));
            }
        }
        assert!(count > 100, "the fixture lists {count} expressions");
        assert!(failures.is_empty(), "{} of {count} differ:\n{}", failures.len(), failures.join("\n"));
    }

    #[test]
    fn the_original_text_is_kept() {
        let e = Expr::parse("  ≥ 95% ", Op::Ge).expect("parses");
        assert_eq!(e.text, "≥ 95%");
        assert!(e.explicit_op);
    }
}
