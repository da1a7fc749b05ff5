//! The `Ente` sheet: the entity's identity and the scoring settings of its
//! measurement system.

use super::expr::parse_date;
use super::{Ente, Settings};
use crate::diag::{Diagnostic, Diagnostics};
use crate::read::{Cell, Table, normalize};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::path::{Component, Path};

/// Reads the entity; `None` when a required key is missing (the reason is
/// in `diags`).
pub(super) fn read_ente(table: &Table, dir: &Path, diags: &mut Diagnostics) -> Option<Ente> {
    let mut entries: Vec<(String, Cell)> = Vec::new();
    for row in table.rows() {
        let (Some(key), Some(value)) = (row.get("voce"), row.get("valore")) else { continue };
        match key.text() {
            Ok(Some(k)) => entries.push((normalize(&k), value)),
            Ok(None) => {}
            Err(d) => diags.push(d),
        }
    }
    let find = |k: &str| entries.iter().find(|(key, _)| key == k).map(|(_, c)| *c);
    let text = |k: &str, diags: &mut Diagnostics| -> Option<String> {
        find(k).and_then(|c| c.text().map_err(|d| diags.push(d)).ok().flatten())
    };
    let mut name = text("denominazione", diags);
    let too_long = name.as_deref().zip(find("denominazione")).and_then(|(n, cell)| {
        super::build::too_long_for_a_name(n, "Denominazione").map(|(message, hint)| cell.error(message).hint(hint))
    });
    if let Some(d) = too_long {
        diags.push(d);
        name = None;
    } else if name.is_none() {
        diags.push(missing(
            table,
            find("denominazione"),
            "Denominazione",
            "ad es. «Camera di Commercio di Arezzo-Siena»",
        ));
    }
    let year = match find("anno") {
        Some(c) if !c.is_blank() => c.year("Anno").map_err(|d| diags.push(d)).ok().flatten(),
        other => {
            diags.push(missing(table, other, "Anno", "l'anno di riferimento, ad es. «2025»"));
            None
        }
    };
    let triennium = match (year, find("triennio")) {
        (Some(y), Some(c)) => match c.text() {
            Ok(Some(t)) => parse_triennium(&t).or_else(|| {
                diags.push(c.error(format!("Triennio «{t}» non riconosciuto")).hint("scrivere ad es. «2025-2027»"));
                None
            }),
            Ok(None) => Some((y, y + 2)),
            Err(d) => {
                diags.push(d);
                None
            }
        },
        (Some(y), None) => Some((y, y + 2)),
        _ => None,
    };
    let settings = read_settings(&find, diags);
    let act = text("delibera", diags);
    let given = match find("data") {
        Some(c) => c.date().or_else(|| c.text().ok().flatten().and_then(|t| parse_date(&t))),
        None => None,
    }
    .or_else(|| act.as_deref().and_then(date_in_text));
    let (date, report_date) = match (given, year) {
        (Some(d), _) => (Some(d), Some(d)),
        (None, Some(y)) => {
            let (piao, report) = (NaiveDate::from_ymd_opt(y, 1, 31), NaiveDate::from_ymd_opt(y + 1, 6, 30));
            if let (Some(p), Some(r)) = (piao, report) {
                diags.push(
                    Diagnostic::warning(format!(
                        "manca la data dei documenti: l'Allegato al PIAO porta il {} e la Relazione il {} (le scadenze di legge)",
                        p.format("%d/%m/%Y"),
                        r.format("%d/%m/%Y")
                    ))
                    .at(table.sheet, None)
                    .hint("indicare la data di approvazione nella voce «Data» del foglio Ente (o nella Delibera)"),
                );
            }
            (piao, report)
        }
        (None, None) => (None, None),
    };
    let logo_found = find("logo");
    let logo_cell = logo_found.as_ref().map(|c| (c.sheet.to_string(), c.a1()));
    let logo = match logo_found {
        Some(c) => match c.text() {
            Ok(Some(t)) => logo_path(&c, &t, dir, diags),
            Ok(None) => None,
            Err(d) => {
                diags.push(d);
                None
            }
        },
        None => None,
    };
    let by_mission = match find("cruscotto per") {
        Some(c) => match c.text() {
            Ok(Some(t)) => match normalize(&t).as_str() {
                "missione" | "missioni" => true,
                "ambito" | "ambiti" | "ambito strategico" | "prospettiva" | "area strategica" => false,
                _ => {
                    diags.push(
                        c.error(format!("«Cruscotto per» «{t}» non riconosciuto"))
                            .hint("scrivere «Missione» oppure «Ambito» (predefinito)"),
                    );
                    false
                }
            },
            Ok(None) => false,
            Err(d) => {
                diags.push(d);
                false
            }
        },
        None => false,
    };
    Some(Ente {
        by_mission,
        name: name?,
        year: year?,
        triennium: triennium?,
        president: text("presidente", diags),
        secretary: text("segretario generale", diags),
        act,
        date: date?,
        report_date: report_date?,
        logo_cell: logo.as_ref().and(logo_cell),
        logo,
        settings: settings?,
    })
}

/// A required key that is absent (error at the sheet) or has no value
/// (error at its value cell).
fn missing(table: &Table, value: Option<Cell>, key: &str, example: &str) -> Diagnostic {
    match value {
        // A formula nobody calculated is said as such, not as a blank.
        Some(c) => c.uncomputed_formula().unwrap_or_else(|| {
            c.error(format!("la voce «{key}» non è compilata"))
                .hint(format!("scrivere nella cella il valore: {example}"))
        }),
        None => Diagnostic::error(format!("manca la voce «{key}»"))
            .at(table.sheet, None)
            .hint(format!("aggiungere una riga «{key}» con il valore: {example}")),
    }
}

