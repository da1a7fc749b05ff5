//! `results.json`: the computed model in a stable open-data schema
//! (`piao-results/1`, documented in docs/results-json.md). Percentages are
//! 0–100 decimal strings at full precision; `null` when not scored.

use super::ExportContext;
use crate::model::{Expr, Level};
use crate::score::{Aggregate, Status};
use rust_decimal::Decimal;
use serde_json::{Value, json};

fn pct(score: Option<Decimal>) -> Value {
    score.map_or(Value::Null, |s| Value::String((s * Decimal::ONE_HUNDRED).normalize().to_string()))
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
            json!({"code": a.code, "name": a.name, "perspective": a.perspective, "weight": a.weight.as_ref().map(|w| w.value.to_string()), "score": score, "status": st})
        })
        .collect();
    let objectives: Vec<Value> = plan
        .objectives
        .iter()
        .map(|o| {
            let (score, st) = aggregate(res.objective(&o.code));
            json!({
                "code": o.code, "level": o.level, "title": o.title, "description": o.description,
                "area": o.area, "parent": o.parent, "unit": o.unit, "programme": o.programme,
                "mission": o.mission, "program": o.program, "office": o.office, "resources": o.resources,
                "weight": o.weight.as_ref().map(|w| w.value.to_string()),
                "score": score, "status": st,
                "cascade": o.level == Level::Strategico && !plan.indicators.iter().any(|i| i.objective == o.code),
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
            json!({
                "code": i.code, "objective": i.objective, "name": i.name, "formula": i.formula,
                "type": i.kind, "unit": i.udm, "source": i.source, "operator": i.op,
                "baseline": expr(i.baseline.as_ref()), "baseline_year": i.baseline_year,
                "targets": targets, "weight": i.weight.as_ref().map(|w| w.value.to_string()),
                "actual": expr(actual.map(|a| &a.value)), "note": actual.and_then(|a| a.note.clone()),
                "neutralised": actual.is_some_and(|a| a.neutralised),
                "sal": pct(r.and_then(|r| r.sal)),
                "status": r.map_or(Value::Null, |r| status(r.status)),
                "reason": r.and_then(|r| r.reason.clone()),
            })
        })
        .collect();
    let units: Vec<Value> = plan
        .units
        .iter()
        .map(|u| {
            let (score, st) = aggregate(res.unit(&u.code));
            json!({"code": u.code, "name": u.name, "type": u.kind, "head": u.head, "parent": u.parent, "score": score, "status": st})
        })
        .collect();
    let people: Vec<Value> = res
        .people
        .iter()
        .map(|p| json!({"code": p.name, "name": p.name, "objectives": p.objectives, "indicators": p.indicators, "score": pct(p.total.score), "status": status(p.total.status)}))
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
