//! Builds the [`Plan`] from the workbook's tables and checks every join:
//! duplicate codes, orphan references, parent cycles, unreadable cells.
//! All problems are collected; none stops the reading of the rest.

use super::ente::read_ente;
use super::expr::{Expr, Op};
use super::sheets;
use super::*;
use crate::diag::{Diagnostic, Diagnostics};
use crate::fmt;
use crate::read::{Cell, RawWorkbook, Row, SheetSpec, Table, YearKind, normalize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Reads the plan out of a workbook. The plan is `None` when an error makes
/// it unusable; the diagnostics always say why, naming file, sheet and cell.
pub fn build(raw: &RawWorkbook) -> (Option<Plan>, Diagnostics) {
    let mut diags = Diagnostics::new();
    diags.extend(raw.notes.iter().cloned());
    let plan = Builder { raw, diags: &mut diags, year: None }.run();
    diags.in_file(&raw.file);
    let plan = if diags.has_errors() { None } else { plan };
    (plan, diags)
}

/// The largest weight accepted: weights are percentages or points, and a
/// bound keeps every weighted sum far from the decimal type's range
/// (a weight of 7,9·10²⁸ would overflow it).
const MAX_WEIGHT: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);

/// The longest code, title or name of an area, unit or person: each is a
/// heading, a bookmark or a running header in the PDFs, and a PDF/A string holds at most 32 767
/// bytes; long text belongs in a description.
pub(super) const MAX_NAME_CHARS: usize = 1000;

/// A weight written as a percentage: the text `25%`, or a typed number in a
/// cell formatted as a percentage (it holds 0,25 and shows 25%). Such a
/// weight is a percentage in any column, and does not decide its scale.
fn written_as_percent(cell: &Cell) -> bool {
    match cell.data {
        calamine::Data::String(s) => s.trim_end().ends_with('%'),
        calamine::Data::Float(_) | calamine::Data::Int(_) => cell.percent_format == Some(true),
        _ => false,
    }
}

/// The required columns whose text becomes a heading, a bookmark or a
/// running header (an indicator's name is a table cell: it may be long).
const HEADING_KEYS: &[&str] = &["codice", "titolo", "denominazione", "soggetto"];

/// The error (message, hint) for a required field longer than
/// [`MAX_NAME_CHARS`].
pub(super) fn too_long_for_a_name(value: &str, label: &str) -> Option<(String, String)> {
    let n = value.chars().count();
    (n > MAX_NAME_CHARS).then(|| {
        (
            format!(
                "{label}: {} caratteri, oltre il limite di {}",
                fmt::plain(n.into()),
                fmt::plain(MAX_NAME_CHARS.into())
            ),
            "titoli, nomi e codici sono intestazioni nei documenti: il testo lungo va nella Descrizione o nella Formula".to_string(),
        )
    })
}

struct Builder<'a, 'd> {
    raw: &'a RawWorkbook,
    diags: &'d mut Diagnostics,
    /// The plan's year, once `Ente` is read (for the examples in hints).
    year: Option<i32>,
}

