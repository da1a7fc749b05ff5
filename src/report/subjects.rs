//! Units and people in the report: exactly the items each is scored on
//! (its Assegnazioni rows with their weights, else its objectives; see
//! [`crate::score::unit_items`]), as indicator rows grouped by area and
//! strategic objective, the way the published tables show them.

use super::{Figure, Report};
use crate::model::{Unit, Weight};
use crate::score::{Item, unit_items};

/// A unit or a person with the rows it answers for.
#[derive(Debug, Clone)]
pub struct SubjectNode<'p> {
    /// The unit's name or the person's name.
    pub name: &'p str,
    /// The unit (for a person: the unit they head, if any).
    pub unit: Option<&'p Unit>,
    /// The weighted figure over the subject's items.
    pub figure: Figure,
    /// The rows, by area and strategic objective (empty for people when the
    /// plan has no Assegnazioni: the units' sections already list them).
    pub groups: Vec<AreaGroup<'p>>,
    /// The same rows in the order of the subject's items, including those
    /// of objectives outside any area (the xlsx lists them so).
    pub rows: Vec<Row<'p>>,
}

/// The rows of one area.
#[derive(Debug, Clone)]
pub struct AreaGroup<'p> {
    /// Position of the area in [`Report::areas`].
    pub area: usize,
    /// The strategic objectives with rows, in plan order.
    pub strategic: Vec<StrategicGroup<'p>>,
}

/// The rows under one strategic objective.
#[derive(Debug, Clone)]
pub struct StrategicGroup<'p> {
    /// Position of the strategic objective in [`Report::objectives`].
    pub objective: usize,
    /// One row per indicator.
    pub rows: Vec<Row<'p>>,
}

/// One indicator row of a subject's table.
#[derive(Debug, Clone)]
pub struct Row<'p> {
    /// Position of the indicator's objective in [`Report::objectives`].
    pub objective: usize,
    /// Position of the indicator in [`Report::indicators`].
    pub indicator: usize,
    /// The weight of the Assegnazioni row (printed on the objective's first
    /// row, or on a single indicator's row).
    pub weight: Option<Weight>,
    /// The programme cell: empty when it repeats the row above.
    pub programme_cell: &'p str,
    /// The operational objective cell: empty when it repeats the row above,
    /// or for an indicator of the strategic objective itself (the heading
    /// names it).
    pub objective_cell: &'p str,
}

/// Every unit that answers for something.
pub(super) fn units<'p>(report: &Report<'p>) -> Vec<SubjectNode<'p>> {
    let plan = report.plan;
    plan.units
        .iter()
        .filter_map(|u| {
            let items = unit_items(plan, &u.code);
            if items.is_empty() {
                return None;
            }
            let (groups, rows) = (grouped_rows(report, &items), item_rows(report, &items));
            let figure = Figure::of(report.results.unit(&u.code));
            Some(SubjectNode { name: &u.name, unit: Some(u), figure, groups, rows })
        })
        .collect()
}

/// Every person the results assess: their own Assegnazioni rows, else (a
/// head who inherits) those of the unit they head.
pub(super) fn people<'p>(report: &Report<'p>) -> Vec<SubjectNode<'p>> {
    let plan = report.plan;
    report
        .results
        .people
        .iter()
        .map(|p| {
            let unit = plan.units.iter().find(|u| u.head.as_deref() == Some(p.name.as_str()));
            let own: Vec<Item> = plan
                .assignments
                .iter()
                .filter(|a| a.subject == p.name)
                .map(|a| (a.objective.as_deref(), a.indicator.as_deref(), a.weight.clone()))
                .collect();
            let items = match unit {
                Some(u) if own.is_empty() => unit_items(plan, &u.code),
                _ => own,
            };
            let groups = if plan.assignments.is_empty() { Vec::new() } else { grouped_rows(report, &items) };
            let rows = item_rows(report, &items);
            SubjectNode { name: &p.name, unit, figure: Figure::of(Some(&p.total)), groups, rows }
        })
        .collect()
}

/// The rows of a subject's items in their order: every indicator of an
/// objective (the weight on the first), or the single indicator.
fn item_rows<'p>(report: &Report<'p>, items: &[Item]) -> Vec<Row<'p>> {
    let plan = report.plan;
    let mut rows = Vec::new();
    for (o, i, w) in items {
        match (o.and_then(|o| plan.objective_position(o)), i.and_then(|i| plan.indicator_position(i))) {
            (Some(o), _) => {
                for (n, &i) in report.objectives[o].indicators.iter().enumerate() {
                    let weight = w.clone().filter(|_| n == 0);
                    rows.push(Row { objective: o, indicator: i, weight, programme_cell: "", objective_cell: "" });
                }
            }
            (None, Some(i)) => {
                if let Some(o) = report.indicators[i].objective {
                    rows.push(Row {
                        objective: o,
                        indicator: i,
                        weight: w.clone(),
                        programme_cell: "",
                        objective_cell: "",
                    });
                }
            }
            _ => {}
        }
    }
    rows
}

/// The rows of a subject's items, grouped by area and strategic objective;
/// repeated programme and objective cells are left empty.
fn grouped_rows<'p>(report: &Report<'p>, items: &[Item]) -> Vec<AreaGroup<'p>> {
    let plan = report.plan;
    // The objectives and single indicators of the items (first occurrence
    // kept), with their weights.
    let mut objectives: Vec<(usize, Option<Weight>)> = Vec::new();
    let mut singles: Vec<(usize, Option<Weight>)> = Vec::new();
    for (o, i, w) in items {
        match (o.and_then(|o| plan.objective_position(o)), i.and_then(|i| plan.indicator_position(i))) {
            (Some(o), _) if !objectives.iter().any(|(x, _)| *x == o) => objectives.push((o, w.clone())),
            (None, Some(i)) if !singles.iter().any(|(x, _)| *x == i) => singles.push((i, w.clone())),
            _ => {}
        }
    }
    let under = |o: usize, s: usize| o == s || report.objectives[o].parent == Some(s);
    let mut groups = Vec::new();
    for (a, area) in report.areas.iter().enumerate() {
        let mut strategic = Vec::new();
        for &s in &area.objectives {
            let mut rows: Vec<Row> = Vec::new();
            let mut last: Option<(Option<&str>, &str)> = None;
            let mut push = |objective: usize, indicator: usize, weight: Option<Weight>, rows: &mut Vec<Row<'p>>| {
                let o = report.objectives[objective].objective;
                let programme = o.programme.as_deref();
                let title: &'p str = if objective == s { "" } else { &o.title };
                let programme_cell = match last {
                    Some((p, _)) if p == programme => "",
                    _ => programme.unwrap_or(""),
                };
                let objective_cell = match last {
                    Some((_, t)) if t == title => "",
                    _ => title,
                };
                rows.push(Row { objective, indicator, weight, programme_cell, objective_cell });
                last = Some((programme, title));
            };
            for (o, w) in objectives.iter().filter(|(o, _)| under(*o, s)) {
                for (n, &i) in report.objectives[*o].indicators.iter().enumerate() {
                    push(*o, i, w.clone().filter(|_| n == 0), &mut rows);
                }
            }
            for (i, w) in &singles {
                if let Some(o) = report.indicators[*i].objective.filter(|o| under(*o, s)) {
                    push(o, *i, w.clone(), &mut rows);
                }
            }
            if !rows.is_empty() {
                strategic.push(StrategicGroup { objective: s, rows });
            }
        }
        if !strategic.is_empty() {
            groups.push(AreaGroup { area: a, strategic });
        }
    }
    groups
}
