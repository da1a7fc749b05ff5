//! The scoring rules on workbooks built here: the published Economico-
//! Finanziaria block of Arezzo-Siena 2019, the cascade, neutralised and
//! missing values, renormalised weights, units and people.

mod common;

use common::C::*;
use common::*;
use piao::fmt;
use piao::score::{Results, Status};
use rust_decimal::Decimal;
use std::path::Path;

fn score(path: &Path) -> Results {
    let (plan, mut diags) = piao::pipeline::load(path);
    let plan = plan.unwrap_or_else(|| panic!("{}", piao::diag::render(&diags, true)));
    piao::score::score(&plan, &mut diags)
}

fn pct(d: Option<Decimal>, decimals: u32) -> String {
    d.map_or("n.v.".into(), |d| fmt::percent(d, decimals))
}

#[test]
fn the_economico_finanziaria_block_of_2019_scores_as_published() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("ef.xlsx");
    workbook(
        &wb,
        &[
            (
                "Ente",
                vec![
                    vec![S("Voce"), S("Valore")],
                    vec![S("Denominazione"), S("Camera di Commercio di Arezzo-Siena")],
                    vec![S("Anno"), N(2019.0)],
                ],
            ),
            ("Ambiti", vec![vec![S("Codice"), S("Denominazione")], vec![S("EF"), S("Economico-Finanziaria")]]),
            (
                "Obiettivi",
                vec![
                    vec![S("Codice"), S("Livello"), S("Titolo"), S("Ambito")],
                    vec![S("6"), S("Strategico"), S("L'ottimizzazione organizzativa e gestionale"), S("EF")],
                ],
            ),
            (
                "Indicatori",
                vec![
                    vec![S("Codice"), S("Obiettivo"), S("Nome"), S("Target 2019")],
                    vec![S("EF1"), S("6"), S("Spese funzionamento + spese personale 2019/2017 (PIRA)"), S("< 1")],
                    vec![
                        S("EF2"),
                        S("6"),
                        S("Proventi da Progetto Apprendistato (Arezzo Sviluppo: FOAR)"),
                        S("€ 650.000"),
                    ],
                    vec![
                        S("EF3"),
                        S("6"),
                        S("Importo totale riscossioni spontanee del Diritto Annuale / Importo dovuto"),
                        S("≥73%"),
                    ],
                    vec![
                        S("EF4"),
                        S("6"),
                        S("Fatturato anno x/ Fatturato anno x - 1 (Arezzo Sviluppo: laboratorio SAGOR)"),
                        S("≥ 1"),
                    ],
                ],
            ),
            (
                "Consuntivi",
                vec![
                    vec![S("Indicatore"), S("Anno"), S("Valore")],
                    vec![S("EF1"), N(2019.0), S("0,94")],
                    vec![S("EF2"), N(2019.0), S("€ 542.816,75")],
                    vec![S("EF3"), N(2019.0), S("73,17%")],
                    vec![S("EF4"), N(2019.0), S("0,94")],
                ],
            ),
        ],
    );
    let r = score(&wb);
    let sal: Vec<String> = r.indicators.iter().map(|i| pct(i.sal, 2)).collect();
    assert_eq!(sal, vec!["100,00%", "83,51%", "100,00%", "94,00%"]);
    assert_eq!(pct(r.indicators[1].sal, 0), "84%", "Proventi as printed in the Relazione");
    assert_eq!(pct(r.areas[0].score, 1), "94,4%", "the perspective, mean of unrounded SALs");
    assert_eq!(r.areas[0].status, Status::Parziale);
    assert_eq!(pct(r.entity.score, 1), "94,4%");
}

fn plan(
    dir: &Path,
    obiettivi: Vec<Vec<common::C<'static>>>,
    indicatori: Vec<Vec<common::C<'static>>>,
    consuntivi: Vec<Vec<common::C<'static>>>,
    extra: Vec<(&'static str, Vec<Vec<common::C<'static>>>)>,
) -> std::path::PathBuf {
    let wb = dir.join("piano.xlsx");
    let mut sheets = vec![
        (
            "Ente",
            vec![
                vec![S("Voce"), S("Valore")],
                vec![S("Denominazione"), S("Camera di Prova")],
                vec![S("Anno"), N(2025.0)],
            ],
        ),
        (
            "Ambiti",
            vec![
                vec![S("Codice"), S("Denominazione"), S("Peso")],
                vec![S("A"), S("Imprese"), S("75%")],
                vec![S("B"), S("Processi"), S("25%")],
            ],
        ),
        ("Obiettivi", obiettivi),
        ("Indicatori", indicatori),
        ("Consuntivi", consuntivi),
    ];
    sheets.extend(extra);
    workbook(&wb, &sheets);
    wb
}

