//! Compute stage: each indicator's degree of achievement (SAL) for the
//! reference year and the weighted aggregates per objective, area, unit,
//! person and for the whole entity. Exact decimals only; nothing is rounded
//! here (rounding happens at display).

mod aggregate;
mod sal;
#[cfg(test)]
pub(crate) mod testplan;
#[cfg(test)]
mod tests;

pub use sal::sal;

use crate::diag::Diagnostics;
use crate::model::{Basis, Expr, Level, Plan};
use aggregate::{Child, weighted_mean};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::HashMap;

/// The status of a result, printed in words beside every figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(description = "Lo stato di un risultato, deciso sul valore stampato.")]
pub enum Status {
    /// At or above Soglia raggiunto.
    #[schemars(description = "raggiunto: pari o sopra la soglia di raggiungimento")]
    Raggiunto,
    /// At or above Soglia parziale.
    #[schemars(description = "parziale: pari o sopra la soglia di raggiungimento parziale")]
    Parziale,
    /// Below Soglia parziale.
    #[schemars(description = "non_raggiunto: sotto la soglia parziale")]
    NonRaggiunto,
    /// Not scored (no target, neutralised, nothing scored below it).
    #[schemars(description = "non_valutabile: nessun target, neutralizzato o nulla di valutato sotto")]
    NonValutabile,
    /// A target is there but the actual value is missing.
    #[schemars(description = "dato_mancante: c'è un target ma manca il consuntivo")]
    DatoMancante,
}

impl Status {
    /// The Italian words for the status.
    pub fn label(self) -> &'static str {
        match self {
            Status::Raggiunto => "raggiunto",
            Status::Parziale => "parzialmente raggiunto",
            Status::NonRaggiunto => "non raggiunto",
            Status::NonValutabile => "non valutabile",
            Status::DatoMancante => "dato mancante",
        }
    }

    /// The symbol that carries the status in black and white.
    pub fn symbol(self) -> &'static str {
        match self {
            Status::Raggiunto => "●",
            Status::Parziale => "◐",
            Status::NonRaggiunto => "○",
            Status::NonValutabile => "–",
            Status::DatoMancante => "?",
        }
    }

    /// All statuses, in the order documents list them.
    pub const ALL: [Status; 5] =
        [Status::Raggiunto, Status::Parziale, Status::NonRaggiunto, Status::NonValutabile, Status::DatoMancante];
}

/// One indicator's result in the reference year.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorResult {
    /// The indicator's code.
    pub code: String,
    /// SAL as a fraction (1 = 100%), capped and floored; `None` when not
    /// scored.
    pub sal: Option<Decimal>,
    /// The status.
    pub status: Status,
    /// Why it was not scored, in Italian.
    pub reason: Option<String>,
}

/// The result of an objective, area, unit, person or the entity.
#[derive(Debug, Clone, Serialize)]
pub struct Aggregate {
    /// The code (or the person's name).
    pub code: String,
    /// Weighted mean of the scored children, as a fraction; `None` when no
    /// child was scored.
    pub score: Option<Decimal>,
    /// The status.
    pub status: Status,
    /// Children scored / children in all.
    pub scored: usize,
    /// Children in all.
    pub children: usize,
}

/// What a person is assessed on.
#[derive(Debug, Clone, Serialize)]
pub struct PersonResult {
    /// The person's name.
    pub name: String,
    /// The aggregate over the assigned items.
    pub total: Aggregate,
    /// Assigned objective codes (and indicator codes) in order.
    pub objectives: Vec<String>,
    /// Assigned single indicators.
    pub indicators: Vec<String>,
    /// The productivity figure over the assigned items marked
    /// `Produttività` = sì (the same mean as `total`); `None` when none is.
    pub productivity: Option<Aggregate>,
}

/// Every computed figure of a plan for its reference year.
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    /// The reference year.
    pub year: i32,
    /// Per indicator, in plan order.
    pub indicators: Vec<IndicatorResult>,
    /// Per objective, in plan order.
    pub objectives: Vec<Aggregate>,
    /// Per area, in plan order.
    pub areas: Vec<Aggregate>,
    /// Per unit, in plan order.
    pub units: Vec<Aggregate>,
    /// Per unit, in plan order, the productivity figure: the same weighted
    /// mean as the unit's, over only the items whose objective is marked
    /// `Produttività` = sì. Only units with at least one such item; empty
    /// when the plan marks none.
    pub productivity: Vec<Aggregate>,
    /// Per person.
    pub people: Vec<PersonResult>,
    /// The entity's synthetic index.
    pub entity: Aggregate,
    /// Positions of indicator and objective results by code.
    #[serde(skip)]
    index: (HashMap<String, usize>, HashMap<String, usize>),
}

