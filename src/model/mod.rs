//! Model stage: the typed plan built from the workbook's tables, with every
//! join checked. Nothing here computes results; see `score`.

mod build;
mod ente;
pub mod expr;
mod hints;
pub mod sheets;

pub use build::build;
pub use expr::{Expr, Op, Scale, Value};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Where an item's cells are, for diagnostics: column key → (sheet, A1).
#[derive(Debug, Clone, Default)]
pub struct Cells(BTreeMap<&'static str, (String, String)>);

impl Cells {
    /// Records the cell of a column.
    pub fn insert(&mut self, key: &'static str, sheet: &str, a1: String) {
        self.0.insert(key, (sheet.to_string(), a1));
    }

    /// `Sheet!A1` of a column's cell, if known.
    pub fn name(&self, key: &str) -> Option<String> {
        self.0.get(key).map(|(s, c)| format!("{s}!{c}"))
    }

    /// An error placed at the cell of `key` (or at the sheet of any known
    /// cell when that column is absent).
    pub fn error(&self, key: &str, message: impl Into<String>) -> crate::diag::Diagnostic {
        let d = crate::diag::Diagnostic::error(message);
        match self.0.get(key).or_else(|| self.0.values().next()) {
            Some((sheet, a1)) => d.at(sheet, Some(a1.clone())),
            None => d,
        }
    }
}

/// The whole plan of one workbook, ready to score and render.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// The workbook's file name.
    pub file: String,
    /// The entity and its scoring settings.
    pub ente: Ente,
    /// Strategic areas (or BSC perspectives), in workbook order.
    pub areas: Vec<Area>,
    /// Every objective, strategic and operational, in workbook order.
    pub objectives: Vec<Objective>,
    /// Every indicator, in workbook order, with its actual values.
    pub indicators: Vec<Indicator>,
    /// Organisational units.
    pub units: Vec<Unit>,
    /// Objectives and indicators assigned to people or units.
    pub assignments: Vec<Assignment>,
    /// The economic-financial table.
    pub budget: Vec<BudgetLine>,
    /// Lookups by code, built once (plans reach thousands of indicators).
    #[serde(skip)]
    pub index: PlanIndex,
}

/// The plan's relations on positions, built once (plans reach thousands of
/// indicators): objectives by code, indicators by code and by objective,
/// the operational objectives under each strategic one, the strategic
/// objectives of each area. Every stage finds relations here, never by
/// scanning lists.
#[derive(Debug, Clone, Default)]
pub struct PlanIndex {
    objectives: std::collections::HashMap<String, usize>,
    indicators: std::collections::HashMap<String, usize>,
    indicators_of: std::collections::HashMap<String, Vec<usize>>,
    children_of: std::collections::HashMap<String, Vec<usize>>,
    strategic_of_area: std::collections::HashMap<String, Vec<usize>>,
}

impl PlanIndex {
    /// Indexes the objectives and indicators of a plan.
    pub fn new(objectives: &[Objective], indicators: &[Indicator]) -> PlanIndex {
        let mut index = PlanIndex::default();
        for (n, o) in objectives.iter().enumerate() {
            index.objectives.entry(o.code.clone()).or_insert(n);
            if let Some(parent) = &o.parent {
                index.children_of.entry(parent.clone()).or_default().push(n);
            }
            if o.level == Level::Strategico
                && let Some(area) = &o.area
            {
                index.strategic_of_area.entry(area.clone()).or_default().push(n);
            }
        }
        for (n, i) in indicators.iter().enumerate() {
            index.indicators.entry(i.code.clone()).or_insert(n);
            index.indicators_of.entry(i.objective.clone()).or_default().push(n);
        }
        index
    }
}

