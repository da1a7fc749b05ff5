//! Seeds 003 and 004 (Camera di Commercio della Maremma e del Tirreno) as
//! contract and results: the columns of their tables (Owner, Benefici
//! attesi, Azioni/Interventi, Strutture coinvolte, Area servizio, Albero,
//! Produttività, Scadenze intermedie, Target 2021…2026) are in the example
//! workbooks as transcribed, are read by `piao` without a note about unknown
//! columns, and reach results.json; «Produttività» gives a unit and a person
//! a productivity figure. Expected values are read from the TSV sources in
//! `inputs/sorgenti/`, never retyped here.

mod common;

use calamine::{Data, Reader, open_workbook_auto};
use common::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

const CRUSCOTTO: &str = "maremma-tirreno-cruscotto-2022";
const PIRA: &str = "maremma-tirreno-pira-2023";

/// The rows of a TSV source as header → value, values as the generator
/// writes them (a leading `'` only forces text and is dropped).
fn tsv(example: &str, file: &str) -> Vec<BTreeMap<String, String>> {
    let path = root().join("inputs/sorgenti").join(example).join(file);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines();
    let head: Vec<String> = lines.next().expect("header row").split('\t').map(str::to_string).collect();
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cells = l.split('\t').map(|c| c.trim()).map(|c| c.strip_prefix('\'').unwrap_or(c).to_string());
            head.iter().cloned().zip(cells.chain(std::iter::repeat(String::new()))).collect()
        })
        .collect()
}

/// The value of `key` in a TSV row, `None` when blank.
fn get<'a>(row: &'a BTreeMap<String, String>, key: &str) -> Option<&'a str> {
    row.get(key).map(String::as_str).filter(|v| !v.is_empty())
}

/// A sheet of an example workbook as rows of header → cell (calamine).
fn sheet(example: &str, name: &str) -> Vec<BTreeMap<String, Data>> {
    let path = root().join("inputs").join(format!("{example}.xlsx"));
    let mut wb = open_workbook_auto(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let range = wb.worksheet_range(name).unwrap_or_else(|e| panic!("{example}: sheet {name}: {e}"));
    let mut rows = range.rows();
    let head: Vec<String> = rows.next().expect("header row").iter().map(|d| d.to_string()).collect();
    rows.map(|r| head.iter().cloned().zip(r.iter().cloned()).collect()).collect()
}

/// Builds an example into a temporary folder and returns its results.json.
fn results(example: &str, year: i32) -> Value {
    let dir = tempfile::tempdir().expect("temp dir");
    let o = piao(&["build", &format!("inputs/{example}.xlsx"), "--out", dir.path().to_str().expect("utf-8 path")]);
    assert!(o.status.success(), "{example}: build failed: {}", stderr(&o));
    let text = fs::read_to_string(dir.path().join(format!("{year}_results.json"))).expect("results.json written");
    serde_json::from_str(&text).expect("results.json parses")
}

/// What the reader says about the workbook (`piao check`).
fn check(example: &str) -> String {
    let o = piao(&["check", &format!("inputs/{example}.xlsx")]);
    assert!(o.status.success(), "{example}: check failed: {}", stderr(&o));
    format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o))
}

fn by_code<'a>(json: &'a Value, list: &str) -> BTreeMap<String, &'a Value> {
    json[list]
        .as_array()
        .unwrap_or_else(|| panic!("results.json has no {list}"))
        .iter()
        .map(|v| (v["code"].as_str().expect("code").to_string(), v))
        .collect()
}

/// A flag as the sources write it: `si` or blank.
fn flag(row: &BTreeMap<String, String>, key: &str) -> Option<bool> {
    get(row, key).map(|v| {
        assert!(v == "si" || v == "no", "unexpected flag {v:?} in the sources");
        v == "si"
    })
}

