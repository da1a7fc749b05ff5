//! The cruscotto for the Giunta as xlsx: `Sintesi` (index, areas, a native
//! chart), `Obiettivi`, `Indicatori`, one sheet per unit, `Anomalie`.
//! Percentages are real numbers formatted as percentages; a target, baseline
//! or actual value that is one number (or date) is a number cell with its
//! format, any other expression is text; every cell text is written as a
//! string, never as a formula. Rows with wrapped text get explicit heights.

use super::ExportContext;
use crate::diag::Diagnostic;
use crate::model::{Expr, Level, Op, Value, WeightScale};
use crate::score::Status;
use chrono::Datelike;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    Chart, ChartType, ConditionalFormatText, ConditionalFormatTextRule, DocProperties, ExcelDateTime, Format,
    FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};
use std::collections::BTreeMap;

const STATUS_FILLS: [(Status, u32); 5] = [
    (Status::Raggiunto, 0xC6EFCE),
    (Status::Parziale, 0xFFEB9C),
    (Status::NonRaggiunto, 0xFFC7CE),
    (Status::NonValutabile, 0xE7E6E6),
    (Status::DatoMancante, 0xE7E6E6),
];

struct Formats {
    header: Format,
    percent: Format,
    /// An indicator's SAL, with the decimals the documents print.
    sal: Format,
    wrap: Format,
    title: Format,
    date: Format,
}

/// The wrapped texts of the sheet being written (row, column, text), for
/// the column widths and row heights: LibreOffice does not recompute the
/// height of rows with wrapped text.
type Lines = Vec<(u32, u16, String)>;

/// Widest wrapped column, in pixels (about 60 characters of Calibri 11).
const WRAP_MAX_PX: usize = 420;
/// Narrowest wrapped column, in pixels (its header must fit).
const WRAP_MIN_PX: usize = 150;
/// Pixels a column gives each character when it is sized to a text: the
/// width of a digit, wider than most letters.
const SIZING_PX: usize = 7;
/// Pixels a character takes when counting lines: a little more than the
/// 5,5 to 6 an average Italian text takes, so a row is never too short.
const COUNTING_PX: usize = 6;
/// Cell padding, in pixels.
const PADDING_PX: usize = 10;

/// Height of one line of 11-point text, in points.
const LINE_POINTS: f64 = 15.0;

/// Builds the workbook bytes.
pub fn export(ctx: &ExportContext) -> Result<Vec<u8>, Diagnostic> {
    build(ctx).map_err(|e| Diagnostic::error(format!("errore nella scrittura del cruscotto xlsx: {e}")))
}

fn to_f64(d: Decimal) -> f64 {
    d.to_f64().unwrap_or_default()
}

