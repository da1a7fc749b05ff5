//! `results.json`: the computed model in a stable open-data schema
//! (`piao-results/1`, documented in docs/results-json.md). Percentages are
//! 0–100 decimal strings, exact when they have at most 10 decimal places and
//! rounded half to even to 10 places otherwise; `null` when not scored.

use super::ExportContext;
use crate::model::{Expr, Level, Op, Weight, WeightScale};
use crate::report::Figure;
use crate::score::Status;
use rust_decimal::{Decimal, RoundingStrategy};
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::BTreeMap;

/// Places kept by a percentage that does not terminate within them.
const JSON_PLACES: u32 = 10;

// Fields are declared in alphabetical order: the file's keys are sorted, as
// they always were, so that a reader can diff two years' files. The doc
// comments of these structs are in Italian: they are the descriptions of the
// published schema (docs/schema/results.schema.json) that open-data users
// read.

/// Il file dei risultati (`piao-results/1`); percentuali 0–100 come stringhe decimali.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ResultsFile {
    /// Gli ambiti, nell'ordine del piano.
    pub areas: Vec<AreaOut>,
    /// L'ente e il suo indice sintetico.
    pub ente: EnteOut,
    /// Gli indicatori, nell'ordine del piano.
    pub indicators: Vec<IndicatorOut>,
    /// Gli obiettivi, nell'ordine del piano.
    pub objectives: Vec<ObjectiveOut>,
    /// I responsabili valutati.
    pub people: Vec<PersonOut>,
    /// Nome e versione dello schema: `piao-results/1`.
    pub schema: String,
    /// Il sistema di misurazione.
    pub settings: SettingsOut,
    /// Le strutture, nell'ordine del piano.
    pub units: Vec<UnitOut>,
}

/// Un ambito.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AreaOut {
    pub code: String,
    pub name: String,
    pub perspective: Option<String>,
    /// Percentuale 0–100 come stringa decimale; null se non valutato.
    pub score: Option<String>,
    pub status: Status,
    /// Il peso come scritto, nella scala `weight_scale`.
    pub weight: Option<String>,
    pub weight_scale: Option<WeightScale>,
}

/// L'ente.
#[derive(Debug, Serialize, JsonSchema)]
pub struct EnteOut {
    /// Sempre `ente`.
    pub code: String,
    /// La data del PIAO, aaaa-mm-gg.
    pub date: String,
    pub name: String,
    pub score: Option<String>,
    pub status: Status,
    pub triennium: [i32; 2],
    pub year: i32,
}

/// Un indicatore con target, consuntivo e SAL.
#[derive(Debug, Serialize, JsonSchema)]
pub struct IndicatorOut {
    pub actual: Option<SortedExpr>,
    pub baseline: Option<SortedExpr>,
    pub baseline_year: Option<i32>,
    pub code: String,
    pub formula: Option<String>,
    pub name: String,
    pub neutralised: bool,
    pub note: Option<String>,
    pub objective: String,
    pub operator: Op,
    /// Chi risponde dell'indicatore (colonna Owner), come scritto.
    pub owner: Option<String>,
    pub reason: Option<String>,
    pub sal: Option<String>,
    pub source: Option<String>,
    pub status: Option<Status>,
    /// I target per anno (`"2024"`).
    pub targets: BTreeMap<String, SortedExpr>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub unit: Option<String>,
    pub weight: Option<String>,
    pub weight_scale: Option<WeightScale>,
}

/// Un obiettivo.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ObjectiveOut {
    pub area: Option<String>,
    /// Vero per un obiettivo strategico misurato attraverso i suoi obiettivi operativi.
    pub cascade: bool,
    pub code: String,
    pub description: Option<String>,
    pub level: Level,
    pub mission: Option<String>,
    pub office: Option<String>,
    /// Chi risponde dell'obiettivo (colonna Owner), come scritto.
    pub owner: Option<String>,
    pub parent: Option<String>,
    /// Vero se l'obiettivo conta per la produttività (colonna Produttività).
    pub productivity: bool,
    pub program: Option<String>,
    pub programme: Option<String>,
    pub resources: Option<String>,
    pub score: Option<String>,
    pub status: Status,
    pub title: String,
    /// Vero se l'obiettivo compare nell'Albero della performance.
    pub tree: bool,
    pub unit: Option<String>,
    pub weight: Option<String>,
    pub weight_scale: Option<WeightScale>,
}