/// The xlsx holds, under the contract's headers, exactly the TSV's text of
/// every new column, and every `Target {anno}` column of the sources.
#[test]
fn the_example_workbooks_carry_the_new_columns_as_transcribed() {
    let text_columns = [
        (
            "03_Obiettivi.tsv",
            "Obiettivi",
            vec![
                "Owner",
                "Benefici attesi",
                "Azioni/Interventi",
                "Strutture coinvolte",
                "Area servizio",
                "Albero",
                "Produttività",
                "Missione",
            ],
        ),
        ("04_Indicatori.tsv", "Indicatori", vec!["Owner", "Scadenze intermedie"]),
    ];
    for (file, name, columns) in &text_columns {
        let source = tsv(CRUSCOTTO, file);
        let cells = sheet(CRUSCOTTO, name);
        assert_eq!(source.len(), cells.len(), "{name}: rows");
        for (n, (s, x)) in source.iter().zip(&cells).enumerate() {
            for column in columns {
                let want = get(s, column).unwrap_or("");
                let got = x.get(*column).map(|d| d.to_string()).unwrap_or_default();
                assert_eq!(got.trim(), want, "{name} row {} column {column}", n + 2);
            }
        }
    }
    for (example, years) in [(CRUSCOTTO, 2021..=2026), (PIRA, 2023..=2026)] {
        let cells = sheet(example, "Indicatori");
        for y in years {
            let header = format!("Target {y}");
            assert!(cells.iter().all(|r| r.contains_key(&header)), "{example}: no column {header}");
            let filled = |rows: &[BTreeMap<String, Data>]| rows.iter().filter(|r| r[&header] != Data::Empty).count();
            let source = tsv(example, "04_Indicatori.tsv");
            assert_eq!(filled(&cells), source.iter().filter(|r| get(r, &header).is_some()).count(), "{example} {y}");
        }
    }
}

/// `piao check` reads every column of both workbooks: no column is reported
/// as unknown, and neither workbook has an error.
#[test]
fn every_column_of_both_workbooks_is_in_the_contract() {
    for example in [CRUSCOTTO, PIRA] {
        let out = check(example);
        assert!(out.contains("0 errori"), "{example}: {out}");
        assert!(!out.contains("colonne non previste"), "{example}: {out}");
    }
}

/// results.json carries each objective's owner and flags and each
/// indicator's owner and targets of every year, as the sources write them.
#[test]
fn results_json_carries_owners_flags_and_every_target_year() {
    for (example, year) in [(CRUSCOTTO, 2022), (PIRA, 2023)] {
        let json = results(example, year);
        let objectives = by_code(&json, "objectives");
        let sources = tsv(example, "03_Obiettivi.tsv");
        assert_eq!(objectives.len(), sources.len(), "{example}: objectives");
        for row in &sources {
            let code = &row["Codice"];
            let o = objectives.get(code).unwrap_or_else(|| panic!("{example}: objective {code} missing"));
            assert_eq!(o["title"].as_str(), get(row, "Titolo"), "{example} {code}");
            assert_eq!(o["owner"].as_str(), get(row, "Owner"), "{example} {code}");
            assert_eq!(o["mission"].as_str(), get(row, "Missione"), "{example} {code}");
            let strategic = row["Livello"] == "Strategico";
            let tree = flag(row, "Albero").unwrap_or(strategic);
            assert_eq!(o["tree"].as_bool(), Some(tree), "{example} {code}");
            assert_eq!(o["productivity"].as_bool(), Some(flag(row, "Produttività") == Some(true)), "{example} {code}");
        }
        let indicators = by_code(&json, "indicators");
        let sources = tsv(example, "04_Indicatori.tsv");
        assert_eq!(indicators.len(), sources.len(), "{example}: indicators");
        for row in &sources {
            let code = &row["Codice"];
            let i = indicators.get(code).unwrap_or_else(|| panic!("{example}: indicator {code} missing"));
            assert_eq!(i["name"].as_str(), get(row, "Nome"), "{example} {code}");
            assert_eq!(i["owner"].as_str(), get(row, "Owner"), "{example} {code}");
            let years: BTreeSet<String> = row
                .iter()
                .filter_map(|(h, v)| h.strip_prefix("Target ").filter(|_| !v.is_empty()).map(str::to_string))
                .collect();
            let targets = i["targets"].as_object().expect("targets");
            assert_eq!(targets.keys().cloned().collect::<BTreeSet<_>>(), years, "{example} {code}");
            for y in &years {
                let written = &row[&format!("Target {y}")];
                let text = targets[y]["text"].as_str().expect("target text");
                // Typed cells (numbers, percentages, ISO dates) print in their
                // Italian form; text cells print as written.
                let typed = written.chars().all(|c| c.is_ascii_digit() || ".-%".contains(c));
                if !typed {
                    assert_eq!(text, written, "{example} {code} {y}");
                }
            }
        }
    }
}

