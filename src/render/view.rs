//! The data a typst layout receives as `/data.json`: the plan and its
//! results grouped the way the documents show them, every figure already in
//! Italian format (rounded only here, at display). Layouts never see cell
//! text as markup: they read strings from this JSON.

use super::ExportContext;
use crate::fmt;
use crate::model::{Indicator, Level, Objective, Plan};
use crate::score::{Results, Status};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::collections::HashMap;

/// Decimals shown for an indicator's SAL (the precision its status is
/// decided on).
const SAL_DECIMALS: u32 = crate::score::SAL_DECIMALS;
/// Decimals shown for aggregates (the precision their status is decided on).
const AGGREGATE_DECIMALS: u32 = crate::score::AGGREGATE_DECIMALS;

/// The symbol that carries a status in black and white.
pub fn symbol(s: Status) -> &'static str {
    match s {
        Status::Raggiunto => "●",
        Status::Parziale => "◐",
        Status::NonRaggiunto => "○",
        Status::NonValutabile => "–",
        Status::DatoMancante => "?",
    }
}

fn status_key(s: Status) -> String {
    serde_json::to_value(s).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

fn status_json(s: Status) -> Value {
    json!({"chiave": status_key(s), "testo": s.label(), "simbolo": symbol(s)})
}

fn score_json(score: Option<Decimal>, status: Status, decimals: u32) -> Value {
    json!({
        "testo": score.map_or("n.v.".to_string(), |s| fmt::percent(s, decimals)),
        "valore": score.map(|s| (s * Decimal::ONE_HUNDRED).round_dp(2).to_string()),
        "stato": status_json(status),
    })
}

struct Ctx<'a> {
    plan: &'a Plan,
    res: &'a Results,
    /// Whether the document prints results (actual values, SAL, scores).
    /// The PIAO annexes do not: their data then stays the same when only
    /// actual values change, and a watch rebuild can reuse them.
    results: bool,
}

impl<'a> Ctx<'a> {
    fn score(&self, score: Option<Decimal>, status: Status, decimals: u32) -> Value {
        if self.results { score_json(score, status, decimals) } else { Value::Null }
    }

    /// An objective's, area's or unit's result (null without results).
    fn aggregate(&self, agg: Option<&crate::score::Aggregate>) -> Value {
        self.score(agg.and_then(|a| a.score), agg.map_or(Status::NonValutabile, |a| a.status), AGGREGATE_DECIMALS)
    }

    fn indicator(&self, i: &Indicator) -> Value {
        let year = self.plan.ente.year;
        let r = self.res.indicator(&i.code);
        let actual = i.actuals.get(&year);
        let targets: Vec<Value> = self
            .plan
            .years()
            .iter()
            .map(|y| json!(i.targets.get(y).map_or(String::new(), |e| e.text.clone())))
            .collect();
        json!({
            "codice": i.code,
            "nome": i.name,
            "formula": i.formula,
            "tipologia": i.kind,
            "prospettiva": i.perspective,
            "udm": i.udm,
            "fonte": i.source,
            "operatore": i.op_for(year).symbol(),
            "baseline": i.baseline.as_ref().map_or(String::new(), |b| b.text.clone()),
            "anno_baseline": i.baseline_year,
            "target": targets,
            "target_anno": i.targets.get(&year).map_or(String::new(), |e| e.text.clone()),
            "consuntivo": if self.results { actual.map_or(String::new(), |a| a.value.text.clone()) } else { String::new() },
            "nota": actual.filter(|_| self.results).and_then(|a| a.note.clone()),
            "peso": i.weight.as_ref().map(|w| fmt::weight(w.value, w.scale)),
            "sal": self.score(r.and_then(|r| r.sal), r.map_or(Status::NonValutabile, |r| r.status), SAL_DECIMALS),
            "motivo": r.filter(|_| self.results).and_then(|r| r.reason.clone()),
        })
    }

    fn indicators_of(&self, code: &str) -> Vec<Value> {
        self.plan.indicators_of(code).map(|(_, i)| self.indicator(i)).collect()
    }

