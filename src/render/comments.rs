//! The short comments of the Relazione ("Obiettivo raggiunto al 94,4%: 3
//! indicatori su 4 a target"), written by the minijinja template
//! `layouts/commenti.jinja`, which users can replace.

use super::Layouts;
use crate::fmt;
use crate::model::{Area, Level, Objective, Plan};
use crate::score::{Results, Status};
use minijinja::{Environment, context};

/// The comment template, compiled once per document.
pub struct Comments {
    env: Environment<'static>,
}

impl Comments {
    /// Loads `commenti.jinja` from the layouts in force.
    pub fn new(layouts: &Layouts) -> Comments {
        let mut env = Environment::new();
        let source = layouts.get("commenti.jinja").unwrap_or_default().to_string();
        if env.add_template_owned("commenti", source).is_err() {
            let _ = env.add_template_owned("commenti", String::new());
        }
        Comments { env }
    }

    fn render(
        &self,
        kind: &str,
        score: Option<rust_decimal::Decimal>,
        status: Status,
        codes: &[&str],
        plan: &Plan,
        res: &Results,
    ) -> String {
        let scored: Vec<_> = codes.iter().filter_map(|c| res.indicator(c)).filter(|r| r.sal.is_some()).collect();
        let on_target = scored.iter().filter(|r| r.status == Status::Raggiunto).count();
        let below: Vec<String> = scored
            .iter()
            .filter(|r| r.status != Status::Raggiunto)
            .filter_map(|r| plan.indicator(&r.code))
            .map(|i| i.name.clone())
            .collect();
        let Ok(t) = self.env.get_template("commenti") else { return String::new() };
        t.render(context! {
            tipo => kind,
            punteggio => score.map(|s| fmt::percent(s, 1)),
            stato => status.label(),
            a_target => on_target,
            valutati => scored.len(),
            sotto_target => below,
        })
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
    }

    /// The comment of a strategic objective.
    pub fn objective(&self, plan: &Plan, res: &Results, o: &Objective) -> String {
        let codes = scoring_indicators(plan, o);
        let agg = res.objective(&o.code);
        self.render(
            "obiettivo",
            agg.and_then(|a| a.score),
            agg.map_or(Status::NonValutabile, |a| a.status),
            &codes,
            plan,
            res,
        )
    }

    /// The comment of an area.
    pub fn area(&self, plan: &Plan, res: &Results, a: &Area) -> String {
        let codes: Vec<&str> = plan
            .objectives
            .iter()
            .filter(|o| o.level == Level::Strategico && o.area.as_deref() == Some(a.code.as_str()))
            .flat_map(|o| scoring_indicators(plan, o))
            .collect();
        let agg = res.area(&a.code);
        self.render(
            "ambito",
            agg.and_then(|x| x.score),
            agg.map_or(Status::NonValutabile, |x| x.status),
            &codes,
            plan,
            res,
        )
    }
}

/// The indicators an objective's score comes from: its own, or (cascade)
/// those of its operational objectives.
fn scoring_indicators<'p>(plan: &'p Plan, o: &Objective) -> Vec<&'p str> {
    let own: Vec<&str> = plan.indicators_of(&o.code).map(|(_, i)| i.code.as_str()).collect();
    if !own.is_empty() {
        return own;
    }
    let children: Vec<&str> = plan
        .objectives
        .iter()
        .filter(|c| c.parent.as_deref() == Some(o.code.as_str()))
        .map(|c| c.code.as_str())
        .collect();
    children.iter().flat_map(|c| plan.indicators_of(c).map(|(_, i)| i.code.as_str())).collect()
}
