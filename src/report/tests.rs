//! The report tree and its projections on plans built in memory: the
//! cascade is decided once, units list exactly their rows, and each
//! document's data carries what its layout prints.

use super::Report;
use crate::diag::Diagnostics;
use crate::model::{Plan, WeightScale};
use crate::render::data::{AllegatoDati, Livello, RelazioneDati, SchedeDati, Source};
use crate::score::testplan::PlanBuilder;
use crate::score::{Results, Status, score};
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    s.parse().unwrap_or_default()
}

/// Area A: S1 scored through O1 (80%) and O2 (100%), S2 with its own
/// indicator; O3 under S2 has no indicators. Unit U answers for O1 and O3.
fn plan() -> Plan {
    let mut b = PlanBuilder::new();
    b.area("A", None)
        .objective("S1", Some("A"), None, None, None)
        .objective("S2", Some("A"), None, None, None)
        .objective("O1", None, Some("S1"), Some("U"), Some((d("60"), WeightScale::Points)))
        .objective("O2", None, Some("S1"), None, Some((d("40"), WeightScale::Points)))
        .objective("O3", None, Some("S2"), Some("U"), None)
        .indicator("I1", "O1", d("0.8"), None)
        .indicator("I1b", "O1", d("1"), None)
        .indicator("I2", "O2", d("1"), None)
        .indicator("I3", "S2", d("0.5"), None)
        .unit("U", "Maria Rossi");
    b.build()
}

fn scored(plan: &Plan) -> Results {
    score(plan, &mut Diagnostics::new())
}

#[test]
fn the_cascade_is_decided_once_and_only_for_strategic_objectives() {
    let plan = plan();
    let res = scored(&plan);
    let r = Report::build(&plan, &res);
    let node = |code: &str| r.objectives.iter().find(|o| o.objective.code == code).expect("objective");
    let s1 = node("S1");
    assert!(s1.scored_through_children);
    let children: Vec<&str> = s1.cascade.iter().map(|c| r.objectives[*c].objective.code.as_str()).collect();
    assert_eq!(children, ["O1", "O2"]);
    assert!(!node("S2").scored_through_children);
    // An operational objective without indicators is not a cascade: it is
    // scored on nothing.
    let o3 = node("O3");
    assert!(!o3.scored_through_children && o3.cascade.is_empty() && o3.indicators.is_empty());
    assert_eq!(o3.figure.status, Status::NonValutabile);
    // S1 = (0.9 × 60 + 1 × 40) / 100 = 0.94.
    assert_eq!(s1.figure.score, Some(d("0.94")));
}

#[test]
fn a_unit_lists_exactly_its_rows_grouped_under_the_strategic_objective() {
    let plan = plan();
    let res = scored(&plan);
    let r = Report::build(&plan, &res);
    assert_eq!(r.units.len(), 1);
    let u = &r.units[0];
    assert_eq!(u.name, "Struttura U");
    let codes: Vec<&str> = u.rows.iter().map(|row| r.indicators[row.indicator].indicator.code.as_str()).collect();
    assert_eq!(codes, ["I1", "I1b"], "O3 has no indicators, so no rows");
    assert_eq!(u.groups.len(), 1);
    let g = &u.groups[0].strategic[0];
    assert_eq!(r.objectives[g.objective].objective.code, "S1");
    // The objective cell is printed once, then left empty.
    assert_eq!(g.rows[0].objective_cell, "Obiettivo O1");
    assert_eq!(g.rows[1].objective_cell, "");
}

fn source<'a, 'p>(r: &'a Report<'p>, comments: &'a crate::render::comments::Written) -> Source<'a, 'p> {
    Source { report: r, title: "Prova", date: "31/01/2024".into(), logo: None, comments: Some(comments) }
}

#[test]
fn each_document_carries_its_data_and_the_annexes_no_results() {
    let plan = plan();
    let res = scored(&plan);
    let r = Report::build(&plan, &res);
    let comments = crate::render::comments::Written::default();
    let src = source(&r, &comments);

    let schede = SchedeDati::new(&src);
    let codes: Vec<&str> = schede.schede.iter().map(|o| o.codice.as_str()).collect();
    assert_eq!(codes, ["S1", "S2", "O1", "O2", "O3"], "strategic cards first");
    assert!(schede.schede[0].misurato_da_operativi);
    assert_eq!(schede.schede[0].cascata.len(), 2);
    assert!(matches!(schede.schede[4].livello, Livello::Operativo));
    assert!(!schede.schede[4].misurato_da_operativi, "an operational objective is never a cascade");
    assert!(schede.schede.iter().all(|o| o.risultato.is_none()), "the annexes print no results");

    let allegato = AllegatoDati::new(&src);
    assert_eq!(allegato.ambiti[0].obiettivi.len(), 2);
    assert!(allegato.ambiti[0].risultato.is_none());
    assert_eq!(allegato.strutture[0].gruppi[0].obiettivi[0].righe.len(), 2);

    let relazione = RelazioneDati::new(&src);
    let s1 = &relazione.ambiti[0].obiettivi[0];
    assert_eq!(s1.risultato.as_ref().map(|r| r.testo.as_str()), Some("94,0%"));
    assert_eq!(s1.cascata[0].risultato.as_ref().map(|r| r.testo.as_str()), Some("90,0%"));
    assert_eq!(relazione.sintesi.conteggi.iter().map(|c| c.numero).sum::<usize>(), 4);
}
