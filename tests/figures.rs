//! Figures a dirigente can sign: on the three examples in `inputs/`, every
//! percentage printed beside a status (Relazione PDF, xlsx cruscotto) agrees
//! with it under the thresholds, and the Relazione, the xlsx and
//! `results.json` give the same figure and status for every objective, area,
//! unit and person. A generated workbook checks the weight scale per column.

mod common;

use calamine::{Data, Reader, open_workbook_auto};
use common::*;
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::Value;
use std::fs;
use std::path::Path;

fn dec(s: &str) -> Decimal {
    s.parse().unwrap_or_else(|_| panic!("not a decimal: {s}"))
}

/// A 0–100 percentage rounded as the documents print it.
fn printed(pct: Decimal, decimals: u32) -> Decimal {
    pct.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero)
}

/// `94,4%`.
fn italian(pct: Decimal, decimals: u32) -> String {
    format!("{:.*}%", decimals as usize, printed(pct, decimals)).replace('.', ",")
}

/// The thresholds of a results.json (`settings`), in percent.
struct Thresholds {
    achieved: Decimal,
    partial: Decimal,
}

impl Thresholds {
    fn of(json: &Value) -> Thresholds {
        let get = |k: &str| dec(json["settings"][k].as_str().expect("threshold"));
        Thresholds { achieved: get("achieved"), partial: get("partial") }
    }

    /// The status key a printed percentage must carry.
    fn status(&self, printed: Decimal) -> &'static str {
        if printed >= self.achieved {
            "raggiunto"
        } else if printed >= self.partial {
            "parziale"
        } else {
            "non_raggiunto"
        }
    }
}

/// Status key → the words and the symbol the documents print.
fn words(key: &str) -> (&'static str, &'static str) {
    match key {
        "raggiunto" => ("raggiunto", "●"),
        "parziale" => ("parzialmente raggiunto", "◐"),
        "non_raggiunto" => ("non raggiunto", "○"),
        "non_valutabile" => ("non valutabile", "–"),
        "dato_mancante" => ("dato mancante", "?"),
        other => panic!("unknown status {other}"),
    }
}

fn key_of_words(w: &str) -> &'static str {
    ["raggiunto", "parziale", "non_raggiunto", "non_valutabile", "dato_mancante"]
        .into_iter()
        .find(|k| words(k).0 == w)
        .unwrap_or_else(|| panic!("unknown status words «{w}»"))
}

/// One aggregate of results.json.
struct Item {
    kind: &'static str,
    code: String,
    /// The name the PDF prints.
    name: String,
    score: Option<Decimal>,
    status: String,
    /// Operational objectives are printed in the Relazione only as rows of
    /// the unit tables, without a figure of their own.
    operational: bool,
}

fn items(json: &Value) -> Vec<Item> {
    let list = |key: &str| json[key].as_array().cloned().unwrap_or_default();
    let item = |kind, v: &Value, name: &str| Item {
        kind,
        code: v["code"].as_str().expect("code").to_string(),
        name: name.to_string(),
        score: v["score"].as_str().map(dec),
        status: v["status"].as_str().expect("status").to_string(),
        operational: v["level"] == "operativo",
    };
    let mut all = vec![item("ente", &json["ente"], json["ente"]["name"].as_str().expect("name"))];
    for a in list("areas") {
        all.push(item("ambito", &a, a["name"].as_str().expect("name")));
    }
    for o in list("objectives") {
        all.push(item("obiettivo", &o, o["title"].as_str().expect("title")));
    }
    for u in list("units") {
        all.push(item("struttura", &u, u["name"].as_str().expect("name")));
    }
    for p in list("people") {
        all.push(item("persona", &p, p["name"].as_str().expect("name")));
    }
    all
}

/// True when some occurrence of `anchor` in `text` is followed by `expected`
/// at most `slack` characters after it.
fn near(text: &str, anchor: &str, expected: &str, slack: usize) -> bool {
    text.match_indices(anchor).any(|(at, _)| {
        let tail: String = text[at + anchor.len()..].chars().take(expected.chars().count() + slack).collect();
        tail.contains(expected)
    })
}

