//! `results.json`: the computed model in a stable open-data schema
//! (`piao-results/1`, documented in docs/results-json.md). Percentages are
//! 0–100 decimal strings, exact when they have at most 10 decimal places and
//! rounded half to even to 10 places otherwise; `null` when not scored.

use super::ExportContext;
use crate::model::{Expr, Level, Weight};
use crate::score::{Aggregate, Status};
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::{Value, json};

/// Places kept by a percentage that does not terminate within them.
const JSON_PLACES: u32 = 10;

/// A fraction as a 0–100 decimal string. A percentage with at most
/// [`JSON_PLACES`] decimal places is written exactly (`100`, `94.4`); one with
/// more is rounded to that many places, half to even (`66.6666666667`).
/// Exact arithmetic keeps 28 significant digits, so every non-terminating
/// quotient (⅔) has more than 10 places and is rounded, as is a result whose
/// last digit came from rounding at 28 digits (`99.99999999999999999999999999`
/// is `100`): what is printed is never a truncation artifact.
fn pct(score: Option<Decimal>) -> Value {
    score.map_or(Value::Null, |s| Value::String(clean_percent(s).to_string()))
}

fn clean_percent(fraction: Decimal) -> Decimal {
    let p = (fraction * Decimal::ONE_HUNDRED).normalize();
    if p.scale() <= JSON_PLACES {
        p
    } else {
        p.round_dp_with_strategy(JSON_PLACES, RoundingStrategy::MidpointNearestEven).normalize()
    }
}

fn weight(w: Option<&Weight>) -> (Value, Value) {
    match w {
        Some(w) => (Value::String(w.value.normalize().to_string()), serde_json::to_value(w.scale).unwrap_or_default()),
        None => (Value::Null, Value::Null),
    }
}

fn status(s: Status) -> Value {
    serde_json::to_value(s).unwrap_or(Value::Null)
}

fn aggregate(a: Option<&Aggregate>) -> (Value, Value) {
    match a {
        Some(a) => (pct(a.score), status(a.status)),
        None => (Value::Null, status(Status::NonValutabile)),
    }
}

fn expr(e: Option<&Expr>) -> Value {
    e.map_or(Value::Null, |e| serde_json::to_value(e).unwrap_or(Value::Null))
}

/// Serialises the plan and its results (pretty, keys in a fixed order).
pub fn export(ctx: &ExportContext) -> Vec<u8> {
    let (plan, res) = (ctx.plan, ctx.results);
    let s = &plan.ente.settings;
    let areas: Vec<Value> = plan
        .areas
        .iter()
        .map(|a| {
            let (score, st) = aggregate(res.area(&a.code));
            let (w, scale) = weight(a.weight.as_ref());
            json!({"code": a.code, "name": a.name, "perspective": a.perspective, "weight": w, "weight_scale": scale, "score": score, "status": st})
        })
        .collect();
    let objectives: Vec<Value> = plan
        .objectives
        .iter()
        .map(|o| {
            let (score, st) = aggregate(res.objective(&o.code));
            let (w, scale) = weight(o.weight.as_ref());
            json!({
                "code": o.code, "level": o.level, "title": o.title, "description": o.description,
                "area": o.area, "parent": o.parent, "unit": o.unit, "programme": o.programme,
                "mission": o.mission, "program": o.program, "office": o.office, "resources": o.resources,
                "weight": w, "weight_scale": scale,
                "score": score, "status": st,
                "cascade": o.level == Level::Strategico && !plan.indicators.iter().any(|i| i.objective == o.code),
                "owner": o.owner, "tree": plan.in_tree(o), "productivity": o.productivity == Some(true),
            })
        })
        .collect();
    let indicators: Vec<Value> = plan
        .indicators
        .iter()
        .map(|i| {
            let r = res.indicator(&i.code);
            let targets: serde_json::Map<String, Value> =
                i.targets.iter().map(|(y, e)| (y.to_string(), expr(Some(e)))).collect();
            let actual = i.actuals.get(&res.year);
            let (w, scale) = weight(i.weight.as_ref());
            json!({
                "code": i.code, "objective": i.objective, "name": i.name, "formula": i.formula,
                "type": i.kind, "unit": i.udm, "source": i.source, "operator": i.op,
                "baseline": expr(i.baseline.as_ref()), "baseline_year": i.baseline_year,
                "targets": targets, "weight": w, "weight_scale": scale,
                "actual": expr(actual.map(|a| &a.value)), "note": actual.and_then(|a| a.note.clone()),
                "neutralised": actual.is_some_and(|a| a.neutralised),
                "sal": pct(r.and_then(|r| r.sal)),
                "status": r.map_or(Value::Null, |r| status(r.status)),
                "reason": r.and_then(|r| r.reason.clone()), "owner": i.owner,
            })
        })
        .collect();
    let units: Vec<Value> = plan
        .units
        .iter()
        .map(|u| {
            let (score, st) = aggregate(res.unit(&u.code));
            let (prod, prod_st) = res.productivity_of(&u.code).map_or((Value::Null, Value::Null), |p| (pct(p.score), status(p.status)));
            json!({"code": u.code, "name": u.name, "type": u.kind, "head": u.head, "parent": u.parent, "score": score, "status": st, "productivity": prod, "productivity_status": prod_st})
        })
        .collect();
    let people: Vec<Value> = res
        .people
        .iter()
        .map(|p| json!({"code": p.name, "name": p.name, "objectives": p.objectives, "indicators": p.indicators, "score": pct(p.total.score), "status": status(p.total.status), "productivity": p.productivity.as_ref().map_or(Value::Null, |a| pct(a.score)), "productivity_status": p.productivity.as_ref().map_or(Value::Null, |a| status(a.status))}))
        .collect();
    let doc = json!({
        "schema": "piao-results/1",
        "ente": {
            "code": "ente", "name": plan.ente.name, "year": plan.ente.year,
            "triennium": [plan.ente.triennium.0, plan.ente.triennium.1],
            "date": plan.ente.date.format("%Y-%m-%d").to_string(),
            "score": pct(res.entity.score), "status": status(res.entity.status),
        },
        "settings": {
            "achieved": pct(Some(s.achieved)), "partial": pct(Some(s.partial)),
            "cap": pct(s.cap), "floor": pct(Some(s.floor)), "late_days": s.late_days,
        },
        "areas": areas,
        "objectives": objectives,
        "indicators": indicators,
        "units": units,
        "people": people,
    });
    let mut bytes = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().expect("test literal")
    }

    #[test]
    fn terminating_percentages_are_exact_others_rounded_to_ten_places() {
        assert_eq!(clean_percent(Decimal::ONE).to_string(), "100");
        assert_eq!(clean_percent(dec("0.944")).to_string(), "94.4");
        assert_eq!(clean_percent(dec("0.0009765625")).to_string(), "0.09765625");
        assert_eq!(clean_percent(dec("0.9999999999999999999999999999")).to_string(), "100");
        assert_eq!(clean_percent(Decimal::TWO / Decimal::from(3)).to_string(), "66.6666666667");
        assert_eq!(clean_percent(Decimal::ONE / Decimal::from(3)).to_string(), "33.3333333333");
        // Half to even at the 10th place: ...25 → ...2, ...35 → ...4.
        assert_eq!(clean_percent(dec("0.0000000000025")).to_string(), "0.0000000002");
        assert_eq!(clean_percent(dec("0.0000000000035")).to_string(), "0.0000000004");
        assert_eq!(clean_percent(Decimal::ZERO).to_string(), "0");
    }
}