fn build(ctx: &ExportContext) -> Result<Vec<u8>, XlsxError> {
    let (plan, res) = (ctx.report.plan, ctx.report.results);
    let mut wb = Workbook::new();
    let date = plan.ente.date;
    let created = ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, date.day() as u8)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("Cruscotto per la Giunta {} – {}", plan.ente.year, plan.ente.name))
            .set_author(&plan.ente.name)
            .set_company(&plan.ente.name)
            .set_creation_datetime(&created),
    );
    let f = Formats {
        header: Format::new()
            .set_bold()
            .set_text_wrap()
            .set_background_color(0xD9E1F2)
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Top),
        percent: Format::new().set_num_format("0.0%"),
        sal: Format::new().set_num_format("0%"),
        // Bottom-aligned as the other cells, so a row's figures stay level
        // with the last line of its text.
        wrap: Format::new().set_text_wrap(),
        title: Format::new().set_bold().set_font_size(14),
        date: Format::new().set_num_format("dd/mm/yyyy"),
    };
    let actuals = plan.has_actuals();

    // Sintesi
    let ws = wb.add_worksheet();
    ws.set_name("Sintesi")?;
    ws.write_string_with_format(0, 0, format!("{} – cruscotto {}", plan.ente.name, plan.ente.year), &f.title)?;
    ws.write_string(1, 0, "Indicatore sintetico di performance dell'ente")?;
    write_score(ws, 1, 1, res.entity.score, &f.percent)?;
    ws.write_string(1, 2, res.entity.status.label())?;
    let headers = ["Ambito", "Denominazione", "Prospettiva", "Risultato", "Stato"];
    write_headers(ws, 3, &headers, &f)?;
    for (n, a) in plan.areas.iter().enumerate() {
        let row = 4 + n as u32;
        let agg = res.area(&a.code);
        ws.write_string(row, 0, &a.code)?;
        ws.write_string(row, 1, &a.name)?;
        ws.write_string(row, 2, a.perspective.as_deref().unwrap_or(""))?;
        write_score(ws, row, 3, agg.and_then(|x| x.score), &f.percent)?;
        ws.write_string(row, 4, agg.map_or(Status::NonValutabile, |x| x.status).label())?;
    }
    let last = 3 + plan.areas.len() as u32;
    status_colours(ws, 4, last.max(4), 4)?;
    let counts_row = last + 2;
    ws.write_string_with_format(counts_row, 0, "Indicatori per stato", &f.header)?;
    ws.write_string_with_format(counts_row, 1, "Numero", &f.header)?;
    for (n, (st, count)) in res.counts().into_iter().enumerate() {
        ws.write_string(counts_row + 1 + n as u32, 0, st.label())?;
        ws.write_number(counts_row + 1 + n as u32, 1, count as f64)?;
    }
    if actuals && !plan.areas.is_empty() {
        let mut chart = Chart::new(ChartType::Bar);
        chart
            .add_series()
            .set_categories(("Sintesi", 4, 1, last, 1))
            .set_values(("Sintesi", 4, 3, last, 3))
            .set_name("Risultato");
        chart.title().set_name("Risultato per ambito");
        chart.x_axis().set_num_format("0%").set_min(0.0).set_max(1.0);
        chart.legend().set_hidden();
        ws.insert_chart(counts_row + 8, 0, &chart)?;
    }
    finish(ws, 3, None)?;

    // Obiettivi
    let ws = wb.add_worksheet();
    ws.set_name("Obiettivi")?;
    let headers =
        ["Codice", "Livello", "Titolo", "Ambito", "Obiettivo strategico", "Struttura", "Peso", "Risultato", "Stato"];
    write_headers(ws, 0, &headers, &f)?;
    let mut lines = Lines::new();
    for (n, o) in plan.objectives.iter().enumerate() {
        let row = 1 + n as u32;
        let agg = res.objective(&o.code);
        ws.write_string(row, 0, &o.code)?;
        ws.write_string(row, 1, if o.level == Level::Strategico { "Strategico" } else { "Operativo" })?;
        write_wrapped(ws, row, 2, &o.title, &f, &mut lines)?;
        ws.write_string(row, 3, o.area.as_deref().unwrap_or(""))?;
        ws.write_string(row, 4, o.parent.as_deref().unwrap_or(""))?;
        ws.write_string(row, 5, o.unit.as_deref().unwrap_or(""))?;
        if let Some(w) = &o.weight {
            // In the column's unit: shares of one as percentages, points as written.
            match w.scale {
                WeightScale::Fraction => {
                    ws.write_number_with_format(row, 6, to_f64(w.value), &percent_format(w.value))?
                }
                WeightScale::Points => ws.write_number(row, 6, to_f64(w.value))?,
            };
        }
        if actuals {
            write_score(ws, row, 7, agg.and_then(|a| a.score), &f.percent)?;
            ws.write_string(row, 8, agg.map_or(Status::NonValutabile, |a| a.status).label())?;
        }
    }
    let last = plan.objectives.len() as u32;
    status_colours(ws, 1, last.max(1), 8)?;
    finish(ws, 0, Some((last, headers.len() as u16 - 1)))?;
    set_heights(ws, &lines)?;

    // Indicatori
    let ws = wb.add_worksheet();
    ws.set_name("Indicatori")?;
    let years = plan.years();
    let mut headers: Vec<String> =
        ["Codice", "Obiettivo", "Indicatore", "UdM", "Operatore", "Baseline"].iter().map(|s| s.to_string()).collect();
    headers.extend(years.iter().map(|y| format!("Target {y}")));
    if actuals {
        headers.extend(["Consuntivo", "SAL", "Stato", "Note"].iter().map(|s| s.to_string()));
    }
    // The Owner column only when the workbook has one.
    let owner_col = plan.indicators.iter().any(|i| i.owner.is_some()).then_some(headers.len() as u16);
    if owner_col.is_some() {
        headers.push("Owner".to_string());
    }
    let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    write_headers(ws, 0, &header_refs, &f)?;
    let mut lines = Lines::new();
    for (n, i) in plan.indicators.iter().enumerate() {
        let row = 1 + n as u32;
        // The operator the score uses, printed once in its column; a cell
        // that writes the same operator is then one number.
        let op = i.op_for(plan.ente.year);
        ws.write_string(row, 0, &i.code)?;
        ws.write_string(row, 1, &i.objective)?;
        write_wrapped(ws, row, 2, &i.name, &f, &mut lines)?;
        ws.write_string(row, 3, i.udm.as_deref().unwrap_or(""))?;
        ws.write_string(row, 4, op.symbol())?;
        write_expr(ws, row, 5, i.baseline.as_ref(), Some(op), &f)?;
        for (k, y) in years.iter().enumerate() {
            write_expr(ws, row, 6 + k as u16, i.targets.get(y), Some(op), &f)?;
        }
        if actuals {
            let c = 6 + years.len() as u16;
            let actual = i.actuals.get(&plan.ente.year);
            let r = res.indicator(&i.code);
            write_expr(ws, row, c, actual.map(|a| &a.value), None, &f)?;
            write_score(ws, row, c + 1, r.and_then(|r| r.sal), &f.sal)?;
            ws.write_string(row, c + 2, r.map_or(Status::NonValutabile, |r| r.status).label())?;
            let note =
                actual.and_then(|a| a.note.clone()).or_else(|| r.and_then(|r| r.reason.clone())).unwrap_or_default();
            write_wrapped(ws, row, c + 3, &note, &f, &mut lines)?;
        }
        if let (Some(c), Some(owner)) = (owner_col, &i.owner) {
            write_wrapped(ws, row, c, owner, &f, &mut lines)?;
        }
    }
    let last = plan.indicators.len() as u32;
    if actuals {
        status_colours(ws, 1, last.max(1), 8 + years.len() as u16)?;
    }
    finish(ws, 0, Some((last, headers.len() as u16 - 1)))?;
    set_heights(ws, &lines)?;

    // One sheet per unit.
    let mut used_names: Vec<String> =
        vec!["sintesi".into(), "obiettivi".into(), "indicatori".into(), "anomalie".into()];
    for unit in &ctx.report.units {
        let Some(u) = unit.unit else { continue };
        // Exactly what the unit is scored on (the report's rows): its
        // Assegnazioni rows with their weights when it has any, else its own
        // objectives.
        let rows: Vec<(&crate::model::Objective, &crate::model::Indicator, Option<&crate::model::Weight>)> = unit
            .rows
            .iter()
            .map(|r| {
                (
                    ctx.report.objectives[r.objective].objective,
                    ctx.report.indicators[r.indicator].indicator,
                    r.weight.as_ref(),
                )
            })
            .collect();
        let with_weights = rows.iter().any(|(_, _, w)| w.is_some());
        let name = sheet_name(&u.code, &used_names);
        used_names.push(name.to_lowercase());
        let ws = wb.add_worksheet();
        ws.set_name(&name)?;
        ws.write_string_with_format(0, 0, format!("{} – {}", u.name, u.head.as_deref().unwrap_or("")), &f.title)?;
        let mut headers = vec![
            "Obiettivo strategico",
            "Programma di intervento",
            "Obiettivo operativo",
            "Indicatore",
            "Target",
            "Consuntivo",
            "SAL",
            "Stato",
        ];
        if with_weights {
            headers.push("Peso");
        }
        // The columns of the service tables, each only when some row has it.
        type Field = fn(&crate::model::Objective) -> Option<String>;
        let fields: [(&str, Field); 5] = [
            ("Servizi interni coinvolti", |o| {
                (!o.involved.is_empty())
                    .then(|| o.involved.iter().map(|i| i.text.as_str()).collect::<Vec<_>>().join(" / "))
            }),
            ("Area", |o| o.service_area.clone()),
            ("Albero", |o| o.tree.map(|b| if b { "sì" } else { "no" }.to_string())),
            ("Produttività", |o| o.productivity.map(|b| if b { "sì" } else { "no" }.to_string())),
            ("Owner", |o| o.owner.clone()),
        ];
        let fields: Vec<(&str, Field)> =
            fields.into_iter().filter(|(_, get)| rows.iter().any(|(o, _, _)| get(o).is_some())).collect();
        let first_field = 8 + u16::from(with_weights);
        headers.extend(fields.iter().map(|(h, _)| *h));
        if actuals && let Some(p) = res.productivity_of(&u.code) {
            ws.write_string(1, 0, "Produttività")?;
            write_score(ws, 1, 1, p.score, &f.percent)?;
        }
        write_headers(ws, 2, &headers, &f)?;
        let mut row = 3;
        let mut lines = Lines::new();
        for (o, i, w) in rows {
            let r = res.indicator(&i.code);
            ws.write_string(row, 0, o.parent.as_deref().unwrap_or(&o.code))?;
            write_wrapped(ws, row, 1, o.programme.as_deref().unwrap_or(""), &f, &mut lines)?;
            write_wrapped(ws, row, 2, &o.title, &f, &mut lines)?;
            write_wrapped(ws, row, 3, &i.name, &f, &mut lines)?;
            // No operator column here: a target with its own operator stays text.
            write_expr(ws, row, 4, i.targets.get(&plan.ente.year), None, &f)?;
            if actuals {
                write_expr(ws, row, 5, i.actuals.get(&plan.ente.year).map(|a| &a.value), None, &f)?;
                write_score(ws, row, 6, r.and_then(|r| r.sal), &f.sal)?;
                ws.write_string(row, 7, r.map_or(Status::NonValutabile, |r| r.status).label())?;
            }
            // The Assegnazioni weight, in its column's scale.
            match w {
                Some(w) if w.scale == WeightScale::Fraction => {
                    ws.write_number_with_format(row, 8, to_f64(w.value), &percent_format(w.value))?;
                }
                Some(w) => {
                    ws.write_number(row, 8, to_f64(w.value))?;
                }
                None => {}
            }
            for (k, (_, get)) in fields.iter().enumerate() {
                if let Some(v) = get(o) {
                    write_wrapped(ws, row, first_field + k as u16, &v, &f, &mut lines)?;
                }
            }
            row += 1;
        }
        let last_col = headers.len() as u16 - 1;
        status_colours(ws, 3, row.max(4) - 1, 7)?;
        finish(ws, 2, Some((row.max(4) - 1, last_col)))?;
        set_heights(ws, &lines)?;
    }

    // Anomalie
    let ws = wb.add_worksheet();
    ws.set_name("Anomalie")?;
    let headers = ["Gravità", "File", "Foglio", "Cella", "Messaggio", "Suggerimento"];
    write_headers(ws, 0, &headers, &f)?;
    let mut lines = Lines::new();
    for (n, d) in ctx.diags.sorted().into_iter().enumerate() {
        let row = 1 + n as u32;
        ws.write_string(row, 0, d.severity.word())?;
        ws.write_string(row, 1, d.file.as_deref().unwrap_or(""))?;
        ws.write_string(row, 2, d.sheet.as_deref().unwrap_or(""))?;
        ws.write_string(row, 3, d.cell.as_deref().unwrap_or(""))?;
        write_wrapped(ws, row, 4, &d.message, &f, &mut lines)?;
        write_wrapped(ws, row, 5, d.hint.as_deref().unwrap_or(""), &f, &mut lines)?;
    }
    let last = ctx.diags.sorted().len() as u32;
    finish(ws, 0, Some((last.max(1), 5)))?;
    set_heights(ws, &lines)?;

    wb.save_to_buffer()
}