/// Un responsabile.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PersonOut {
    pub code: String,
    pub indicators: Vec<String>,
    pub name: String,
    pub objectives: Vec<String>,
    /// La produttività: media pesata sui soli obiettivi con Produttività = sì; null se non ne ha.
    pub productivity: Option<String>,
    /// Lo stato della produttività; null se non ne ha.
    pub productivity_status: Option<Status>,
    pub score: Option<String>,
    pub status: Status,
}

/// I parametri del sistema di misurazione, in percentuale.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SettingsOut {
    pub achieved: Option<String>,
    pub cap: Option<String>,
    pub floor: Option<String>,
    pub late_days: i64,
    pub partial: Option<String>,
}

/// Una struttura.
#[derive(Debug, Serialize, JsonSchema)]
pub struct UnitOut {
    pub code: String,
    pub head: Option<String>,
    pub name: String,
    pub parent: Option<String>,
    /// La produttività: media pesata sui soli obiettivi con Produttività = sì; null se non ne ha.
    pub productivity: Option<String>,
    /// Lo stato della produttività; null se non ne ha.
    pub productivity_status: Option<Status>,
    pub score: Option<String>,
    pub status: Status,
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

/// Un target, una baseline o un consuntivo: l'espressione come scritta e
/// come letta, con le chiavi in ordine alfabetico.
#[derive(Debug, JsonSchema)]
#[schemars(transparent)]
pub struct SortedExpr(Expr);

impl Serialize for SortedExpr {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Through a JSON value, whose maps sort their keys.
        serde_json::to_value(&self.0).map_err(serde::ser::Error::custom)?.serialize(s)
    }
}

/// A fraction as a 0–100 decimal string. A percentage with at most
/// [`JSON_PLACES`] decimal places is written exactly (`100`, `94.4`); one with
/// more is rounded to that many places, half to even (`66.6666666667`).
/// Exact arithmetic keeps 28 significant digits, so every non-terminating
/// quotient (⅔) has more than 10 places and is rounded, as is a result whose
/// last digit came from rounding at 28 digits (`99.99999999999999999999999999`
/// is `100`): what is printed is never a truncation artifact.
fn pct(score: Option<Decimal>) -> Option<String> {
    score.map(|s| clean_percent(s).to_string())
}

fn clean_percent(fraction: Decimal) -> Decimal {
    let p = (fraction * Decimal::ONE_HUNDRED).normalize();
    if p.scale() <= JSON_PLACES {
        p
    } else {
        p.round_dp_with_strategy(JSON_PLACES, RoundingStrategy::MidpointNearestEven).normalize()
    }
}

fn weight(w: Option<&Weight>) -> (Option<String>, Option<WeightScale>) {
    (w.map(|w| w.value.normalize().to_string()), w.map(|w| w.scale))
}

fn expr(e: Option<&Expr>) -> Option<SortedExpr> {
    e.map(|e| SortedExpr(e.clone()))
}