/// Seed 004: an indicator at 0,00% with no 2025–2026 target is part of the
/// plan, with its weight and its two targets.
#[test]
fn the_zero_weight_indicator_of_the_pira_keeps_its_two_targets() {
    let json = results(PIRA, 2023);
    let zero: Vec<&Value> = json["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .filter(|i| i["weight"].as_str().is_some_and(|w| w.parse::<f64>() == Ok(0.0)))
        .collect();
    assert_eq!(zero.len(), 1, "{zero:?}");
    let targets = zero[0]["targets"].as_object().expect("targets");
    assert_eq!(targets.keys().map(String::as_str).collect::<Vec<_>>(), vec!["2023", "2024"]);
}

/// Units and people with objectives marked «Produttività» have a
/// productivity figure (not valued in a plan without actual values); the
/// others have none. The expected set is derived from the sources:
/// assignment rows whose objective (or indicator's objective) is marked.
#[test]
fn the_cruscotto_2022_gives_a_productivity_figure_to_exactly_the_units_with_marked_objectives() {
    let json = results(CRUSCOTTO, 2022);
    let marked: BTreeSet<String> = tsv(CRUSCOTTO, "03_Obiettivi.tsv")
        .iter()
        .filter(|r| flag(r, "Produttività") == Some(true))
        .map(|r| r["Codice"].clone())
        .collect();
    let objective_of: BTreeMap<String, String> = tsv(CRUSCOTTO, "04_Indicatori.tsv")
        .into_iter()
        .map(|r| (r["Codice"].clone(), r["Obiettivo"].clone()))
        .collect();
    let mut expected: BTreeSet<String> = BTreeSet::new();
    for a in tsv(CRUSCOTTO, "06_Assegnazioni.tsv") {
        let objective =
            get(&a, "Obiettivo").map(str::to_string).or_else(|| objective_of.get(&a["Indicatore"]).cloned());
        if objective.is_some_and(|o| marked.contains(&o)) {
            expected.insert(a["Soggetto"].clone());
        }
    }
    // Every service and every PO, none of the Areas.
    for s in ["SSG", "STAFF", "LEG", "GRF", "SID", "SAC", "SPSE", "SRM", "PO Servizio Staff"] {
        assert!(expected.contains(s), "{s}: {expected:?}");
    }
    for a in ["SG", "AI", "AII", "AIII"] {
        assert!(!expected.contains(a), "{a}: {expected:?}");
    }
    let mut got: BTreeSet<String> = BTreeSet::new();
    for list in ["units", "people"] {
        for u in json[list].as_array().expect(list) {
            let code = u["code"].as_str().expect("code");
            match u["productivity_status"].as_str() {
                Some(s) => {
                    assert_eq!(s, "non_valutabile", "{code}: a plan has no actual values");
                    got.insert(code.to_string());
                }
                None => assert!(u["productivity_status"].is_null() && u["productivity"].is_null(), "{code}"),
            }
        }
    }
    assert_eq!(got, expected);
}

/// A small workbook with actual values: the productivity figure is the
/// unit's weighted mean over its marked objectives only, exact, beside the
/// unit's own figure; a bad flag is an error at its cell.
#[test]
fn the_productivity_figure_is_the_weighted_mean_of_the_marked_objectives() {
    use C::*;
    let write = |path: &Path, flag: &'static str| {
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
                ("Ambiti", vec![vec![S("Codice"), S("Denominazione")], vec![S("A"), S("Imprese")]]),
                (
                    "Obiettivi",
                    vec![
                        vec![
                            S("Codice"),
                            S("Livello"),
                            S("Titolo"),
                            S("Ambito"),
                            S("Obiettivo strategico"),
                            S("Albero"),
                            S("Produttività"),
                            S("Owner"),
                        ],
                        vec![S("OS1"), S("Strategico"), S("Imprese"), S("A"), E, E, E, E],
                        vec![S("OP1"), S("Operativo"), S("Sportello"), E, S("OS1"), S("X"), S(flag), S("Mancusi")],
                        vec![S("OP2"), S("Operativo"), S("Archivio"), E, S("OS1"), S("no"), S("no"), E],
                        vec![S("OP3"), S("Operativo"), S("Protocollo"), E, S("OS1"), S("sì"), S("sì"), E],
                    ],
                ),
                (
                    "Indicatori",
                    vec![
                        vec![S("Codice"), S("Obiettivo"), S("Nome"), S("UdM"), S("Target 2025")],
                        vec![S("I0"), S("OS1"), S("Imprese servite"), S("n."), S("10")],
                        vec![S("I1"), S("OP1"), S("Pratiche"), S("n."), S("10")],
                        vec![S("I2"), S("OP2"), S("Fascicoli"), S("n."), S("10")],
                        vec![S("I3"), S("OP3"), S("Protocolli"), S("n."), S("10")],
                    ],
                ),
                (
                    "Consuntivi",
                    vec![
                        vec![S("Indicatore"), S("Anno"), S("Valore")],
                        vec![S("I0"), N(2025.0), N(10.0)],
                        vec![S("I1"), N(2025.0), N(10.0)],
                        vec![S("I2"), N(2025.0), N(5.0)],
                        vec![S("I3"), N(2025.0), N(4.0)],
                    ],
                ),
                ("Strutture", vec![vec![S("Codice"), S("Denominazione")], vec![S("SRV"), S("Servizio")]]),
                (
                    "Assegnazioni",
                    vec![
                        vec![S("Soggetto"), S("Obiettivo"), S("Peso")],
                        vec![S("SRV"), S("OP1"), N(50.0)],
                        vec![S("SRV"), S("OP2"), N(30.0)],
                        vec![S("SRV"), S("OP3"), N(20.0)],
                    ],
                ),
            ],
        )
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("male.xlsx");
    write(&bad, "forse");
    let o = piao(&["check", bad.to_str().expect("utf-8 path")]);
    assert!(!o.status.success());
    let out = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    assert!(out.contains("Obiettivi!G3") && out.contains("Produttività «forse»"), "{out}");

    let good = dir.path().join("piano.xlsx");
    write(&good, "x");
    let out_dir = dir.path().join("out");
    let o = piao(&["build", good.to_str().expect("utf-8 path"), "--out", out_dir.to_str().expect("utf-8 path")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json: Value =
        serde_json::from_str(&fs::read_to_string(out_dir.join("2025_results.json")).expect("results.json"))
            .expect("parses");
    let unit = &json["units"][0];
    // All: (50 × 100 + 30 × 50 + 20 × 40) / 100 = 73%; marked (OP1, OP3):
    // (50 × 100 + 20 × 40) / 70 = 82,857…%.
    assert_eq!(unit["score"], "73");
    assert_eq!(unit["productivity"], "82.8571428571");
    assert_eq!(unit["productivity_status"], "parziale");
    let objectives = by_code(&json, "objectives");
    assert_eq!(objectives["OP1"]["owner"], "Mancusi");
    let trees: Vec<bool> = ["OS1", "OP1", "OP2", "OP3"].iter().map(|c| objectives[*c]["tree"] == true).collect();
    assert_eq!(trees, vec![true, true, false, true]);

    // The Relazione: the productivity beside the unit's figure, explained in
    // the Nota metodologica; the Albero lists the marked operational
    // objectives under their strategic one.
    let text = fold(&pdf_text(&out_dir.join("2025_relazione.pdf")));
    assert!(text.contains("Risultato complessivo: 73,0%"), "{text}");
    assert!(text.contains("Produttività: 82,9%"), "{text}");
    assert!(text.contains("sui soli obiettivi contrassegnati «Produttività»"), "{text}");
    // The second «Albero della performance» is the section (the first is
    // its line in the index); it ends at the Cruscotto di Ente.
    let start = text.match_indices("Albero della performance").nth(1).expect("the tree section").0;
    let tree = &text[start..];
    let tree = &tree[..tree.find("Cruscotto di Ente").unwrap_or(tree.len())];
    assert!(tree.contains("OP1 – Sportello") && tree.contains("OP3 – Protocollo"), "{tree}");
    assert!(!tree.contains("OP2"), "{tree}");
}

/// The earlier examples have none of these columns: their documents show
/// none of the new headings.
#[test]
fn plans_without_the_new_columns_print_none_of_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    for wb in ["arezzo-siena-piao-2024", "arezzo-siena-relazione-2019", "pistoia-prato-piao-2025"] {
        let o = piao(&["build", &format!("inputs/{wb}.xlsx"), "--out", dir.path().to_str().expect("utf-8 path")]);
        assert!(o.status.success(), "{wb}: {}", stderr(&o));
    }
    for pdf in ["2024_allegato", "2019_allegato", "2019_relazione", "2025_allegato"] {
        let text = pdf_text(&dir.path().join(format!("{pdf}.pdf")));
        for word in
            ["Owner", "Tabella della strategia", "Produttività", "Servizi interni coinvolti", "Scadenze intermedie"]
        {
            assert!(!text.contains(word), "{pdf}: «{word}»");
        }
    }
}