/// The entity (`Ente` sheet).
#[derive(Debug, Clone, Serialize)]
pub struct Ente {
    /// "Camera di Commercio di Arezzo-Siena".
    pub name: String,
    /// The reference year.
    pub year: i32,
    /// First and last year of the triennium.
    pub triennium: (i32, i32),
    /// The president's name.
    pub president: Option<String>,
    /// The secretary general's name.
    pub secretary: Option<String>,
    /// The approving act.
    pub act: Option<String>,
    /// The date printed on and embedded in the PIAO annexes (and, when the
    /// workbook gives one, in every document): `Data`, else the date in
    /// `Delibera`, else 31 January of `Anno`, the PIAO's legal deadline.
    pub date: NaiveDate,
    /// The date of the Relazione: the workbook's date when it gives one, else
    /// 30 June of the year after `Anno`, the Relazione's legal deadline (a
    /// report on a year cannot be dated inside it).
    pub report_date: NaiveDate,
    /// The logo file, resolved inside the workbook's folder.
    pub logo: Option<PathBuf>,
    /// Where the workbook names the logo, as (sheet, cell): a logo that
    /// cannot be used is reported there.
    pub logo_cell: Option<(String, String)>,
    /// The scoring settings (SMVP).
    pub settings: Settings,
    /// `Cruscotto per` = Missione: the Allegato's Cruscotto di Ente groups
    /// the strategic objectives by Missione (as seed 003 does) instead of by
    /// area.
    pub by_mission: bool,
}

/// The scoring settings a chamber's measurement system may change.
#[derive(Debug, Clone, Serialize)]
pub struct Settings {
    /// At or above: raggiunto (fraction, default 1).
    pub achieved: Decimal,
    /// At or above: parzialmente raggiunto (default 0.7).
    pub partial: Decimal,
    /// Highest SAL of an indicator; `None` for no cap (default 1).
    pub cap: Option<Decimal>,
    /// A SAL below it counts as 0 (default 0).
    pub floor: Decimal,
    /// Days a deadline may be late and still count (default 0).
    pub late_days: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            achieved: Decimal::ONE,
            partial: Decimal::new(7, 1),
            cap: Some(Decimal::ONE),
            floor: Decimal::ZERO,
            late_days: 0,
        }
    }
}

/// A weight as written, with the cell it came from for warnings.
#[derive(Debug, Clone, Serialize)]
pub struct Weight {
    /// The weight in its column's scale: `30` in percentage points, `0.25`
    /// as a share of one.
    pub value: Decimal,
    /// The scale of the whole column the weight was read from.
    pub scale: WeightScale,
    /// `Sheet!A1`.
    pub cell: String,
}

/// How a `Peso` column writes its weights. It is decided once per column
/// (`Ambiti.Peso`, `Obiettivi.Peso`, `Indicatori.Peso`, `Assegnazioni.Peso`)
/// from all of its cells, so that every weight of the column is shown, summed
/// and checked in one unit: a per-value guess would print a weight of 1 point
/// as «100%».
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(
    description = "La scala di una colonna dei pesi: points (punti percentuali, totale atteso 100) o fraction (quote di 1, totale atteso 1)."
)]
pub enum WeightScale {
    /// Percentage points (`30`, `33,3`): shown as written, they should sum
    /// to 100. A column is in points when any bare number in it exceeds 1;
    /// a `25%` text cell in it counts as 25 points.
    #[schemars(description = "points: punti percentuali (30, 33,3), stampati come scritti; sommano a 100")]
    Points,
    /// Shares of one (`0,25`) or percent text (`25%`): shown as percentages,
    /// they should sum to 1 (100%).
    #[schemars(
        description = "fraction: quote di 1 (0,25) o percentuali scritte (25%), stampate in percentuale; sommano a 1 (100%)"
    )]
    Fraction,
}

impl WeightScale {
    /// The total that the weights of one parent should reach: 100 points or
    /// 1 (100%).
    pub fn full(self) -> Decimal {
        match self {
            WeightScale::Points => Decimal::ONE_HUNDRED,
            WeightScale::Fraction => Decimal::ONE,
        }
    }

    /// How far a total may be from [`WeightScale::full`] without a warning:
    /// half a percentage point (real plans write 33,3% three times).
    pub fn tolerance(self) -> Decimal {
        match self {
            WeightScale::Points => Decimal::new(5, 1),
            WeightScale::Fraction => Decimal::new(5, 3),
        }
    }
}