#[test]
fn cascade_neutralised_missing_and_renormalised_weights() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = plan(
        dir.path(),
        vec![
            vec![
                S("Codice"),
                S("Livello"),
                S("Titolo"),
                S("Ambito"),
                S("Obiettivo strategico"),
                S("Struttura"),
                S("Peso"),
            ],
            vec![S("OS1"), S("Strategico"), S("Con indicatori propri"), S("A"), E, E, E],
            vec![S("OS2"), S("Strategico"), S("Misurato dagli operativi"), S("B"), E, E, E],
            vec![S("OP1"), S("Operativo"), S("Primo"), E, S("OS2"), S("U1"), S("75%")],
            vec![S("OP2"), S("Operativo"), S("Secondo"), E, S("OS2"), S("U1"), S("25%")],
            vec![S("OS3"), S("Strategico"), S("Senza dati"), S("A"), E, E, E],
        ],
        vec![
            vec![S("Codice"), S("Obiettivo"), S("Nome"), S("Target 2025"), S("Peso")],
            vec![S("I1"), S("OS1"), S("Uno"), S("10"), S("50%")],
            vec![S("I2"), S("OS1"), S("Due neutralizzato"), S("10"), S("30%")],
            vec![S("I3"), S("OS1"), S("Tre"), S("10"), S("20%")],
            vec![S("I4"), S("OP1"), S("Quattro"), S("si"), E],
            vec![S("I5"), S("OP2"), S("Cinque"), S("31/12/2025"), E],
            vec![S("I6"), S("OS3"), S("Sei senza consuntivo"), S("5"), E],
            vec![S("I7"), S("OS3"), S("Sette senza target"), S("n.d."), E],
        ],
        vec![
            vec![S("Indicatore"), S("Anno"), S("Valore"), S("Note"), S("Neutralizzato")],
            vec![S("I1"), N(2025.0), N(8.0), E, E],
            vec![S("I2"), N(2025.0), N(1.0), S("Evento annullato dall'ente regionale"), S("si")],
            vec![S("I3"), N(2025.0), N(10.0), E, E],
            vec![S("I4"), N(2025.0), S("no"), E, E],
            vec![S("I5"), N(2025.0), S("15/12/2025"), E, E],
            vec![S("I7"), N(2025.0), N(3.0), E, E],
        ],
        vec![(
            "Strutture",
            vec![
                vec![S("Codice"), S("Denominazione"), S("Responsabile")],
                vec![S("U1"), S("Area Uno"), S("Dott. Verdi")],
            ],
        )],
    );
    let r = score(&wb);
    let ind = |c: &str| r.indicator(c).expect("indicator");
    // I2 neutralised: its 30% is redistributed over I1 (50%) and I3 (20%).
    assert_eq!(ind("I2").status, Status::NonValutabile);
    assert!(ind("I2").reason.as_deref().is_some_and(|m| m.contains("Evento annullato")));
    // (0,8 × 50 + 1 × 20) / 70 = 0,857142...
    assert_eq!(pct(r.objective("OS1").and_then(|o| o.score), 2), "85,71%");
    // OS2 has no indicators: 75% × 0 + 25% × 1.
    assert_eq!(pct(r.objective("OS2").and_then(|o| o.score), 1), "25,0%");
    assert_eq!(ind("I6").status, Status::DatoMancante);
    assert_eq!(ind("I7").status, Status::NonValutabile);
    assert_eq!(
        r.objective("OS3").map(|o| o.status),
        Some(Status::NonValutabile),
        "no scored child: non valutabile, never 0%"
    );
    assert_eq!(r.objective("OS3").and_then(|o| o.score), None);
    // Area A: OS1 only (OS3 not scored); area B: OS2. Entity 75/25.
    assert_eq!(pct(r.area("A").and_then(|a| a.score), 2), "85,71%");
    let expected =
        (Decimal::new(6, 0) / Decimal::new(7, 0)) * Decimal::new(75, 2) + Decimal::new(25, 2) * Decimal::new(25, 2);
    assert_eq!(r.entity.score, Some(expected));
    // The unit's own objectives, equal weights: (0 + 1) / 2.
    assert_eq!(pct(r.unit("U1").and_then(|u| u.score), 1), "50,0%");
    // Without Assegnazioni the unit's head answers for the unit's objectives.
    assert_eq!(r.people.len(), 1);
    assert_eq!(r.people[0].name, "Dott. Verdi");
    assert_eq!(pct(r.people[0].total.score, 1), "50,0%");
}