    fn objective(&self, o: &Objective) -> Value {
        let agg = self.res.objective(&o.code);
        let area = o.area.as_ref().and_then(|a| self.plan.areas.iter().find(|x| &x.code == a));
        let parent = o.parent.as_ref().and_then(|p| self.plan.objective(p));
        let unit = o.unit.as_ref().and_then(|u| self.plan.units.iter().find(|x| &x.code == u));
        // The total is printed in the scale of its rows (one column, one scale).
        let weights: Vec<&crate::model::Weight> =
            self.plan.indicators_of(&o.code).filter_map(|(_, i)| i.weight.as_ref()).collect();
        let weight_total = weights.first().map(|w| fmt::weight(weights.iter().map(|w| w.value).sum(), w.scale));
        json!({
            "codice": o.code,
            "livello": if o.level == Level::Strategico { "Obiettivo strategico" } else { "Obiettivo operativo" },
            "titolo": o.title,
            "descrizione": o.description,
            "ambito": area.map(|a| format!("{} – {}", a.code, a.name)),
            "prospettiva": area.and_then(|a| a.perspective.clone()).or_else(|| o.extra.get("Prospettiva").cloned()),
            "padre": parent.map(|p| format!("{} – {}", p.code, p.title)),
            "programma_intervento": o.programme,
            "missione": o.mission,
            "programma": o.program,
            "struttura": unit.map(|u| u.name.clone()).or_else(|| o.unit.clone()),
            "responsabile": unit.and_then(|u| u.head.clone()),
            "ufficio": o.office,
            "risorse": o.resources,
            "peso": o.weight.as_ref().map(|w| fmt::weight(w.value, w.scale)),
            "totale_pesi": weight_total,
            "risultato": self.aggregate(agg),
            "indicatori": self.indicators_of(&o.code),
            "cascata": self.cascade(o),
        })
    }

    /// What a strategic objective without indicators of its own is scored
    /// on: its operational objectives, each with its weight and result
    /// (empty for any other objective).
    fn cascade(&self, o: &Objective) -> Vec<Value> {
        if o.level != Level::Strategico || self.plan.indicators_of(&o.code).next().is_some() {
            return Vec::new();
        }
        children_of(self.plan, &o.code)
            .into_iter()
            .map(|c| {
                json!({
                    "codice": c.code,
                    "titolo": c.title,
                    "peso": c.weight.as_ref().map(|w| fmt::weight(w.value, w.scale)),
                    "risultato": self.aggregate(self.res.objective(&c.code)),
                })
            })
            .collect()
    }

    /// Rows `programma | obiettivo | indicatore | target | consuntivo | SAL`
    /// grouped by area and strategic objective; repeated programme and
    /// objective cells are left blank, as in the published tables. `weights`
    /// holds the weight of each item in the subject's Assegnazioni
    /// (`o:CODE` for an objective, printed on its first row; `i:CODE` for a
    /// single indicator), printed as `peso_assegnato`.
    fn grouped_rows(
        &self,
        objectives: &[&Objective],
        extra_indicators: &[&Indicator],
        weights: &HashMap<String, String>,
    ) -> Vec<Value> {
        let mut groups: Vec<Value> = Vec::new();
        for area in &self.plan.areas {
            let mut strategic_groups = Vec::new();
            for s in self
                .plan
                .objectives
                .iter()
                .filter(|o| o.level == Level::Strategico && o.area.as_deref() == Some(area.code.as_str()))
            {
                let mut rows = Vec::new();
                let mut last_prog: Option<String> = None;
                let mut last_obj: Option<String> = None;
                let mut push =
                    |prog: Option<String>, obj: &str, i: &Indicator, weight: Option<&String>, rows: &mut Vec<Value>| {
                        let mut v = self.indicator(i);
                        v["peso_assegnato"] = json!(weight);
                        v["programma_riga"] =
                            json!(if prog != last_prog { prog.clone().unwrap_or_default() } else { String::new() });
                        v["obiettivo_riga"] =
                            json!(if last_obj.as_deref() != Some(obj) { obj.to_string() } else { String::new() });
                        rows.push(v);
                        last_prog = prog;
                        last_obj = Some(obj.to_string());
                    };
                for o in objectives.iter().filter(|o| o.code == s.code || o.parent.as_deref() == Some(s.code.as_str()))
                {
                    let weight = weights.get(&format!("o:{}", o.code));
                    for (n, (_, i)) in self.plan.indicators_of(&o.code).enumerate() {
                        push(o.programme.clone(), title_under(o, s), i, weight.filter(|_| n == 0), &mut rows);
                    }
                }
                for i in extra_indicators.iter().filter(|i| {
                    self.plan
                        .objective(&i.objective)
                        .is_some_and(|o| o.code == s.code || o.parent.as_deref() == Some(s.code.as_str()))
                }) {
                    let o = self.plan.objective(&i.objective);
                    let weight = weights.get(&format!("i:{}", i.code));
                    push(
                        o.and_then(|o| o.programme.clone()),
                        o.map_or("", |o| title_under(o, s)),
                        i,
                        weight,
                        &mut rows,
                    );
                }
                if !rows.is_empty() {
                    strategic_groups.push(json!({"codice": s.code, "titolo": s.title, "righe": rows}));
                }
            }
            if !strategic_groups.is_empty() {
                groups.push(json!({"codice": area.code, "nome": area.name, "obiettivi": strategic_groups}));
            }
        }
        groups
    }
}

