//! Properties of the aggregates over plans built in memory: children all at
//! 100% give exactly 100% and children all at one score s give exactly s, for
//! any weights and child counts, at every level (objective, cascade, area,
//! entity, unit, person).

use super::aggregate::{mean, ratio};
use super::testplan::PlanBuilder;
use super::{Results, Status, score};
use crate::diag::Diagnostics;
use crate::model::WeightScale;
use proptest::prelude::*;
use rust_decimal::Decimal;

/// The weights of one parent's children: all written or none.
type Weights = Option<Vec<Decimal>>;

#[derive(Debug, Clone)]
enum Strategic {
    /// Indicators of its own, with their weights.
    Own(Weights, usize),
    /// Operational objectives (the cascade): their weights and each one's
    /// indicators.
    Cascade(Weights, Vec<(Weights, usize)>),
}

#[derive(Debug, Clone)]
struct Shape {
    area_weights: Weights,
    /// Per area: the weights of its strategic objectives and each one's shape.
    areas: Vec<(Weights, Vec<Strategic>)>,
    units: usize,
    people: usize,
    /// Objectives assigned through `Assegnazioni` (with these weights,
    /// cycled) rather than through each objective's unit.
    assignment_weights: Weights,
}

fn weight() -> impl Strategy<Value = Decimal> {
    (1i64..=100_000, 0u32..=4).prop_map(|(m, scale)| Decimal::new(m, scale))
}

fn weights(n: usize) -> impl Strategy<Value = Weights> {
    prop_oneof![
        Just(None),
        proptest::collection::vec(weight(), n).prop_map(Some),
        // Equal weights written with the rounding plans use (33,33 or 14,29).
        weight().prop_map(move |w| Some(vec![w; n])),
    ]
}

fn children(max: usize) -> impl Strategy<Value = (Weights, usize)> {
    (1..=max).prop_flat_map(|n| (weights(n), Just(n)))
}

fn strategic() -> impl Strategy<Value = Strategic> {
    prop_oneof![
        children(8).prop_map(|(w, n)| Strategic::Own(w, n)),
        (1usize..=4)
            .prop_flat_map(|n| (weights(n), proptest::collection::vec(children(5), n)))
            .prop_map(|(w, ops)| Strategic::Cascade(w, ops)),
    ]
}

fn shape() -> impl Strategy<Value = Shape> {
    (1usize..=3)
        .prop_flat_map(|n| {
            (
                weights(n),
                proptest::collection::vec(
                    (1usize..=3).prop_flat_map(|k| (weights(k), proptest::collection::vec(strategic(), k))),
                    n,
                ),
                1usize..=3,
                0usize..=3,
                weights(7),
            )
        })
        .prop_map(|(area_weights, areas, units, people, assignment_weights)| Shape {
            area_weights,
            areas,
            units,
            people,
            assignment_weights,
        })
}

fn nth(w: &Weights, n: usize, scale: WeightScale) -> Option<(Decimal, WeightScale)> {
    w.as_ref().and_then(|v| v.get(n % v.len().max(1))).map(|d| (*d, scale))
}

