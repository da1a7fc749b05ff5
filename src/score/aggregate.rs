//! Weighted means over children with their weights normalised by their sum
//! and renormalised over the scored ones; totals far from 100% are warnings.

use super::{Aggregate, status_of};
use crate::diag::{Diagnostic, Diagnostics};
use crate::fmt;
use crate::model::{Plan, Weight};
use rust_decimal::Decimal;

/// One child of an aggregate: its score (if scored) and its written weight.
pub(super) struct Child {
    pub score: Option<Decimal>,
    pub weight: Option<Weight>,
}

/// The weighted mean of the scored children. Weights are equal when none is
/// written; when some are, an unwritten one counts as 0. A written total far
/// from 100% (±0,5 points) or from 1 (±0,005) is a warning naming the cells.
pub(super) fn weighted_mean(
    code: &str,
    children: &[Child],
    plan: &Plan,
    diags: &mut Diagnostics,
    what: &str,
) -> Aggregate {
    let any_weight = children.iter().any(|c| c.weight.is_some());
    if any_weight {
        check_total(children, diags, what);
    }
    let weight_of = |c: &Child| match (&c.weight, any_weight) {
        (Some(w), _) => w.value,
        (None, true) => Decimal::ZERO,
        (None, false) => Decimal::ONE,
    };
    let scored: Vec<(Decimal, Decimal)> = children.iter().filter_map(|c| c.score.map(|s| (s, weight_of(c)))).collect();
    let score = mean(&scored);
    Aggregate {
        code: code.to_string(),
        score,
        status: status_of(score, plan),
        scored: scored.len(),
        children: children.len(),
    }
}

/// Σ score × weight / Σ weight, `None` when the weights sum to zero or the
/// figures are too large for exact arithmetic (weights are normalised first,
/// so that only absurd inputs can overflow).
fn mean(scored: &[(Decimal, Decimal)]) -> Option<Decimal> {
    let total = scored.iter().try_fold(Decimal::ZERO, |acc, (_, w)| acc.checked_add(*w))?;
    if total.is_zero() {
        return None;
    }
    scored.iter().try_fold(Decimal::ZERO, |acc, (s, w)| acc.checked_add(s.checked_mul(w.checked_div(total)?)?))
}

fn check_total(children: &[Child], diags: &mut Diagnostics, what: &str) {
    let weights: Vec<&Weight> = children.iter().filter_map(|c| c.weight.as_ref()).collect();
    let total: Decimal = weights.iter().fold(Decimal::ZERO, |acc, w| acc.saturating_add(w.value));
    let as_fraction_ok = (total - Decimal::ONE).abs() <= Decimal::new(5, 3);
    let as_points_ok = (total - Decimal::ONE_HUNDRED).abs() <= Decimal::new(5, 1);
    let missing = children.len() - weights.len();
    if !(as_fraction_ok || as_points_ok) || missing > 0 {
        let cells: Vec<&str> = weights.iter().map(|w| w.cell.as_str()).collect();
        let mut msg =
            format!("i pesi degli {what} sommano a {} invece di 100% ({})", fmt::plain(total), cells.join(", "));
        if missing > 0 {
            msg.push_str(&format!("; {missing} senza peso, contati come 0"));
        }
        diags.push(Diagnostic::warning(msg).hint("si usano i pesi normalizzati sulla loro somma"));
    }
}