impl Results {
    /// The result of the indicator with this code.
    pub fn indicator(&self, code: &str) -> Option<&IndicatorResult> {
        self.index.0.get(code).and_then(|n| self.indicators.get(*n))
    }

    /// The result of the objective with this code.
    pub fn objective(&self, code: &str) -> Option<&Aggregate> {
        self.index.1.get(code).and_then(|n| self.objectives.get(*n))
    }

    /// The result of the area with this code.
    pub fn area(&self, code: &str) -> Option<&Aggregate> {
        self.areas.iter().find(|r| r.code == code)
    }

    /// The result of the unit with this code.
    pub fn unit(&self, code: &str) -> Option<&Aggregate> {
        self.units.iter().find(|r| r.code == code)
    }

    /// The productivity figure of the unit with this code, when it has one.
    pub fn productivity_of(&self, code: &str) -> Option<&Aggregate> {
        self.productivity.iter().find(|r| r.code == code)
    }

    /// How many indicators have each status.
    pub fn counts(&self) -> Vec<(Status, usize)> {
        Status::ALL.iter().map(|s| (*s, self.indicators.iter().filter(|r| r.status == *s).count())).collect()
    }
}

/// Decimals of an indicator's SAL as the documents print it (`84%`): its
/// status is decided on the SAL rounded to this precision.
pub const SAL_DECIMALS: u32 = 0;

/// Decimals of an aggregate as the documents print it (`94,4%`): its status
/// is decided on the score rounded to this precision.
pub const AGGREGATE_DECIMALS: u32 = 1;

/// The status of a score under the plan's thresholds, decided on the score
/// as printed with `decimals` decimals, so that the status word always agrees
/// with the figure beside it: nothing printed «100,0%» is «parziale», nothing
/// printed «70,0%» falls below a 70% threshold.
pub fn status_of(score: Option<Decimal>, decimals: u32, plan: &Plan) -> Status {
    let settings = &plan.ente.settings;
    match score.map(|s| crate::fmt::percent_as_printed(s, decimals)) {
        None => Status::NonValutabile,
        Some(s) if s >= settings.achieved => Status::Raggiunto,
        Some(s) if s >= settings.partial => Status::Parziale,
        Some(_) => Status::NonRaggiunto,
    }
}

