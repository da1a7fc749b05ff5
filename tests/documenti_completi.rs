//! The documents part of «What a new user tripped on»: no column that the
//! plan leaves empty, no heading without content, the weight and unit of an
//! indicator, the note of a result beside it, Italian singular and plural,
//! a cascade that says what it was scored on, and a section (Allegato,
//! Relazione) and a sheet (xlsx) for every unit that answers for something,
//! also when it does so only through `Assegnazioni`.

mod common;

use calamine::{Data, Reader, open_workbook_auto};
use common::C::*;
use common::*;
use std::fs;
use std::path::Path;

/// A 2025 plan with:
/// - area A (OS1, indicators I1 in % weighted 60 and I2 in n. weighted 40;
///   I1 is below target, I2 on target with a note), area B with nothing
///   under it, area C whose OS2 has no indicators and is scored through OP2
///   and OP3 (the cascade);
/// - unit U1 owning OP1..OP3 in `Obiettivi.Struttura`, unit U2 owning only
///   I1 and I2 through `Assegnazioni` (weights 60 and 40).
///
/// No column of Tipologia, Prospettiva or Baseline is filled anywhere.
fn plan(path: &Path) {
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
                    vec![S("Codice"), S("Denominazione")],
                    vec![S("A"), S("Competitività delle imprese")],
                    vec![S("B"), S("Ambito senza obiettivi")],
                    vec![S("C"), S("Salute economica")],
                ],
            ),
            (
                "Obiettivi",
                vec![
                    vec![
                        S("Codice"),
                        S("Livello"),
                        S("Titolo"),
                        S("Ambito"),
                        S("Obiettivo strategico"),
                        S("Struttura"),
                    ],
                    vec![S("OS1"), S("Strategico"), S("Imprese più digitali"), S("A"), E, E],
                    vec![S("OP1"), S("Operativo"), S("Sportello digitale"), E, S("OS1"), S("U1")],
                    vec![S("OS2"), S("Strategico"), S("Bilancio sano"), S("C"), E, E],
                    vec![S("OP2"), S("Operativo"), S("Riscossione del diritto annuale"), E, S("OS2"), S("U1")],
                    vec![S("OP3"), S("Operativo"), S("Contenimento dei costi"), E, S("OS2"), S("U1")],
                ],
            ),
            (
                "Indicatori",
                vec![
                    vec![S("Codice"), S("Obiettivo"), S("Nome"), S("UdM"), S("Peso"), S("Target 2025")],
                    vec![S("I1"), S("OS1"), S("Pratiche evase entro cinque giorni"), S("%"), N(60.0), S(">= 95%")],
                    vec![S("I2"), S("OS1"), S("Servizi online attivati"), S("n."), N(40.0), S(">= 4")],
                    vec![S("I3"), S("OP1"), S("Ore di apertura dello sportello"), E, E, S(">= 100")],
                    vec![S("I4"), S("OP2"), S("Quota riscossa"), E, E, S(">= 70%")],
                    vec![S("I5"), S("OP3"), S("Costi ridotti"), E, E, S(">= 5")],
                ],
            ),
            (
                "Strutture",
                vec![
                    vec![S("Codice"), S("Denominazione"), S("Tipo"), S("Responsabile")],
                    vec![S("U1"), S("Area Amministrativa"), S("Area"), S("Rossi")],
                    vec![S("U2"), S("Servizio Innovazione Digitale"), S("Servizio"), S("Bianchi")],
                ],
            ),
            (
                "Assegnazioni",
                vec![
                    vec![S("Soggetto"), S("Obiettivo"), S("Indicatore"), S("Peso")],
                    vec![S("U2"), E, S("I1"), N(60.0)],
                    vec![S("U2"), E, S("I2"), N(40.0)],
                ],
            ),
            (
                "Consuntivi",
                vec![
                    vec![S("Indicatore"), S("Anno"), S("Valore"), S("Note")],
                    vec![S("I1"), N(2025.0), S("90%"), E],
                    vec![S("I2"), N(2025.0), N(5.0), S("Un servizio attivato a dicembre")],
                    vec![S("I3"), N(2025.0), N(120.0), E],
                    vec![S("I4"), N(2025.0), S("75%"), E],
                    vec![S("I5"), N(2025.0), N(6.0), E],
                ],
            ),
        ],
    );
}

fn build(wb: &Path, out: &Path) {
    let o = piao(&["build", wb.to_str().expect("path"), "--out", out.to_str().expect("path")]);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// The text after the last occurrence of `from` (the body heading, not the
/// index entry) and before the last occurrence of `to`.
fn section<'a>(text: &'a str, from: &str, to: &str) -> &'a str {
    let start = text.rfind(from).unwrap_or_else(|| panic!("«{from}» missing:\n{text}"));
    let end = text.rfind(to).filter(|e| *e > start).unwrap_or(text.len());
    &text[start..end]
}