/// Every `NN,N% ◐ parzialmente raggiunto` (or `84% ● raggiunto`) of the PDF
/// text: the printed percentage, the symbol and the words after it.
fn printed_pairs(text: &str) -> Vec<(Decimal, String, String)> {
    let tokens: Vec<&str> = text.split(' ').collect();
    let mut pairs = Vec::new();
    for (n, t) in tokens.iter().enumerate() {
        let Some(number) = t.strip_suffix('%') else { continue };
        let Some(symbol) = tokens.get(n + 1).filter(|s| ["●", "◐", "○"].contains(s)) else { continue };
        let Ok(value) = number.replace('.', "").replace(',', ".").parse::<Decimal>() else { continue };
        let after = tokens[n + 2..].join(" ");
        let words = ["parzialmente raggiunto", "non raggiunto", "raggiunto"]
            .into_iter()
            .find(|w| after.starts_with(w))
            .map(str::to_string)
            .unwrap_or_default();
        pairs.push((value, symbol.to_string(), words));
    }
    pairs
}

fn cell_f64(d: &Data) -> Option<f64> {
    match d {
        Data::Float(f) => Some(*f),
        Data::Int(i) => Some(*i as f64),
        _ => None,
    }
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// Checks one xlsx score cell and its status cell against results.json:
/// the figure shown (at `decimals`) is the JSON figure, the status word is
/// the JSON status and agrees with the shown figure.
fn check_xlsx_pair(
    what: &str,
    value: &Data,
    status: &Data,
    json_score: Option<Decimal>,
    json_status: &str,
    decimals: u32,
    t: &Thresholds,
) {
    let shown_status = cell_text(status);
    match (cell_f64(value), json_score) {
        (Some(f), Some(s)) => {
            let shown = printed(Decimal::from_f64(f * 100.0).expect("finite"), decimals);
            assert_eq!(shown, printed(s, decimals), "{what}: xlsx {f} against results.json {s}");
            assert_eq!(key_of_words(&shown_status), json_status, "{what}: xlsx status «{shown_status}»");
            assert_eq!(t.status(shown), json_status, "{what}: {shown}% shown as «{shown_status}»");
        }
        (None, None) => {
            assert!(cell_text(value) == "n.v." || cell_text(value).is_empty(), "{what}: {value:?}");
            assert!(shown_status.is_empty() || key_of_words(&shown_status) == json_status, "{what}: «{shown_status}»");
        }
        (v, s) => panic!("{what}: xlsx {v:?} against results.json {s:?}"),
    }
}

fn check_xlsx(path: &Path, json: &Value, t: &Thresholds) -> usize {
    let mut wb = open_workbook_auto(path).expect("open cruscotto");
    let mut checked = 0;
    let by_code = |key: &str, code: &str| -> Value {
        json[key].as_array().expect("list").iter().find(|x| x["code"] == code).cloned().unwrap_or(Value::Null)
    };
    let score = |v: &Value| v["score"].as_str().map(dec);
    let status = |v: &Value| v["status"].as_str().expect("status").to_string();

    let sintesi = wb.worksheet_range("Sintesi").expect("Sintesi");
    let e = &json["ente"];
    let (v, s) = (sintesi.get((1, 1)).expect("B2"), sintesi.get((1, 2)).expect("C2"));
    check_xlsx_pair("ente", v, s, score(e), &status(e), 1, t);
    for row in sintesi.rows().skip(4) {
        let code = cell_text(&row[0]);
        if code.is_empty() {
            break;
        }
        let a = by_code("areas", &code);
        check_xlsx_pair(&format!("ambito {code}"), &row[3], &row[4], score(&a), &status(&a), 1, t);
        checked += 1;
    }

    let obiettivi = wb.worksheet_range("Obiettivi").expect("Obiettivi");
    for row in obiettivi.rows().skip(1) {
        let code = cell_text(&row[0]);
        let o = by_code("objectives", &code);
        let (v, s) = (row.get(7).unwrap_or(&Data::Empty), row.get(8).unwrap_or(&Data::Empty));
        check_xlsx_pair(&format!("obiettivo {code}"), v, s, score(&o), &status(&o), 1, t);
        checked += 1;
    }

    let indicatori = wb.worksheet_range("Indicatori").expect("Indicatori");
    let header: Vec<String> = indicatori.rows().next().expect("header").iter().map(cell_text).collect();
    if let Some(sal) = header.iter().position(|h| h == "SAL") {
        for row in indicatori.rows().skip(1) {
            let code = cell_text(&row[0]);
            let i = by_code("indicators", &code);
            let json_sal = i["sal"].as_str().map(dec);
            check_xlsx_pair(&format!("indicatore {code}"), &row[sal], &row[sal + 1], json_sal, &status(&i), 0, t);
            checked += 1;
        }
    }
    checked
}

fn check_relazione(text: &str, json: &Value, t: &Thresholds) -> usize {
    // Every percentage printed with a status symbol agrees with its words
    // and with the thresholds: nothing printed «100,0%» is «parziale».
    let pairs = printed_pairs(text);
    assert!(pairs.len() > 50, "too few figures with a status in the Relazione: {}", pairs.len());
    for (value, symbol, w) in &pairs {
        let expected = t.status(*value);
        assert_eq!(words(expected).1, symbol, "{value}% printed with {symbol}");
        if !w.is_empty() {
            assert_eq!(words(expected).0, w, "{value}% printed as «{w}»");
        }
    }
    // The comments: «Obiettivo parzialmente raggiunto al 94,4%».
    for kind in ["Obiettivo", "Ambito"] {
        for (at, _) in text.match_indices(&format!("{kind} ")) {
            let rest = &text[at + kind.len() + 1..];
            let Some(al) = rest.find(" al ") else { continue };
            let w = &rest[..al];
            if !["raggiunto", "parzialmente raggiunto", "non raggiunto"].contains(&w) {
                continue;
            }
            let figure = rest[al + 4..].split(':').next().expect("figure");
            let value = dec(&figure.trim_end_matches('%').replace(',', "."));
            assert_eq!(words(t.status(value)).0, w, "«{kind} {w} al {figure}»");
        }
    }

    let sq = squash(text);
    let mut checked = 0;
    for it in items(json) {
        let Some(score) = it.score else { continue };
        if it.operational {
            continue;
        }
        let figure = italian(score, 1);
        let (w, symbol) = words(&it.status);
        let with_status = squash(&format!("{figure} {symbol} {w}"));
        let found = match it.kind {
            "ente" => near(&sq, "performanceorganizzativadell’ente:", &with_status, 0),
            "ambito" => {
                near(&sq, &squash(&format!("Ambito {w} al {figure}")), "", 0)
                    && near(&sq, &squash(&it.name), &with_status, 60)
            }
            "obiettivo" => near(&sq, &squash(&format!("{} – {}", it.code, it.name)), &format!("—{figure}{symbol}"), 0),
            "struttura" => near(
                &sq,
                &squash(&format!("{} — {figure}", it.name)),
                &squash(&format!("Risultato complessivo: {figure} {symbol} {w}")),
                200,
            ),
            _ => near(&sq, &squash(&format!("{} — {figure}", it.name)), &with_status, 200),
        };
        assert!(found, "{} {} ({}): «{figure} {w}» not printed", it.kind, it.code, it.name);
        checked += 1;
    }
    checked
}

#[test]
fn every_printed_figure_agrees_with_its_status_in_the_pdf_the_xlsx_and_the_json() {
    let dir = tempfile::tempdir().expect("temp dir");
    let o = piao(&["build", "inputs/", "--out", dir.path().to_str().expect("utf-8 path")]);
    assert!(o.status.success(), "build failed: {}", stderr(&o));
    let mut relazioni = 0;
    for year in [2019, 2024, 2025] {
        let text = fs::read_to_string(dir.path().join(format!("{year}_results.json"))).expect("results.json");
        let json: Value = serde_json::from_str(&text).expect("valid JSON");
        let t = Thresholds::of(&json);
        // results.json: each status is the one of its figure as printed.
        for it in items(&json) {
            match it.score {
                Some(s) => assert_eq!(t.status(printed(s, 1)), it.status, "{year} {} {}: {s}", it.kind, it.code),
                None => assert_eq!(it.status, "non_valutabile", "{year} {} {}", it.kind, it.code),
            }
        }
        for i in json["indicators"].as_array().expect("indicators") {
            if let Some(s) = i["sal"].as_str().map(dec) {
                assert_eq!(t.status(printed(s, 0)), i["status"], "{year} indicator {}: {s}", i["code"]);
            }
        }
        let checked = check_xlsx(&dir.path().join(format!("{year}_cruscotto.xlsx")), &json, &t);
        assert!(checked > 0, "{year}: nothing checked in the xlsx");
        let relazione = dir.path().join(format!("{year}_relazione.pdf"));
        if relazione.exists() {
            let checked = check_relazione(&pdf_text(&relazione), &json, &t);
            assert!(checked > 10, "{year}: only {checked} figures checked in the Relazione");
            relazioni += 1;
        }
    }
    assert_eq!(relazioni, 1, "the 2019 example has actual values: one Relazione");
}

#[test]
fn the_2019_objective_at_100_is_raggiunto_and_written_exactly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let o = piao(&["build", "inputs/arezzo-siena-relazione-2019.xlsx", "--out", dir.path().to_str().expect("utf-8")]);
    assert!(o.status.success(), "build failed: {}", stderr(&o));
    let text = pdf_text(&dir.path().join("2019_relazione.pdf"));
    assert!(!text.contains("parzialmente raggiunto al 100,0%"), "a 100,0% figure read «parziale»");
    assert!(text.contains("Obiettivo raggiunto al 100,0%: 3 indicatori su 3 a target"));
    let json: Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("2019_results.json")).expect("json")).expect("valid");
    let one = json["objectives"].as_array().expect("objectives").iter().find(|o| o["code"] == "1").expect("1");
    assert_eq!(one["score"], "100");
    assert_eq!(one["status"], "raggiunto");
    // No figure in results.json has more than 10 decimal places.
    let all = fs::read_to_string(dir.path().join("2019_results.json")).expect("json");
    for token in all.split('"') {
        if let Some((_, frac)) = token.split_once('.')
            && token.parse::<Decimal>().is_ok()
        {
            assert!(frac.len() <= 10, "«{token}» has more than 10 decimal places");
        }
    }
    // The method note states the rule.
    assert!(
        text.contains(
            "Lo stato (raggiunto, parzialmente raggiunto, non raggiunto) è deciso sul valore così arrotondato"
        )
    );
}