/// Which sections of the model each document's data carries (every
/// document also gets `documento`, `ente`, `impostazioni`, `consuntivi`,
/// `legenda`, `assegnazioni`); `risultati` adds actual values, SAL and
/// scores to every section. A plan of 6 000 indicators makes
/// a model of about 10 MB; each layout parses only what it prints.
pub const SECTIONS: &[(&str, &[&str])] = &[
    ("allegato", &["ambiti", "strutture", "persone"]),
    ("schede", &["schede"]),
    ("relazione", &["risultati", "sintesi", "ambiti", "strutture", "persone", "bilancio", "non_valutati"]),
];

/// The `/data.json` of one document (`key` as in [`SECTIONS`]; an unknown
/// key gets every section).
pub fn document_data(ctx: &ExportContext, key: &str, title: &str, logo: Option<&str>) -> Vec<u8> {
    let wanted = SECTIONS.iter().find(|(k, _)| *k == key).map(|(_, s)| *s);
    let needs = |section: &str| wanted.is_none_or(|w| w.contains(&section));
    let c = Ctx { plan: ctx.plan, res: ctx.results, results: needs("risultati") };
    let plan = ctx.plan;
    let res = ctx.results;
    let s = &plan.ente.settings;
    let comments = super::comments::Comments::new(&ctx.layouts);
    let areas: Vec<Value> = if !needs("ambiti") {
        Vec::new()
    } else {
        plan.areas
            .iter()
            .map(|a| {
                let agg = res.area(&a.code);
                let objectives: Vec<Value> = plan
                    .objectives
                    .iter()
                    .filter(|o| o.level == Level::Strategico && o.area.as_deref() == Some(a.code.as_str()))
                    .map(|o| {
                        let mut v = c.objective(o);
                        v["commento"] = json!(if c.results { comments.objective(plan, res, o) } else { String::new() });
                        v
                    })
                    .collect();
                json!({
                    "codice": a.code,
                    "nome": a.name,
                    "prospettiva": a.perspective,
                    "risultato": c.aggregate(agg),
                    "commento": if c.results { comments.area(plan, res, a) } else { String::new() },
                    "obiettivi": objectives,
                })
            })
            .collect()
    };
    let units: Vec<Value> = if !needs("strutture") {
        Vec::new()
    } else {
        plan.units
            .iter()
            .filter_map(|u| {
                // Exactly what the unit is scored on: its Assegnazioni rows
                // (with their weights) when it has any, else its objectives.
                let items = crate::score::unit_items(plan, &u.code);
                let (objectives, indicators, weights) = split_items(plan, &items);
                let groups = c.grouped_rows(&objectives, &indicators, &weights);
                if groups.is_empty() {
                    return None;
                }
                let agg = res.unit(&u.code);
                Some(json!({
                    "codice": u.code, "nome": u.name, "tipo": u.kind, "responsabile": u.head,
                    "risultato": c.aggregate(agg),
                    "gruppi": groups,
                }))
            })
            .collect()
    };
    let people: Vec<Value> = if !needs("persone") {
        Vec::new()
    } else {
        res
            .people
            .iter()
            .map(|p| {
                let unit = plan.units.iter().find(|u| u.head.as_deref() == Some(p.name.as_str()));
                // The person's own Assegnazioni rows, else (a head who
                // inherits) those of the unit.
                let own: Vec<Item> = plan
                    .assignments
                    .iter()
                    .filter(|a| a.subject == p.name)
                    .map(|a| (a.objective.as_deref(), a.indicator.as_deref(), a.weight.clone()))
                    .collect();
                let items = match unit {
                    Some(u) if own.is_empty() => crate::score::unit_items(plan, &u.code),
                    _ => own,
                };
                let (objectives, indicators, weights) = split_items(plan, &items);
                json!({
                    "nome": p.name,
                    "struttura": unit.map(|u| u.name.clone()),
                    "risultato": c.score(p.total.score, p.total.status, AGGREGATE_DECIMALS),
                    // Without Assegnazioni the layouts print a summary only.
                "gruppi": if plan.assignments.is_empty() { Vec::new() } else { c.grouped_rows(&objectives, &indicators, &weights) },
                })
            })
            .collect()
    };
    let cards: Vec<Value> = if !needs("schede") {
        Vec::new()
    } else {
        [Level::Strategico, Level::Operativo]
            .iter()
            .flat_map(|level| plan.objectives.iter().filter(move |o| o.level == *level))
            .map(|o| c.objective(o))
            .collect()
    };
    let budget: Vec<Value> = if !needs("bilancio") {
        Vec::new()
    } else {
        plan
            .budget
            .iter()
            .map(|b| {
                let money = |v: Option<Decimal>| v.map_or(String::new(), |v| fmt::number(v, 2));
                let diff = match (b.consuntivo, b.aggiornamento.or(b.preventivo)) {
                    (Some(c), Some(p)) => fmt::number(c - p, 2),
                    _ => String::new(),
                };
                json!({"sezione": b.section, "voce": b.item, "preventivo": money(b.preventivo), "aggiornamento": money(b.aggiornamento), "consuntivo": money(b.consuntivo), "differenza": diff})
            })
            .collect()
    };
    let not_scored: Vec<Value> = if !needs("non_valutati") {
        Vec::new()
    } else {
        plan.indicators
            .iter()
            .filter_map(|i| {
                let r = res.indicator(&i.code)?;
                r.sal.is_none().then(
                    || json!({"codice": i.code, "nome": i.name, "stato": status_json(r.status), "motivo": r.reason}),
                )
            })
            .collect()
    };
    let counts: Vec<Value> = res
        .counts()
        .into_iter()
        .filter(|_| c.results)
        .map(|(st, n)| json!({"stato": status_json(st), "numero": n}))
        .collect();
    let legend: Vec<Value> = Status::ALL.iter().map(|st| status_json(*st)).collect();
    let baseline_years: Vec<i32> = {
        let mut ys: Vec<i32> = plan.indicators.iter().filter_map(|i| i.baseline_year).collect();
        ys.sort();
        ys.dedup();
        ys
    };
    let mut data = json!({
        "documento": {"titolo": title, "data": plan.ente.date_of(key).format("%d/%m/%Y").to_string()},
        "ente": {
            "nome": plan.ente.name,
            "anno": plan.ente.year,
            "triennio": format!("{}-{}", plan.ente.triennium.0, plan.ente.triennium.1),
            "anni": plan.years(),
            "presidente": plan.ente.president,
            "segretario": plan.ente.secretary,
            "delibera": plan.ente.act,
            "logo": logo.map(|l| format!("/{l}")),
            "anni_baseline": baseline_years,
        },
        "impostazioni": {
            "soglia_raggiunto": fmt::percent_plain(s.achieved),
            "soglia_parziale": fmt::percent_plain(s.partial),
            "tetto": s.cap.map_or("nessuno".to_string(), fmt::percent_plain),
            "soglia_minima": fmt::percent_plain(s.floor),
            "tolleranza_giorni": s.late_days,
            "decimali_indicatori": SAL_DECIMALS,
            "decimali_aggregati": AGGREGATE_DECIMALS,
            "scale_pesi": weight_scales(plan),
        },
        "consuntivi": plan.has_actuals(),
        "sintesi": {
            "risultato": c.score(res.entity.score, res.entity.status, AGGREGATE_DECIMALS),
            "conteggi": counts,
        },
        "legenda": legend,
        "ambiti": areas,
        "strutture": units,
        "persone": people,
        // Without Assegnazioni each head answers for the unit's objectives,
        // already printed per unit: layouts print a summary, not a copy.
        "assegnazioni": !plan.assignments.is_empty(),
        "schede": cards,
        // A very large plan's index lists the strategic cards only: 1 400
        // entries would cost more to lay out than they help.
        "indice_completo": plan.indicators.len() < super::LARGE_PLAN,
        "bilancio": budget,
        "non_valutati": not_scored,
    });
    crate::printable::make_printable(&mut data);
    serde_json::to_vec(&data).unwrap_or_default()
}

