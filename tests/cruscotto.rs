//! The Giunta's xlsx read back: sheets, number formats, print setup, the
//! planning phase, hostile cell text, and LibreOffice opening it.

mod common;

use calamine::{Data, Reader, open_workbook_auto};
use common::C::*;
use common::*;
use std::path::Path;

fn build(wb: &Path, out: &Path) {
    let o = piao(&["build", wb.to_str().expect("path"), "--out", out.to_str().expect("path")]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn libreoffice_opens_the_cruscotto_without_complaint() {
    let dir = tempfile::tempdir().expect("temp dir");
    build(&root().join("inputs/arezzo-siena-relazione-2019.xlsx"), dir.path());
    let xlsx = dir.path().join("2019_cruscotto.xlsx");
    let pdf = convert(&xlsx, "pdf");
    let text = pdf_text(&pdf);
    assert!(text.contains("Indicatore sintetico di performance dell'ente"), "LibreOffice rendered the Sintesi sheet");
    assert!(text.contains("Proventi da Progetto Apprendistato"), "and the Indicatori sheet");
}

#[test]
fn sheets_formats_and_print_setup() {
    let dir = tempfile::tempdir().expect("temp dir");
    build(&root().join("inputs/arezzo-siena-relazione-2019.xlsx"), dir.path());
    let xlsx = dir.path().join("2019_cruscotto.xlsx");
    let sheets = zip_text(&xlsx, "xl/worksheets/sheet");
    assert!(
        sheets.contains(r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#),
        "frozen header rows"
    );
    assert!(sheets.contains("<autoFilter"), "autofilter");
    assert!(
        sheets.contains(r#"orientation="landscape""#)
            && sheets.contains(r#"paperSize="9""#)
            && sheets.contains(r#"fitToHeight="0""#),
        "landscape A4 fit to width"
    );
    assert!(
        sheets.contains("<conditionalFormatting") && sheets.contains("raggiunto"),
        "status colours by conditional formatting"
    );
    assert!(zip_text(&xlsx, "xl/workbook.xml").contains("_xlnm.Print_Titles"), "header rows repeated on print");
    assert!(zip_text(&xlsx, "xl/styles.xml").contains(r#"formatCode="0.0%""#), "percentage number format");
    let core = zip_text(&xlsx, "docProps/core.xml");
    assert!(
        core.contains("<dc:title>Cruscotto per la Giunta 2019 – Camera di Commercio di Arezzo-Siena</dc:title>"),
        "{core}"
    );
    assert!(zip_text(&xlsx, "xl/charts/").contains("<c:barChart>"), "a native bar chart");
    let mut wb = open_workbook_auto(&xlsx).expect("opens");
    let sintesi = wb.worksheet_range("Sintesi").expect("Sintesi");
    assert!(
        matches!(sintesi.get_value((1, 1)), Some(Data::Float(f)) if (*f - 0.985).abs() < 0.01),
        "entity index is a number"
    );
}

#[test]
fn the_planning_phase_shows_targets_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    build(&root().join("inputs/arezzo-siena-piao-2024.xlsx"), dir.path());
    let mut wb = open_workbook_auto(dir.path().join("2024_cruscotto.xlsx")).expect("opens");
    let ind = wb.worksheet_range("Indicatori").expect("Indicatori");
    let header: Vec<String> = ind.rows().next().expect("header").iter().map(|d| d.to_string()).collect();
    assert_eq!(
        header,
        vec![
            "Codice",
            "Obiettivo",
            "Indicatore",
            "UdM",
            "Operatore",
            "Baseline",
            "Target 2024",
            "Target 2025",
            "Target 2026"
        ]
    );
}

#[test]
fn anomalies_list_every_diagnostic_with_its_cell() {
    let dir = tempfile::tempdir().expect("temp dir");
    build(&root().join("inputs/pistoia-prato-piao-2025.xlsx"), dir.path());
    let mut wb = open_workbook_auto(dir.path().join("2025_cruscotto.xlsx")).expect("opens");
    let an = wb.worksheet_range("Anomalie").expect("Anomalie");
    let rows: Vec<Vec<String>> = an.rows().map(|r| r.iter().map(|d| d.to_string()).collect()).collect();
    assert_eq!(rows[0], vec!["Gravità", "File", "Foglio", "Cella", "Messaggio", "Suggerimento"]);
    assert!(
        rows.iter().any(|r| r[0] == "avviso" && r[4].contains("«03_01_OP04» sommano a 99,4% invece di 100%")),
        "{rows:?}"
    );
}

#[test]
fn cell_text_that_looks_like_a_formula_stays_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("ostile.xlsx");
    let names = [
        "=HYPERLINK(\"http://esempio.invalid\",\"clic\")",
        "+39 055 123",
        "-1 rispetto al 2024",
        "@utente",
        "#set page(width: 1cm) *grassetto* $x$ <etichetta> \\ `codice`",
    ];
    let mut ind = vec![vec![S("Codice"), S("Obiettivo"), S("Nome"), S("Target 2025")]];
    let codes = ["I1", "I2", "I3", "I4", "I5"];
    for (c, n) in codes.iter().zip(names.iter()) {
        ind.push(vec![S(c), S("OS1"), S(n), S("10")]);
    }
    workbook(
        &wb,
        &[
            (
                "Ente",
                vec![
                    vec![S("Voce"), S("Valore")],
                    vec![S("Denominazione"), S("=1+1 Camera")],
                    vec![S("Anno"), N(2025.0)],
                ],
            ),
            (
                "Obiettivi",
                vec![
                    vec![S("Codice"), S("Livello"), S("Titolo"), S("Prospettiva")],
                    vec![S("OS1"), S("Strategico"), S("@titolo *con* _markup_ #pagebreak()"), S("Processi interni")],
                ],
            ),
            ("Indicatori", ind),
        ],
    );
    let out = dir.path().join("out");
    build(&wb, &out);
    let xlsx = out.join("2025_cruscotto.xlsx");
    assert!(!zip_text(&xlsx, "xl/worksheets/sheet").contains("<f>"), "no formula anywhere");
    let mut book = open_workbook_auto(&xlsx).expect("opens");
    let range = book.worksheet_range("Indicatori").expect("Indicatori");
    for (r, n) in names.iter().enumerate() {
        assert_eq!(range.get_value((r as u32 + 1, 2)), Some(&Data::String(n.to_string())));
    }
    // The same texts print literally in the PDFs.
    let cards = pdf_text(&out.join("2025_schede.pdf"));
    // poppler turns a backtick before a letter into a combining grave accent
    // (U+0300) when it extracts text: compare without either.
    let plain = |s: &str| squash(s).replace(['`', '\u{300}'], "");
    for n in names.iter().chain(["@titolo *con* _markup_ #pagebreak()"].iter()) {
        assert!(plain(&cards).contains(&plain(n)), "«{n}» not printed literally");
    }
    let cover = pdf_text(&out.join("2025_allegato.pdf"));
    assert!(cover.starts_with("=1+1 Camera"), "the entity name prints literally on the cover");
}

/// The row of the `Indicatori` sheet whose code is `code`.
fn indicator_row(range: &calamine::Range<Data>, code: &str) -> Vec<Data> {
    range
        .rows()
        .find(|r| r.first() == Some(&Data::String(code.into())))
        .unwrap_or_else(|| panic!("no row {code}"))
        .to_vec()
}

#[test]
fn targets_and_baselines_that_are_one_number_are_numbers() {
    let dir = tempfile::tempdir().expect("temp dir");
    build(&root().join("inputs/pistoia-prato-piao-2025.xlsx"), dir.path());
    let xlsx = dir.path().join("2025_cruscotto.xlsx");
    let mut wb = open_workbook_auto(&xlsx).expect("opens");
    let ind = wb.worksheet_range("Indicatori").expect("Indicatori");
    let header: Vec<String> = ind.rows().next().expect("header").iter().map(|d| d.to_string()).collect();
    let (baseline, target) = (
        header.iter().position(|h| h == "Baseline").expect("Baseline"),
        header.iter().position(|h| h == "Target 2025").expect("Target 2025"),
    );
    let cells = |code: &str| {
        let row = indicator_row(&ind, code);
        (row[baseline].clone(), row[target].clone())
    };
    let close = |d: &Data, v: f64| matches!(d, Data::Float(f) if (f - v).abs() < 1e-12);
    // Seed 001: baseline 7, target 4; baseline 0,92, target 1 (operator ≤).
    let (b, t) = cells("01_01_UIC01-I2");
    assert!(close(&b, 7.0) && close(&t, 4.0), "{b:?} {t:?}");
    let (b, t) = cells("01_01_UIC01-I3");
    assert!(close(&b, 0.92) && close(&t, 1.0), "{b:?} {t:?}");
    // Percentages are fractions with a percent format; `>= 80%` after the ≥ column too.
    let (b, t) = cells("02_01_UIC01-I1");
    assert!(close(&b, 0.0985) && close(&t, 0.099), "{b:?} {t:?}");
    let (_, t) = cells("01_01_OS03-I1");
    assert!(close(&t, 0.8), "{t:?}");
    // A deadline is a date cell.
    let (_, t) = cells("01_01_OS04-I1");
    assert!(matches!(t, Data::DateTime(_)), "{t:?}");
    // What is not one number stays text, as written.
    let (b, t) = cells("01_01_UIC01-I1");
    assert_eq!(b, Data::String("286/10.000 imprese attive".into()));
    assert_eq!(t, Data::String("80/10.000 imprese attive".into()));
    let (_, t) = cells("01_01_OS03-I3");
    assert_eq!(t, Data::String("= sì".into()));
    let styles = zip_text(&xlsx, "xl/styles.xml");
    for format in
        [r#"formatCode="0%""#, r#"formatCode="0.00%""#, r#"formatCode="dd/mm/yyyy""#, r##"formatCode="#,##0.00""##]
    {
        assert!(styles.contains(format), "{format} missing: {styles}");
    }
}

/// `(row number, height)` of the rows with an explicit height.
fn row_heights(sheet_xml: &str) -> Vec<(u32, f64)> {
    sheet_xml
        .split("<row ")
        .skip(1)
        .filter_map(|r| {
            let tag = &r[..r.find('>')?];
            let attr = |name: &str| {
                let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
                tag[start..].split('"').next().map(str::to_string)
            };
            let number: u32 = tag.strip_prefix("r=\"")?.split('"').next()?.parse().ok()?;
            tag.contains("customHeight=\"1\"").then(|| Some((number, attr("ht")?.parse().ok()?))).flatten()
        })
        .collect()
}

#[test]
fn rows_with_wrapped_text_have_heights_that_fit() {
    let dir = tempfile::tempdir().expect("temp dir");
    build(&root().join("inputs/arezzo-siena-relazione-2019.xlsx"), dir.path());
    let xlsx = dir.path().join("2019_cruscotto.xlsx");
    let mut wb = open_workbook_auto(&xlsx).expect("opens");
    assert_eq!(wb.sheet_names()[1], "Obiettivi");
    let obiettivi = wb.worksheet_range("Obiettivi").expect("Obiettivi");
    let heights = row_heights(&zip_text(&xlsx, "xl/worksheets/sheet2.xml"));
    let mut long = 0;
    for (n, row) in obiettivi.rows().enumerate().skip(1) {
        let title = row[2].to_string();
        let chars = title.chars().count();
        let height = heights.iter().find(|(r, _)| *r as usize == n + 1).map(|(_, h)| *h);
        // A column is at most 420 pixels wide: about 70 characters of text.
        if chars > 75 {
            long += 1;
            let lines = chars.div_ceil(75) as f64;
            assert!(height.is_some_and(|h| h >= 15.0 * lines), "row {}: «{title}» has height {height:?}", n + 1);
        } else if chars <= 40 {
            assert_eq!(height, None, "row {}: «{title}» fits one line", n + 1);
        }
    }
    assert!(long > 0, "the 2019 example has long titles");
    // LibreOffice keeps the heights: converted to ods and back, the rows are as tall.
    let ods = convert(&xlsx, "ods");
    let content = zip_text(&ods, "content.xml");
    assert!(content.contains("style:use-optimal-row-height=\"false\""), "LibreOffice kept explicit row heights");
}