fn write_headers(ws: &mut Worksheet, row: u32, headers: &[&str], f: &Formats) -> Result<(), XlsxError> {
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *h, &f.header)?;
    }
    Ok(())
}

/// A percentage format with the decimals the value has (at most two):
/// a weight of 0,333 shows as 33,3%, one of 0,25 as 25%.
fn percent_format(fraction: Decimal) -> Format {
    let decimals = (fraction * Decimal::ONE_HUNDRED).normalize().scale().min(2) as usize;
    let zeros = "0".repeat(decimals);
    Format::new().set_num_format(if decimals == 0 { "0%".to_string() } else { format!("0.{zeros}%") })
}

fn write_score(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    score: Option<Decimal>,
    format: &Format,
) -> Result<(), XlsxError> {
    match score {
        Some(s) => ws.write_number_with_format(row, col, to_f64(s), format).map(|_| ()),
        None => ws.write_string(row, col, "n.v.").map(|_| ()),
    }
}

/// Text that may wrap, recorded for the column width and row height.
fn write_wrapped(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    text: &str,
    f: &Formats,
    lines: &mut Lines,
) -> Result<(), XlsxError> {
    ws.write_string_with_format(row, col, text, &f.wrap)?;
    if !text.is_empty() {
        lines.push((row, col, text.to_string()));
    }
    Ok(())
}