/// A plan whose weight columns use both scales: `Ambiti` and `Indicatori`
/// in points (one of them a weight of 1 point, seven of them `14,3%`),
/// `Obiettivi` in shares of one.
fn weighted_plan(path: &Path) {
    use C::*;
    let ind = |code: &'static str, obj: &'static str, name: &'static str, w: C<'static>| {
        vec![S(code), S(obj), S(name), S("10"), w]
    };
    let mut indicatori = vec![vec![S("Codice"), S("Obiettivo"), S("Nome"), S("Target 2025"), S("Peso")]];
    for (code, name) in [
        ("I1", "Settimo uno"),
        ("I2", "Settimo due"),
        ("I3", "Settimo tre"),
        ("I4", "Settimo quattro"),
        ("I5", "Settimo cinque"),
        ("I6", "Settimo sei"),
        ("I7", "Settimo sette"),
    ] {
        indicatori.push(ind(code, "OS1", name, S("14,3%")));
    }
    indicatori.push(ind("I8", "OS2", "Peso di un punto", N(1.0)));
    indicatori.push(ind("I9", "OS2", "Peso di quarantanove", N(49.0)));
    indicatori.push(ind("I10", "OS2", "Peso di cinquanta", N(50.0)));
    indicatori.push(ind("I11", "OS3", "Quota tra i punti", N(0.25)));
    workbook(
        path,
        &[
            (
                "Ente",
                vec![
                    vec![S("Voce"), S("Valore")],
                    vec![S("Denominazione"), S("Camera di Commercio di Prova")],
                    vec![S("Anno"), N(2025.0)],
                ],
            ),
            (
                "Ambiti",
                vec![
                    vec![S("Codice"), S("Denominazione"), S("Peso")],
                    vec![S("A"), S("Imprese"), N(60.0)],
                    vec![S("B"), S("Processi"), N(40.0)],
                ],
            ),
            (
                "Obiettivi",
                vec![
                    vec![S("Codice"), S("Livello"), S("Titolo"), S("Ambito"), S("Peso")],
                    vec![S("OS1"), S("Strategico"), S("Sette pesi"), S("A"), N(0.667)],
                    vec![S("OS2"), S("Strategico"), S("Un punto"), S("A"), S("33,3%")],
                    vec![S("OS3"), S("Strategico"), S("Una quota"), S("B"), N(1.0)],
                ],
            ),
            ("Indicatori", indicatori),
        ],
    );
}