/// A plan of this shape whose every indicator has SAL `sal`.
fn plan_of(shape: &Shape, sal: Decimal) -> crate::model::Plan {
    let mut b = PlanBuilder::new();
    let units: Vec<String> = (0..shape.units).map(|u| format!("U{u}")).collect();
    for (u, code) in units.iter().enumerate() {
        b.unit(code, &format!("Dirigente {u}"));
    }
    let mut objectives: Vec<String> = Vec::new();
    let mut ind = 0;
    for (a, (obj_weights, strategics)) in shape.areas.iter().enumerate() {
        let area = format!("A{a}");
        b.area(&area, nth(&shape.area_weights, a, WeightScale::Points));
        for (s, st) in strategics.iter().enumerate() {
            let code = format!("A{a}S{s}");
            let unit = &units[objectives.len() % units.len()];
            b.objective(&code, Some(&area), None, Some(unit), nth(obj_weights, s, WeightScale::Fraction));
            objectives.push(code.clone());
            match st {
                Strategic::Own(w, n) => {
                    for k in 0..*n {
                        ind += 1;
                        b.indicator(&format!("I{ind}"), &code, sal, nth(w, k, WeightScale::Points));
                    }
                }
                Strategic::Cascade(w, ops) => {
                    for (o, (iw, n)) in ops.iter().enumerate() {
                        let op = format!("{code}O{o}");
                        let unit = &units[objectives.len() % units.len()];
                        b.objective(&op, None, Some(&code), Some(unit), nth(w, o, WeightScale::Fraction));
                        objectives.push(op.clone());
                        for k in 0..*n {
                            ind += 1;
                            b.indicator(&format!("I{ind}"), &op, sal, nth(iw, k, WeightScale::Points));
                        }
                    }
                }
            }
        }
    }
    if shape.people > 0 {
        for (n, o) in objectives.iter().enumerate() {
            let person = format!("Persona {}", n % shape.people);
            b.assign(&person, o, nth(&shape.assignment_weights, n, WeightScale::Points));
            let unit = &units[n % units.len()];
            b.assign(unit, o, nth(&shape.assignment_weights, n + 1, WeightScale::Points));
        }
    }
    b.build()
}