/// Scores a plan for its reference year. Weight warnings (totals far from
/// 100%) are added to `diags`.
pub fn score(plan: &Plan, diags: &mut Diagnostics) -> Results {
    let year = plan.ente.year;
    let indicators: Vec<IndicatorResult> = plan.indicators.iter().map(|i| indicator_result(plan, i, year)).collect();
    let ind_index: HashMap<&str, usize> =
        plan.indicators.iter().enumerate().map(|(n, i)| (i.code.as_str(), n)).collect();

    // Objectives: operational first (they feed the cascade), then strategic.
    let mut obj_scores: HashMap<String, Aggregate> = HashMap::new();
    for level in [Level::Operativo, Level::Strategico] {
        for o in plan.objectives.iter().filter(|o| o.level == level) {
            let children: Vec<Child> = match plan.basis(o) {
                Basis::Indicators(own) => own
                    .iter()
                    .map(|i| Child {
                        score: ind_index.get(i.code.as_str()).and_then(|n| indicators[*n].sal),
                        weight: i.weight.clone(),
                    })
                    .collect(),
                Basis::Objectives(children) => children
                    .iter()
                    .map(|c| Child { score: obj_scores.get(&c.code).and_then(|a| a.score), weight: c.weight.clone() })
                    .collect(),
            };
            let agg =
                weighted_mean(&o.code, &children, plan, diags, &format!("indicatori dell'obiettivo «{}»", o.code));
            obj_scores.insert(o.code.clone(), agg);
        }
    }
    let objectives: Vec<Aggregate> = plan.objectives.iter().filter_map(|o| obj_scores.get(&o.code).cloned()).collect();

    let areas: Vec<Aggregate> = plan
        .areas
        .iter()
        .map(|a| {
            let children: Vec<Child> = plan
                .strategic_of_area(&a.code)
                .map(|o| Child { score: obj_scores.get(&o.code).and_then(|x| x.score), weight: o.weight.clone() })
                .collect();
            weighted_mean(&a.code, &children, plan, diags, &format!("obiettivi strategici dell'ambito «{}»", a.code))
        })
        .collect();
    let area_children: Vec<Child> =
        plan.areas.iter().zip(&areas).map(|(a, r)| Child { score: r.score, weight: a.weight.clone() }).collect();
    let entity = weighted_mean(&plan.ente.name, &area_children, plan, diags, "ambiti dell'ente");

    let item_child = |objective: Option<&str>, indicator: Option<&str>, weight| match (objective, indicator) {
        (Some(o), _) => Child { score: obj_scores.get(o).and_then(|x| x.score), weight },
        (None, Some(i)) => Child { score: ind_index.get(i).and_then(|n| indicators[*n].sal), weight },
        _ => Child { score: None, weight },
    };

    let units: Vec<Aggregate> = plan
        .units
        .iter()
        .map(|u| {
            let children: Vec<Child> =
                unit_items(plan, &u.code).into_iter().map(|(o, i, w)| item_child(o, i, w)).collect();
            weighted_mean(&u.code, &children, plan, diags, &format!("obiettivi assegnati alla struttura «{}»", u.code))
        })
        .collect();

    let productivity: Vec<Aggregate> = plan
        .units
        .iter()
        .filter_map(|u| productivity_of(plan, &u.code, &unit_items(plan, &u.code), &item_child))
        .collect();

    let people = people(plan, diags, &item_child);
    let by_code = |codes: Vec<&String>| {
        codes.into_iter().enumerate().map(|(n, c)| (c.clone(), n)).rev().collect::<HashMap<String, usize>>()
    };
    let index =
        (by_code(indicators.iter().map(|r| &r.code).collect()), by_code(objectives.iter().map(|r| &r.code).collect()));
    Results { year, indicators, objectives, areas, units, productivity, people, entity, index }
}

fn people(plan: &Plan, diags: &mut Diagnostics, item_child: &ItemChild) -> Vec<PersonResult> {
    let mut names: Vec<&str> = Vec::new();
    for a in &plan.assignments {
        if !plan.units.iter().any(|u| u.code == a.subject) && !names.contains(&a.subject.as_str()) {
            names.push(&a.subject);
        }
    }
    if names.is_empty() {
        // Nobody is named in Assegnazioni: each unit's head answers for what
        // the unit answers for, with the unit's weights (its assignments, or
        // its objectives with equal weights).
        return plan
            .units
            .iter()
            .filter_map(|u| {
                let head = u.head.as_ref()?;
                let items = unit_items(plan, &u.code);
                if items.is_empty() {
                    return None;
                }
                let children: Vec<Child> = items.iter().map(|(o, i, w)| item_child(*o, *i, w.clone())).collect();
                // The weight warnings were given once, for the unit.
                let total = weighted_mean(head, &children, plan, &mut Diagnostics::new(), "");
                let productivity = productivity_of(plan, head, &items, item_child);
                let objectives = items.iter().filter_map(|(o, _, _)| o.map(str::to_string)).collect();
                let indicators = items
                    .iter()
                    .filter(|(o, _, _)| o.is_none())
                    .filter_map(|(_, i, _)| i.map(str::to_string))
                    .collect();
                Some(PersonResult { name: head.clone(), total, objectives, indicators, productivity })
            })
            .collect();
    }
    names
        .into_iter()
        .map(|name| {
            let items: Vec<&crate::model::Assignment> = plan.assignments.iter().filter(|a| a.subject == name).collect();
            let children: Vec<Child> = items
                .iter()
                .map(|a| item_child(a.objective.as_deref(), a.indicator.as_deref(), a.weight.clone()))
                .collect();
            let total = weighted_mean(name, &children, plan, diags, &format!("obiettivi assegnati a «{name}»"));
            let assigned: Vec<Item> =
                items.iter().map(|a| (a.objective.as_deref(), a.indicator.as_deref(), a.weight.clone())).collect();
            PersonResult {
                name: name.to_string(),
                total,
                productivity: productivity_of(plan, name, &assigned, item_child),
                objectives: items.iter().filter_map(|a| a.objective.clone()).collect(),
                indicators: items
                    .iter()
                    .filter(|a| a.objective.is_none())
                    .filter_map(|a| a.indicator.clone())
                    .collect(),
            }
        })
        .collect()
}