impl<'a> Builder<'a, '_> {
    fn table(&mut self, spec: &SheetSpec, required: bool) -> Option<Table<'a>> {
        let Some(sheet) = self.raw.sheet(spec.names) else {
            if required {
                let names: Vec<String> = self.raw.sheets.iter().map(|s| format!("«{}»", s.name)).collect();
                self.diags.push(Diagnostic::error(format!("manca il foglio obbligatorio «{}»", spec.names[0])).hint(
                    format!("fogli presenti: {}; il tracciato è in docs/cartella-di-lavoro.md", names.join(", ")),
                ));
            }
            return None;
        };
        let same: Vec<&str> = self
            .raw
            .sheets
            .iter()
            .filter(|s| spec.names.iter().any(|n| normalize(&s.name) == normalize(n)))
            .map(|s| s.name.as_str())
            .collect();
        if same.len() > 1 {
            let names: Vec<String> = self
                .raw
                .sheets
                .iter()
                .filter(|s| same.contains(&s.name.as_str()))
                .map(|s| format!("«{}»{}", s.name, if s.hidden { " (nascosto)" } else { "" }))
                .collect();
            self.diags.push(
                Diagnostic::error(format!(
                    "più fogli valgono come «{}»: {}",
                    spec.names[0],
                    names.join(", ")
                ))
                .at(&sheet.name, None)
                .hint("i nomi dei fogli si confrontano senza maiuscole, accenti e spazi: rinominare o eliminare i fogli in più (anche quelli nascosti)"),
            );
            return None;
        }
        if sheet.hidden {
            self.diags.push(
                Diagnostic::info(format!("il foglio «{}» è nascosto: viene letto comunque", sheet.name))
                    .at(&sheet.name, None),
            );
        }
        match Table::find(sheet, spec) {
            Ok(t) => {
                if let Some(note) = t.extra_columns_note() {
                    self.diags.push(note);
                }
                Some(t)
            }
            Err(d) => {
                self.diags.push(d);
                None
            }
        }
    }

    fn run(mut self) -> Option<Plan> {
        let ente_t = self.table(&sheets::ENTE, true);
        let obiettivi_t = self.table(&sheets::OBIETTIVI, true);
        let indicatori_t = self.table(&sheets::INDICATORI, true);
        let ambiti_t = self.table(&sheets::AMBITI, false);
        let consuntivi_t = self.table(&sheets::CONSUNTIVI, false);
        let strutture_t = self.table(&sheets::STRUTTURE, false);
        let assegnazioni_t = self.table(&sheets::ASSEGNAZIONI, false);
        let bilancio_t = self.table(&sheets::BILANCIO, false);

        let ente = ente_t.as_ref().and_then(|t| read_ente(t, &self.raw.dir, self.diags));
        let year = ente.as_ref().map(|e| e.year);
        self.year = year;
        let mut units = strutture_t.as_ref().map(|t| self.units(t)).unwrap_or_default();
        let mut areas = ambiti_t.as_ref().map(|t| self.areas(t)).unwrap_or_default();
        let mut objectives = obiettivi_t.as_ref().map(|t| self.objectives(t)).unwrap_or_default();
        let mut indicators = indicatori_t.as_ref().map(|t| self.indicators(t, year)).unwrap_or_default();
        if let Some(t) = &consuntivi_t {
            self.actuals(t, &mut indicators);
        }
        let assignments = assegnazioni_t.as_ref().map(|t| self.assignments(t)).unwrap_or_default();
        let budget = bilancio_t.as_ref().map(|t| self.budget(t)).unwrap_or_default();

        if ambiti_t.is_none() {
            areas = areas_from_perspectives(&mut objectives);
            if let Some(a) = areas.iter().find(|a| a.code == IMPLICIT_AREA || a.code == IMPLICIT_AREA_OTHERS) {
                self.diags.push(
                    Diagnostic::warning(format!(
                        "senza foglio Ambiti né Prospettiva, gli obiettivi strategici sono raggruppati in «{}»",
                        a.name
                    ))
                    .at(sheets::OBIETTIVI.names[0], None)
                    .hint("aggiungere il foglio Ambiti (o la colonna Prospettiva) per raggrupparli per ambito"),
                );
            }
        }
        if strutture_t.is_none() {
            units = units_from_objectives(&objectives);
        }
        resolve_unit_names(&mut objectives, &units);
        resolve_involved(&mut objectives, &units);
        self.check_joins(&areas, &objectives, &indicators, &units, &assignments, ambiti_t.is_some());
        let index = PlanIndex::new(&objectives, &indicators);
        Some(Plan {
            file: self.raw.file.clone(),
            ente: ente?,
            areas,
            objectives,
            indicators,
            units,
            assignments,
            budget,
            index,
        })
    }

    /// The positions of the row's cells for the given column keys.
    fn cells(row: &Row, keys: &[&'static str]) -> Cells {
        let mut c = Cells::default();
        for key in keys {
            if let Some(cell) = row.get(key) {
                c.insert(key, cell.sheet, cell.a1());
            }
        }
        c
    }

    fn text(&mut self, row: &Row, key: &str) -> Option<String> {
        row.get(key).and_then(|c| c.text().map_err(|d| self.diags.push(d)).ok().flatten())
    }

    /// The scale of a table's weight column, decided here once from all of
    /// its cells (the only place a weight's scale is chosen): percentage
    /// points when any bare number in the column exceeds 1, otherwise shares
    /// of one. A column in points that also holds a bare number between 0
    /// and 1 gets a warning at that cell: it is most likely a share of one
    /// typed among points.
    fn weight_scale(&mut self, t: &Table, key: &str) -> WeightScale {
        let mut points_at: Option<String> = None;
        let mut small: Vec<(Cell, Decimal)> = Vec::new();
        for row in t.rows() {
            let Some(cell) = row.get(key) else { continue };
            let Ok(Some(v)) = cell.decimal("Peso") else { continue };
            if written_as_percent(&cell) {
                continue;
            }
            if v > Decimal::ONE {
                points_at.get_or_insert_with(|| format!("«{}» in {}", fmt::plain(v), cell.a1()));
            } else if v > Decimal::ZERO && v < Decimal::ONE {
                small.push((cell, v));
            }
        }
        let Some(example) = points_at else { return WeightScale::Fraction };
        for (cell, v) in small {
            self.diags.push(
                cell.warning(format!(
                    "Peso «{}» letto come {} punti percentuali: la colonna Peso del foglio «{}» è in punti \
                     (ad es. {example}), non in frazioni di 1",
                    fmt::plain(v),
                    fmt::plain(v),
                    cell.sheet
                ))
                .hint(format!(
                    "scrivere tutti i pesi della colonna nella stessa unità: ad es. «{}» oppure «{}%»",
                    fmt::plain(v * Decimal::ONE_HUNDRED),
                    fmt::plain(v * Decimal::ONE_HUNDRED)
                )),
            );
        }
        WeightScale::Points
    }

    /// A weight in its column's scale: a `25%` text cell in a column of
    /// points is 25 points.
    fn weight(&mut self, row: &Row, key: &str, scale: WeightScale) -> Option<Weight> {
        let cell = row.get(key)?;
        let percent = written_as_percent(&cell);
        match cell.decimal("Peso") {
            Ok(Some(v)) if v < Decimal::ZERO => {
                self.diags
                    .push(cell.error(format!("Peso negativo «{}»", fmt::plain(v))).hint("i pesi sono zero o positivi"));
                None
            }
            Ok(Some(v)) if v > MAX_WEIGHT => {
                self.diags.push(
                    cell.error(format!("Peso «{}» fuori misura", fmt::plain(v.round_dp(0))))
                        .hint("i pesi sono percentuali o punti: al massimo 1.000.000"),
                );
                None
            }
            Ok(Some(v)) => {
                let value = if percent && scale == WeightScale::Points { v * Decimal::ONE_HUNDRED } else { v };
                Some(Weight { value, scale, cell: format!("{}!{}", cell.sheet, cell.a1()) })
            }
            Ok(None) => None,
            Err(d) => {
                self.diags.push(d);
                None
            }
        }
    }

    fn required(&mut self, row: &Row, key: &str, label: &str) -> Option<String> {
        let value = self.text(row, key);
        if let (Some(v), Some(cell)) = (&value, row.get(key).filter(|_| HEADING_KEYS.contains(&key)))
            && let Some(d) = too_long_for_a_name(v, label)
        {
            self.diags.push(cell.error(d.0).hint(d.1));
            return None;
        }
        if value.is_none() {
            let cell = row.get(key).unwrap_or_else(|| row.first());
            if let Some(d) = cell.uncomputed_formula() {
                self.diags.push(d);
            } else if cell.error_value().is_none() {
                self.diags.push(
                    cell.error(format!("{label} mancante"))
                        .hint("la colonna è obbligatoria: compilare la cella o eliminare la riga"),
                );
            }
        }
        value
    }

    fn units(&mut self, t: &Table) -> Vec<Unit> {
        let mut out = Vec::new();
        for row in t.rows() {
            let code = self.required(&row, "codice", "Codice della struttura");
            let name = self.required(&row, "denominazione", "Denominazione della struttura");
            let (Some(code), Some(name)) = (code, name) else { continue };
            let cells = Self::cells(&row, &["codice", "padre"]);
            out.push(Unit {
                code,
                name,
                kind: self.text(&row, "tipo"),
                head: self.text(&row, "responsabile"),
                parent: self.text(&row, "padre"),
                cells,
            });
        }
        out
    }

    fn areas(&mut self, t: &Table) -> Vec<Area> {
        let mut out = Vec::new();
        let scale = self.weight_scale(t, "peso");
        for row in t.rows() {
            let code = self.required(&row, "codice", "Codice dell'ambito");
            let name = self.required(&row, "denominazione", "Denominazione dell'ambito");
            let perspective = self.perspective(&row, "prospettiva");
            let weight = self.weight(&row, "peso", scale);
            let (Some(code), Some(name)) = (code, name) else { continue };
            out.push(Area { code, name, perspective, weight, cells: Self::cells(&row, &["codice"]) });
        }
        out
    }

    fn perspective(&mut self, row: &Row, key: &str) -> Option<String> {
        let text = self.text(row, key)?;
        Some(canonical_perspective(&text).map(str::to_string).unwrap_or(text))
    }

    fn objectives(&mut self, t: &Table) -> Vec<Objective> {
        let mut out = Vec::new();
        let scale = self.weight_scale(t, "peso");
        for row in t.rows() {
            let code = self.required(&row, "codice", "Codice dell'obiettivo");
            let level_text = self.required(&row, "livello", "Livello dell'obiettivo");
            let title = self.required(&row, "titolo", "Titolo dell'obiettivo");
            let level = level_text.as_deref().and_then(|l| match normalize(l).as_str() {
                "strategico" | "os" | "s" | "obiettivo strategico" => Some(Level::Strategico),
                "operativo" | "op" | "o" | "obiettivo operativo" => Some(Level::Operativo),
                _ => {
                    if let Some(c) = row.get("livello") {
                        self.diags.push(
                            c.error(format!("Livello «{l}» non riconosciuto"))
                                .hint("scrivere «Strategico» oppure «Operativo»"),
                        );
                    }
                    None
                }
            });
            let mut o = Objective {
                code: code.unwrap_or_default(),
                level: level.unwrap_or(Level::Operativo),
                title: title.unwrap_or_default(),
                description: self.text(&row, "descrizione"),
                area: self.text(&row, "ambito"),
                parent: self.text(&row, "padre"),
                programme: self.text(&row, "programma_intervento"),
                mission: self.text(&row, "missione"),
                program: self.text(&row, "programma"),
                unit: self.text(&row, "struttura"),
                office: self.text(&row, "ufficio"),
                resources: self.text(&row, "risorse"),
                weight: self.weight(&row, "peso", scale),
                owner: self.text(&row, "owner"),
                benefits: self.text(&row, "benefici"),
                actions: self.text(&row, "azioni"),
                involved: self.text(&row, "coinvolte").map(|t| involved(&t)).unwrap_or_default(),
                service_area: self.text(&row, "area_servizio"),
                tree: self.flag(&row, "albero", "Albero"),
                productivity: self.flag(&row, "produttivita", "Produttività"),
                extra: row.extra().into_iter().collect(),
                cells: Self::cells(&row, &["codice", "ambito", "padre", "struttura", "livello", "coinvolte"]),
            };
            if let Some(p) = self.perspective(&row, "prospettiva") {
                o.extra.insert("Prospettiva".into(), p);
            }
            if !o.code.is_empty() && level.is_some() && !o.title.is_empty() {
                out.push(o);
            }
        }
        out
    }

    /// A yes/no flag (`Albero`, `Produttività`): `None` when blank; a typed
    /// boolean or number 1/0, or the words and marks planners use (sì, si,
    /// x, vero, ✓ / no, falso, -); anything else is an error at the cell.
    fn flag(&mut self, row: &Row, key: &str, label: &str) -> Option<bool> {
        let cell = row.get(key)?;
        if let Some(d) = cell.error_value() {
            self.diags.push(d);
            return None;
        }
        match cell.data {
            calamine::Data::Bool(b) => return Some(*b),
            calamine::Data::Int(_) | calamine::Data::Float(_) => match cell.typed_number() {
                Some(n) if n == Decimal::ONE => return Some(true),
                Some(n) if n.is_zero() => return Some(false),
                _ => {}
            },
            _ => {}
        }
        let text = cell.text().map_err(|d| self.diags.push(d)).ok().flatten()?;
        let value = parse_flag(&text);
        if value.is_none() {
            self.diags.push(
                cell.error(format!("{label} «{text}» non riconosciuto: atteso sì oppure no"))
                    .hint("scrivere «sì» (oppure X) se vale, «no» oppure lasciare vuoto se non vale"),
            );
        }
        value
    }

    fn expr(&mut self, cell: Cell, op: Op, percent: bool) -> Option<Expr> {
        if cell.is_blank() {
            // Read as blank, but said: a formula that computes an empty text
            // looks the same in the file, so this is a warning.
            if let Some(d) = cell.uncomputed_formula() {
                self.diags.push(crate::diag::Diagnostic { severity: crate::diag::Severity::Warning, ..d });
            }
            return None;
        }
        if let Some(d) = cell.error_value() {
            self.diags.push(d);
            return None;
        }
        if let Some(date) = cell.date() {
            return Some(Expr::from_date(date));
        }
        if let calamine::Data::Bool(b) = cell.data {
            return Some(Expr::from_bool(*b));
        }
        if let Some(n) = cell.typed_number() {
            let text = if percent { fmt::percent_plain(n) } else { fmt::plain(n) };
            let mut e = Expr::from_number(n, text, op);
            if percent {
                e.value = Value::Number { value: n, unit: Some("%".into()) };
            }
            return Some(e);
        }
        let text = match cell.text() {
            Ok(t) => t?,
            Err(d) => {
                self.diags.push(d);
                return None;
            }
        };
        match Expr::parse(&text, op) {
            Ok(e) => Some(e),
            Err(message) => {
                self.diags.push(cell.error(message).hint(super::hints::unreadable(&text, self.year)));
                None
            }
        }
    }

    /// An actual must be the same kind of quantity as its target: a bare
    /// number against a percentage (`75` or the text `38` against `≥ 80%`)
    /// or a number against a date is an error at the actual's cell. One rule
    /// resolves a typed number: it is what the sheet shows, so 0,75 in a cell
    /// formatted as a percentage is 75% (where the file does not record the
    /// format, xls and ods, a typed number in a `%` indicator is taken as a
    /// percentage). An actual more than ten times its target or under a
    /// tenth of it, or a percentage above 1.000%, is a warning.
    fn check_actual_unit(
        &mut self,
        cell: Cell,
        actual: &Expr,
        targets: &BTreeMap<i32, Expr>,
        year: i32,
        percent: bool,
    ) {
        let Some(target) = targets.get(&year).or_else(|| targets.values().next()) else { return };
        let typed = cell.typed_number().is_some() && cell.date().is_none();
        let a = match (&actual.value, typed) {
            (Value::Number { value, .. }, true) => match cell.percent_format {
                Some(true) => Some((Kind::Percent, *value)),
                Some(false) => Some((Kind::Bare, *value)),
                None if percent => Some((Kind::Percent, *value)),
                None => Some((Kind::Bare, *value)),
            },
            (v, _) => Kind::of(v),
        };
        let t = Kind::of(&target.value);
        let (Some((ak, av)), Some((tk, tv))) = (a, t) else { return };
        let shown = cell.text().ok().flatten().unwrap_or_default();
        let target_text = target.text.trim();
        let mismatch = match (ak, tk) {
            (Kind::Bare, Kind::Percent) => Some((
                format!("il consuntivo «{shown}» è un numero senza %, ma il target «{target_text}» è una percentuale"),
                format!("scrivere «{shown}%» (oppure il numero in una cella formattata come percentuale)"),
            )),
            (Kind::Date, Kind::Percent | Kind::Bare | Kind::Unit) => Some((
                format!("il consuntivo «{shown}» è una data, ma il target «{target_text}» è un numero"),
                "scrivere il valore nella stessa forma del target".to_string(),
            )),
            (Kind::Percent | Kind::Bare | Kind::Unit, Kind::Date) => Some((
                format!("il consuntivo «{shown}» è un numero, ma il target «{target_text}» è una data"),
                "scrivere la data in cui il risultato è stato raggiunto, ad es. 15/12/2025".to_string(),
            )),
            (Kind::Percent, Kind::Bare) if !typed && !percent => Some((
                format!("il consuntivo «{shown}» è una percentuale, ma il target «{target_text}» è un numero"),
                "scrivere il valore nella stessa forma del target".to_string(),
            )),
            _ => None,
        };
        if let Some((message, hint)) = mismatch {
            self.diags.push(cell.error(message).hint(hint));
            return;
        }
        if ak == Kind::Date || ak != tk {
            return;
        }
        let ten = Decimal::TEN;
        let (a_abs, t_abs) = (av.abs(), tv.abs());
        let far = !a_abs.is_zero()
            && !t_abs.is_zero()
            && (a_abs > t_abs.saturating_mul(ten) || a_abs.saturating_mul(ten) < t_abs);
        if far || (ak == Kind::Percent && av > ten) {
            self.diags.push(
                cell.warning(format!(
                    "il consuntivo «{shown}» è lontano dal target «{target_text}» (più di dieci volte o meno di un decimo{})",
                    if ak == Kind::Percent && av > ten { ", oltre il 1.000%" } else { "" }
                ))
                .hint("controllare l'unità di misura: ad es. 75 al posto di 75%, o 0,75 in una cella non formattata"),
            );
        }
    }

    fn indicators(&mut self, t: &Table, year: Option<i32>) -> Vec<Indicator> {
        let mut out = Vec::new();
        let scale = self.weight_scale(t, "peso");
        // Filled per-year columns no document prints: absolute column → header.
        let mut unprinted: BTreeMap<u32, (String, &str)> = BTreeMap::new();
        for row in t.rows() {
            let code = self.required(&row, "codice", "Codice dell'indicatore");
            let objective = self.required(&row, "obiettivo", "Obiettivo dell'indicatore");
            let name = self.required(&row, "nome", "Nome dell'indicatore");
            let udm = self.text(&row, "udm");
            let percent = udm.as_deref().is_some_and(|u| u.trim() == "%");
            let op = match row.get("operatore") {
                Some(c) => match c.text() {
                    Ok(Some(t)) => Op::parse(&t).unwrap_or_else(|| {
                        self.diags.push(
                            c.error(format!("Operatore «{t}» non riconosciuto"))
                                .hint("ammessi: >=, >, <=, <, =, entro, almeno, non inferiore a, non superiore a"),
                        );
                        Op::Ge
                    }),
                    Ok(None) => Op::Ge,
                    Err(d) => {
                        self.diags.push(d);
                        Op::Ge
                    }
                },
                None => Op::Ge,
            };
            let mut baseline = row.get("baseline").and_then(|c| self.expr(c, op, percent));
            let mut baseline_year = match row.get("anno_baseline") {
                Some(c) => c.year("Anno baseline").map_err(|d| self.diags.push(d)).ok().flatten(),
                None => None,
            };
            for (y, c) in row.years(YearKind::Baseline) {
                if baseline.is_none() {
                    baseline = self.expr(c, op, percent);
                    baseline_year = baseline_year.or(Some(y));
                } else if !c.is_blank() {
                    unprinted.entry(c.col).or_insert((
                        format!("Valori {y}"),
                        "ogni indicatore ha una sola baseline, presa dalla prima colonna compilata",
                    ));
                }
            }
            let mut targets = BTreeMap::new();
            if let (Some(c), Some(y)) = (row.get("target"), year)
                && let Some(e) = self.expr(c, op, percent)
            {
                targets.insert(y, e);
            }
            for (y, c) in row.years(YearKind::Target) {
                if let Some(e) = self.expr(c, op, percent) {
                    targets.insert(y, e);
                }
            }
            let mut actuals = BTreeMap::new();
            for (y, c) in row.years(YearKind::Actual) {
                if Some(y) != year && !c.is_blank() {
                    unprinted.entry(c.col).or_insert((
                        format!("Consuntivo {y}"),
                        "i documenti riportano i consuntivi dell'anno di riferimento (foglio Ente, voce Anno)",
                    ));
                }
                if let Some(e) = self.expr(c, op, percent) {
                    self.check_actual_unit(c, &e, &targets, y, percent);
                    actuals.insert(y, Actual { value: e, note: None, neutralised: false });
                }
            }
            let weight = self.weight(&row, "peso", scale);
            let (Some(code), Some(objective), Some(name)) = (code, objective, name) else { continue };
            out.push(Indicator {
                code,
                objective,
                name,
                formula: self.text(&row, "formula"),
                kind: self.text(&row, "tipologia"),
                perspective: self.perspective(&row, "prospettiva"),
                udm,
                source: self.text(&row, "fonte"),
                op,
                baseline,
                baseline_year,
                targets,
                weight,
                actuals,
                owner: self.text(&row, "owner"),
                milestones: self.text(&row, "scadenze"),
                extra: row.extra().into_iter().collect(),
                cells: Self::cells(&row, &["codice", "obiettivo"]),
            });
        }
        for (col, (header, why)) in unprinted {
            self.diags.push(
                Diagnostic::warning(format!("la colonna «{header}» non è stampata in nessun documento"))
                    .at(t.sheet, Some(crate::diag::a1(t.header_row, col)))
                    .hint(why),
            );
        }
        out
    }

    fn actuals(&mut self, t: &Table, indicators: &mut [Indicator]) {
        let index: HashMap<String, usize> =
            indicators.iter().enumerate().map(|(i, ind)| (ind.code.clone(), i)).collect();
        for row in t.rows() {
            let code = self.required(&row, "indicatore", "Codice dell'indicatore");
            let year = match row.get("anno") {
                Some(c) if c.is_blank() => {
                    self.diags.push(c.error("Anno mancante"));
                    None
                }
                Some(c) => c.year("Anno").map_err(|d| self.diags.push(d)).ok().flatten(),
                None => None,
            };
            let (Some(code), Some(year)) = (code, year) else { continue };
            let Some(&i) = index.get(&code) else {
                if let Some(c) = row.get("indicatore") {
                    self.diags.push(c.error(format!("l'indicatore «{code}» non esiste nel foglio Indicatori")));
                }
                continue;
            };
            let neutralised = self
                .text(&row, "neutralizzato")
                .is_some_and(|t| matches!(normalize(&t).as_str(), "si" | "x" | "vero" | "1"));
            let note = self.text(&row, "note");
            let percent = indicators[i].udm.as_deref().is_some_and(|u| u.trim() == "%");
            let Some(cell) = row.get("valore") else { continue };
            let value = self.expr(cell, indicators[i].op, percent);
            let value = match value {
                Some(v) => v,
                None if neutralised => {
                    Expr { text: String::new(), op: Op::Ge, explicit_op: false, value: Value::Missing }
                }
                None => {
                    if cell.is_blank() {
                        // A blank actual is a missing datum, reported by scoring.
                        continue;
                    }
                    continue;
                }
            };
            self.check_actual_unit(cell, &value, &indicators[i].targets, year, percent);
            if indicators[i].actuals.contains_key(&year) {
                self.diags.push(
                    cell.error(format!("consuntivo {year} dell'indicatore «{code}» già indicato"))
                        .hint("lasciare una sola riga per indicatore e anno"),
                );
                continue;
            }
            indicators[i].actuals.insert(year, Actual { value, note, neutralised });
        }
    }

    fn assignments(&mut self, t: &Table) -> Vec<Assignment> {
        let mut out = Vec::new();
        let scale = self.weight_scale(t, "peso");
        for row in t.rows() {
            let Some(subject) = self.required(&row, "soggetto", "Soggetto") else { continue };
            let objective = self.text(&row, "obiettivo");
            let indicator = self.text(&row, "indicatore");
            if objective.is_none() && indicator.is_none() {
                self.diags.push(
                    row.first()
                        .error("assegnazione senza Obiettivo né Indicatore")
                        .hint("indicare il codice dell'obiettivo o dell'indicatore assegnato"),
                );
                continue;
            }
            let weight = self.weight(&row, "peso", scale);
            let cells = Self::cells(&row, &["soggetto", "obiettivo", "indicatore"]);
            out.push(Assignment { subject, objective, indicator, weight, cells });
        }
        out
    }

    fn budget(&mut self, t: &Table) -> Vec<BudgetLine> {
        let mut out = Vec::new();
        for row in t.rows() {
            let Some(item) = self.required(&row, "voce", "Voce di bilancio") else { continue };
            let mut amount = |key: &str, label: &str| -> Option<Decimal> {
                row.get(key).and_then(|c| c.decimal(label).map_err(|d| self.diags.push(d)).ok().flatten())
            };
            let preventivo = amount("preventivo", "Preventivo");
            let aggiornamento = amount("aggiornamento", "Aggiornamento");
            let consuntivo = amount("consuntivo", "Consuntivo");
            out.push(BudgetLine { section: self.text(&row, "sezione"), item, preventivo, aggiornamento, consuntivo });
        }
        out
    }

    fn check_joins(
        &mut self,
        areas: &[Area],
        objectives: &[Objective],
        indicators: &[Indicator],
        units: &[Unit],
        assignments: &[Assignment],
        has_ambiti: bool,
    ) {
        duplicates(self.diags, areas.iter().map(|a| (a.code.as_str(), &a.cells)), "ambito");
        duplicates(self.diags, units.iter().map(|u| (u.code.as_str(), &u.cells)), "struttura");
        duplicates(self.diags, objectives.iter().map(|o| (o.code.as_str(), &o.cells)), "obiettivo");
        duplicates(self.diags, indicators.iter().map(|i| (i.code.as_str(), &i.cells)), "indicatore");
        if objectives.is_empty() {
            self.diags.push(
                Diagnostic::error("il foglio Obiettivi non contiene obiettivi")
                    .at(sheets::OBIETTIVI.names[0], None)
                    .hint("aggiungere almeno un obiettivo strategico sotto l'intestazione"),
            );
        }
        if indicators.is_empty() {
            self.diags.push(
                Diagnostic::error("il foglio Indicatori non contiene indicatori")
                    .at(sheets::INDICATORI.names[0], None)
                    .hint("aggiungere almeno un indicatore sotto l'intestazione"),
            );
        }
        let levels: HashMap<String, Level> = objectives.iter().map(|o| (o.code.clone(), o.level)).collect();
        let area_codes: HashSet<&str> = areas.iter().map(|a| a.code.as_str()).collect();
        for o in objectives.iter() {
            let problem = match o.level {
                Level::Strategico if has_ambiti => match &o.area {
                    Some(a) if !area_codes.contains(a.as_str()) => Some((
                        "ambito",
                        format!(
                            "l'obiettivo strategico «{}» indica l'ambito «{a}», che non esiste nel foglio Ambiti",
                            o.code
                        ),
                    )),
                    None => Some(("ambito", format!("l'obiettivo strategico «{}» non indica l'Ambito", o.code))),
                    _ => None,
                },
                Level::Strategico => None,
                Level::Operativo => match &o.parent {
                    Some(p) if p == &o.code => {
                        Some(("padre", format!("l'obiettivo «{}» indica se stesso come obiettivo strategico", o.code)))
                    }
                    Some(p) => match levels.get(p.as_str()) {
                        None => Some((
                            "padre",
                            format!(
                                "l'obiettivo operativo «{}» indica l'obiettivo strategico «{p}», che non esiste",
                                o.code
                            ),
                        )),
                        Some(Level::Operativo) => Some((
                            "padre",
                            format!(
                                "l'obiettivo operativo «{}» indica come padre «{p}», che è operativo: serve un obiettivo strategico",
                                o.code
                            ),
                        )),
                        Some(Level::Strategico) => None,
                    },
                    None => {
                        Some(("padre", format!("l'obiettivo operativo «{}» non indica l'Obiettivo strategico", o.code)))
                    }
                },
            };
            if let Some((key, msg)) = problem {
                self.diags.push(o.cells.error(key, msg));
            }
        }
        for o in objectives.iter().filter(|o| o.unit.as_ref().is_some_and(|u| !units.iter().any(|x| &x.code == u))) {
            let u = o.unit.as_deref().unwrap_or_default();
            self.diags.push(o.cells.error(
                "struttura",
                format!("l'obiettivo «{}» indica la struttura «{u}», che non esiste nel foglio Strutture", o.code),
            ));
        }
        for i in indicators {
            if !levels.contains_key(i.objective.as_str()) {
                self.diags.push(i.cells.error(
                    "obiettivo",
                    format!(
                        "l'indicatore «{}» indica l'obiettivo «{}», che non esiste nel foglio Obiettivi",
                        i.code, i.objective
                    ),
                ));
            }
        }
        let indicator_codes: HashSet<&str> = indicators.iter().map(|i| i.code.as_str()).collect();
        for a in assignments {
            if let Some(o) = &a.objective
                && !levels.contains_key(o.as_str())
            {
                self.diags.push(a.cells.error(
                    "obiettivo",
                    format!("l'assegnazione a «{}» indica l'obiettivo «{o}», che non esiste", a.subject),
                ));
            }
            if let Some(c) = &a.indicator
                && !indicator_codes.contains(c.as_str())
            {
                self.diags.push(a.cells.error(
                    "indicatore",
                    format!("l'assegnazione a «{}» indica l'indicatore «{c}», che non esiste", a.subject),
                ));
            }
        }
        self.check_unit_tree(units);
    }

    /// Each unit's `Padre` must exist (reported at that unit's own cell) and
    /// the parents must not loop (reported once per cycle, at the unit with
    /// the smallest code). Linear in the units: each is walked once.
    fn check_unit_tree(&mut self, units: &[Unit]) {
        let mut by_code: HashMap<&str, usize> = HashMap::with_capacity(units.len());
        for (i, u) in units.iter().enumerate() {
            by_code.entry(u.code.as_str()).or_insert(i);
        }
        let parent: Vec<Option<usize>> =
            units
                .iter()
                .map(|u| {
                    let p = u.parent.as_deref()?;
                    let found = by_code.get(p).copied();
                    if found.is_none() {
                        self.diags.push(u.cells.error(
                            "padre",
                            format!("la struttura «{}» indica come Padre «{p}», che non esiste", u.code),
                        ));
                    }
                    found
                })
                .collect();
        // 0: not visited, 1: on the current walk, 2: done.
        let mut state = vec![0u8; units.len()];
        let mut path = Vec::new();
        for first in 0..units.len() {
            let mut cur = Some(first);
            path.clear();
            while let Some(i) = cur {
                match state[i] {
                    0 => {
                        state[i] = 1;
                        path.push(i);
                        cur = parent[i];
                    }
                    1 => {
                        let at = path.iter().position(|&j| j == i).unwrap_or(0);
                        let cycle = &path[at..];
                        let start = cycle
                            .iter()
                            .enumerate()
                            .min_by(|x, y| units[*x.1].code.cmp(&units[*y.1].code))
                            .map_or(0, |(k, _)| k);
                        let mut names: Vec<&str> =
                            cycle[start..].iter().chain(&cycle[..start]).map(|&j| units[j].code.as_str()).collect();
                        names.push(units[cycle[start]].code.as_str());
                        self.diags.push(
                            units[cycle[start]]
                                .cells
                                .error("padre", format!("ciclo nelle strutture: {}", names.join(" → "))),
                        );
                        break;
                    }
                    _ => break,
                }
            }
            for &j in &path {
                state[j] = 2;
            }
        }
    }
}