#[test]
fn the_allegato_prints_only_filled_columns_weights_units_and_no_empty_heading() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("piano.xlsx");
    plan(&wb);
    build(&wb, &dir.path().join("out"));
    let text = pdf_text(&dir.path().join("out/2025_allegato.pdf"));
    for empty in
        ["Tipologia", "Prospettiva", "Baseline", "Ambito senza obiettivi", "Programmi di intervento", "Target 2026"]
    {
        assert!(!text.contains(empty), "«{empty}» printed although the plan leaves it empty:\n{text}");
    }
    // The cruscotto di ente: unit and weight beside each indicator.
    let ente = section(&text, "Cruscotto di Ente 2025", "Obiettivi operativi per struttura");
    assert!(ente.contains("Indicatore UdM Peso Target 2025 Pratiche"), "{ente}");
    assert!(ente.contains("Pratiche evase entro cinque giorni % 60 >= 95%"), "{ente}");
    assert!(ente.contains("Servizi online attivati n. 40 >= 4"), "{ente}");
    // A strategic objective without indicators shows what measures it.
    assert!(ente.contains("OS2 – Bilancio sano Obiettivo misurato attraverso i suoi obiettivi operativi"), "{ente}");
    assert!(ente.contains("OP2 Riscossione del diritto annuale"), "{ente}");
    assert!(ente.contains("OP3 Contenimento dei costi"), "{ente}");
    // The unit that owns indicators only through Assegnazioni has its
    // section, with exactly those indicators and their weights.
    let u2 = section(&text, "Obiettivi operativi 2025 – Servizio Innovazione Digitale", "\u{0}");
    assert!(u2.contains("Pratiche evase entro cinque giorni % 60 >= 95%"), "{u2}");
    assert!(u2.contains("Servizi online attivati n. 40 >= 4"), "{u2}");
    assert!(!u2.contains("Ore di apertura dello sportello"), "{u2}");
    let u1 = section(&text, "Obiettivi operativi 2025 – Area Amministrativa", "Obiettivi operativi 2025 – Servizio");
    for name in ["Ore di apertura dello sportello", "Quota riscossa", "Costi ridotti"] {
        assert!(u1.contains(name), "{name} missing from U1:\n{u1}");
    }
    assert!(!u1.contains("Pratiche evase"), "{u1}");
}

#[test]
fn the_relazione_prints_notes_plurals_the_cascade_and_every_unit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("piano.xlsx");
    plan(&wb);
    build(&wb, &dir.path().join("out"));
    let text = pdf_text(&dir.path().join("out/2025_relazione.pdf"));
    // Singular for one indicator on target, plural otherwise.
    assert!(text.contains("Obiettivo parzialmente raggiunto al 96,8%: 1 indicatore su 2 a target"), "{text}");
    assert!(!text.contains("1 indicatori"), "{text}");
    // The cascade: counted and listed as operational objectives.
    assert!(text.contains("Obiettivo raggiunto al 100,0%: 2 obiettivi operativi su 2 a target"), "{text}");
    assert!(text.contains("Obiettivo misurato attraverso i suoi obiettivi operativi"), "{text}");
    assert!(text.contains("OP2 Riscossione del diritto annuale 100,0% ● raggiunto"), "{text}");
    assert!(text.contains("OP3 Contenimento dei costi 100,0% ● raggiunto"), "{text}");
    for empty in ["Tipologia", "Prospettiva BSC", "Baseline", "Programmi di intervento"] {
        assert!(!text.contains(empty), "«{empty}» printed although the plan leaves it empty:\n{text}");
    }
    // Every unit has its section; U2 with its Assegnazioni, their weights
    // and the note of the result beside it.
    let areas = section(&text, "Cruscotti di Area", "Performance individuale");
    let u2 = section(areas, "Servizio Innovazione Digitale — 96,8%", "\u{0}");
    assert!(u2.contains("Peso Target Consuntivo SAL Stato Note"), "{u2}");
    assert!(u2.contains("Servizi online attivati 40 >= 4 5 100% ● raggiunto Un servizio attivato a dicembre"), "{u2}");
    assert!(u2.contains("Pratiche evase entro cinque giorni 60 >= 95% 90% 95% ◐ parzialmente raggiunto"), "{u2}");
    let u1 = section(areas, "Area Amministrativa —", "Servizio Innovazione Digitale —");
    assert!(u1.contains("Ore di apertura dello sportello"), "{u1}");
    // No note in U1's tables: no Note column there.
    assert!(!u1.contains("Note"), "{u1}");
}