fn parse_triennium(t: &str) -> Option<(i32, i32)> {
    let parts: Vec<&str> = t.split(['-', '/', '–']).map(str::trim).collect();
    match parts.as_slice() {
        [a, b] => {
            let (a, b): (i32, i32) = (a.parse().ok()?, b.parse().ok()?);
            (a < b && b - a <= 5).then_some((a, b))
        }
        _ => None,
    }
}

/// The first `dd/mm/yyyy` inside a text such as "Delibera n. 32 del 19/05/2020".
fn date_in_text(t: &str) -> Option<NaiveDate> {
    t.split_whitespace().find_map(|w| parse_date(w.trim_matches(|c: char| !c.is_ascii_digit())))
}

fn read_settings<'a>(find: &dyn Fn(&str) -> Option<Cell<'a>>, diags: &mut Diagnostics) -> Option<Settings> {
    let mut s = Settings::default();
    let mut ok = true;
    let mut fraction = |key: &str, label: &str, target: &mut Decimal| {
        if let Some(c) = find(key) {
            match c.decimal(label) {
                Ok(Some(v)) => {
                    // Scale decision for the thresholds, per value: 70 typed
                    // without % means 70%; at most 5 is a fraction (0,7).
                    let v = if v > Decimal::from(5) { v / Decimal::ONE_HUNDRED } else { v };
                    if v < Decimal::ZERO {
                        diags.push(c.error(format!("{label}: un valore negativo non è ammesso")));
                        ok = false;
                    } else {
                        *target = v;
                    }
                }
                Ok(None) => {}
                Err(d) => {
                    diags.push(d);
                    ok = false;
                }
            }
        }
    };
    fraction("soglia raggiunto", "Soglia raggiunto", &mut s.achieved);
    fraction("soglia parziale", "Soglia parziale", &mut s.partial);
    fraction("soglia minima", "Soglia minima", &mut s.floor);
    let mut cap = Decimal::ONE;
    let no_cap = find("tetto").and_then(|c| c.text().ok().flatten()).is_some_and(|t| normalize(&t) == "nessuno");
    if !no_cap {
        fraction("tetto", "Tetto", &mut cap);
    }
    s.cap = (!no_cap).then_some(cap);
    if let Some(c) = find("tolleranza giorni") {
        match c.decimal("Tolleranza giorni") {
            Ok(Some(v)) if v.fract().is_zero() && v >= Decimal::ZERO && v <= Decimal::from(366) => {
                s.late_days = v.to_string().parse().unwrap_or(0);
            }
            Ok(None) => {}
            Ok(Some(v)) => {
                diags.push(c.error(format!("Tolleranza giorni: «{v}» non è un numero di giorni")));
                ok = false;
            }
            Err(d) => {
                diags.push(d);
                ok = false;
            }
        }
    }
    if s.partial > s.achieved {
        if let Some(c) = find("soglia parziale") {
            diags.push(
                c.error("la Soglia parziale supera la Soglia raggiunto")
                    .hint("ad es. Soglia raggiunto 100%, Soglia parziale 70%"),
            );
        }
        ok = false;
    }
    if let Some(cap) = s.cap
        && cap < s.achieved
    {
        if let Some(c) = find("tetto") {
            diags.push(
                c.error("il Tetto è inferiore alla Soglia raggiunto: nessun indicatore potrebbe risultare raggiunto"),
            );
        }
        ok = false;
    }
    ok.then_some(s)
}

/// The logo must stay inside the workbook's folder: no absolute paths, no
/// `..`, no links leading out.
fn logo_path(cell: &Cell, text: &str, dir: &Path, diags: &mut Diagnostics) -> Option<std::path::PathBuf> {
    let rel = Path::new(text);
    if rel.is_absolute() || rel.components().any(|c| !matches!(c, Component::Normal(_) | Component::CurDir)) {
        diags.push(
            cell.error(format!("Logo: il percorso «{text}» esce dalla cartella della cartella di lavoro"))
                .hint("copiare l'immagine accanto al file Excel e scriverne solo il nome"),
        );
        return None;
    }
    let full = dir.join(rel);
    let inside = match (full.canonicalize(), dir.canonicalize()) {
        (Ok(f), Ok(d)) => f.starts_with(d),
        _ => {
            diags.push(cell.warning(format!("Logo: file «{text}» non trovato; i documenti sono prodotti senza logo")));
            return None;
        }
    };
    if !inside {
        diags.push(cell.error(format!(
            "Logo: «{text}» è un collegamento che porta fuori dalla cartella della cartella di lavoro"
        )));
        return None;
    }
    Some(full)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triennium_and_dates_in_acts() {
        assert_eq!(parse_triennium("2025-2027"), Some((2025, 2027)));
        assert_eq!(parse_triennium("2025 / 2027"), Some((2025, 2027)));
        assert_eq!(parse_triennium("2027-2025"), None);
        assert_eq!(date_in_text("Delibera di Giunta n. 32 del 19/05/2020"), NaiveDate::from_ymd_opt(2020, 5, 19));
        assert_eq!(date_in_text("Delibera n. 32"), None);
    }
}
