//! What changed between two versions of a plan: objectives and indicators
//! added, removed or renamed; targets, operators, weights, baselines and
//! actual values changed; and the share of objectives modified after
//! approval ("n° obiettivi soggetti a modifica in itinere / n° obiettivi
//! programmati ex ante").

use crate::fmt;
use crate::model::{Assignment, Expr, Indicator, Level, Objective, Plan, Weight};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

/// What kind of change a line reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// Present only in the new version.
    Aggiunto,
    /// Present only in the old version.
    Rimosso,
    /// Same code, new title or name.
    Rinominato,
    /// Same code, a field changed.
    Modificato,
}

impl Kind {
    /// The Italian word.
    pub fn word(self) -> &'static str {
        match self {
            Kind::Aggiunto => "aggiunto",
            Kind::Rimosso => "rimosso",
            Kind::Rinominato => "rinominato",
            Kind::Modificato => "modificato",
        }
    }
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Added, removed, renamed, modified.
    pub kind: Kind,
    /// "obiettivo" or "indicatore".
    pub item: &'static str,
    /// The code.
    pub code: String,
    /// The objective the change counts against (for the rate).
    pub objective: String,
    /// The field, for modifications ("Target 2025", "Peso", ...).
    pub field: String,
    /// Old value as text.
    pub before: String,
    /// New value as text.
    pub after: String,
}

/// The comparison of two plans.
#[derive(Debug, Clone)]
pub struct Report {
    /// Every change, objectives first, in plan order.
    pub changes: Vec<Change>,
    /// Objectives of the old version.
    pub planned: usize,
    /// Objectives of the old version with at least one change.
    pub modified: usize,
}

impl Report {
    /// modified / planned, as a fraction (`None` without objectives).
    pub fn rate(&self) -> Option<Decimal> {
        (self.planned > 0).then(|| Decimal::from(self.modified) / Decimal::from(self.planned))
    }
}

fn expr_text(e: Option<&Expr>) -> String {
    e.map(|e| e.text.clone()).unwrap_or_default()
}