/// The text of the PDFs of an example, squashed (no whitespace).
fn documents(example: &str, year: i32) -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let o = piao(&["build", &format!("inputs/{example}.xlsx"), "--out", dir.path().to_str().expect("utf-8 path")]);
    assert!(o.status.success(), "{example}: build failed: {}", stderr(&o));
    let annex = squash(&pdf_text(&dir.path().join(format!("{year}_allegato.pdf"))));
    let cards = squash(&pdf_text(&dir.path().join(format!("{year}_schede.pdf"))));
    (dir, annex, cards)
}

/// Both examples print, in piao's PDFs, every objective title, every
/// indicator name and every target of every year (the cards: all years;
/// the Cruscotto di Ente: the strategic ones), every owner of an indicator
/// or objective, and for 2022 the strategy table's benefits and actions.
#[test]
fn the_pdfs_print_every_title_name_target_of_every_year_and_owner() {
    for (example, year) in [(CRUSCOTTO, 2022), (PIRA, 2023)] {
        let (_dir, annex, cards) = documents(example, year);
        let objectives = tsv(example, "03_Obiettivi.tsv");
        let strategic: BTreeSet<&str> =
            objectives.iter().filter(|r| r["Livello"] == "Strategico").map(|r| r["Codice"].as_str()).collect();
        for o in &objectives {
            let title = squash(&o["Titolo"]);
            assert!(cards.contains(&title), "{example}: objective «{}» missing from the cards", o["Titolo"]);
            for column in ["Owner", "Benefici attesi", "Azioni/Interventi", "Strutture coinvolte", "Area servizio"] {
                if let Some(v) = get(o, column) {
                    assert!(
                        annex.contains(&squash(v)),
                        "{example}: {column} «{v}» of {} missing from the Allegato",
                        o["Codice"]
                    );
                }
            }
        }
        for i in tsv(example, "04_Indicatori.tsv") {
            let (code, name) = (&i["Codice"], &i["Nome"]);
            assert!(cards.contains(&squash(name)), "{example}: indicator «{name}» missing from the cards");
            let is_strategic = strategic.contains(i["Obiettivo"].as_str());
            if is_strategic {
                assert!(annex.contains(&squash(name)), "{example}: indicator «{name}» missing from the Allegato");
            }
            if let Some(owner) = get(&i, "Owner") {
                assert!(
                    annex.contains(&squash(owner)),
                    "{example}: owner «{owner}» of {code} missing from the Allegato"
                );
            }
            for (header, target) in i.iter().filter(|(h, v)| h.starts_with("Target ") && !v.is_empty()) {
                // Typed cells print in their Italian form (the generator
                // types 95% and ISO dates): the text as written otherwise.
                let typed = target.chars().all(|c| c.is_ascii_digit() || ".-%".contains(c));
                let shown = if typed { italian(target) } else { target.clone() };
                assert!(
                    cards.contains(&squash(&shown)),
                    "{example}: {header} «{target}» of {code} missing from the cards"
                );
                if is_strategic {
                    assert!(
                        annex.contains(&squash(&shown)),
                        "{example}: {header} «{target}» of {code} missing from the Allegato"
                    );
                }
            }
        }
    }
}