#[test]
fn people_from_assignments_with_weights() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = plan(
        dir.path(),
        vec![
            vec![S("Codice"), S("Livello"), S("Titolo"), S("Ambito"), S("Obiettivo strategico")],
            vec![S("OS1"), S("Strategico"), S("Strategico"), S("A"), E],
            vec![S("OP1"), S("Operativo"), S("Primo"), E, S("OS1")],
        ],
        vec![
            vec![S("Codice"), S("Obiettivo"), S("Nome"), S("Target 2025")],
            vec![S("I1"), S("OS1"), S("Uno"), S("100")],
            vec![S("I2"), S("OP1"), S("Due"), S("100")],
        ],
        vec![
            vec![S("Indicatore"), S("Anno"), S("Valore")],
            vec![S("I1"), N(2025.0), N(60.0)],
            vec![S("I2"), N(2025.0), N(100.0)],
        ],
        vec![(
            "Assegnazioni",
            vec![
                vec![S("Soggetto"), S("Obiettivo"), S("Indicatore"), S("Peso")],
                vec![S("Avv. Bianchi"), S("OP1"), E, S("40%")],
                vec![S("Avv. Bianchi"), E, S("I1"), S("60%")],
            ],
        )],
    );
    let r = score(&wb);
    assert_eq!(r.people.len(), 1);
    let p = &r.people[0];
    assert_eq!(p.name, "Avv. Bianchi");
    assert_eq!(p.objectives, vec!["OP1"]);
    assert_eq!(p.indicators, vec!["I1"]);
    // 40% × 100% + 60% × 60% = 76%.
    assert_eq!(pct(p.total.score, 1), "76,0%");
    assert_eq!(p.total.status, Status::Parziale);
}

/// A service's card in Assegnazioni (weights 90 and 10) and no person named:
/// the service's head answers for the same items with the same weights, so
/// the two figures agree.
#[test]
fn a_units_head_inherits_the_units_assigned_weights() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("servizio.xlsx");
    workbook(
        &wb,
        &[
            (
                "Ente",
                vec![
                    vec![S("Voce"), S("Valore")],
                    vec![S("Denominazione"), S("Camera di Prova")],
                    vec![S("Anno"), N(2022.0)],
                    vec![S("Data"), D(2022, 1, 31)],
                ],
            ),
            (
                "Obiettivi",
                vec![
                    vec![
                        S("Codice"),
                        S("Livello"),
                        S("Titolo"),
                        S("Prospettiva"),
                        S("Obiettivo strategico"),
                        S("Struttura"),
                    ],
                    vec![S("OS1"), S("Strategico"), S("Semplificazione"), S("Processi interni"), E, E],
                    vec![S("OP1"), S("Operativo"), S("Verifica agenti"), E, S("OS1"), S("SAC")],
                    vec![S("OP2"), S("Operativo"), S("Cancellazioni"), E, S("OS1"), S("SAC")],
                ],
            ),
            (
                "Indicatori",
                vec![
                    vec![S("Codice"), S("Obiettivo"), S("Nome"), S("Target 2022")],
                    vec![S("I1"), S("OP1"), S("Imprese revisionate"), S("10")],
                    vec![S("I2"), S("OP2"), S("Cancellazioni"), S("10")],
                ],
            ),
            (
                "Consuntivi",
                vec![
                    vec![S("Indicatore"), S("Anno"), S("Valore")],
                    vec![S("I1"), N(2022.0), N(10.0)],
                    vec![S("I2"), N(2022.0), N(5.0)],
                ],
            ),
            (
                "Strutture",
                vec![
                    vec![S("Codice"), S("Denominazione"), S("Responsabile")],
                    vec![S("SAC"), S("Servizi Anagrafico Certificativi"), S("Di Carlo")],
                ],
            ),
            (
                "Assegnazioni",
                vec![
                    vec![S("Soggetto"), S("Obiettivo"), S("Peso")],
                    vec![S("SAC"), S("OP1"), N(90.0)],
                    vec![S("SAC"), S("OP2"), N(10.0)],
                ],
            ),
        ],
    );
    let r = score(&wb);
    let unit = r.units.iter().find(|u| u.code == "SAC").expect("SAC scored");
    assert_eq!(pct(unit.score, 1), "95,0%");
    let head = r.people.iter().find(|p| p.name == "Di Carlo").expect("the head is assessed");
    assert_eq!(pct(head.total.score, 1), "95,0%", "the head must use the unit's weights, not equal ones");
    assert_eq!(head.objectives, vec!["OP1".to_string(), "OP2".to_string()]);
}