/// The kind of quantity of a target or an actual, for comparing the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A percentage (kept as a fraction).
    Percent,
    /// A number without unit.
    Bare,
    /// A number with another unit (`gg`, `€`, `/5`).
    Unit,
    /// A date.
    Date,
}

impl Kind {
    fn of(v: &Value) -> Option<(Kind, Decimal)> {
        match v {
            Value::Number { value, unit: Some(u) } if u == "%" => Some((Kind::Percent, *value)),
            Value::Number { value, unit: None } => Some((Kind::Bare, *value)),
            Value::Number { value, unit: Some(_) } => Some((Kind::Unit, *value)),
            Value::Date { .. } => Some((Kind::Date, Decimal::ZERO)),
            _ => None,
        }
    }
}

/// One error per repeated code, at the repetition, naming the first cell.
/// A flag as written: yes for sì/si/s/x/vero/true/yes/1 and check marks
/// (Latin, Cyrillic and Greek X, as text extraction and keyboards produce
/// them), no for no/n/falso/false/0/-; `None` for anything else.
pub(super) fn parse_flag(text: &str) -> Option<bool> {
    match normalize(text).as_str() {
        "si" | "s" | "x" | "х" | "χ" | "vero" | "true" | "yes" | "1" | "✓" | "✔" | "ok" => Some(true),
        "no" | "n" | "falso" | "false" | "0" | "-" | "–" => Some(false),
        _ => None,
    }
}

