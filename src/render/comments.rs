//! The short comments of the Relazione ("Obiettivo raggiunto al 94,4%: 3
//! indicatori su 4 a target"), written by the minijinja template
//! `layouts/commenti.jinja`, which users can replace.

use super::Layouts;
use super::names::Limited;
use crate::diag::Diagnostic;
use crate::fmt;
use crate::model::{Area, Basis, Objective, Plan};
use crate::report::Report;
use crate::score::{Results, Status};
use minijinja::{Environment, context};
use std::collections::HashMap;

/// The template's file name.
const FILE: &str = "commenti.jinja";

/// Fuel of one comment: enough for any sensible template, while nested loops
/// stop in milliseconds instead of hanging the build.
const FUEL: u64 = 100_000;

/// The longest comment accepted, in bytes.
const MAX_OUTPUT: usize = 16 * 1024;

/// The comments of a Relazione, written once before any layout runs, by
/// area code and by strategic objective code.
#[derive(Debug, Clone, Default)]
pub struct Written {
    /// Area code → comment.
    pub areas: HashMap<String, String>,
    /// Strategic objective code → comment.
    pub objectives: HashMap<String, String>,
}

/// Compiles the comment template and writes every comment the Relazione
/// prints (none when the plan has no actual values: no Relazione), so that a
/// broken or runaway template stops the run before any PDF is laid out,
/// naming its file and line.
pub fn write_all(layouts: &Layouts, report: &Report) -> Result<Written, Diagnostic> {
    let comments = Comments::load(layouts)?;
    let mut written = Written::default();
    if !report.has_actuals {
        return Ok(written);
    }
    let (plan, res) = (report.plan, report.results);
    for a in &report.areas {
        let text = comments.area(plan, res, a.area).map_err(|e| template_error(layouts, &e))?;
        written.areas.insert(a.area.code.clone(), text);
    }
    for o in report.strategic() {
        let text = comments.objective(plan, res, o.objective).map_err(|e| template_error(layouts, &e))?;
        written.objectives.insert(o.objective.code.clone(), text);
    }
    Ok(written)
}

/// The compiled comment template.
struct Comments {
    env: Environment<'static>,
}

impl Comments {
    fn load(layouts: &Layouts) -> Result<Comments, Diagnostic> {
        let mut env = Environment::new();
        env.set_fuel(Some(FUEL));
        let source = layouts.get(FILE).unwrap_or_default().to_string();
        env.add_template_owned(FILE, source).map_err(|e| template_error(layouts, &e))?;
        Ok(Comments { env })
    }

    fn render(
        &self,
        kind: &str,
        score: Option<rust_decimal::Decimal>,
        status: Status,
        basis: Basis,
        res: &Results,
    ) -> Result<String, minijinja::Error> {
        // (status, name) of every scored element the figure comes from.
        let scored: Vec<(Status, String)> = match &basis {
            Basis::Indicators(indicators) => indicators
                .iter()
                .filter_map(|i| res.indicator(&i.code).filter(|r| r.sal.is_some()).map(|r| (r.status, i.name.clone())))
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
                cascata => basis.is_cascade(),
                a_target => on_target,
                valutati => scored.len(),
                sotto_target => below,
            },
            &mut out,
        )?;
        Ok(String::from_utf8_lossy(&out.bytes).trim().to_string())
    }

    /// The comment of a strategic objective: it counts what the objective
    /// is scored on (its indicators, or in the cascade its operational
    /// objectives).
    fn objective(&self, plan: &Plan, res: &Results, o: &Objective) -> Result<String, minijinja::Error> {
        let agg = res.objective(&o.code);
        let status = agg.map_or(Status::NonValutabile, |a| a.status);
        self.render("obiettivo", agg.and_then(|a| a.score), status, plan.basis(o), res)
    }

    /// The comment of an area: it counts the indicators its strategic
    /// objectives are finally scored on.
    fn area(&self, plan: &Plan, res: &Results, a: &Area) -> Result<String, minijinja::Error> {
        let indicators = plan.strategic_of_area(&a.code).flat_map(|o| plan.scoring_indicators(o)).collect();
        let agg = res.area(&a.code);
        let status = agg.map_or(Status::NonValutabile, |x| x.status);
        self.render("ambito", agg.and_then(|x| x.score), status, Basis::Indicators(indicators), res)
    }
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