/// A strategic area or BSC perspective.
#[derive(Debug, Clone, Serialize)]
pub struct Area {
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// The BSC perspective, canonical name.
    pub perspective: Option<String>,
    /// Weight within the entity.
    pub weight: Option<Weight>,
    /// Where its cells are (not serialised).
    #[serde(skip)]
    pub cells: Cells,
}

/// Strategic or operational.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(description = "Livello dell'obiettivo: strategico od operativo.")]
pub enum Level {
    /// Obiettivo strategico.
    Strategico,
    /// Obiettivo operativo.
    Operativo,
}

/// An objective of any level.
#[derive(Debug, Clone, Serialize)]
pub struct Objective {
    /// Its code.
    pub code: String,
    /// Strategic or operational.
    pub level: Level,
    /// Its title.
    pub title: String,
    /// Long description.
    pub description: Option<String>,
    /// Area code (strategic objectives).
    pub area: Option<String>,
    /// Parent strategic objective (operational objectives).
    pub parent: Option<String>,
    /// Programma di intervento.
    pub programme: Option<String>,
    /// Missione (DM 27/03/2013).
    pub mission: Option<String>,
    /// Programma (DM 27/03/2013).
    pub program: Option<String>,
    /// Responsible unit code.
    pub unit: Option<String>,
    /// Office.
    pub office: Option<String>,
    /// Economic resources, as written.
    pub resources: Option<String>,
    /// Weight within its parent.
    pub weight: Option<Weight>,
    /// Who answers for it (`Owner`), as written: a person or a service.
    pub owner: Option<String>,
    /// Benefici attesi (the strategy table).
    pub benefits: Option<String>,
    /// Azioni/Interventi (the strategy table).
    pub actions: Option<String>,
    /// Strutture coinvolte / Servizi interni coinvolti, one per name written.
    pub involved: Vec<Involved>,
    /// The Area a service table files it under (`Area servizio`), as written.
    pub service_area: Option<String>,
    /// `Albero`: whether it belongs to the Albero della performance; `None`
    /// when the cell is blank (see [`Plan::in_tree`]).
    pub tree: Option<bool>,
    /// `Produttività`: whether it feeds its units' productivity figure;
    /// `None` when the cell is blank (it does not).
    pub productivity: Option<bool>,
    /// Columns the contract does not know, by header.
    pub extra: BTreeMap<String, String>,
    /// Where its cells are (not serialised).
    #[serde(skip)]
    pub cells: Cells,
}

/// One unit named in `Strutture coinvolte`: the text as written and, when
/// it names a unit of `Strutture` (by code or denominazione), that unit's
/// code. Services are often written loosely («S. Promozione e Sviluppo
/// Economico», «Trasversale»), so a name that matches no unit is kept as
/// text, not refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Involved {
    /// The name as written.
    pub text: String,
    /// The code of the unit it names, if any.
    pub unit: Option<String>,
}

/// An indicator with targets by year and actual values.
#[derive(Debug, Clone, Serialize)]
pub struct Indicator {
    /// Its code.
    pub code: String,
    /// Its objective's code.
    pub objective: String,
    /// Short name.
    pub name: String,
    /// How it is computed.
    pub formula: Option<String>,
    /// Tipologia (Efficacia, Efficienza, ...).
    pub kind: Option<String>,
    /// Per-indicator BSC perspective.
    pub perspective: Option<String>,
    /// Unit of measure as written.
    pub udm: Option<String>,
    /// Data source.
    pub source: Option<String>,
    /// Default operator of its targets.
    pub op: Op,
    /// Baseline value.
    pub baseline: Option<Expr>,
    /// Year of the baseline.
    pub baseline_year: Option<i32>,
    /// Target by year.
    pub targets: BTreeMap<i32, Expr>,
    /// Weight within its objective.
    pub weight: Option<Weight>,
    /// Actual value by year.
    pub actuals: BTreeMap<i32, Actual>,
    /// Who answers for it (`Owner`), as written: a service or a person.
    pub owner: Option<String>,
    /// Scadenze intermedie (monitoring dates before the target), as written.
    pub milestones: Option<String>,
    /// Columns the contract does not know, by header.
    pub extra: BTreeMap<String, String>,
    /// Where its cells are (not serialised).
    #[serde(skip)]
    pub cells: Cells,
}