/// The names of a `Strutture coinvolte` cell: split at `/`, `;` and line
/// breaks, trimmed, blanks dropped; units are resolved later, once the
/// units are known (see [`resolve_involved`]).
fn involved(text: &str) -> Vec<Involved> {
    text.split(['/', ';', '\n'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| Involved { text: t.to_string(), unit: None })
        .collect()
}

/// Links each involved name to the unit whose code or denominazione it is
/// (compared like headers: case, accents and spaces aside).
fn resolve_involved(objectives: &mut [Objective], units: &[Unit]) {
    let by_name: std::collections::HashMap<String, &str> = units
        .iter()
        .flat_map(|u| [(normalize(&u.code), u.code.as_str()), (normalize(&u.name), u.code.as_str())])
        .collect();
    for o in objectives {
        for i in &mut o.involved {
            i.unit = by_name.get(&normalize(&i.text)).map(|c| c.to_string());
        }
    }
}

fn duplicates<'x>(diags: &mut Diagnostics, codes: impl Iterator<Item = (&'x str, &'x Cells)>, what: &str) {
    let mut seen: HashMap<&str, &Cells> = HashMap::new();
    for (code, cells) in codes {
        match seen.get(code) {
            Some(first) => {
                let at = first.name("codice").map(|c| format!(" (già in {c})")).unwrap_or_default();
                diags.push(
                    cells
                        .error("codice", format!("codice {what} «{code}» ripetuto{at}"))
                        .hint("ogni codice deve essere unico"),
                );
            }
            None => {
                seen.insert(code, cells);
            }
        }
    }
}

