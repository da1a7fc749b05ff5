//! The input contract on workbooks generated here: synonyms, title rows,
//! column order, typed and text cells, formats, and one test per diagnostic
//! kind naming the right sheet and cell.

mod common;

use common::C::*;
use common::*;
use piao::diag::{Diagnostics, Severity};
use piao::model::{Level, Plan, Value};
use rust_decimal::Decimal;
use std::path::Path;

fn dec(s: &str) -> Decimal {
    s.parse().expect("decimal literal")
}

fn load(path: &Path) -> (Option<Plan>, Diagnostics) {
    piao::pipeline::load(path)
}

fn errors(d: &Diagnostics) -> Vec<String> {
    d.sorted()
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{}: {}", d.place().unwrap_or_default(), d.message))
        .collect()
}

fn ente(year: f64) -> (&'static str, Vec<Vec<common::C<'static>>>) {
    (
        "Ente",
        vec![
            vec![S("Voce"), S("Valore")],
            vec![S("Denominazione"), S("Camera di Prova")],
            vec![S("Anno"), N(year)],
            vec![S("Data"), D(year as u16, 1, 30)],
        ],
    )
}

#[test]
fn synonyms_title_rows_column_order_and_blank_rows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("sinonimi.xlsx");
    workbook(
        &wb,
        &[
            (
                "ENTE",
                vec![
                    vec![S("Campo:"), S("VALORE")],
                    vec![S("denominazione"), S("Camera di Prova")],
                    vec![S("Anno"), S("2025")],
                    vec![S("Tetto"), S("nessuno")],
                ],
            ),
            (
                "Aree strategiche",
                vec![
                    vec![S("Piano della performance 2025")],
                    vec![],
                    vec![S("Prospettiva BSC"), S("Area strategica"), S("Cod."), S("Peso su ente")],
                    vec![S("Utenti-imprese-territorio"), S("Competitività"), N(1.0), S("60%")],
                    vec![S("Economico finanziario"), S("Bilancio"), N(2.0), S("40%")],
                ],
            ),
            (
                "Obiettivi",
                vec![
                    vec![S("Note dell'ufficio: bozza")],
                    vec![
                        S("Codice obiettivo"),
                        S("Tipo"),
                        S("Denominazione"),
                        S("Ambito strategico"),
                        S("Padre"),
                        S("Area di responsabilità"),
                        S("Peso su ambito"),
                        S("Colonna interna"),
                    ],
                    vec![S("OS1"), S("OS"), S("Strategico uno"), N(1.0), E, E, E, S("x")],
                    vec![S("OS2"), S("S"), S("Strategico due"), S("2"), E, E, E, E],
                    vec![],
                    vec![S("OP1"), S("op"), S("Operativo uno"), E, S("OS1"), S("Area Uno"), E, E],
                ],
            ),
            (
                "Indicatori",
                vec![
                    vec![
                        S("Peso indicatori:"),
                        S("2026"),
                        S("Target 2025"),
                        S("Valori 2023"),
                        S("Indicatore"),
                        S("Codice obiettivo"),
                        S("Codice indicatore"),
                        S("Verso"),
                        S("Unità di misura"),
                        S("Modalità di calcolo"),
                    ],
                    vec![
                        E,
                        S("95%"),
                        S("≥ 90%"),
                        S("88%"),
                        S("Pratiche evase"),
                        S("OS1"),
                        S("I1"),
                        E,
                        S("%"),
                        S("evase / ricevute"),
                    ],
                    vec![E, E, S("20"), E, S("Giorni medi"), S("OS2"), S("I2"), S("<="), S("gg"), E],
                    vec![E, E, S("5"), E, S("Eventi"), S("OP1"), S("I3"), E, S("n."), E],
                ],
            ),
            (
                "Strutture",
                vec![
                    vec![S("Codice"), S("Denominazione"), S("Responsabile")],
                    vec![S("A1"), S("Area Uno"), S("Dott.ssa Rossi")],
                ],
            ),
            (
                "Consuntivi",
                vec![
                    vec![S("Codice indicatore"), S("Anno"), S("Actual"), S("Motivazione")],
                    vec![S("I1"), N(2025.0), P(0.92), E],
                    vec![S("I2"), N(2025.0), S("25"), S("Ritardi di fine anno")],
                ],
            ),
        ],
    );
    let (plan, diags) = load(&wb);
    assert!(!diags.has_errors(), "{:?}", errors(&diags));
    let plan = plan.expect("plan");
    assert_eq!(plan.ente.settings.cap, None, "Tetto nessuno");
    assert_eq!(plan.areas.len(), 2);
    assert_eq!(plan.areas[0].perspective.as_deref(), Some("Imprese, territorio e consumatori"));
    assert_eq!(plan.areas[1].weight.as_ref().map(|w| w.value), Some(dec("0.4")));
    assert_eq!(plan.objectives.len(), 3, "the blank row is skipped");
    assert_eq!(plan.objectives[0].area.as_deref(), Some("1"), "a number typed as a code is the code");
    assert_eq!(plan.objectives[2].level, Level::Operativo);
    assert_eq!(plan.objectives[2].unit.as_deref(), Some("A1"), "unit named by its name resolves to its code");
    assert_eq!(
        plan.objectives[0].extra.get("Colonna interna").map(String::as_str),
        Some("x"),
        "unknown columns are kept"
    );
    let i1 = &plan.indicators[0];
    assert_eq!(i1.formula.as_deref(), Some("evase / ricevute"));
    assert_eq!(i1.baseline_year, Some(2023));
    assert_eq!(i1.targets.keys().copied().collect::<Vec<_>>(), vec![2025, 2026], "bare year column is a target");
    assert!(
        matches!(&i1.actuals[&2025].value.value, Value::Number { value, .. } if *value == dec("0.92")),
        "typed percentage"
    );
    assert_eq!(plan.indicators[1].op, piao::model::Op::Le);
    let notes: Vec<String> =
        diags.sorted().into_iter().filter(|d| d.severity == Severity::Info).map(|d| d.message.clone()).collect();
    assert_eq!(notes.len(), 1, "unknown columns are reported once: {notes:?}");
    assert!(notes[0].contains("«Colonna interna»"));
}

