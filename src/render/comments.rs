//! The short comments of the Relazione ("Obiettivo raggiunto al 94,4%: 3
//! indicatori su 4 a target"), written by the minijinja template
//! `layouts/commenti.jinja`, which users can replace.

use super::Layouts;
use super::names::Limited;
use crate::diag::Diagnostic;
use crate::fmt;
use crate::model::{Area, Level, Objective, Plan};
use crate::score::{Results, Status};
use minijinja::{Environment, context};

/// The template's file name.
const FILE: &str = "commenti.jinja";

/// Fuel of one comment: enough for any sensible template, while nested loops
/// stop in milliseconds instead of hanging the build.
const FUEL: u64 = 100_000;

/// The longest comment accepted, in bytes.
const MAX_OUTPUT: usize = 16 * 1024;

/// The comment template, compiled once per document.
pub struct Comments {
    env: Environment<'static>,
}

impl Comments {
    /// Loads `commenti.jinja` from the layouts in force. A template that does
    /// not compile becomes an empty one: [`check`] has already refused it
    /// before any document was laid out.
    pub fn new(layouts: &Layouts) -> Comments {
        Comments::load(layouts).unwrap_or_else(|_| {
            let mut env = Environment::new();
            let _ = env.add_template_owned("commenti", String::new());
            Comments { env }
        })
    }

    fn load(layouts: &Layouts) -> Result<Comments, Diagnostic> {
        let mut env = Environment::new();
        env.set_fuel(Some(FUEL));
        let source = layouts.get(FILE).unwrap_or_default().to_string();
        env.add_template_owned(FILE, source).map_err(|e| template_error(layouts, &e))?;
        Ok(Comments { env })
    }

    fn try_render(
        &self,
        kind: &str,
        score: Option<rust_decimal::Decimal>,
        status: Status,
        basis: Basis,
        plan: &Plan,
        res: &Results,
    ) -> Result<String, minijinja::Error> {
        // (status, name) of every scored element the figure comes from.
        let scored: Vec<(Status, String)> = match &basis {
            Basis::Indicators(codes) => codes
                .iter()
                .filter_map(|c| res.indicator(c))
                .filter(|r| r.sal.is_some())
                .filter_map(|r| plan.indicator(&r.code).map(|i| (r.status, i.name.clone())))
                .collect(),
            Basis::Objectives(objectives) => objectives
                .iter()
                .filter_map(|o| {
                    res.objective(&o.code).filter(|a| a.score.is_some()).map(|a| (a.status, o.title.clone()))
                })
                .collect(),
        };
        let on_target = scored.iter().filter(|(s, _)| *s == Status::Raggiunto).count();
        let below: Vec<String> =
            scored.iter().filter(|(s, _)| *s != Status::Raggiunto).map(|(_, name)| name.clone()).collect();
        let t = self.env.get_template(FILE)?;
        let mut out = Limited::new(MAX_OUTPUT);
        t.render_captured_to(
            context! {
                tipo => kind,
                punteggio => score.map(|s| fmt::percent(s, 1)),
                stato => status.label(),
                cascata => matches!(basis, Basis::Objectives(_)),
                a_target => on_target,
                valutati => scored.len(),
                sotto_target => below,
            },
            &mut out,
        )?;
        Ok(String::from_utf8_lossy(&out.bytes).trim().to_string())
    }

    /// The comment of a strategic objective.
    pub fn objective(&self, plan: &Plan, res: &Results, o: &Objective) -> String {
        self.try_objective(plan, res, o).unwrap_or_default()
    }

    fn try_objective(&self, plan: &Plan, res: &Results, o: &Objective) -> Result<String, minijinja::Error> {
        let own: Vec<&str> = plan.indicators_of(&o.code).map(|(_, i)| i.code.as_str()).collect();
        // Without indicators of its own a strategic objective is scored on
        // its operational objectives (the cascade): the comment counts those.
        let basis = if own.is_empty() {
            Basis::Objectives(super::view::children_of(plan, &o.code))
        } else {
            Basis::Indicators(own)
        };
        let agg = res.objective(&o.code);
        self.try_render(
            "obiettivo",
            agg.and_then(|a| a.score),
            agg.map_or(Status::NonValutabile, |a| a.status),
            basis,
            plan,
            res,
        )
    }

    /// The comment of an area.
    pub fn area(&self, plan: &Plan, res: &Results, a: &Area) -> String {
        self.try_area(plan, res, a).unwrap_or_default()
    }

    fn try_area(&self, plan: &Plan, res: &Results, a: &Area) -> Result<String, minijinja::Error> {
        let codes: Vec<&str> = plan
            .objectives
            .iter()
            .filter(|o| o.level == Level::Strategico && o.area.as_deref() == Some(a.code.as_str()))
            .flat_map(|o| scoring_indicators(plan, o))
            .collect();
        let agg = res.area(&a.code);
        self.try_render(
            "ambito",
            agg.and_then(|x| x.score),
            agg.map_or(Status::NonValutabile, |x| x.status),
            Basis::Indicators(codes),
            plan,
            res,
        )
    }
}

/// Compiles the comment template and writes every comment the Relazione
/// will print (when `with_results`), so that a broken or runaway template
/// stops the run before any PDF is laid out, naming its file and line.
pub fn check(layouts: &Layouts, plan: &Plan, res: &Results, with_results: bool) -> Result<(), Diagnostic> {
    let comments = Comments::load(layouts)?;
    if !with_results {
        return Ok(());
    }
    for a in &plan.areas {
        comments.try_area(plan, res, a).map_err(|e| template_error(layouts, &e))?;
    }
    for o in plan.objectives.iter().filter(|o| o.level == Level::Strategico) {
        comments.try_objective(plan, res, o).map_err(|e| template_error(layouts, &e))?;
    }
    Ok(())
}

/// A template error naming the user's file (or the embedded one) and line.
fn template_error(layouts: &Layouts, e: &minijinja::Error) -> Diagnostic {
    let file = match &layouts.dir {
        Some(dir) if layouts.overridden.iter().any(|n| n == FILE) => dir.join(FILE).display().to_string(),
        _ => format!("{FILE} (incorporato)"),
    };
    let reason = match e.kind() {
        minijinja::ErrorKind::OutOfFuel => "il modello richiede troppi calcoli (cicli annidati?)".to_string(),
        minijinja::ErrorKind::WriteFailure => format!("un commento supera {MAX_OUTPUT} caratteri"),
        _ => e.detail().map_or_else(|| e.kind().to_string(), |d| format!("{}: {d}", e.kind())),
    };
    let line = e.line().map(|l| format!(", riga {l}")).unwrap_or_default();
    Diagnostic::error(format!("modello dei commenti non valido{line}: {reason}; nessun documento è stato prodotto"))
        .in_file(&file)
        .hint("correggere il modello (sintassi minijinja) oppure rimuoverlo per usare quello incorporato")
}

/// What a comment counts: indicators, or (cascade) operational objectives.
enum Basis<'p> {
    Indicators(Vec<&'p str>),
    Objectives(Vec<&'p Objective>),
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