#[test]
fn the_xlsx_has_a_sheet_for_a_unit_that_owns_indicators_through_assegnazioni() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("piano.xlsx");
    plan(&wb);
    build(&wb, &dir.path().join("out"));
    let mut book = open_workbook_auto(dir.path().join("out/2025_cruscotto.xlsx")).expect("xlsx");
    let u2 = book.worksheet_range("Struttura U2").expect("a sheet for U2");
    let header: Vec<String> = (0..9).map(|c| u2.get_value((2, c)).map(|d| d.to_string()).unwrap_or_default()).collect();
    assert_eq!(header[3], "Indicatore");
    assert_eq!(header[8], "Peso");
    let rows: Vec<(String, Option<f64>)> = (3..u2.height() as u32)
        .map(|r| {
            let name = u2.get_value((r, 3)).map(|d| d.to_string()).unwrap_or_default();
            let weight = match u2.get_value((r, 8)) {
                Some(Data::Float(f)) => Some(*f),
                Some(Data::Int(i)) => Some(*i as f64),
                _ => None,
            };
            (name, weight)
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            ("Pratiche evase entro cinque giorni".to_string(), Some(60.0)),
            ("Servizi online attivati".to_string(), Some(40.0)),
        ]
    );
    // U1 keeps its own objectives and has no weight column.
    let u1 = book.worksheet_range("Struttura U1").expect("a sheet for U1");
    let names: Vec<String> =
        (3..u1.height() as u32).map(|r| u1.get_value((r, 3)).map(|d| d.to_string()).unwrap_or_default()).collect();
    assert_eq!(names, ["Ore di apertura dello sportello", "Quota riscossa", "Costi ridotti"]);
    assert_eq!(u1.get_value((2, 8)).map(|d| d.to_string()).unwrap_or_default(), "");
}

/// The codes of the units that answer for something in a Maremma source:
/// subjects of `Assegnazioni` that are units, and units named in
/// `Obiettivi.Struttura`, with their names.
fn answering_units(sources: &Path) -> Vec<(String, String)> {
    let read = |f: &str| fs::read_to_string(sources.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
    let units: Vec<(String, String)> = read("05_Strutture.tsv")
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut c = l.split('\t');
            Some((c.next()?.trim().to_string(), c.next()?.trim().to_string()))
        })
        .collect();
    let subjects: Vec<String> =
        read("06_Assegnazioni.tsv").lines().skip(1).filter_map(|l| l.split('\t').next()).map(str::to_string).collect();
    let objectives = read("03_Obiettivi.tsv");
    let head: Vec<&str> = objectives.lines().next().expect("header").split('\t').collect();
    let col = head.iter().position(|h| *h == "Struttura").expect("Struttura column");
    let owners: Vec<String> =
        objectives.lines().skip(1).filter_map(|l| l.split('\t').nth(col)).map(|s| s.trim().to_string()).collect();
    units.into_iter().filter(|(code, _)| subjects.contains(code) || owners.contains(code)).collect()
}

#[test]
fn the_maremma_cruscotto_prints_no_empty_column_and_every_answering_unit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = root().join("inputs/maremma-tirreno-cruscotto-2022.xlsx");
    build(&wb, dir.path());
    let units = answering_units(&root().join("inputs/sorgenti/maremma-tirreno-cruscotto-2022"));
    assert!(units.iter().any(|(c, _)| c == "SID") && units.iter().any(|(c, _)| c == "SPSE"), "{units:?}");

    let text = pdf_text(&dir.path().join("2022_allegato.pdf"));
    for empty in ["Tipologia", "Baseline"] {
        assert!(!text.contains(empty), "«{empty}» printed although the plan leaves it empty");
    }
    // The area's perspective is said once under its heading, not per row.
    assert_eq!(text.matches("Prospettiva").count(), text.matches("Prospettiva:").count());
    let ente = section(&text, "Cruscotto di Ente 2022", "Obiettivi per responsabile");
    assert!(ente.contains("Indicatore UdM Target 2022"), "{ente}");
    let body = section(&text, "Obiettivi operativi per struttura", "\u{0}");
    for (_, name) in &units {
        assert!(body.contains(&format!("Obiettivi operativi 2022 – {name}")), "no section for «{name}»");
    }
    // The Servizio Innovazione e Digitalizzazione answers for SID-01-1
    // (weight 57%) through Assegnazioni.
    let sid = section(body, "Obiettivi operativi 2022 – Servizio Innovazione e Digitalizzazione", "\u{0}");
    let sid = &sid[..sid.find("Obiettivi operativi 2022 – Servizi Anagrafico").unwrap_or(sid.len())];
    assert!(sid.contains("Peso"), "{sid}");

    let mut book = open_workbook_auto(dir.path().join("2022_cruscotto.xlsx")).expect("xlsx");
    let sheets = book.sheet_names();
    for (code, _) in &units {
        assert!(sheets.contains(&format!("Struttura {code}")), "no sheet for {code}: {sheets:?}");
    }
    let sid = book.worksheet_range("Struttura SID").expect("SID sheet");
    assert_eq!(sid.get_value((2, 8)).map(|d| d.to_string()).unwrap_or_default(), "Peso");
    assert!(sid.height() > 4, "the SID sheet lists its assigned indicators");
}