/// A typed cell of the sources as the documents print it: `95%` → `95%`,
/// `2.5` → `2,5`, `2024-06-30` → `30/06/2024`.
fn italian(typed: &str) -> String {
    let parts: Vec<&str> = typed.split('-').collect();
    if let [y, m, d] = parts[..]
        && y.len() == 4
    {
        return format!("{d}/{m}/{y}");
    }
    typed.replace('.', ",")
}

/// Seed 003's Cruscotto strategico is grouped by Missione (Ente: «Cruscotto
/// per» = Missione), in the order the missions first appear; its strategy
/// table and the service tables' flags are in the Allegato.
#[test]
fn the_cruscotto_2022_groups_by_mission_and_prints_the_strategy_and_service_tables() {
    let (_dir, annex, _) = documents(CRUSCOTTO, 2022);
    let mut missions: Vec<String> = Vec::new();
    for o in tsv(CRUSCOTTO, "03_Obiettivi.tsv") {
        if let Some(m) = get(&o, "Missione")
            && !missions.iter().any(|x| x == m)
        {
            missions.push(m.to_string());
        }
    }
    assert_eq!(missions.len(), 4, "{missions:?}");
    let start =
        annex.find("CruscottodiEnte2022").and_then(|s| annex[s + 1..].find("CruscottodiEnte2022").map(|t| s + 1 + t));
    let body = &annex[start.expect("the Cruscotto di Ente heading")..];
    let positions: Vec<usize> =
        missions.iter().map(|m| body.find(&squash(m)).unwrap_or_else(|| panic!("mission «{m}» missing"))).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "missions out of order: {positions:?}");
    for heading in
        ["Tabelladellastrategia", "Serviziinternicoinvolti", "Albero", "Produttività", "Owner", "Beneficiattesi"]
    {
        assert!(annex.contains(heading), "{heading} missing from the Allegato");
    }
}