fn plan_with_cells(
    dir: &Path,
    name: &str,
    target: common::C<'static>,
    actual: common::C<'static>,
    udm: &'static str,
) -> std::path::PathBuf {
    let wb = dir.join(name);
    workbook(
        &wb,
        &[
            ente(2025.0),
            (
                "Obiettivi",
                vec![
                    vec![S("Codice"), S("Livello"), S("Titolo"), S("Prospettiva")],
                    vec![S("OS1"), S("Strategico"), S("Uno"), S("Processi interni")],
                ],
            ),
            (
                "Indicatori",
                vec![
                    vec![S("Codice"), S("Obiettivo"), S("Nome"), S("UdM"), S("Target 2025")],
                    vec![S("I1"), S("OS1"), S("Indicatore"), S(udm), target],
                ],
            ),
            ("Consuntivi", vec![vec![S("Indicatore"), S("Anno"), S("Valore")], vec![S("I1"), N(2025.0), actual]]),
        ],
    );
    wb
}

fn sal_of(wb: &Path) -> Option<Decimal> {
    let (plan, mut diags) = load(wb);
    let plan = plan.unwrap_or_else(|| panic!("{:?}", errors(&diags)));
    let res = piao::score::score(&plan, &mut diags);
    res.indicators[0].sal
}

#[test]
fn typed_and_text_cells_mean_the_same() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    // Typed 95% and text "95%" in a % column; typed 0,9 vs text "90%".
    assert_eq!(
        sal_of(&plan_with_cells(d, "a.xlsx", P(0.95), S("90%"), "%")),
        sal_of(&plan_with_cells(d, "b.xlsx", S("95%"), P(0.9), "%"))
    );
    assert_eq!(sal_of(&plan_with_cells(d, "c.xlsx", S("1.150"), N(1150.0), "n.")), Some(Decimal::ONE));
    assert_eq!(sal_of(&plan_with_cells(d, "d.xlsx", S("2,5"), S("2"), "n.")), Some(dec("0.8")));
    // Typed and text deadlines.
    assert_eq!(sal_of(&plan_with_cells(d, "e.xlsx", D(2025, 12, 31), S("30/11/2025"), "data")), Some(Decimal::ONE));
    assert_eq!(
        sal_of(&plan_with_cells(d, "f.xlsx", S("Entro 31.12.2025"), D(2026, 1, 15), "data")),
        Some(Decimal::ZERO)
    );
    // A formula is read by its cached value.
    assert_eq!(sal_of(&plan_with_cells(d, "g.xlsx", N(10.0), F("=4*2", "8"), "n.")), Some(dec("0.8")));
    assert_eq!(
        sal_of(&plan_with_cells(d, "h.xlsx", S("€ 650.000"), S("€ 542.816,75"), "€")).map(|s| s.round_dp(6)),
        Some(dec("0.835103"))
    );
}

