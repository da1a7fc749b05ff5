//! Report stage: the plan and its results as one typed tree, computed once
//! (areas → strategic objectives → indicators, the cards, units and people
//! with the rows they answer for, the not-scored list). Every output is a
//! projection of it: the data of each typst layout, `results.json`, the
//! xlsx sheets and the comments. Relations come from the plan's index
//! ([`crate::model::PlanIndex`]) and the cascade from [`Plan::basis`]; nodes
//! refer to each other by position.

mod subjects;
#[cfg(test)]
mod tests;

pub use subjects::{AreaGroup, Row, StrategicGroup, SubjectNode};

use crate::model::{Actual, Area, Basis, Indicator, Level, Objective, Plan, Unit};
use crate::score::{Aggregate, IndicatorResult, Results, Status};
use rust_decimal::Decimal;

/// A computed figure and the status decided on it as printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Figure {
    /// The score as a fraction (1 = 100%); `None` when nothing was scored.
    pub score: Option<Decimal>,
    /// The status.
    pub status: Status,
}

impl Figure {
    /// The figure of an aggregate (not valutabile when absent).
    pub fn of(agg: Option<&Aggregate>) -> Figure {
        Figure { score: agg.and_then(|a| a.score), status: agg.map_or(Status::NonValutabile, |a| a.status) }
    }
}

/// One indicator with its result and its actual value for the year.
#[derive(Debug, Clone)]
pub struct IndicatorNode<'p> {
    /// The indicator.
    pub indicator: &'p Indicator,
    /// Its result (every indicator of a scored plan has one).
    pub result: Option<&'p IndicatorResult>,
    /// Its actual value for the reference year.
    pub actual: Option<&'p Actual>,
    /// Position of its objective in [`Report::objectives`].
    pub objective: Option<usize>,
}

impl IndicatorNode<'_> {
    /// The SAL and its status.
    pub fn figure(&self) -> Figure {
        Figure {
            score: self.result.and_then(|r| r.sal),
            status: self.result.map_or(Status::NonValutabile, |r| r.status),
        }
    }
}

/// One objective with its figure and what it is scored on.
#[derive(Debug, Clone)]
pub struct ObjectiveNode<'p> {
    /// The objective.
    pub objective: &'p Objective,
    /// Its figure.
    pub figure: Figure,
    /// Positions of its own indicators in [`Report::indicators`].
    pub indicators: Vec<usize>,
    /// Positions of the operational objectives it is scored through (the
    /// cascade; empty unless it has no indicators of its own).
    pub cascade: Vec<usize>,
    /// True when it is scored through its operational objectives (the
    /// cascade: a strategic objective without indicators of its own).
    pub scored_through_children: bool,
    /// Positions of its operational objectives (whether or not it is scored
    /// through them).
    pub children: Vec<usize>,
    /// Its area.
    pub area: Option<&'p Area>,
    /// Its strategic objective (for an operational one).
    pub parent: Option<usize>,
    /// Its unit.
    pub unit: Option<&'p Unit>,
}

impl ObjectiveNode<'_> {
    /// True for a strategic objective.
    pub fn is_strategic(&self) -> bool {
        self.objective.level == Level::Strategico
    }
}

/// One area with its figure and its strategic objectives.
#[derive(Debug, Clone)]
pub struct AreaNode<'p> {
    /// The area.
    pub area: &'p Area,
    /// Its figure.
    pub figure: Figure,
    /// Positions of its strategic objectives in [`Report::objectives`].
    pub objectives: Vec<usize>,
}

