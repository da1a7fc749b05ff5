//! `piao check`: validates a workbook and prints a summary, writing nothing.

use super::{Outcome, load, print};
use crate::cli::CheckArgs;
use piao::diag::Severity;
use piao::model::Level;
use piao::score;

/// Runs the check; exit 1 when the workbook has errors.
pub fn run(args: &CheckArgs) -> Outcome {
    let (plan, mut diags) = load(&args.input);
    if let Some(plan) = &plan {
        let _ = score::score(plan, &mut diags);
        // Scoring's warnings (weights) are made without a file, as in build.
        diags.in_file(&plan.file);
    }
    print(&diags, args.breve);
    if let Some(plan) = &plan {
        let strategic = plan.objectives.iter().filter(|o| o.level == Level::Strategico).count();
        let actuals = plan.indicators.iter().filter(|i| i.actuals.contains_key(&plan.ente.year)).count();
        crate::sayln!(
            "{}: {} — anno {}: {} obiettivi ({} strategici, {} operativi), {} indicatori, {} consuntivi {}",
            plan.file,
            plan.ente.name,
            plan.ente.year,
            plan.objectives.len(),
            strategic,
            plan.objectives.len() - strategic,
            plan.indicators.len(),
            actuals,
            plan.ente.year
        );
    }
    crate::sayln!("{} errori, {} avvisi", diags.count(Severity::Error), diags.count(Severity::Warning));
    if diags.has_errors() { Outcome::InputErrors } else { Outcome::Done }
}