#[test]
fn a_spreadsheet_error_value_is_a_diagnostic_at_its_cell() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = plan_with_cells(dir.path(), "err.xlsx", N(10.0), F("=1/0", "#DIV/0!"), "n.");
    let (plan, diags) = load(&wb);
    assert!(plan.is_none());
    let e = errors(&diags);
    assert!(e.iter().any(|m| m.starts_with("Consuntivi!C2: la cella contiene il valore di errore «#DIV/0!»")), "{e:?}");
}

#[test]
fn ods_and_xls_are_read_like_xlsx() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = plan_with_cells(dir.path(), "formati.xlsx", S("≥ 95%"), P(0.9), "%");
    let expected = sal_of(&wb);
    assert!(expected.is_some());
    for ext in ["ods", "xls"] {
        let converted = convert(&wb, ext);
        assert_eq!(sal_of(&converted), expected, "{ext}");
    }
}

/// One workbook per diagnostic kind: (what is broken, expected place, expected words).
#[test]
fn each_diagnostic_kind_names_its_sheet_and_cell() {
    let dir = tempfile::tempdir().expect("temp dir");
    type Sheets = Vec<(&'static str, Vec<Vec<common::C<'static>>>)>;
    let base = |obj: Vec<Vec<common::C<'static>>>, ind: Vec<Vec<common::C<'static>>>| -> Sheets {
        vec![ente(2025.0), ("Obiettivi", obj), ("Indicatori", ind)]
    };
    let oh = || vec![S("Codice"), S("Livello"), S("Titolo"), S("Obiettivo strategico"), S("Peso")];
    let ih = || vec![S("Codice"), S("Obiettivo"), S("Nome"), S("Target 2025"), S("Peso"), S("Operatore")];
    let cases: Vec<(&str, Sheets, &str, &str)> = vec![
        (
            "target non riconosciuto",
            base(
                vec![oh(), vec![S("OS1"), S("Strategico"), S("Uno"), E, E]],
                vec![ih(), vec![S("I1"), S("OS1"), S("N"), S("circa cinque"), E, E]],
            ),
            "Indicatori!D2",
            "valore non riconosciuto «circa cinque»",
        ),
        (
            "numero fuori intervallo",
            base(
                vec![oh(), vec![S("OS1"), S("Strategico"), S("Uno"), E, E]],
                vec![ih(), vec![S("I1"), S("OS1"), S("N"), N(1e30), E, E]],
            ),
            "Indicatori!D2",
            "è fuori dall'intervallo che piao calcola in modo esatto",
        ),
        (
            "operatore sconosciuto",
            base(
                vec![oh(), vec![S("OS1"), S("Strategico"), S("Uno"), E, E]],
                vec![ih(), vec![S("I1"), S("OS1"), S("N"), S("5"), E, S("circa")]],
            ),
            "Indicatori!F2",
            "Operatore «circa» non riconosciuto",
        ),
        (
            "codice orfano",
            base(
                vec![oh(), vec![S("OS1"), S("Strategico"), S("Uno"), E, E]],
                vec![ih(), vec![S("I1"), S("OS9"), S("N"), S("5"), E, E]],
            ),
            "Indicatori!B2",
            "indica l'obiettivo «OS9», che non esiste",
        ),
        (
            "codice ripetuto",
            base(
                vec![
                    oh(),
                    vec![S("OS1"), S("Strategico"), S("Uno"), E, E],
                    vec![S("OS1"), S("Strategico"), S("Due"), E, E],
                ],
                vec![ih(), vec![S("I1"), S("OS1"), S("N"), S("5"), E, E]],
            ),
            "Obiettivi!A3",
            "codice obiettivo «OS1» ripetuto (già in Obiettivi!A2)",
        ),
        (
            "padre operativo",
            base(
                vec![
                    oh(),
                    vec![S("OS1"), S("Strategico"), S("Uno"), E, E],
                    vec![S("OP1"), S("Operativo"), S("Op"), S("OS1"), E],
                    vec![S("OP2"), S("Operativo"), S("Op2"), S("OP1"), E],
                ],
                vec![ih(), vec![S("I1"), S("OS1"), S("N"), S("5"), E, E]],
            ),
            "Obiettivi!D4",
            "indica come padre «OP1», che è operativo",
        ),
        (
            "peso negativo",
            base(
                vec![oh(), vec![S("OS1"), S("Strategico"), S("Uno"), E, E]],
                vec![ih(), vec![S("I1"), S("OS1"), S("N"), S("5"), N(-1.0), E]],
            ),
            "Indicatori!E2",
            "Peso negativo «-1»",
        ),
        (
            "peso non numerico",
            base(
                vec![oh(), vec![S("OS1"), S("Strategico"), S("Uno"), E, E]],
                vec![ih(), vec![S("I1"), S("OS1"), S("N"), S("5"), S("tanto"), E]],
            ),
            "Indicatori!E2",
            "Peso: «tanto» non è un numero",
        ),
        (
            "livello sconosciuto",
            base(
                vec![oh(), vec![S("OS1"), S("Tattico"), S("Uno"), E, E]],
                vec![ih(), vec![S("I1"), S("OS1"), S("N"), S("5"), E, E]],
            ),
            "Obiettivi!B2",
            "Livello «Tattico» non riconosciuto",
        ),
        (
            "anno non valido",
            vec![
                (
                    "Ente",
                    vec![vec![S("Voce"), S("Valore")], vec![S("Denominazione"), S("X")], vec![S("Anno"), S("duemila")]],
                ),
                ("Obiettivi", vec![oh(), vec![S("OS1"), S("Strategico"), S("Uno"), E, E]]),
                ("Indicatori", vec![ih(), vec![S("I1"), S("OS1"), S("N"), S("5"), E, E]]),
            ],
            "Ente!B3",
            "Anno: «duemila» non è un numero",
        ),
        (
            "soglie incoerenti",
            vec![
                (
                    "Ente",
                    vec![
                        vec![S("Voce"), S("Valore")],
                        vec![S("Denominazione"), S("X")],
                        vec![S("Anno"), N(2025.0)],
                        vec![S("Soglia parziale"), S("120%")],
                    ],
                ),
                ("Obiettivi", vec![oh(), vec![S("OS1"), S("Strategico"), S("Uno"), E, E]]),
                ("Indicatori", vec![ih(), vec![S("I1"), S("OS1"), S("N"), S("5"), E, E]]),
            ],
            "Ente!B4",
            "la Soglia parziale supera la Soglia raggiunto",
        ),
        (
            "logo fuori cartella",
            vec![
                (
                    "Ente",
                    vec![
                        vec![S("Voce"), S("Valore")],
                        vec![S("Denominazione"), S("X")],
                        vec![S("Anno"), N(2025.0)],
                        vec![S("Logo"), S("../../etc/passwd")],
                    ],
                ),
                ("Obiettivi", vec![oh(), vec![S("OS1"), S("Strategico"), S("Uno"), E, E]]),
                ("Indicatori", vec![ih(), vec![S("I1"), S("OS1"), S("N"), S("5"), E, E]]),
            ],
            "Ente!B4",
            "esce dalla cartella",
        ),
        (
            "colonna obbligatoria mancante",
            base(
                vec![vec![S("Codice"), S("Titolo")], vec![S("OS1"), S("Uno")]],
                vec![ih(), vec![S("I1"), S("OS1"), S("N"), S("5"), E, E]],
            ),
            "Obiettivi",
            "riga di intestazione incompleta (riga 1): mancano le colonne «Livello»",
        ),
        (
            "ciclo nelle strutture",
            {
                let mut s = base(
                    vec![oh(), vec![S("OS1"), S("Strategico"), S("Uno"), E, E]],
                    vec![ih(), vec![S("I1"), S("OS1"), S("N"), S("5"), E, E]],
                );
                s.push((
                    "Strutture",
                    vec![
                        vec![S("Codice"), S("Denominazione"), S("Padre")],
                        vec![S("A"), S("Area A"), S("B")],
                        vec![S("B"), S("Area B"), S("A")],
                    ],
                ));
                s
            },
            "Strutture!C2",
            "ciclo nelle strutture: A → B → A",
        ),
        (
            "consuntivo doppio",
            {
                let mut s = base(
                    vec![oh(), vec![S("OS1"), S("Strategico"), S("Uno"), E, E]],
                    vec![ih(), vec![S("I1"), S("OS1"), S("N"), S("5"), E, E]],
                );
                s.push((
                    "Consuntivi",
                    vec![
                        vec![S("Indicatore"), S("Anno"), S("Valore")],
                        vec![S("I1"), N(2025.0), N(4.0)],
                        vec![S("I1"), N(2025.0), N(5.0)],
                    ],
                ));
                s
            },
            "Consuntivi!C3",
            "consuntivo 2025 dell'indicatore «I1» già indicato",
        ),
    ];
    for (n, (what, sheets, place, words)) in cases.into_iter().enumerate() {
        let wb = dir.path().join(format!("caso{n}.xlsx"));
        workbook(&wb, &sheets);
        let (plan, diags) = load(&wb);
        assert!(plan.is_none(), "{what}: the plan should be refused");
        let e = errors(&diags);
        assert!(
            e.iter().any(|m| m.starts_with(&format!("{place}: ")) && m.contains(words)),
            "{what}: expected «{words}» at {place}, got {e:?}"
        );
        assert!(
            diags.sorted().iter().all(|d| d.file.as_deref() == Some(wb.display().to_string().as_str())),
            "{what}: every diagnostic names the file"
        );
    }
}