/// Lines a text takes in a column `width` characters wide, breaking at
/// spaces as spreadsheet programs do (a longer word breaks inside).
fn wrapped_lines(text: &str, width: usize) -> u32 {
    let width = width.max(1);
    text.split('\n')
        .map(|para| {
            let mut lines = 1u32;
            let mut used = 0usize;
            for word in para.split_whitespace() {
                let w = word.chars().count();
                if used == 0 {
                    used = w;
                } else if used + 1 + w <= width {
                    used += 1 + w;
                } else {
                    lines += 1;
                    used = w;
                }
                while used > width {
                    lines += 1;
                    used -= width;
                }
            }
            lines
        })
        .sum()
}

/// Explicit widths for the wrapped columns (fitted to their longest line,
/// at most [`WRAP_MAX_PX`]) and heights for the rows of more than one line,
/// counted against those widths. Called after `finish`, whose autofit the
/// widths replace.
fn set_heights(ws: &mut Worksheet, lines: &Lines) -> Result<(), XlsxError> {
    let mut widths: BTreeMap<u16, usize> = BTreeMap::new();
    for (_, col, text) in lines {
        let longest = text.split('\n').map(|l| l.chars().count()).max().unwrap_or(0);
        let px = (longest * SIZING_PX + PADDING_PX).clamp(WRAP_MIN_PX, WRAP_MAX_PX);
        let w = widths.entry(*col).or_insert(WRAP_MIN_PX);
        *w = (*w).max(px);
    }
    for (col, px) in &widths {
        ws.set_column_width_pixels(*col, *px as u32)?;
    }
    let mut heights: BTreeMap<u32, u32> = BTreeMap::new();
    for (row, col, text) in lines {
        let chars = widths.get(col).map_or(1, |px| (px - PADDING_PX) / COUNTING_PX);
        let h = heights.entry(*row).or_insert(1);
        *h = (*h).max(wrapped_lines(text, chars));
    }
    for (row, n) in heights.iter().filter(|(_, n)| **n > 1) {
        ws.set_row_height(*row, LINE_POINTS * f64::from(*n) + 2.0)?;
    }
    Ok(())
}