/// One item a subject is scored on: (objective, indicator, weight).
type Item<'p> = (Option<&'p str>, Option<&'p str>, Option<crate::model::Weight>);

/// The objectives and single indicators of a subject's items, and the
/// printed weight of each (keys as in `Ctx::grouped_rows`).
fn split_items<'p>(
    plan: &'p Plan,
    items: &[Item],
) -> (Vec<&'p Objective>, Vec<&'p Indicator>, HashMap<String, String>) {
    let mut objectives = Vec::new();
    let mut indicators = Vec::new();
    let mut weights = HashMap::new();
    for (o, i, w) in items {
        let text = w.as_ref().map(|w| fmt::weight(w.value, w.scale));
        match (o.and_then(|o| plan.objective(o)), i.and_then(|i| plan.indicator(i))) {
            (Some(o), _) => {
                if !objectives.iter().any(|x: &&Objective| x.code == o.code) {
                    objectives.push(o);
                }
                if let Some(t) = text {
                    weights.insert(format!("o:{}", o.code), t);
                }
            }
            (None, Some(i)) => {
                if !indicators.iter().any(|x: &&Indicator| x.code == i.code) {
                    indicators.push(i);
                }
                if let Some(t) = text {
                    weights.insert(format!("i:{}", i.code), t);
                }
            }
            _ => {}
        }
    }
    (objectives, indicators, weights)
}