#[test]
fn weights_far_from_100_are_a_warning_naming_the_cells() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("pesi.xlsx");
    workbook(
        &wb,
        &[
            ente(2025.0),
            (
                "Obiettivi",
                vec![
                    vec![S("Codice"), S("Livello"), S("Titolo"), S("Prospettiva")],
                    vec![S("OS1"), S("Strategico"), S("Uno"), S("Processi interni")],
                ],
            ),
            (
                "Indicatori",
                vec![
                    vec![S("Codice"), S("Obiettivo"), S("Nome"), S("Target 2025"), S("Peso")],
                    vec![S("I1"), S("OS1"), S("A"), S("10"), S("33,3%")],
                    vec![S("I2"), S("OS1"), S("B"), S("10"), S("33,3%")],
                    vec![S("I3"), S("OS1"), S("C"), S("10"), S("33,3%")],
                    vec![S("I4"), S("OS1"), S("D"), S("10"), S("20%")],
                ],
            ),
        ],
    );
    let (plan, mut diags) = load(&wb);
    let plan = plan.expect("weights are not errors");
    let _ = piao::score::score(&plan, &mut diags);
    let warnings: Vec<String> =
        diags.sorted().into_iter().filter(|d| d.severity == Severity::Warning).map(|d| d.message.clone()).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("sommano a 119,9% invece di 100%")
            && warnings[0].contains("Indicatori!E2, Indicatori!E3, Indicatori!E4, Indicatori!E5"),
        "{}",
        warnings[0]
    );
}