/// Turns an item (objective, indicator, weight) into a child of a mean.
type ItemChild<'a> = dyn Fn(Option<&str>, Option<&str>, Option<crate::model::Weight>) -> Child + 'a;

/// One item a unit or person answers for: (objective, indicator, weight).
pub type Item<'p> = (Option<&'p str>, Option<&'p str>, Option<crate::model::Weight>);

/// What a unit answers for: its rows of Assegnazioni when it has any, else
/// its own objectives with equal weights. The documents list the same items.
pub fn unit_items<'p>(plan: &'p Plan, unit: &str) -> Vec<Item<'p>> {
    let assigned: Vec<_> = plan
        .assignments
        .iter()
        .filter(|a| a.subject == unit)
        .map(|a| (a.objective.as_deref(), a.indicator.as_deref(), a.weight.clone()))
        .collect();
    if !assigned.is_empty() {
        return assigned;
    }
    plan.objectives
        .iter()
        .filter(|o| o.unit.as_deref() == Some(unit))
        .map(|o| (Some(o.code.as_str()), None, None))
        .collect()
}

/// The productivity figure of a unit or person over its `items`: the same
/// weighted mean, restricted to the items marked `Produttività`; `None`
/// when none is. A subset of the weights does not total 100%: the full
/// total was checked for the unit or person, so nothing is warned here.
fn productivity_of(plan: &Plan, code: &str, items: &[Item], item_child: &ItemChild) -> Option<Aggregate> {
    let children: Vec<Child> = items
        .iter()
        .filter(|(o, i, _)| counts_for_productivity(plan, *o, *i))
        .map(|(o, i, w)| item_child(*o, *i, w.clone()))
        .collect();
    (!children.is_empty()).then(|| weighted_mean(code, &children, plan, &mut Diagnostics::new(), ""))
}

/// Whether a unit's item feeds its productivity figure: its objective (an
/// assigned indicator's own objective) is marked `Produttività` = sì.
pub fn counts_for_productivity(plan: &Plan, objective: Option<&str>, indicator: Option<&str>) -> bool {
    let code = objective.or_else(|| indicator.and_then(|i| plan.indicator(i)).map(|i| i.objective.as_str()));
    code.and_then(|c| plan.objective(c)).is_some_and(|o| o.productivity == Some(true))
}

fn indicator_result(plan: &Plan, ind: &crate::model::Indicator, year: i32) -> IndicatorResult {
    let result = |sal: Option<Decimal>, status: Status, reason: Option<String>| IndicatorResult {
        code: ind.code.clone(),
        sal,
        status,
        reason,
    };
    let target: Option<&Expr> = ind.targets.get(&year);
    let actual = ind.actuals.get(&year);
    if let Some(a) = actual
        && a.neutralised
    {
        let why = a.note.clone().map_or("neutralizzato".to_string(), |n| format!("neutralizzato: {n}"));
        return result(None, Status::NonValutabile, Some(why));
    }
    let Some(target) = target.filter(|t| t.is_scorable()) else {
        let reason = match target.map(|t| &t.value) {
            Some(crate::model::Value::MeasureOnly) => "solo misurazione (anno di rilevazione)".to_string(),
            _ => format!("nessun target per il {year}"),
        };
        return result(None, Status::NonValutabile, Some(reason));
    };
    let Some(actual) = actual.filter(|a| a.value.is_scorable()) else {
        return result(None, Status::DatoMancante, Some("dato mancante".into()));
    };
    match sal(target, &actual.value, ind.baseline.as_ref(), &plan.ente.settings) {
        Ok(s) => result(Some(s), status_of(Some(s), SAL_DECIMALS, plan), None),
        Err(why) => result(None, Status::NonValutabile, Some(why)),
    }
}