/// The whole report of one plan for its reference year.
#[derive(Debug, Clone)]
pub struct Report<'p> {
    /// The plan.
    pub plan: &'p Plan,
    /// Its results.
    pub results: &'p Results,
    /// Whether the plan has actual values for the year (a Relazione exists).
    pub has_actuals: bool,
    /// The entity's figure.
    pub entity: Figure,
    /// Areas in plan order.
    pub areas: Vec<AreaNode<'p>>,
    /// Objectives in plan order.
    pub objectives: Vec<ObjectiveNode<'p>>,
    /// Indicators in plan order.
    pub indicators: Vec<IndicatorNode<'p>>,
    /// Units that answer for something, in plan order.
    pub units: Vec<SubjectNode<'p>>,
    /// People assessed, in the order of the results.
    pub people: Vec<SubjectNode<'p>>,
    /// Positions of the indicators with no SAL.
    pub not_scored: Vec<usize>,
    /// How many indicators have each status, in [`Status::ALL`] order.
    pub counts: Vec<(Status, usize)>,
    /// The years documents print targets for ([`Plan::years`], computed
    /// once: every indicator row asks for them).
    pub years: Vec<i32>,
}

impl<'p> Report<'p> {
    /// Builds the report tree of a scored plan.
    pub fn build(plan: &'p Plan, results: &'p Results) -> Report<'p> {
        let year = plan.ente.year;
        let indicators: Vec<IndicatorNode> = plan
            .indicators
            .iter()
            .map(|i| IndicatorNode {
                indicator: i,
                result: results.indicator(&i.code),
                actual: i.actuals.get(&year),
                objective: plan.objective_position(&i.objective),
            })
            .collect();
        let positions = |list: Vec<&Objective>| -> Vec<usize> {
            list.iter().filter_map(|o| plan.objective_position(&o.code)).collect()
        };
        let objectives: Vec<ObjectiveNode> = plan
            .objectives
            .iter()
            .map(|o| {
                let own: Vec<usize> = plan.indicators_of(&o.code).map(|(n, _)| n).collect();
                let basis = plan.basis(o);
                let scored_through_children = basis.is_cascade();
                let cascade = match basis {
                    Basis::Objectives(children) => positions(children),
                    Basis::Indicators(_) => Vec::new(),
                };
                ObjectiveNode {
                    objective: o,
                    figure: Figure::of(results.objective(&o.code)),
                    indicators: own,
                    cascade,
                    scored_through_children,
                    children: positions(plan.children_of(&o.code).collect()),
                    area: o.area.as_ref().and_then(|a| plan.areas.iter().find(|x| &x.code == a)),
                    parent: o.parent.as_ref().and_then(|p| plan.objective_position(p)),
                    unit: o.unit.as_ref().and_then(|u| plan.units.iter().find(|x| &x.code == u)),
                }
            })
            .collect();
        let areas = plan
            .areas
            .iter()
            .map(|a| AreaNode {
                area: a,
                figure: Figure::of(results.area(&a.code)),
                objectives: positions(plan.strategic_of_area(&a.code).collect()),
            })
            .collect();
        let not_scored = indicators
            .iter()
            .enumerate()
            .filter(|(_, n)| n.result.is_some_and(|r| r.sal.is_none()))
            .map(|(k, _)| k)
            .collect();
        let mut report = Report {
            plan,
            results,
            has_actuals: plan.has_actuals(),
            entity: Figure::of(Some(&results.entity)),
            areas,
            objectives,
            indicators,
            units: Vec::new(),
            people: Vec::new(),
            not_scored,
            counts: results.counts(),
            years: plan.years(),
        };
        report.units = subjects::units(&report);
        report.people = subjects::people(&report);
        report
    }

    /// The strategic objectives of the plan, in plan order.
    pub fn strategic(&self) -> impl Iterator<Item = &ObjectiveNode<'p>> {
        self.objectives.iter().filter(|o| o.is_strategic())
    }

    /// The cards in the order the Schede print them: strategic objectives,
    /// then operational ones.
    pub fn cards(&self) -> impl Iterator<Item = &ObjectiveNode<'p>> {
        self.strategic().chain(self.objectives.iter().filter(|o| !o.is_strategic()))
    }

    /// The years documents print targets for.
    pub fn years(&self) -> &[i32] {
        &self.years
    }
}