/// What a target, baseline or actual value becomes in its cell.
#[derive(Debug, PartialEq)]
enum CellValue {
    /// A number and its number format.
    Number(f64, String),
    /// A date.
    Date(chrono::NaiveDate),
    /// Any other expression, as written.
    Text(String),
}

/// A number is written as a number when the cell states that number and
/// nothing else: bare (`7`, `0,92`, `95%`, `€ 650.000`, a date), or after
/// the operator `column_op` already shown in its own column (`>= 95%`).
/// Other operators, words (`Entro 31-12-2025`), labels (`ITP < -10`),
/// remarks and ratios stay text.
fn cell_value(e: &Expr, column_op: Option<Op>) -> CellValue {
    let text = CellValue::Text(e.text.clone());
    let mut rest = e.text.trim();
    if e.explicit_op {
        let Some(op) = column_op.filter(|op| *op == e.op) else { return text };
        let symbols: &[&str] = match op {
            Op::Ge => &[">=", "=>", "≥"],
            Op::Le => &["<=", "=<", "≤"],
            Op::Gt => &[">"],
            Op::Lt => &["<"],
            Op::Eq => &["="],
        };
        match symbols.iter().find_map(|s| rest.strip_prefix(s)) {
            Some(r) => rest = r.trim(),
            None => return text,
        }
    }
    let bare = |s: &str| crate::read::parse_italian_number(s.trim()).is_some();
    match &e.value {
        // Excel's calendar starts in 1900.
        Value::Date { date } if crate::model::expr::parse_date(rest) == Some(*date) && date.year() >= 1900 => {
            CellValue::Date(*date)
        }
        Value::Number { value, unit: None } if bare(rest) => {
            CellValue::Number(to_f64(*value), number_format("#,##0", value.scale(), ""))
        }
        Value::Number { value, unit: Some(u) } if u == "%" && rest.strip_suffix('%').is_some_and(bare) => {
            CellValue::Number(to_f64(*value), number_format("0", value.scale().saturating_sub(2), "%"))
        }
        Value::Number { value, unit: Some(u) } if u == "€" => {
            let body = rest.strip_prefix('€').or_else(|| rest.strip_suffix('€')).or_else(|| rest.strip_suffix("euro"));
            if body.is_some_and(bare) {
                CellValue::Number(to_f64(*value), number_format("#,##0", value.scale(), " \"€\""))
            } else {
                text
            }
        }
        _ => text,
    }
}