/// An actual value (consuntivo).
#[derive(Debug, Clone, Serialize)]
pub struct Actual {
    /// The value.
    pub value: Expr,
    /// Explanation shown beside the result.
    pub note: Option<String>,
    /// Excluded from scoring, weight redistributed.
    pub neutralised: bool,
}

/// An organisational unit.
#[derive(Debug, Clone, Serialize)]
pub struct Unit {
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Segreteria generale, Area dirigenziale, ...
    pub kind: Option<String>,
    /// The person in charge.
    pub head: Option<String>,
    /// Parent unit code.
    pub parent: Option<String>,
    /// Where its cells are (not serialised).
    #[serde(skip)]
    pub cells: Cells,
}

/// An objective or indicator assigned to a person or unit.
#[derive(Debug, Clone, Serialize)]
pub struct Assignment {
    /// A unit code or a person's name.
    pub subject: String,
    /// Objective code.
    pub objective: Option<String>,
    /// Indicator code.
    pub indicator: Option<String>,
    /// Weight within the subject's objectives.
    pub weight: Option<Weight>,
    /// Where its cells are (not serialised).
    #[serde(skip)]
    pub cells: Cells,
}

/// One line of the economic-financial table.
#[derive(Debug, Clone, Serialize)]
pub struct BudgetLine {
    /// Section heading.
    pub section: Option<String>,
    /// The item.
    pub item: String,
    /// Budget.
    pub preventivo: Option<Decimal>,
    /// Revised budget.
    pub aggiornamento: Option<Decimal>,
    /// Final figure.
    pub consuntivo: Option<Decimal>,
}

/// What an objective's score is computed from (see [`Plan::basis`]).
#[derive(Debug, Clone)]
pub enum Basis<'p> {
    /// Its own indicators (possibly none).
    Indicators(Vec<&'p Indicator>),
    /// Its operational objectives: a strategic objective without
    /// indicators of its own (the cascade).
    Objectives(Vec<&'p Objective>),
}

impl Basis<'_> {
    /// True for the cascade: the score comes from operational objectives.
    pub fn is_cascade(&self) -> bool {
        matches!(self, Basis::Objectives(_))
    }
}

impl Indicator {
    /// The operator the score compares with in `year`: the one written in
    /// that year's target (a deadline compares with ≤), else that of any
    /// target, else the `Operatore` column. Documents print this one, so the
    /// `Operatore` column never says ≥ beside a target written `<= 1`.
    pub fn op_for(&self, year: i32) -> Op {
        self.targets.get(&year).or_else(|| self.targets.values().find(|e| e.is_scorable())).map_or(self.op, |e| e.op)
    }
}

impl Plan {
    /// True when any indicator has an actual value for the reference year:
    /// the Relazione can be produced.
    pub fn has_actuals(&self) -> bool {
        self.indicators.iter().any(|i| i.actuals.contains_key(&self.ente.year))
    }

    /// The objective with this code.
    pub fn objective(&self, code: &str) -> Option<&Objective> {
        self.index.objectives.get(code).and_then(|n| self.objectives.get(*n))
    }

    /// The position of the objective with this code in `objectives`.
    pub fn objective_position(&self, code: &str) -> Option<usize> {
        self.index.objectives.get(code).copied()
    }

    /// The position of the indicator with this code in `indicators`.
    pub fn indicator_position(&self, code: &str) -> Option<usize> {
        self.index.indicators.get(code).copied()
    }

    /// The indicator with this code.
    pub fn indicator(&self, code: &str) -> Option<&Indicator> {
        self.index.indicators.get(code).and_then(|n| self.indicators.get(*n))
    }