#[test]
fn the_template_is_complete_when_empty_and_valid_when_filled() {
    let dir = tempfile::tempdir().expect("temp dir");
    let empty = dir.path().join("vuoto.xlsx");
    let o = piao(&["template", empty.to_str().expect("path"), "--anno", "2026"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = piao(&["check", "--breve", empty.to_str().expect("path")]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    for words in [
        "Ente!B2: errore: la voce «Denominazione» non è compilata",
        "Ente!B3: errore: la voce «Anno» non è compilata",
        "il foglio Obiettivi non contiene obiettivi",
        "il foglio Indicatori non contiene indicatori",
    ] {
        assert!(err.contains(words), "{words}: {err}");
    }
    let mut book = calamine::open_workbook_auto(&empty).expect("template opens");
    use calamine::Reader;
    let names = book.sheet_names().to_vec();
    assert_eq!(
        names,
        vec![
            "Istruzioni",
            "Ente",
            "Ambiti",
            "Obiettivi",
            "Indicatori",
            "Consuntivi",
            "Strutture",
            "Assegnazioni",
            "Bilancio"
        ]
    );
    let ind = book.worksheet_range("Indicatori").expect("Indicatori");
    let header: Vec<String> = ind.rows().next().expect("header").iter().map(|d| d.to_string()).collect();
    assert!(header.contains(&"Target 2026".to_string()) && header.contains(&"Target 2028".to_string()), "{header:?}");
    // Notes and drop-downs are in the sheet XML.
    let indicatori = zip_text(&empty, "xl/worksheets/sheet5.xml");
    assert!(
        indicatori.contains("<dataValidation") && indicatori.contains("&gt;=,&gt;,&lt;=,&lt;,=,entro"),
        "operator drop-down in Indicatori"
    );
    let obiettivi = zip_text(&empty, "xl/worksheets/sheet4.xml");
    assert!(obiettivi.contains("Strategico,Operativo"), "level drop-down in Obiettivi");
    assert!(zip_text(&empty, "xl/comments").contains("Strategico oppure Operativo"), "header note on Livello");

    let filled = dir.path().join("esempio.xlsx");
    let o = piao(&["template", filled.to_str().expect("path"), "--anno", "2026", "--esempio"]);
    assert!(o.status.success());
    let o = piao(&["check", filled.to_str().expect("path")]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Never overwrites.
    let o = piao(&["template", filled.to_str().expect("path")]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("il file esiste già"));
}