/// The results file of a report.
pub fn results_file(ctx: &ExportContext) -> ResultsFile {
    let r = ctx.report;
    let (plan, res) = (r.plan, r.results);
    let s = &plan.ente.settings;
    let figure = |f: Figure| (pct(f.score), f.status);
    let areas = r
        .areas
        .iter()
        .map(|a| {
            let (score, status) = figure(a.figure);
            let (weight, weight_scale) = weight(a.area.weight.as_ref());
            AreaOut {
                code: a.area.code.clone(),
                name: a.area.name.clone(),
                perspective: a.area.perspective.clone(),
                score,
                status,
                weight,
                weight_scale,
            }
        })
        .collect();
    let objectives = r
        .objectives
        .iter()
        .map(|node| {
            let o = node.objective;
            let (score, status) = figure(node.figure);
            let (weight, weight_scale) = weight(o.weight.as_ref());
            ObjectiveOut {
                area: o.area.clone(),
                cascade: node.scored_through_children,
                code: o.code.clone(),
                description: o.description.clone(),
                level: o.level,
                mission: o.mission.clone(),
                office: o.office.clone(),
                owner: o.owner.clone(),
                parent: o.parent.clone(),
                productivity: o.productivity == Some(true),
                program: o.program.clone(),
                programme: o.programme.clone(),
                resources: o.resources.clone(),
                score,
                status,
                title: o.title.clone(),
                tree: plan.in_tree(o),
                unit: o.unit.clone(),
                weight,
                weight_scale,
            }
        })
        .collect();
    let indicators = r
        .indicators
        .iter()
        .map(|node| {
            let i = node.indicator;
            let (weight, weight_scale) = weight(i.weight.as_ref());
            IndicatorOut {
                actual: expr(node.actual.map(|a| &a.value)),
                baseline: expr(i.baseline.as_ref()),
                baseline_year: i.baseline_year,
                code: i.code.clone(),
                formula: i.formula.clone(),
                name: i.name.clone(),
                neutralised: node.actual.is_some_and(|a| a.neutralised),
                note: node.actual.and_then(|a| a.note.clone()),
                objective: i.objective.clone(),
                operator: i.op,
                owner: i.owner.clone(),
                reason: node.result.and_then(|r| r.reason.clone()),
                sal: pct(node.result.and_then(|r| r.sal)),
                source: i.source.clone(),
                status: node.result.map(|r| r.status),
                targets: i.targets.iter().map(|(y, e)| (y.to_string(), SortedExpr(e.clone()))).collect(),
                kind: i.kind.clone(),
                unit: i.udm.clone(),
                weight,
                weight_scale,
            }
        })
        .collect();
    let units = plan
        .units
        .iter()
        .map(|u| {
            let (score, status) = figure(Figure::of(res.unit(&u.code)));
            let productivity = res.productivity_of(&u.code);
            UnitOut {
                code: u.code.clone(),
                head: u.head.clone(),
                name: u.name.clone(),
                parent: u.parent.clone(),
                productivity: productivity.and_then(|a| pct(a.score)),
                productivity_status: productivity.map(|a| a.status),
                score,
                status,
                kind: u.kind.clone(),
            }
        })
        .collect();
    let people = res
        .people
        .iter()
        .map(|p| PersonOut {
            code: p.name.clone(),
            indicators: p.indicators.clone(),
            name: p.name.clone(),
            objectives: p.objectives.clone(),
            productivity: p.productivity.as_ref().and_then(|a| pct(a.score)),
            productivity_status: p.productivity.as_ref().map(|a| a.status),
            score: pct(p.total.score),
            status: p.total.status,
        })
        .collect();
    let (score, status) = figure(r.entity);
    ResultsFile {
        areas,
        ente: EnteOut {
            code: "ente".to_string(),
            date: plan.ente.date.format("%Y-%m-%d").to_string(),
            name: plan.ente.name.clone(),
            score,
            status,
            triennium: [plan.ente.triennium.0, plan.ente.triennium.1],
            year: plan.ente.year,
        },
        indicators,
        objectives,
        people,
        schema: "piao-results/1".to_string(),
        settings: SettingsOut {
            achieved: pct(Some(s.achieved)),
            cap: pct(s.cap),
            floor: pct(Some(s.floor)),
            late_days: s.late_days,
            partial: pct(Some(s.partial)),
        },
        units,
    }
}

/// Serialises the plan and its results (pretty, keys in a fixed order).
pub fn export(ctx: &ExportContext) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(&results_file(ctx)).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// The JSON Schema of results.json (committed as docs/schema/results.schema.json).
pub fn schema() -> schemars::Schema {
    schemars::schema_for!(ResultsFile)
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