/// The objective cell of a row under the heading of strategic objective
/// `s`: empty for an indicator of `s` itself (the heading already names it).
fn title_under<'o>(o: &'o Objective, s: &Objective) -> &'o str {
    if o.code == s.code { "" } else { &o.title }
}

/// The operational objectives under a strategic one, in plan order.
pub(super) fn children_of<'p>(plan: &'p Plan, code: &str) -> Vec<&'p Objective> {
    plan.objectives.iter().filter(|c| c.parent.as_deref() == Some(code)).collect()
}

/// The scale of each weight column that holds weights, in words, for the
/// method note: a reader sees in which unit every weight and total is shown.
fn weight_scales(plan: &Plan) -> Vec<Value> {
    use crate::model::{Weight, WeightScale};
    let first = |mut it: Box<dyn Iterator<Item = Option<&Weight>> + '_>| it.find_map(|w| w.map(|w| w.scale));
    let columns = [
        ("Ambiti", first(Box::new(plan.areas.iter().map(|a| a.weight.as_ref())))),
        ("Obiettivi", first(Box::new(plan.objectives.iter().map(|o| o.weight.as_ref())))),
        ("Indicatori", first(Box::new(plan.indicators.iter().map(|i| i.weight.as_ref())))),
        ("Assegnazioni", first(Box::new(plan.assignments.iter().map(|a| a.weight.as_ref())))),
    ];
    columns
        .into_iter()
        .filter_map(|(sheet, scale)| {
            let words = match scale? {
                WeightScale::Points => "punti percentuali, stampati come scritti (totale atteso 100)",
                WeightScale::Fraction => "quote di 1, stampate in percentuale (totale atteso 100%)",
            };
            Some(json!({"foglio": sheet, "scala": words}))
        })
        .collect()
}
