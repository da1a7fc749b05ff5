//! Suggestions for target, baseline and actual cells that fit no accepted
//! form: the nearest form for what planners actually write (a periodicity,
//! two deadlines in one cell, a yes/no with its description), with the
//! plan's own year in the examples.

use super::expr::parse_date;

/// Words that name how often something is measured, not what is expected.
const PERIODICITIES: &[&str] =
    &["annuale", "semestrale", "trimestrale", "quadrimestrale", "mensile", "settimanale", "biennale", "triennale"];

/// Italian month names, for dates written in words.
const MONTHS: &[&str] = &[
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
];

/// The hint for an unreadable cell holding `text`, in a plan of `year`.
pub fn unreadable(text: &str, year: Option<i32>) -> String {
    let lower = text.trim().to_lowercase();
    let deadline = format!("«Entro 31/12/{}»", year.map_or("AAAA".to_string(), |y| y.to_string()));
    if PERIODICITIES.iter().any(|p| lower == *p || lower.trim_end_matches('.') == *p) {
        return format!(
            "«{}» è una periodicità, non un target: scrivere il valore atteso nell'anno (ad es. «>= 1» o {deadline}) e la periodicità nella Formula",
            text.trim()
        );
    }
    let dates: Vec<&str> =
        lower.split(|c: char| c.is_whitespace() || c == ';' || c == ',').filter(|w| parse_date(w).is_some()).collect();
    if dates.len() > 1 {
        return format!(
            "la cella contiene {} scadenze ({}): un target per cella, ad es. {deadline}; le scadenze intermedie vanno nella Formula o nella Descrizione",
            dates.len(),
            dates.join(", ")
        );
    }
    if ["si/no", "sì/no", "si / no", "sì / no", "(si)", "(sì)"].iter().any(|w| lower.contains(w)) {
        return "per un target sì/no scrivere solo «si» (o «no»); la descrizione («Rispetto della tempistica prevista») va nel Nome o nella Formula dell'indicatore".to_string();
    }
    if MONTHS.iter().any(|m| lower.split_whitespace().any(|w| w == *m)) {
        return format!("scrivere la data in cifre, ad es. {deadline}");
    }
    if let Some(number) = lone_number(&lower) {
        return format!(
            "se il target è il numero {number}, scriverlo con il suo operatore e senza altre parole, ad es. «>= {number}» (le parole vanno nel Nome o nella UdM)"
        );
    }
    format!("atteso ad es. «>= 95%», {deadline}, «si», «≥ Buono», «n.d.»")
}

/// The only number in a text (`circa 5 eventi` → `5`), if there is exactly one.
fn lone_number(text: &str) -> Option<String> {
    let numbers: Vec<String> = text
        .split(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.' || c == '%'))
        .map(|w| w.trim_matches(|c: char| c == ',' || c == '.'))
        .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
        .map(String::from)
        .collect();
    match numbers.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_planners_write_gets_the_nearest_form() {
        let h = unreadable("Annuale", Some(2022));
        assert!(h.contains("«Annuale» è una periodicità, non un target") && h.contains("«Entro 31/12/2022»"), "{h}");
        let h = unreadable("30/06/2022 31/12/2022", Some(2022));
        assert!(h.contains("2 scadenze (30/06/2022, 31/12/2022)"), "{h}");
        let h = unreadable("Rispetto della tempistica prevista:sì/no", Some(2022));
        assert!(h.contains("scrivere solo «si»"), "{h}");
        let h = unreadable("31 dicembre 2022", Some(2022));
        assert!(h.contains("in cifre"), "{h}");
        let h = unreadable("circa 5 eventi", Some(2022));
        assert!(h.contains("«>= 5»"), "{h}");
        let h = unreadable("circa cinque", Some(2022));
        assert_eq!(h, "atteso ad es. «>= 95%», «Entro 31/12/2022», «si», «≥ Buono», «n.d.»");
        assert!(unreadable("circa cinque", None).contains("«Entro 31/12/AAAA»"));
    }
}