/// The four BSC perspectives under their canonical names.
pub fn canonical_perspective(text: &str) -> Option<&'static str> {
    let n = normalize(text).replace(['/', '-'], " ").replace(',', "");
    let n = n.split_whitespace().collect::<Vec<_>>().join(" ");
    match n.as_str() {
        "imprese territorio e consumatori" | "utenti imprese territorio" | "imprese e territorio" => {
            Some("Imprese, territorio e consumatori")
        }
        "processi interni" => Some("Processi interni"),
        "apprendimento crescita e innovazione"
        | "innovazione e crescita"
        | "apprendimento e crescita"
        | "crescita e innovazione" => Some("Apprendimento, crescita e innovazione"),
        "economico finanziaria" | "economico finanziario" | "economico finanziarie" => Some("Economico-finanziaria"),
        _ => None,
    }
}

/// Without an `Ambiti` sheet the perspectives of the strategic objectives
/// are the areas.
fn areas_from_perspectives(objectives: &mut [Objective]) -> Vec<Area> {
    let mut areas: Vec<Area> = Vec::new();
    for o in objectives.iter_mut().filter(|o| o.level == Level::Strategico) {
        let Some(p) = o.extra.get("Prospettiva").cloned() else { continue };
        if !areas.iter().any(|a| a.code == p) {
            areas.push(Area {
                code: p.clone(),
                name: p.clone(),
                perspective: Some(p.clone()),
                weight: None,
                cells: o.cells.clone(),
            });
        }
        o.area = Some(p);
    }
    // Strategic objectives with no perspective either are still part of the
    // plan: one implicit area holds them, so they are printed and scored
    // (without it they would vanish from every document and the entity).
    let orphans = objectives.iter().any(|o| o.level == Level::Strategico && o.area.is_none());
    if orphans {
        let name = if areas.is_empty() { IMPLICIT_AREA } else { IMPLICIT_AREA_OTHERS };
        let code = name.to_string();
        for o in objectives.iter_mut().filter(|o| o.level == Level::Strategico && o.area.is_none()) {
            o.area = Some(code.clone());
        }
        areas.push(Area { code, name: name.to_string(), perspective: None, weight: None, cells: Cells::default() });
    }
    areas
}

