//! In-memory plans for the unit tests of the scoring engine: every figure is
//! chosen by the test, no workbook is read. Each indicator has target `≥ 1`
//! and an actual equal to the SAL the test wants.

use crate::model::*;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Builds a [`Plan`] item by item.
pub struct PlanBuilder {
    plan: Plan,
}

fn weight(w: Option<(Decimal, WeightScale)>, cell: &str) -> Option<Weight> {
    w.map(|(value, scale)| Weight { value, scale, cell: format!("Test!{cell}") })
}

impl PlanBuilder {
    /// An empty plan for 2024 with the default settings.
    pub fn new() -> PlanBuilder {
        let ente = Ente {
            name: "Camera di prova".into(),
            year: 2024,
            triennium: (2024, 2026),
            president: None,
            secretary: None,
            act: None,
            date: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default(),
            report_date: NaiveDate::from_ymd_opt(2025, 6, 30).unwrap_or_default(),
            logo: None,
            logo_cell: None,
            settings: Settings::default(),
            by_mission: false,
        };
        PlanBuilder {
            plan: Plan {
                file: "prova.xlsx".into(),
                ente,
                areas: Vec::new(),
                objectives: Vec::new(),
                indicators: Vec::new(),
                units: Vec::new(),
                assignments: Vec::new(),
                budget: Vec::new(),
                index: PlanIndex::default(),
            },
        }
    }

    /// Adds an area.
    pub fn area(&mut self, code: &str, w: Option<(Decimal, WeightScale)>) -> &mut Self {
        let weight = weight(w, code);
        self.plan.areas.push(Area {
            code: code.into(),
            name: format!("Ambito {code}"),
            perspective: None,
            weight,
            cells: Cells::default(),
        });
        self
    }

    /// Adds an objective: strategic under `area`, or operational under
    /// `parent`; `unit` is its responsible unit.
    pub fn objective(
        &mut self,
        code: &str,
        area: Option<&str>,
        parent: Option<&str>,
        unit: Option<&str>,
        w: Option<(Decimal, WeightScale)>,
    ) -> &mut Self {
        self.plan.objectives.push(Objective {
            code: code.into(),
            level: if parent.is_some() { Level::Operativo } else { Level::Strategico },
            title: format!("Obiettivo {code}"),
            description: None,
            area: area.map(str::to_string),
            parent: parent.map(str::to_string),
            programme: None,
            mission: None,
            program: None,
            unit: unit.map(str::to_string),
            office: None,
            resources: None,
            weight: weight(w, code),
            owner: None,
            benefits: None,
            actions: None,
            involved: Vec::new(),
            service_area: None,
            tree: None,
            productivity: None,
            extra: Default::default(),
            cells: Cells::default(),
        });
        self
    }

    /// Marks the last objective added with its `Produttività` flag.
    pub fn productivity(&mut self, flag: bool) -> &mut Self {
        if let Some(o) = self.plan.objectives.last_mut() {
            o.productivity = Some(flag);
        }
        self
    }

    /// Marks the last objective added with its `Albero` flag.
    pub fn tree(&mut self, flag: bool) -> &mut Self {
        if let Some(o) = self.plan.objectives.last_mut() {
            o.tree = Some(flag);
        }
        self
    }

    /// Adds an indicator of `objective` whose SAL will be `sal` (0 to 1).
    pub fn indicator(
        &mut self,
        code: &str,
        objective: &str,
        sal: Decimal,
        w: Option<(Decimal, WeightScale)>,
    ) -> &mut Self {
        let year = self.plan.ente.year;
        let target = Expr::from_number(Decimal::ONE, "1".into(), Op::Ge);
        let actual = Expr::from_number(sal, sal.to_string(), Op::Ge);
        self.plan.indicators.push(Indicator {
            code: code.into(),
            objective: objective.into(),
            name: format!("Indicatore {code}"),
            formula: None,
            kind: None,
            perspective: None,
            udm: None,
            source: None,
            op: Op::Ge,
            baseline: None,
            baseline_year: None,
            targets: [(year, target)].into_iter().collect(),
            weight: weight(w, code),
            actuals: [(year, Actual { value: actual, note: None, neutralised: false })].into_iter().collect(),
            owner: None,
            milestones: None,
            extra: Default::default(),
            cells: Cells::default(),
        });
        self
    }

    /// Adds a unit with its head.
    pub fn unit(&mut self, code: &str, head: &str) -> &mut Self {
        self.plan.units.push(Unit {
            code: code.into(),
            name: format!("Struttura {code}"),
            kind: None,
            head: Some(head.into()),
            parent: None,
            cells: Cells::default(),
        });
        self
    }

    /// Assigns an objective to a unit code or a person's name.
    pub fn assign(&mut self, subject: &str, objective: &str, w: Option<(Decimal, WeightScale)>) -> &mut Self {
        self.plan.assignments.push(Assignment {
            subject: subject.into(),
            objective: Some(objective.into()),
            indicator: None,
            weight: weight(w, objective),
            cells: Cells::default(),
        });
        self
    }

    /// Assigns a single indicator to a unit code or a person's name.
    pub fn assign_indicator(&mut self, subject: &str, indicator: &str, w: Option<(Decimal, WeightScale)>) -> &mut Self {
        self.plan.assignments.push(Assignment {
            subject: subject.into(),
            objective: None,
            indicator: Some(indicator.into()),
            weight: weight(w, indicator),
            cells: Cells::default(),
        });
        self
    }

    /// The plan, indexed.
    pub fn build(&self) -> Plan {
        let mut plan = self.plan.clone();
        plan.index = PlanIndex::new(&plan.objectives, &plan.indicators);
        plan
    }
}