/// The xlsx of both examples: in Indicatori every target of every year as
/// written and every owner; a sheet per service with its flags and owners.
#[test]
fn the_xlsx_holds_every_target_year_owner_and_the_service_flags() {
    for (example, year) in [(CRUSCOTTO, 2022), (PIRA, 2023)] {
        let dir = tempfile::tempdir().expect("temp dir");
        let o = piao(&["build", &format!("inputs/{example}.xlsx"), "--out", dir.path().to_str().expect("utf-8 path")]);
        assert!(o.status.success(), "{}", stderr(&o));
        let mut wb = open_workbook_auto(dir.path().join(format!("{year}_cruscotto.xlsx"))).expect("xlsx opens");
        let range = wb.worksheet_range("Indicatori").expect("Indicatori");
        let mut rows = range.rows();
        let head: Vec<String> = rows.next().expect("header").iter().map(|d| d.to_string()).collect();
        let by_code: BTreeMap<String, Vec<String>> =
            rows.map(|r| (r[0].to_string(), r.iter().map(|d| d.to_string()).collect())).collect();
        let col = |h: &str| head.iter().position(|x| x == h);
        for i in tsv(example, "04_Indicatori.tsv") {
            let row = &by_code[&i["Codice"]];
            for (header, target) in i.iter().filter(|(h, v)| h.starts_with("Target ") && !v.is_empty()) {
                let c = col(header).unwrap_or_else(|| panic!("{example}: no column {header}"));
                assert!(!row[c].is_empty(), "{example}: {header} of {} empty", i["Codice"]);
                let typed = target.chars().all(|c| c.is_ascii_digit() || ".-%".contains(c));
                // A text target with an operator may be written as a number
                // in the operator's column: compare the text cells only.
                if !typed && row[c].parse::<f64>().is_err() {
                    assert_eq!(&row[c], target, "{example}: {header} of {}", i["Codice"]);
                }
            }
            match get(&i, "Owner") {
                Some(owner) => assert_eq!(row[col("Owner").expect("Owner column")], owner, "{}", i["Codice"]),
                None => assert!(col("Owner").is_none_or(|c| row.get(c).is_none_or(String::is_empty))),
            }
        }
        if example == CRUSCOTTO {
            let sheets = wb.sheet_names();
            for code in ["SPSE", "SRM", "SAC", "GRF", "STAFF"] {
                let service = format!("Struttura {code}");
                assert!(sheets.contains(&service), "{service}: {sheets:?}");
                let range = wb.worksheet_range(&service).expect("service sheet");
                let head: Vec<String> =
                    range.rows().nth(2).expect("header row").iter().map(|d| d.to_string()).collect();
                for h in ["Servizi interni coinvolti", "Area", "Albero", "Produttività"] {
                    assert!(head.iter().any(|x| x == h), "{service}: {h} not in {head:?}");
                }
            }
            let spse = wb.worksheet_range("Struttura SPSE").expect("SPSE");
            let text: Vec<String> = spse.rows().flat_map(|r| r.iter().map(|d| d.to_string())).collect();
            assert!(text.iter().any(|t| t == "Mancusi"), "the owner of the Promozione objectives");
        }
    }
}