/// The area that holds the strategic objectives of a plan with neither an
/// Ambiti sheet nor perspectives.
pub const IMPLICIT_AREA: &str = "Obiettivi strategici";

/// The same, beside areas made from perspectives.
pub const IMPLICIT_AREA_OTHERS: &str = "Altri obiettivi strategici";

/// Without a `Strutture` sheet every distinct `Struttura` is a unit.
fn units_from_objectives(objectives: &[Objective]) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    let mut seen = HashSet::new();
    for u in objectives.iter().filter_map(|o| o.unit.as_ref()) {
        if seen.insert(u.as_str()) {
            units.push(Unit {
                code: u.clone(),
                name: u.clone(),
                kind: None,
                head: None,
                parent: None,
                cells: Cells::default(),
            });
        }
    }
    units
}

/// Resolves each objective's `Struttura` to a unit code: a unit may be
/// named by its code or by its name (compared as normalised text). A name
/// that matches no unit is left as written, and `check_joins` reports it.
fn resolve_unit_names(objectives: &mut [Objective], units: &[Unit]) {
    let mut by_name: HashMap<String, &Unit> = HashMap::with_capacity(units.len() * 2);
    for x in units.iter().rev() {
        by_name.insert(normalize(&x.name), x);
    }
    for x in units.iter().rev() {
        by_name.insert(x.code.clone(), x);
    }
    for o in objectives.iter_mut() {
        if let Some(u) = &o.unit
            && let Some(unit) = by_name.get(u.as_str()).or_else(|| by_name.get(&normalize(u)))
        {
            o.unit = Some(unit.code.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::canonical_perspective;
    use crate::diag::Severity;
    use crate::read::{RawSheet, RawWorkbook};
    use calamine::{Data, Range};

    /// A cell of a test sheet.
    fn s(t: &str) -> Data {
        Data::String(t.into())
    }

    /// A sheet from rows of cells; `percent` lists the typed numbers
    /// formatted as percentages (absolute row, column).
    fn sheet(name: &str, rows: Vec<Vec<Data>>, percent: &[(u32, u32)]) -> RawSheet {
        let width = rows.iter().map(Vec::len).max().unwrap_or(1) as u32;
        let mut range = Range::new((0, 0), (rows.len() as u32 - 1, width - 1));
        for (r, row) in rows.into_iter().enumerate() {
            for (c, d) in row.into_iter().enumerate() {
                range.set_value((r as u32, c as u32), d);
            }
        }
        RawSheet {
            name: name.into(),
            range,
            hidden: false,
            uncomputed: Default::default(),
            percent_cells: Some(percent.iter().copied().collect()),
        }
    }

    /// A plan with one objective, the given indicators (Codice, UdM,
    /// Target 2025) and `Consuntivi` rows (code, value).
    fn plan(extra: Vec<RawSheet>) -> Vec<RawSheet> {
        let mut sheets = vec![
            sheet(
                "Ente",
                vec![
                    vec![s("Voce"), s("Valore")],
                    vec![s("Denominazione"), s("CCIAA")],
                    vec![s("Anno"), Data::Int(2025)],
                ],
                &[],
            ),
            sheet(
                "Obiettivi",
                vec![vec![s("Codice"), s("Livello"), s("Titolo")], vec![s("OS1"), s("Strategico"), s("Imprese")]],
                &[],
            ),
        ];
        sheets.extend(extra);
        sheets
    }

    fn run(sheets: Vec<RawSheet>) -> Vec<(Severity, String, String)> {
        let raw = RawWorkbook { file: "t.xlsx".into(), dir: Default::default(), sheets, notes: Vec::new() };
        let (_, diags) = super::build(&raw);
        diags.sorted().iter().map(|d| (d.severity, d.place().unwrap_or_default(), d.message.clone())).collect()
    }

    fn indicators(rows: &[(&str, &str, Data)]) -> RawSheet {
        let mut out = vec![vec![s("Codice"), s("Obiettivo"), s("Nome"), s("UdM"), s("Target 2025")]];
        for (code, udm, target) in rows {
            out.push(vec![s(code), s("OS1"), s("Indicatore"), s(udm), target.clone()]);
        }
        sheet("Indicatori", out, &[])
    }

    fn actuals(rows: &[(&str, Data)], percent: &[(u32, u32)]) -> RawSheet {
        let mut out = vec![vec![s("Indicatore"), s("Anno"), s("Valore")]];
        for (code, value) in rows {
            out.push(vec![s(code), Data::Int(2025), value.clone()]);
        }
        sheet("Consuntivi", out, percent)
    }

    #[test]
    fn an_actual_in_another_unit_than_its_target_is_an_error_at_its_cell() {
        let diags = run(plan(vec![
            indicators(&[
                ("I1", "%", s(">= 80%")),
                ("I2", "%", s(">= 40%")),
                ("I3", "%", s(">= 80%")),
                ("I4", "data", s("Entro 31/12/2025")),
                ("I5", "n.", s("10")),
                ("I6", "%", s(">= 80%")),
            ]),
            actuals(
                &[
                    ("I1", Data::Float(75.0)),
                    ("I2", s("38")),
                    ("I3", Data::Float(0.75)),
                    ("I4", Data::Float(45000.0)),
                    ("I5", Data::Float(500.0)),
                    ("I6", s("950%")),
                ],
                &[(3, 2)],
            ),
        ]));
        let at = |place: &str| diags.iter().filter(|d| d.1 == place).map(|d| d.0).collect::<Vec<_>>();
        assert_eq!(at("Consuntivi!C2"), vec![Severity::Error], "{diags:?}");
        assert_eq!(at("Consuntivi!C3"), vec![Severity::Error], "{diags:?}");
        assert_eq!(at("Consuntivi!C4"), vec![], "0,75 formatted as a percentage is 75%: {diags:?}");
        assert_eq!(at("Consuntivi!C5"), vec![Severity::Error], "{diags:?}");
        assert_eq!(at("Consuntivi!C6"), vec![Severity::Warning], "{diags:?}");
        assert_eq!(at("Consuntivi!C7"), vec![Severity::Warning], "{diags:?}");
    }

    #[test]
    fn where_the_format_is_unknown_a_typed_number_in_a_percent_indicator_is_a_percentage() {
        let mut cons = actuals(&[("I1", Data::Float(0.75)), ("I2", Data::Float(75.0))], &[]);
        cons.percent_cells = None;
        let diags = run(plan(vec![indicators(&[("I1", "%", s(">= 80%")), ("I2", "%", s(">= 80%"))]), cons]));
        assert!(!diags.iter().any(|d| d.1 == "Consuntivi!C2"), "{diags:?}");
        // 75 read as 7.500% is implausible: a warning, not silence.
        assert!(diags.iter().any(|d| d.1 == "Consuntivi!C3" && d.0 == Severity::Warning), "{diags:?}");
    }

    #[test]
    fn units_are_checked_in_linear_time_and_each_fault_is_reported_at_its_cell() {
        let mut rows = vec![vec![s("Codice"), s("Denominazione"), s("Padre")]];
        for i in 0..10_000 {
            let parent = if i == 0 { Data::Empty } else { s(&format!("U{}", i - 1)) };
            rows.push(vec![s(&format!("U{i}")), s("Unità"), parent]);
        }
        rows.push(vec![s("X1"), s("Area"), s("NESSUNO")]);
        rows.push(vec![s("X2"), s("Ufficio"), s("X1")]);
        rows.push(vec![s("C1"), s("Ciclo"), s("C2")]);
        rows.push(vec![s("C2"), s("Ciclo"), s("C1")]);
        let start = std::time::Instant::now();
        let diags = run(plan(vec![indicators(&[("I1", "n.", s("10"))]), sheet("Strutture", rows, &[])]));
        assert!(start.elapsed() < std::time::Duration::from_secs(2), "{:?}", start.elapsed());
        let errors: Vec<_> = diags.iter().filter(|d| d.0 == Severity::Error).collect();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(errors[0].1, "Strutture!C10002");
        assert!(errors[1].2.contains("ciclo nelle strutture: C1 → C2 → C1"), "{errors:?}");
        assert_eq!(errors[1].1, "Strutture!C10004");
    }

    #[test]
    fn two_sheets_with_the_same_contract_name_are_an_error_naming_both() {
        let mut hidden = sheet("ENTE ", vec![vec![s("Voce"), s("Valore")], vec![s("Anno"), Data::Int(2031)]], &[]);
        hidden.hidden = true;
        let mut sheets = plan(vec![indicators(&[("I1", "n.", s("10"))])]);
        sheets.insert(0, hidden);
        let diags = run(sheets);
        assert!(
            diags.iter().any(|d| d.0 == Severity::Error && d.2.contains("«ENTE » (nascosto), «Ente»")),
            "{diags:?}"
        );
    }

    #[test]
    fn absurd_weights_are_refused_at_their_cell() {
        let ind = sheet(
            "Indicatori",
            vec![
                vec![s("Codice"), s("Obiettivo"), s("Nome"), s("Target 2025"), s("Peso")],
                vec![s("I1"), s("OS1"), s("Uno"), s("10"), Data::Float(7.9e28)],
                vec![s("I2"), s("OS1"), s("Due"), s("10"), Data::Float(1_000_000.0)],
            ],
            &[],
        );
        let diags = run(plan(vec![ind]));
        let errors: Vec<_> = diags.iter().filter(|d| d.0 == Severity::Error).collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].1, "Indicatori!E2");
    }

    #[test]
    fn codes_differing_by_invisible_characters_are_the_same_code() {
        let diags = run(plan(vec![
            indicators(&[("I1", "n.", s("10"))]),
            actuals(&[("\u{200B}I1\u{FEFF}", Data::Float(9.0))], &[]),
        ]));
        assert!(!diags.iter().any(|d| d.0 == Severity::Error), "{diags:?}");
    }

    #[test]
    fn perspective_aliases_of_real_plans() {
        assert_eq!(canonical_perspective("Utenti/Imprese/Territorio"), Some("Imprese, territorio e consumatori"));
        assert_eq!(
            canonical_perspective("Imprese, Territorio e Consumatori"),
            Some("Imprese, territorio e consumatori")
        );
        assert_eq!(canonical_perspective("Innovazione e Crescita"), Some("Apprendimento, crescita e innovazione"));
        assert_eq!(canonical_perspective("Economico-Finanziaria"), Some("Economico-finanziaria"));
        assert_eq!(canonical_perspective("Economico finanziario"), Some("Economico-finanziaria"));
        assert_eq!(canonical_perspective("Processi Interni"), Some("Processi interni"));
        assert_eq!(canonical_perspective("Altro"), None);
    }

    /// A typed weight in a cell formatted as a percentage (0,7 shown as 70%)
    /// among points is 70 points, with no warning: it is written as a
    /// percentage, like the text «70%».
    #[test]
    fn a_percent_formatted_weight_among_points_is_a_percentage() {
        let rows = vec![
            vec![s("Codice"), s("Obiettivo"), s("Nome"), s("Target 2025"), s("Peso")],
            vec![s("I1"), s("OS1"), s("Uno"), s("10"), Data::Float(30.0)],
            vec![s("I2"), s("OS1"), s("Due"), s("10"), Data::Float(0.7)],
        ];
        let sheets = plan(vec![sheet("Indicatori", rows, &[(2, 4)])]);
        let raw = RawWorkbook { file: "t.xlsx".into(), dir: Default::default(), sheets, notes: Vec::new() };
        let (plan, diags) = super::build(&raw);
        let plan = plan.expect("a valid plan");
        let weights: Vec<String> = plan
            .indicators
            .iter()
            .map(|i| i.weight.as_ref().map(|w| w.value.normalize().to_string()).unwrap_or_default())
            .collect();
        assert_eq!(weights, vec!["30", "70"]);
        assert!(diags.sorted().iter().all(|d| !d.message.contains("Peso")), "no weight warning expected");
    }
    fn build_plan(sheets: Vec<RawSheet>) -> (Option<super::Plan>, Vec<(Severity, String, String)>) {
        let raw = RawWorkbook { file: "t.xlsx".into(), dir: Default::default(), sheets, notes: Vec::new() };
        let (plan, diags) = super::build(&raw);
        (plan, diags.sorted().iter().map(|d| (d.severity, d.place().unwrap_or_default(), d.message.clone())).collect())
    }

    /// Owner, benefits, actions, involved units, service area and the two
    /// flags are read into typed fields: flags from the words and marks
    /// planners write, anything else an error at its cell; involved names are
    /// linked to the units they name and otherwise kept as written.
    #[test]
    fn the_columns_of_the_service_tables_are_typed_and_bad_flags_are_refused_at_their_cell() {
        let obiettivi = |flag: &str| {
            sheet(
                "Obiettivi",
                vec![
                    vec![
                        s("Codice"),
                        s("Livello"),
                        s("Titolo"),
                        s("Obiettivo strategico"),
                        s("Owner"),
                        s("Benefici attesi"),
                        s("Azioni/Interventi"),
                        s("Servizi interni coinvolti"),
                        s("Area servizio"),
                        s("Albero"),
                        s("Produttività"),
                    ],
                    vec![s("OS1"), s("Strategico"), s("Imprese"), s(""), s("Bartoli/DIR AIII/SG")],
                    vec![
                        s("OP1"),
                        s("Operativo"),
                        s("Vigilanza"),
                        s("OS1"),
                        s("Mancusi"),
                        s("Mercato più sicuro"),
                        s("Controlli"),
                        s("srm / Servizio Staff; Trasversale"),
                        s("AREA III"),
                        s("X"),
                        s("х"),
                    ],
                    vec![
                        s("OP2"),
                        s("Operativo"),
                        s("Archivio"),
                        s("OS1"),
                        s(""),
                        s(""),
                        s(""),
                        s(""),
                        s(""),
                        Data::Bool(false),
                        s(flag),
                    ],
                    vec![
                        s("OP3"),
                        s("Operativo"),
                        s("Protocollo"),
                        s("OS1"),
                        s(""),
                        s(""),
                        s(""),
                        s(""),
                        s(""),
                        s("no"),
                        Data::Int(1),
                    ],
                ],
                &[],
            )
        };
        let strutture = || {
            sheet(
                "Strutture",
                vec![
                    vec![s("Codice"), s("Denominazione")],
                    vec![s("SRM"), s("Servizio Regolazione Mercato")],
                    vec![s("STAFF"), s("Servizio Staff")],
                ],
                &[],
            )
        };
        let indicatori = || {
            sheet(
                "Indicatori",
                vec![
                    vec![
                        s("Codice"),
                        s("Obiettivo"),
                        s("Nome"),
                        s("Target 2025"),
                        s("Responsabile"),
                        s("Scadenze intermedie"),
                    ],
                    vec![s("I1"), s("OP1"), s("Verifiche"), s("10"), s("S. Staff"), s("30/06/2025")],
                    vec![s("I2"), s("OP2"), s("Fascicoli"), s("10")],
                    vec![s("I3"), s("OP3"), s("Protocolli"), s("10")],
                    vec![s("I4"), s("OS1"), s("Imprese"), s("10")],
                ],
                &[],
            )
        };
        let with = |flag: &str| {
            let mut sheets = plan(vec![indicatori(), strutture()]);
            sheets[1] = obiettivi(flag);
            build_plan(sheets)
        };
        let (plan, diags) = with("forse");
        assert!(plan.is_none());
        let errors: Vec<_> = diags.iter().filter(|d| d.0 == Severity::Error).collect();
        assert_eq!(errors.len(), 1, "{diags:?}");
        assert_eq!(errors[0].1, "Obiettivi!K4", "{diags:?}");
        assert!(errors[0].2.contains("Produttività «forse»"), "{diags:?}");
        let (plan, diags) = with("");
        assert!(!diags.iter().any(|d| d.0 == Severity::Error), "{diags:?}");
        assert!(!diags.iter().any(|d| d.2.contains("colonne non previste")), "{diags:?}");
        let plan = plan.expect("plan");
        let [os1, op1, op2, op3] = [0, 1, 2, 3].map(|n| &plan.objectives[n]);
        assert_eq!(os1.owner.as_deref(), Some("Bartoli/DIR AIII/SG"));
        assert_eq!(op1.owner.as_deref(), Some("Mancusi"));
        assert_eq!(op1.benefits.as_deref(), Some("Mercato più sicuro"));
        assert_eq!(op1.actions.as_deref(), Some("Controlli"));
        assert_eq!(op1.service_area.as_deref(), Some("AREA III"));
        let involved: Vec<(&str, Option<&str>)> =
            op1.involved.iter().map(|i| (i.text.as_str(), i.unit.as_deref())).collect();
        assert_eq!(involved, vec![("srm", Some("SRM")), ("Servizio Staff", Some("STAFF")), ("Trasversale", None)]);
        assert!(op2.involved.is_empty());
        assert_eq!((op1.tree, op1.productivity), (Some(true), Some(true)));
        assert_eq!((op2.tree, op2.productivity), (Some(false), None));
        assert_eq!((op3.tree, op3.productivity), (Some(false), Some(true)));
        assert_eq!((os1.tree, os1.productivity), (None, None));
        assert!(plan.in_tree(os1) && plan.in_tree(op1) && !plan.in_tree(op2));
        assert_eq!(plan.tree_children("OS1").map(|o| o.code.as_str()).collect::<Vec<_>>(), vec!["OP1"]);
        assert!(plan.has_productivity());
        let i1 = &plan.indicators[0];
        assert_eq!((i1.owner.as_deref(), i1.milestones.as_deref()), (Some("S. Staff"), Some("30/06/2025")));
        assert_eq!(plan.indicators[1].owner, None);
    }

    #[test]
    fn flags_accept_the_words_and_marks_of_real_tables() {
        for yes in ["sì", "SI", "s", "x", "X", "Х", "х", "Χ", "vero", "TRUE", "1", "✓"] {
            assert_eq!(super::parse_flag(yes), Some(true), "{yes}");
        }
        for no in ["no", "NO", "n", "falso", "0", "-"] {
            assert_eq!(super::parse_flag(no), Some(false), "{no}");
        }
        for bad in ["forse", "xx", "2", "sì/no"] {
            assert_eq!(super::parse_flag(bad), None, "{bad}");
        }
    }

    /// Strategic objectives group by Missione in order of first appearance,
    /// those without one last; no Missione at all, no groups.
    #[test]
    fn strategic_objectives_group_by_mission_in_order_of_appearance() {
        let row = |code: &str, mission: &str| vec![s(code), s("Strategico"), s(code), s(mission)];
        let obiettivi = |rows: Vec<Vec<Data>>| {
            let mut all = vec![vec![s("Codice"), s("Livello"), s("Titolo"), s("Missione")]];
            all.extend(rows);
            sheet("Obiettivi", all, &[])
        };
        let indicatori = || {
            sheet("Indicatori", vec![vec![s("Codice"), s("Obiettivo"), s("Nome")], vec![s("I1"), s("1"), s("N")]], &[])
        };
        let mut sheets = plan(vec![indicatori()]);
        sheets[1] = obiettivi(vec![
            row("1", "011_Competitività"),
            row("2", ""),
            row("3", "032_Servizi"),
            row("4", "011_Competitività"),
        ]);
        let plan_ = build_plan(sheets).0.expect("plan");
        let groups: Vec<(Option<&str>, Vec<&str>)> =
            plan_.by_mission().into_iter().map(|(m, os)| (m, os.iter().map(|o| o.code.as_str()).collect())).collect();
        assert_eq!(
            groups,
            vec![(Some("011_Competitività"), vec!["1", "4"]), (Some("032_Servizi"), vec!["3"]), (None, vec!["2"])]
        );
        let mut sheets = plan(vec![indicatori()]);
        sheets[1] = obiettivi(vec![row("1", ""), row("2", "")]);
        assert!(build_plan(sheets).0.expect("plan").by_mission().is_empty());
    }
}