    /// The indicators of an objective, in plan order, with their positions.
    pub fn indicators_of<'a>(&'a self, objective: &str) -> impl Iterator<Item = (usize, &'a Indicator)> + 'a {
        self.index
            .indicators_of
            .get(objective)
            .into_iter()
            .flatten()
            .filter_map(|n| self.indicators.get(*n).map(|i| (*n, i)))
    }

    /// Whether an objective appears in the Albero della performance. An
    /// explicit `Albero` cell decides; a blank one keeps a strategic
    /// objective (the tree's trunk) and leaves an operational one out, so a
    /// plan without the column prints the tree of areas and strategic
    /// objectives it always had.
    pub fn in_tree(&self, o: &Objective) -> bool {
        o.tree.unwrap_or(o.level == Level::Strategico)
    }

    /// The operational objectives printed under a strategic one in the
    /// Albero della performance: its children marked `Albero` = sì, in plan
    /// order.
    pub fn tree_children<'a>(&'a self, code: &'a str) -> impl Iterator<Item = &'a Objective> + 'a {
        self.objectives
            .iter()
            .filter(move |o| o.level == Level::Operativo && o.parent.as_deref() == Some(code) && self.in_tree(o))
    }

    /// The strategic objectives grouped by `Missione`, missions in order of
    /// first appearance, objectives in plan order; objectives without a
    /// Missione last, under `None`. Empty when no objective has a Missione
    /// (the documents then group by area as always).
    pub fn by_mission(&self) -> Vec<(Option<&str>, Vec<&Objective>)> {
        let strategic = || self.objectives.iter().filter(|o| o.level == Level::Strategico);
        if strategic().all(|o| o.mission.is_none()) {
            return Vec::new();
        }
        let mut groups: Vec<(Option<&str>, Vec<&Objective>)> = Vec::new();
        for o in strategic() {
            let key = o.mission.as_deref();
            match groups.iter_mut().find(|(m, _)| *m == key) {
                Some((_, list)) => list.push(o),
                None => groups.push((key, vec![o])),
            }
        }
        groups.sort_by_key(|(m, _)| m.is_none());
        groups
    }

    /// True when any objective is marked `Produttività` = sì: the results
    /// then carry a productivity figure per unit.
    pub fn has_productivity(&self) -> bool {
        self.objectives.iter().any(|o| o.productivity == Some(true))
    }

    /// The objectives whose parent is `code` (the operational objectives of a
    /// strategic one), in plan order.
    pub fn children_of<'a>(&'a self, code: &str) -> impl Iterator<Item = &'a Objective> + 'a {
        self.index.children_of.get(code).into_iter().flatten().filter_map(|n| self.objectives.get(*n))
    }

    /// The strategic objectives of an area, in plan order.
    pub fn strategic_of_area<'a>(&'a self, area: &str) -> impl Iterator<Item = &'a Objective> + 'a {
        self.index.strategic_of_area.get(area).into_iter().flatten().filter_map(|n| self.objectives.get(*n))
    }

    /// What an objective is scored on — the cascade rule, written once: its
    /// own indicators; a strategic objective without indicators of its own
    /// is scored through its operational objectives. An operational
    /// objective without indicators is scored on nothing (not valutabile).
    pub fn basis<'a>(&'a self, o: &Objective) -> Basis<'a> {
        let own: Vec<&Indicator> = self.indicators_of(&o.code).map(|(_, i)| i).collect();
        if own.is_empty() && o.level == Level::Strategico {
            Basis::Objectives(self.children_of(&o.code).collect())
        } else {
            Basis::Indicators(own)
        }
    }

    /// The indicators an objective's score finally comes from: its own, or
    /// (cascade) those of its operational objectives.
    pub fn scoring_indicators<'a>(&'a self, o: &Objective) -> Vec<&'a Indicator> {
        match self.basis(o) {
            Basis::Indicators(own) => own,
            Basis::Objectives(children) => {
                children.iter().flat_map(|c| self.indicators_of(&c.code).map(|(_, i)| i)).collect()
            }
        }
    }

    /// The years the documents print targets for, in order: the triennium
    /// and every other year any indicator has a target for (a 2023–2026
    /// cruscotto keeps its 2026 column when `Ente` says 2023–2025), so no
    /// target the office planned is dropped.
    pub fn years(&self) -> Vec<i32> {
        let mut years: std::collections::BTreeSet<i32> = (self.ente.triennium.0..=self.ente.triennium.1).collect();
        years.extend(self.indicators.iter().flat_map(|i| i.targets.keys().copied()));
        years.into_iter().collect()
    }
}