fn weight_text(w: Option<&Weight>) -> String {
    w.map(|w| fmt::weight(w.value)).unwrap_or_default()
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

fn level(l: Level) -> String {
    match l {
        Level::Strategico => "Strategico".into(),
        Level::Operativo => "Operativo".into(),
    }
}

/// Compares `old` and `new`.
pub fn compare(old: &Plan, new: &Plan) -> Report {
    let mut changes = Vec::new();
    let mut push = |kind, item, code: &str, objective: &str, field: &str, before: String, after: String| {
        changes.push(Change {
            kind,
            item,
            code: code.into(),
            objective: objective.into(),
            field: field.into(),
            before,
            after,
        });
    };
    for o in &old.objectives {
        match new.objective(&o.code) {
            None => push(Kind::Rimosso, "obiettivo", &o.code, &o.code, "", o.title.clone(), String::new()),
            Some(n) => {
                if n.title != o.title {
                    push(Kind::Rinominato, "obiettivo", &o.code, &o.code, "Titolo", o.title.clone(), n.title.clone());
                }
                for (field, a, b) in objective_fields(o, n) {
                    if a != b {
                        push(Kind::Modificato, "obiettivo", &o.code, &o.code, field, a, b);
                    }
                }
            }
        }
    }
    for n in new.objectives.iter().filter(|n| old.objective(&n.code).is_none()) {
        push(Kind::Aggiunto, "obiettivo", &n.code, &n.code, "", String::new(), n.title.clone());
    }
    let find = |plan: &'_ Plan, code: &str| plan.indicator(code).cloned();
    for i in &old.indicators {
        match find(new, &i.code) {
            None => push(Kind::Rimosso, "indicatore", &i.code, &i.objective, "", i.name.clone(), String::new()),
            Some(n) => {
                if n.name != i.name {
                    push(Kind::Rinominato, "indicatore", &i.code, &i.objective, "Nome", i.name.clone(), n.name.clone());
                }
                for (field, a, b) in indicator_fields(i, &n) {
                    if a != b {
                        push(Kind::Modificato, "indicatore", &i.code, &i.objective, &field, a, b);
                    }
                }
            }
        }
    }
    for n in new.indicators.iter().filter(|n| find(old, &n.code).is_none()) {
        push(Kind::Aggiunto, "indicatore", &n.code, &n.objective, "", String::new(), n.name.clone());
    }
    compare_assignments(old, new, &mut push);
    // Actual values are results, not changes to the plan, and assignments
    // say who answers for an objective, not what it asks: neither counts
    // towards the rate.
    let touched: BTreeSet<&str> = changes
        .iter()
        .filter(|c| !c.field.starts_with("Consuntivo") && c.item != ASSIGNMENT)
        .map(|c| c.objective.as_str())
        .collect();
    let modified = old.objectives.iter().filter(|o| touched.contains(o.code.as_str())).count();
    Report { changes, planned: old.objectives.len(), modified }
}

/// The item name of an assignment's changes.
const ASSIGNMENT: &str = "assegnazione";

/// An assignment by who and what: `Rossi → 01_OP01` or `SAC → IND07`.
fn assignment_key(a: &Assignment) -> String {
    let what = a.objective.as_deref().or(a.indicator.as_deref()).unwrap_or_default();
    format!("{} → {what}", a.subject)
}

/// The objective an assignment counts against: its own, or its indicator's.
fn assignment_objective(plan: &Plan, a: &Assignment) -> String {
    match (&a.objective, &a.indicator) {
        (Some(o), _) => o.clone(),
        (None, Some(i)) => plan.indicator(i).map(|i| i.objective.clone()).unwrap_or_default(),
        (None, None) => String::new(),
    }
}

/// Assignments added, removed or re-weighted (`Assegnazioni`).
fn compare_assignments(
    old: &Plan,
    new: &Plan,
    push: &mut impl FnMut(Kind, &'static str, &str, &str, &str, String, String),
) {
    let keyed = |plan: &'_ Plan| -> BTreeMap<String, Assignment> {
        plan.assignments.iter().map(|a| (assignment_key(a), a.clone())).collect()
    };
    let (before, after) = (keyed(old), keyed(new));
    for (key, a) in &before {
        let objective = assignment_objective(old, a);
        match after.get(key) {
            None => push(Kind::Rimosso, ASSIGNMENT, key, &objective, "", weight_text(a.weight.as_ref()), String::new()),
            Some(b) => {
                let (wa, wb) = (weight_text(a.weight.as_ref()), weight_text(b.weight.as_ref()));
                if wa != wb {
                    push(Kind::Modificato, ASSIGNMENT, key, &objective, "Peso", wa, wb);
                }
            }
        }
    }
    for (key, b) in after.iter().filter(|(k, _)| !before.contains_key(*k)) {
        push(
            Kind::Aggiunto,
            ASSIGNMENT,
            key,
            &assignment_objective(new, b),
            "",
            String::new(),
            weight_text(b.weight.as_ref()),
        );
    }
}

fn objective_fields(a: &Objective, b: &Objective) -> Vec<(&'static str, String, String)> {
    vec![
        ("Livello", level(a.level), level(b.level)),
        ("Ambito", opt(&a.area), opt(&b.area)),
        ("Obiettivo strategico", opt(&a.parent), opt(&b.parent)),
        ("Struttura", opt(&a.unit), opt(&b.unit)),
        ("Peso", weight_text(a.weight.as_ref()), weight_text(b.weight.as_ref())),
        ("Descrizione", opt(&a.description), opt(&b.description)),
    ]
}

fn indicator_fields(a: &Indicator, b: &Indicator) -> Vec<(String, String, String)> {
    let mut out = vec![
        ("Obiettivo".to_string(), a.objective.clone(), b.objective.clone()),
        ("Operatore".to_string(), a.op.symbol().to_string(), b.op.symbol().to_string()),
        ("Peso".to_string(), weight_text(a.weight.as_ref()), weight_text(b.weight.as_ref())),
        ("Baseline".to_string(), expr_text(a.baseline.as_ref()), expr_text(b.baseline.as_ref())),
        ("UdM".to_string(), opt(&a.udm), opt(&b.udm)),
        ("Formula".to_string(), opt(&a.formula), opt(&b.formula)),
    ];
    let years: BTreeSet<i32> = a.targets.keys().chain(b.targets.keys()).copied().collect();
    for y in years {
        out.push((format!("Target {y}"), expr_text(a.targets.get(&y)), expr_text(b.targets.get(&y))));
    }
    let years: BTreeSet<i32> = a.actuals.keys().chain(b.actuals.keys()).copied().collect();
    for y in years {
        let text = |i: &Indicator| i.actuals.get(&y).map(|x| x.value.text.clone()).unwrap_or_default();
        out.push((format!("Consuntivo {y}"), text(a), text(b)));
        let note = |i: &Indicator| i.actuals.get(&y).and_then(|x| x.note.clone()).unwrap_or_default();
        out.push((format!("Consuntivo {y} – nota"), note(a), note(b)));
        let neutralised =
            |i: &Indicator| i.actuals.get(&y).map(|x| if x.neutralised { "sì" } else { "no" }).unwrap_or_default();
        out.push((format!("Consuntivo {y} – neutralizzato"), neutralised(a).into(), neutralised(b).into()));
    }
    out
}

/// The report as Italian text for the terminal.
pub fn render_text(r: &Report, old: &str, new: &str) -> String {
    let mut out = format!("Confronto tra «{old}» e «{new}»\n");
    if r.changes.is_empty() {
        out.push_str("Nessuna differenza.\n");
    }
    for c in &r.changes {
        let line = match c.kind {
            Kind::Aggiunto => format!("+ {} {} aggiunto: {}", c.item, c.code, c.after),
            Kind::Rimosso => format!("- {} {} rimosso: {}", c.item, c.code, c.before),
            Kind::Rinominato => format!("~ {} {} rinominato: «{}» → «{}»", c.item, c.code, c.before, c.after),
            Kind::Modificato => format!("~ {} {}: {} «{}» → «{}»", c.item, c.code, c.field, c.before, c.after),
        };
        out.push_str(&line);
        out.push('\n');
    }
    let rate = r.rate().map_or("n.d.".to_string(), |x| fmt::percent(x, 1));
    out.push_str(&format!(
        "Obiettivi soggetti a modifica in itinere: {} su {} programmati ex ante ({rate})\n",
        r.modified, r.planned
    ));
    out
}

/// The report as an xlsx workbook (sheets `Sintesi` and `Modifiche`).
pub fn render_xlsx(r: &Report, old: &str, new: &str) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let percent = Format::new().set_num_format("0.0%");
    let ws = wb.add_worksheet();
    ws.set_name("Sintesi")?;
    ws.write_string_with_format(0, 0, "Confronto tra versioni del piano", &bold)?;
    ws.write_string(1, 0, "Versione precedente")?;
    ws.write_string(1, 1, old)?;
    ws.write_string(2, 0, "Versione nuova")?;
    ws.write_string(2, 1, new)?;
    ws.write_string(3, 0, "Obiettivi programmati ex ante")?;
    ws.write_number(3, 1, r.planned as f64)?;
    ws.write_string(4, 0, "Obiettivi soggetti a modifica in itinere")?;
    ws.write_number(4, 1, r.modified as f64)?;
    ws.write_string(5, 0, "Rapporto")?;
    if let Some(rate) = r.rate() {
        ws.write_number_with_format(
            5,
            1,
            rust_decimal::prelude::ToPrimitive::to_f64(&rate).unwrap_or_default(),
            &percent,
        )?;
    }
    ws.set_column_width(0, 42)?;
    ws.set_column_width(1, 50)?;
    let ws = wb.add_worksheet();
    ws.set_name("Modifiche")?;
    for (c, h) in ["Tipo", "Elemento", "Codice", "Obiettivo", "Campo", "Prima", "Dopo"].iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (n, c) in r.changes.iter().enumerate() {
        let row = 1 + n as u32;
        for (col, v) in [c.kind.word(), c.item, &c.code, &c.objective, &c.field, &c.before, &c.after].iter().enumerate()
        {
            ws.write_string(row, col as u16, *v)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, r.changes.len().max(1) as u32, 6)?;
    ws.set_autofit_max_width(420);
    ws.autofit();
    wb.save_to_buffer()
}
