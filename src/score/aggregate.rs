//! Weighted means over children, Σ(score × weight) / Σ weight over the
//! scored ones with one division at the end; totals far from 100% (in the
//! weights' own column scale) are warnings.

use super::{AGGREGATE_DECIMALS, Aggregate, status_of};
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
        status: status_of(score, AGGREGATE_DECIMALS, plan),
        scored: scored.len(),
        children: children.len(),
    }
}

/// Σ(score × weight) / Σ weight with a single division at the end, so that
/// no term is truncated before the sum: children all at 100% give exactly
/// 100% for any weights. When every scored child has the same score, that
/// score is the mean exactly (28-digit products such as ⅔ × 33,3 could
/// otherwise round in the last digit). `None` when the weights sum to zero or
/// the figures are too large for exact arithmetic.
pub(super) fn mean(scored: &[(Decimal, Decimal)]) -> Option<Decimal> {
    let total = scored.iter().try_fold(Decimal::ZERO, |acc, (_, w)| acc.checked_add(*w))?;
    if total.is_zero() {
        return None;
    }
    if let Some((first, _)) = scored.first()
        && scored.iter().all(|(s, w)| s == first || w.is_zero())
    {
        return Some(*first);
    }
    ratio(scored, total)
}

/// Σ(score × weight) / `total`: the one division, at the end.
pub(super) fn ratio(scored: &[(Decimal, Decimal)], total: Decimal) -> Option<Decimal> {
    let sum = scored.iter().try_fold(Decimal::ZERO, |acc, (s, w)| acc.checked_add(s.checked_mul(*w)?))?;
    sum.checked_div(total)
}

/// Warns when the written weights of one parent do not reach 100 points or
/// 1 (within half a point), or some are missing. Total and expected total are
/// in the column's scale, as the weights are printed.
fn check_total(children: &[Child], diags: &mut Diagnostics, what: &str) {
    let weights: Vec<&Weight> = children.iter().filter_map(|c| c.weight.as_ref()).collect();
    let Some(scale) = weights.first().map(|w| w.scale) else { return };
    let total: Decimal = weights.iter().fold(Decimal::ZERO, |acc, w| acc.saturating_add(w.value));
    let total_ok = (total - scale.full()).abs() <= scale.tolerance();
    let missing = children.len() - weights.len();
    let cells: Vec<&str> = weights.iter().map(|w| w.cell.as_str()).collect();
    let unweighted = match missing {
        0 => String::new(),
        1 => "1 è senza peso e conta come 0".to_string(),
        n => format!("{n} sono senza peso e contano come 0"),
    };
    if !total_ok {
        let mut msg = format!(
            "i pesi degli {what} sommano a {} invece di {} ({})",
            fmt::weight(total, scale),
            fmt::weight(scale.full(), scale),
            cells.join(", ")
        );
        if missing > 0 {
            msg.push_str(&format!("; {unweighted}"));
        }
        diags.push(Diagnostic::warning(msg).hint("si usano i pesi normalizzati sulla loro somma"));
    } else if missing > 0 {
        // The written weights are right: the only news is the unweighted ones.
        diags.push(
            Diagnostic::warning(format!(
                "degli {what}, {unweighted} (i pesi scritti, {}, sommano a {})",
                cells.join(", "),
                fmt::weight(total, scale)
            ))
            .hint("scrivere un peso (anche 0) per ogni elemento, o nessuno per pesi uguali"),
        );
    }
}