#[test]
fn one_scale_per_weight_column_in_rows_totals_warnings_xlsx_and_json() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("pesi.xlsx");
    weighted_plan(&wb);
    let out = dir.path().join("out");
    let o = piao(&["build", wb.to_str().expect("utf-8"), "--out", out.to_str().expect("utf-8")]);
    let err = stderr(&o);
    assert!(o.status.success(), "build failed: {err}");

    // Warnings: one unit per message, the stray share named at its cell.
    let err = fold(&err);
    assert!(err.contains("Peso «0,25» letto come 0,25 punti percentuali"), "{err}");
    assert!(err.contains("Indicatori") && err.contains("E12"), "{err}");
    assert!(err.contains("sommano a 0,25 invece di 100 (Indicatori!E12)"), "{err}");
    assert!(!err.contains("invece di 100%"), "a points column warned in percent: {err}");

    // The cards: rows and totals in the column's unit.
    let text = pdf_text(&out.join("2025_schede.pdf"));
    assert!(text.contains("Totale dei pesi degli indicatori: 100,1"), "{text}");
    assert!(!text.contains("1,001"), "a total printed as a share among points");
    assert!(text.contains("Totale dei pesi degli indicatori: 100 "), "OS2 total");
    assert!(text.contains("Peso di un punto") && text.contains("10 1 "), "a weight of 1 point printed as 1");
    assert!(!text.contains("10 100%"), "a weight of 1 point printed as 100%");
    assert!(text.contains("14,3"), "seven weights of 14,3 points");
    // Objective weights are shares of one: printed as percentages.
    assert!(text.contains("66,7%") && text.contains("33,3%"), "objective weights in percent");

    // results.json: each weight in its column's scale, and the scale.
    let json: Value =
        serde_json::from_str(&fs::read_to_string(out.join("2025_results.json")).expect("json")).expect("valid");
    let find = |key: &str, code: &str| {
        json[key].as_array().expect("list").iter().find(|x| x["code"] == code).cloned().expect("item")
    };
    assert_eq!(find("indicators", "I1")["weight"], "14.3");
    assert_eq!(find("indicators", "I1")["weight_scale"], "points");
    assert_eq!(find("indicators", "I8")["weight"], "1");
    assert_eq!(find("objectives", "OS2")["weight"], "0.333");
    assert_eq!(find("objectives", "OS2")["weight_scale"], "fraction");
    assert_eq!(find("areas", "A")["weight_scale"], "points");

    // The xlsx: weights are numbers in the column's unit.
    let mut x = open_workbook_auto(out.join("2025_cruscotto.xlsx")).expect("open xlsx");
    let obiettivi = x.worksheet_range("Obiettivi").expect("Obiettivi");
    assert_eq!(obiettivi.get((0, 6)).map(cell_text).as_deref(), Some("Peso"));
    assert_eq!(obiettivi.get((1, 6)).and_then(cell_f64), Some(0.667));
    assert_eq!(obiettivi.get((2, 6)).and_then(cell_f64), Some(0.333));
    let styles = zip_text(&out.join("2025_cruscotto.xlsx"), "xl/styles.xml");
    assert!(styles.contains("formatCode=\"0.0%\""), "weights shown as percentages");
}