/// `#,##0.00 "€"`-like formats with the decimals the value was written with.
fn number_format(int: &str, decimals: u32, suffix: &str) -> String {
    let decimals = decimals.min(6) as usize;
    if decimals == 0 { format!("{int}{suffix}") } else { format!("{int}.{}{suffix}", "0".repeat(decimals)) }
}

/// A target, baseline or actual value in its cell (blank when absent).
fn write_expr(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    e: Option<&Expr>,
    column_op: Option<Op>,
    f: &Formats,
) -> Result<(), XlsxError> {
    let Some(e) = e else { return Ok(()) };
    match cell_value(e, column_op) {
        CellValue::Number(n, format) => {
            ws.write_number_with_format(row, col, n, &Format::new().set_num_format(format))?;
        }
        CellValue::Date(d) => {
            let dt = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
            ws.write_datetime_with_format(row, col, &dt, &f.date)?;
        }
        CellValue::Text(t) => {
            ws.write_string(row, col, t)?;
        }
    }
    Ok(())
}

fn status_colours(ws: &mut Worksheet, first: u32, last: u32, col: u16) -> Result<(), XlsxError> {
    for (st, colour) in STATUS_FILLS {
        let cf = ConditionalFormatText::new()
            .set_rule(ConditionalFormatTextRule::BeginsWith(st.label().to_string()))
            .set_format(Format::new().set_background_color(colour));
        ws.add_conditional_format(first, col, last, col, &cf)?;
    }
    Ok(())
}

/// Column widths fitted to the content (long texts wrap at about 60
/// characters), frozen header, autofilter and landscape A4 print setup.
fn finish(ws: &mut Worksheet, header_row: u32, filter: Option<(u32, u16)>) -> Result<(), XlsxError> {
    ws.set_autofit_max_width(420);
    ws.autofit();
    ws.set_freeze_panes(header_row + 1, 0)?;
    if let Some((last_row, last_col)) = filter {
        ws.autofilter(header_row, 0, last_row.max(header_row + 1), last_col)?;
    }
    ws.set_landscape().set_paper_size(9).set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(header_row, header_row)?;
    Ok(())
}