/// Every aggregate that has children, with its level's name.
fn aggregates(r: &Results) -> Vec<(&'static str, &super::Aggregate)> {
    let mut all: Vec<(&'static str, &super::Aggregate)> = Vec::new();
    all.extend(r.objectives.iter().map(|a| ("obiettivo", a)));
    all.extend(r.areas.iter().map(|a| ("ambito", a)));
    all.extend(r.units.iter().map(|a| ("struttura", a)));
    all.extend(r.people.iter().map(|p| ("persona", &p.total)));
    all.push(("ente", &r.entity));
    all.into_iter().filter(|(_, a)| a.children > 0).collect()
}

fn a_score() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        // A quotient such as 2/3, at 28 digits.
        (1i64..=1000).prop_flat_map(|q| (0..=q, Just(q))).prop_map(|(p, q)| Decimal::from(p) / Decimal::from(q)),
        // A short decimal such as 0,944.
        (0i64..=10_000).prop_map(|m| Decimal::new(m, 4)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn children_all_at_100_give_exactly_100_at_every_level(shape in shape()) {
        let plan = plan_of(&shape, Decimal::ONE);
        let results = score(&plan, &mut Diagnostics::new());
        let all = aggregates(&results);
        prop_assert!(all.iter().any(|(what, _)| *what == "ente"));
        for (what, a) in all {
            prop_assert_eq!(a.score, Some(Decimal::ONE), "{} {}", what, a.code);
            prop_assert_eq!(a.status, Status::Raggiunto, "{} {}", what, a.code);
        }
    }

    #[test]
    fn children_all_at_one_score_give_exactly_that_score(shape in shape(), s in a_score()) {
        let plan = plan_of(&shape, s);
        let results = score(&plan, &mut Diagnostics::new());
        for (what, a) in aggregates(&results) {
            prop_assert_eq!(a.score, Some(s), "{} {}", what, a.code);
        }
    }

    /// The division itself, without the equal-scores shortcut of `mean`.
    #[test]
    fn full_scores_divided_once_are_exactly_full(ws in proptest::collection::vec(weight(), 1..15)) {
        let pairs: Vec<(Decimal, Decimal)> = ws.iter().map(|w| (Decimal::ONE, *w)).collect();
        let total: Decimal = ws.iter().sum();
        prop_assert_eq!(ratio(&pairs, total), Some(Decimal::ONE));
    }

    #[test]
    fn a_weighted_mean_lies_between_its_children(
        pairs in proptest::collection::vec((a_score(), weight()), 1..12)
    ) {
        let m = mean(&pairs).expect("positive weights");
        let lo = pairs.iter().map(|p| p.0).min().expect("non-empty");
        let hi = pairs.iter().map(|p| p.0).max().expect("non-empty");
        prop_assert!(m >= lo && m <= hi, "{} not in [{}, {}]", m, lo, hi);
    }
}

fn dec(s: &str) -> Decimal {
    s.parse().expect("test literal")
}

#[test]
fn full_scores_are_exactly_full_under_the_weights_plans_write() {
    let cases: Vec<Vec<Decimal>> = vec![
        vec![Decimal::ONE; 3],
        vec![Decimal::ONE; 7],
        vec![dec("33.33"), dec("33.33"), dec("33.34")],
        vec![dec("0.143"); 7],
        vec![dec("14.28"), dec("14.28"), dec("14.29"), dec("14.29"), dec("14.29"), dec("14.29"), dec("14.28")],
        vec![dec("0.333"); 3],
    ];
    for weights in cases {
        let pairs: Vec<(Decimal, Decimal)> = weights.iter().map(|w| (Decimal::ONE, *w)).collect();
        assert_eq!(mean(&pairs), Some(Decimal::ONE), "{weights:?}");
        let total: Decimal = weights.iter().sum();
        assert_eq!(ratio(&pairs, total), Some(Decimal::ONE), "{weights:?}");
        // Equal weights written as exact thirds or sevenths of 100.
        let n = Decimal::from(weights.len());
        let share = Decimal::ONE_HUNDRED / n;
        let pairs: Vec<(Decimal, Decimal)> = weights.iter().map(|_| (Decimal::ONE, share)).collect();
        assert_eq!(mean(&pairs), Some(Decimal::ONE), "{n} × {share}");
        let total: Decimal = pairs.iter().map(|p| p.1).sum();
        assert_eq!(ratio(&pairs, total), Some(Decimal::ONE), "{n} × {share}");
    }
}

#[test]
fn one_division_at_the_end() {
    // (1 × 1 + 0,5 × 3) / 4 = 0,625 exactly.
    assert_eq!(mean(&[(Decimal::ONE, Decimal::ONE), (dec("0.5"), dec("3"))]), Some(dec("0.625")));
    // Three thirds at 100, 100, 83,3: (100 + 100 + 83,3) / 3 with one division.
    let third = Decimal::ONE / Decimal::from(3);
    let m = mean(&[(Decimal::ONE, third), (Decimal::ONE, third), (dec("0.833"), third)]).expect("scored");
    assert_eq!(crate::fmt::percent(m, 1), "94,4%");
    // Weights summing to zero leave nothing to average.
    assert_eq!(mean(&[(Decimal::ONE, Decimal::ZERO)]), None);
    // A zero-weighted child does not count, whatever its score.
    assert_eq!(mean(&[(Decimal::ONE, Decimal::ONE), (Decimal::ZERO, Decimal::ZERO)]), Some(Decimal::ONE));
}

#[test]
fn status_is_decided_on_the_printed_figure() {
    let plan = PlanBuilder::new().build();
    let status = |s: &str, d| super::status_of(Some(dec(s)), d, &plan);
    // 99,96% prints «100,0%»: raggiunto, not parziale.
    assert_eq!(status("0.9996", 1), Status::Raggiunto);
    assert_eq!(status("0.99949", 1), Status::Parziale);
    // 69,95% prints «70,0%»: at the 70% threshold.
    assert_eq!(status("0.6995", 1), Status::Parziale);
    assert_eq!(status("0.69949", 1), Status::NonRaggiunto);
    // An indicator prints no decimals: 99,5% is «100%».
    assert_eq!(status("0.995", 0), Status::Raggiunto);
    assert_eq!(status("0.9949", 0), Status::Parziale);
    assert_eq!(super::status_of(None, 1, &plan), Status::NonValutabile);
}

#[test]
fn an_objective_just_below_100_prints_and_reads_raggiunto() {
    // Three indicators at 100%, 100%, 99,9%: the objective is 99,966…%,
    // printed «100,0%» and raggiunto.
    let mut b = PlanBuilder::new();
    b.area("A", None).objective("S", Some("A"), None, None, None);
    b.indicator("I1", "S", Decimal::ONE, None).indicator("I2", "S", Decimal::ONE, None).indicator(
        "I3",
        "S",
        dec("0.999"),
        None,
    );
    let results = score(&b.build(), &mut Diagnostics::new());
    let o = results.objective("S").expect("scored");
    assert_eq!(crate::fmt::percent(o.score.expect("scored"), 1), "100,0%");
    assert_eq!(o.status, Status::Raggiunto);
}

#[test]
fn weight_warnings_use_one_unit() {
    let mut b = PlanBuilder::new();
    b.area("A", None).objective("S", Some("A"), None, None, None).objective("T", Some("A"), None, None, None);
    let f = |s: &str| Some((dec(s), WeightScale::Fraction));
    let p = |s: &str| Some((dec(s), WeightScale::Points));
    b.indicator("I1", "S", Decimal::ONE, f("0.2")).indicator("I2", "S", Decimal::ONE, f("0.2"));
    b.indicator("I3", "T", Decimal::ONE, p("20")).indicator("I4", "T", Decimal::ONE, p("20"));
    let mut diags = Diagnostics::new();
    score(&b.build(), &mut diags);
    let messages: Vec<String> = diags.sorted().iter().map(|d| d.message.clone()).collect();
    assert!(messages.iter().any(|m| m.contains("«S» sommano a 40% invece di 100%")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("«T» sommano a 40 invece di 100 (")), "{messages:?}");
    // Seven weights of 14,3% are within half a point of 100%: no warning.
    let mut b = PlanBuilder::new();
    b.area("A", None).objective("S", Some("A"), None, None, None);
    for n in 0..7 {
        b.indicator(&format!("I{n}"), "S", Decimal::ONE, f("0.143"));
    }
    let mut diags = Diagnostics::new();
    score(&b.build(), &mut diags);
    assert!(diags.sorted().is_empty());
}

/// Written weights that total 100 with one child unweighted: the warning
/// says that one is unweighted, not «sommano a 100 invece di 100».
#[test]
fn an_unweighted_child_beside_weights_that_total_100_is_said_as_such() {
    let mut b = PlanBuilder::new();
    b.area("A", None).objective("S", Some("A"), None, None, None);
    let p = |s: &str| Some((dec(s), WeightScale::Points));
    b.indicator("I1", "S", Decimal::ONE, p("60")).indicator("I2", "S", Decimal::ONE, p("40"));
    b.indicator("I3", "S", Decimal::ONE, None);
    let mut diags = Diagnostics::new();
    score(&b.build(), &mut diags);
    let messages: Vec<String> = diags.sorted().iter().map(|d| d.message.clone()).collect();
    assert!(
        messages.iter().any(|m| m.starts_with("degli indicatori dell'obiettivo «S», 1 è senza peso e conta come 0")
            && m.ends_with("sommano a 100)")),
        "{messages:?}"
    );
    assert!(!messages.iter().any(|m| m.contains("invece di")), "{messages:?}");
}

/// «Produttività» selects the items of a unit that feed its productivity
/// figure: the unit's own weighted mean over only those items, one division
/// at the end, no warning because the subset's weights do not total 100.
#[test]
fn the_productivity_figure_is_the_units_mean_over_its_flagged_items() {
    let p = |s: &str| Some((dec(s), WeightScale::Points));
    let mut b = PlanBuilder::new();
    b.area("A", None).objective("S", Some("A"), None, None, None);
    b.objective("O1", None, Some("S"), None, None).productivity(true);
    b.objective("O2", None, Some("S"), None, None).productivity(false);
    b.objective("O3", None, Some("S"), None, None).productivity(true);
    b.objective("O4", None, Some("S"), Some("V"), None);
    b.objective("O5", None, Some("S"), None, None).productivity(true);
    b.indicator("I1", "O1", Decimal::ONE, None).indicator("I2", "O2", dec("0.5"), None);
    b.indicator("I3", "O3", dec("0.4"), None).indicator("I4", "O4", dec("0.9"), None);
    b.indicator("I5", "O5", dec("0.6"), None).indicator("I6", "O5", Decimal::ONE, None);
    b.unit("U", "Rossi").unit("V", "Bianchi").unit("W", "Verdi");
    b.assign("U", "O1", p("50")).assign("U", "O2", p("30")).assign("U", "O3", p("20"));
    // W answers for one indicator of O5: O5's flag decides.
    b.assign("W", "O2", p("60")).assign_indicator("W", "I5", p("40"));
    b.assign("Mario Rossi", "O2", p("60")).assign("Mario Rossi", "O3", p("40"));
    let mut diags = Diagnostics::new();
    let results = score(&b.build(), &mut diags);
    let u = results.unit("U").expect("scored");
    assert_eq!(u.score, Some(dec("0.73")));
    let prod = results.productivity_of("U").expect("U has flagged objectives");
    assert_eq!(prod.score, Some(dec("58") / dec("70")));
    assert_eq!((prod.scored, prod.children), (2, 2));
    assert_eq!(crate::fmt::percent(prod.score.expect("scored"), 1), "82,9%");
    // V's only objective is not flagged: no productivity figure.
    assert_eq!(results.unit("V").and_then(|v| v.score), Some(dec("0.9")));
    assert!(results.productivity_of("V").is_none());
    assert_eq!(results.productivity_of("W").and_then(|w| w.score), Some(dec("0.6")));
    assert_eq!(results.productivity.iter().map(|a| a.code.as_str()).collect::<Vec<_>>(), vec!["U", "W"]);
    let person = results.people.iter().find(|x| x.name == "Mario Rossi").expect("assessed");
    assert_eq!(person.total.score, Some(dec("0.46")));
    assert_eq!(person.productivity.as_ref().and_then(|a| a.score), Some(dec("0.4")));
    let messages: Vec<String> = diags.sorted().iter().map(|d| d.message.clone()).collect();
    assert!(messages.is_empty(), "{messages:?}");
}

/// A plan that flags nothing has no productivity figures, and the flags
/// change no other figure.
#[test]
fn without_flags_there_is_no_productivity_and_flags_change_no_other_figure() {
    let build = |flags: bool| {
        let mut b = PlanBuilder::new();
        b.area("A", None).objective("S", Some("A"), None, None, None);
        b.objective("O1", None, Some("S"), Some("U"), None);
        if flags {
            b.productivity(true).tree(true);
        }
        b.objective("O2", None, Some("S"), Some("U"), None);
        b.indicator("I1", "O1", dec("0.8"), None).indicator("I2", "O2", dec("0.5"), None);
        b.unit("U", "Rossi");
        let plan = b.build();
        let results = score(&plan, &mut Diagnostics::new());
        (plan, results)
    };
    let (plain, without) = build(false);
    assert!(without.productivity.is_empty() && !plain.has_productivity());
    assert_eq!(plain.tree_children("S").count(), 0);
    let (flagged, with) = build(true);
    assert_eq!(with.productivity_of("U").and_then(|a| a.score), Some(dec("0.8")));
    assert_eq!(flagged.tree_children("S").map(|o| o.code.as_str()).collect::<Vec<_>>(), vec!["O1"]);
    let scores =
        |r: &Results| (r.entity.score, r.units[0].score, r.objectives.iter().map(|o| o.score).collect::<Vec<_>>());
    assert_eq!(scores(&without), scores(&with));
}
