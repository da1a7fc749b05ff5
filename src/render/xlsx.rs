//! The cruscotto for the Giunta as xlsx: `Sintesi` (index, areas, a native
//! chart), `Obiettivi`, `Indicatori`, one sheet per unit, `Anomalie`.
//! Percentages are real numbers formatted as percentages; every cell text is
//! written as a string, never as a formula.

use super::ExportContext;
use crate::diag::Diagnostic;
use crate::model::{Level, WeightScale};
use crate::score::Status;
use chrono::Datelike;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    Chart, ChartType, ConditionalFormatText, ConditionalFormatTextRule, DocProperties, ExcelDateTime, Format,
    FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

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
}

/// Builds the workbook bytes.
pub fn export(ctx: &ExportContext) -> Result<Vec<u8>, Diagnostic> {
    build(ctx).map_err(|e| Diagnostic::error(format!("errore nella scrittura del cruscotto xlsx: {e}")))
}

fn to_f64(d: Decimal) -> f64 {
    d.to_f64().unwrap_or_default()
}

fn build(ctx: &ExportContext) -> Result<Vec<u8>, XlsxError> {
    let (plan, res) = (ctx.plan, ctx.results);
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
        wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
        title: Format::new().set_bold().set_font_size(14),
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
    for (n, o) in plan.objectives.iter().enumerate() {
        let row = 1 + n as u32;
        let agg = res.objective(&o.code);
        ws.write_string(row, 0, &o.code)?;
        ws.write_string(row, 1, if o.level == Level::Strategico { "Strategico" } else { "Operativo" })?;
        ws.write_string_with_format(row, 2, &o.title, &f.wrap)?;
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
    let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    write_headers(ws, 0, &header_refs, &f)?;
    for (n, i) in plan.indicators.iter().enumerate() {
        let row = 1 + n as u32;
        ws.write_string(row, 0, &i.code)?;
        ws.write_string(row, 1, &i.objective)?;
        ws.write_string_with_format(row, 2, &i.name, &f.wrap)?;
        ws.write_string(row, 3, i.udm.as_deref().unwrap_or(""))?;
        ws.write_string(row, 4, i.op.symbol())?;
        ws.write_string(row, 5, i.baseline.as_ref().map_or("", |b| b.text.as_str()))?;
        for (k, y) in years.iter().enumerate() {
            ws.write_string(row, 6 + k as u16, i.targets.get(y).map_or("", |e| e.text.as_str()))?;
        }
        if actuals {
            let c = 6 + years.len() as u16;
            let actual = i.actuals.get(&plan.ente.year);
            let r = res.indicator(&i.code);
            ws.write_string(row, c, actual.map_or("", |a| a.value.text.as_str()))?;
            write_score(ws, row, c + 1, r.and_then(|r| r.sal), &f.sal)?;
            ws.write_string(row, c + 2, r.map_or(Status::NonValutabile, |r| r.status).label())?;
            let note =
                actual.and_then(|a| a.note.clone()).or_else(|| r.and_then(|r| r.reason.clone())).unwrap_or_default();
            ws.write_string_with_format(row, c + 3, note, &f.wrap)?;
        }
    }
    let last = plan.indicators.len() as u32;
    if actuals {
        status_colours(ws, 1, last.max(1), 8 + years.len() as u16)?;
    }
    finish(ws, 0, Some((last, headers.len() as u16 - 1)))?;

    // One sheet per unit.
    let mut used_names: Vec<String> =
        vec!["sintesi".into(), "obiettivi".into(), "indicatori".into(), "anomalie".into()];
    for u in &plan.units {
        let objectives: Vec<_> =
            plan.objectives.iter().filter(|o| o.unit.as_deref() == Some(u.code.as_str())).collect();
        if objectives.is_empty() {
            continue;
        }
        let name = sheet_name(&u.code, &used_names);
        used_names.push(name.to_lowercase());
        let ws = wb.add_worksheet();
        ws.set_name(&name)?;
        ws.write_string_with_format(0, 0, format!("{} – {}", u.name, u.head.as_deref().unwrap_or("")), &f.title)?;
        let headers = [
            "Obiettivo strategico",
            "Programma di intervento",
            "Obiettivo operativo",
            "Indicatore",
            "Target",
            "Consuntivo",
            "SAL",
            "Stato",
        ];
        write_headers(ws, 2, &headers, &f)?;
        let mut row = 3;
        for o in objectives {
            for (_, i) in plan.indicators_of(&o.code) {
                let r = res.indicator(&i.code);
                ws.write_string(row, 0, o.parent.as_deref().unwrap_or(&o.code))?;
                ws.write_string_with_format(row, 1, o.programme.as_deref().unwrap_or(""), &f.wrap)?;
                ws.write_string_with_format(row, 2, &o.title, &f.wrap)?;
                ws.write_string_with_format(row, 3, &i.name, &f.wrap)?;
                ws.write_string(row, 4, i.targets.get(&plan.ente.year).map_or("", |e| e.text.as_str()))?;
                if actuals {
                    ws.write_string(row, 5, i.actuals.get(&plan.ente.year).map_or("", |a| a.value.text.as_str()))?;
                    write_score(ws, row, 6, r.and_then(|r| r.sal), &f.sal)?;
                    ws.write_string(row, 7, r.map_or(Status::NonValutabile, |r| r.status).label())?;
                }
                row += 1;
            }
        }
        status_colours(ws, 3, row.max(4) - 1, 7)?;
        finish(ws, 2, Some((row.max(4) - 1, 7)))?;
    }

    // Anomalie
    let ws = wb.add_worksheet();
    ws.set_name("Anomalie")?;
    let headers = ["Gravità", "File", "Foglio", "Cella", "Messaggio", "Suggerimento"];
    write_headers(ws, 0, &headers, &f)?;
    for (n, d) in ctx.diags.sorted().into_iter().enumerate() {
        let row = 1 + n as u32;
        ws.write_string(row, 0, d.severity.word())?;
        ws.write_string(row, 1, d.file.as_deref().unwrap_or(""))?;
        ws.write_string(row, 2, d.sheet.as_deref().unwrap_or(""))?;
        ws.write_string(row, 3, d.cell.as_deref().unwrap_or(""))?;
        ws.write_string_with_format(row, 4, &d.message, &f.wrap)?;
        ws.write_string_with_format(row, 5, d.hint.as_deref().unwrap_or(""), &f.wrap)?;
    }
    let last = ctx.diags.sorted().len() as u32;
    finish(ws, 0, Some((last.max(1), 5)))?;

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