/// A valid, unique sheet name from a unit code: Excel refuses `[]:*?/\`,
/// names longer than 31 characters, names that start or end with `'`, and
/// two names that differ only in case. `used` holds the names taken, in
/// lower case.
fn sheet_name(code: &str, used: &[String]) -> String {
    const MAX: usize = 31;
    let clean: String = code.chars().map(|c| if "[]:*?/\\".contains(c) || c.is_control() { '_' } else { c }).collect();
    let base = format!("Struttura {}", clean.trim());
    let fit = |suffix: &str| -> String {
        let room = MAX - suffix.chars().count();
        let head: String = base.chars().take(room).collect();
        format!("{}{suffix}", head.trim_end_matches(['\'', ' ']))
    };
    let mut name = fit("");
    let mut n = 2;
    while used.contains(&name.to_lowercase()) {
        name = fit(&format!(" {n}"));
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str, column_op: Option<Op>) -> CellValue {
        cell_value(&Expr::parse(text, Op::Ge).unwrap_or_else(|m| panic!("{text}: {m}")), column_op)
    }

    fn number(n: f64, format: &str) -> CellValue {
        CellValue::Number(n, format.to_string())
    }

    #[test]
    fn one_number_is_a_number_with_its_format() {
        assert_eq!(value("7", Some(Op::Ge)), number(7.0, "#,##0"));
        assert_eq!(value("0,92", Some(Op::Ge)), number(0.92, "#,##0.00"));
        assert_eq!(value("1.150", Some(Op::Ge)), number(1150.0, "#,##0"));
        assert_eq!(value("95%", Some(Op::Ge)), number(0.95, "0%"));
        assert_eq!(value("95,5%", Some(Op::Ge)), number(0.955, "0.0%"));
        assert_eq!(value("€ 650.000", Some(Op::Ge)), number(650000.0, "#,##0 \"€\""));
        assert_eq!(value("135.000,00 €", Some(Op::Ge)), number(135000.0, "#,##0.00 \"€\""));
        assert_eq!(value(">= 95%", Some(Op::Ge)), number(0.95, "0%"));
        assert_eq!(value("<=1", Some(Op::Le)), number(1.0, "#,##0"));
        assert_eq!(value("-3", Some(Op::Le)), number(-3.0, "#,##0"));
        let date = chrono::NaiveDate::from_ymd_opt(2025, 12, 31).expect("date");
        assert_eq!(value("31/12/2025", Some(Op::Le)), CellValue::Date(date));
    }

    #[test]
    fn an_expression_that_is_not_one_number_stays_text() {
        for (t, op) in [
            ("286/10.000 imprese attive", Some(Op::Ge)),
            ("Entro 31-12-2025", Some(Op::Le)),
            ("≥ Buono", Some(Op::Ge)),
            ("ITP < -10", Some(Op::Lt)),
            ("<=1", Some(Op::Ge)),
            ("<=1", None),
            ("90,49% (media Toscana)", Some(Op::Ge)),
            ("3,5/5", Some(Op::Ge)),
            ("4,20 gg", Some(Op::Le)),
            ("si", Some(Op::Eq)),
            ("n.d.", Some(Op::Ge)),
            ("31/12/1899", Some(Op::Le)),
        ] {
            assert_eq!(value(t, op), CellValue::Text(t.trim().to_string()), "{t}");
        }
    }

    #[test]
    fn wrapped_lines_break_at_spaces() {
        assert_eq!(wrapped_lines("", 10), 1);
        assert_eq!(wrapped_lines("uno due tre", 11), 1);
        assert_eq!(wrapped_lines("uno due tre", 10), 2);
        assert_eq!(wrapped_lines("uno\ndue", 80), 2);
        assert_eq!(wrapped_lines("abcdefghijklmnopqrstuvwxy", 10), 3);
        assert_eq!(wrapped_lines(&"parola ".repeat(30), 54), 5);
    }
}

#[cfg(test)]
mod sheet_name_tests {
    use super::sheet_name;

    fn valid(name: &str) -> bool {
        let n = name.chars().count();
        (1..=31).contains(&n)
            && !name.contains(['[', ']', ':', '*', '?', '/', '\\'])
            && !name.starts_with('\'')
            && !name.ends_with('\'')
    }

    #[test]
    fn unit_codes_excel_refuses_give_valid_unique_sheet_names() {
        let mut used: Vec<String> = vec!["sintesi".into(), "obiettivi".into()];
        let codes = [
            "A1",
            "Dirigente'",
            "Dirigente",
            "[SG]: a*b?c/d\\e",
            "Area dei servizi alle imprese e alla regolazione del mercato",
            "Area dei servizi alle imprese e alla regolazione del mercato 2",
            "area dei servizi alle imprese e alla regolazione del mercato",
        ];
        let mut names = Vec::new();
        for code in codes {
            let name = sheet_name(code, &used);
            assert!(valid(&name), "{code} → {name}");
            used.push(name.to_lowercase());
            names.push(name);
        }
        assert_eq!(names[0], "Struttura A1");
        assert_eq!(names[1], "Struttura Dirigente");
        assert_eq!(names[2], "Struttura Dirigente 2");
        assert_eq!(names[3], "Struttura _SG__ a_b_c_d_e");
        assert_eq!(names[4], "Struttura Area dei servizi alle");
        assert_eq!(names[5], "Struttura Area dei servizi al 2");
        assert_eq!(names[6], "Struttura area dei servizi al 3");
        // A hundred units with one long name still fit in 31 characters.
        for _ in 0..120 {
            let name = sheet_name(codes[4], &used);
            assert!(valid(&name) && !used.contains(&name.to_lowercase()), "{name}");
            used.push(name.to_lowercase());
        }
    }
}
