//! `piao template`: the contract's blank workbook, written from the same
//! sheet specs the reader uses, with a note on every header, drop-down lists
//! and an `Istruzioni` sheet; optionally filled with a small example.

use crate::model::sheets;
use crate::read::SheetSpec;
use rust_xlsxwriter::{DataValidation, DocProperties, ExcelDateTime, Format, Note, Workbook, Worksheet, XlsxError};

/// The `Ente` keys the template lists, with their default values.
const ENTE_KEYS: &[(&str, &str)] = &[
    ("Denominazione", ""),
    ("Anno", ""),
    ("Triennio", ""),
    ("Presidente", ""),
    ("Segretario generale", ""),
    ("Delibera", ""),
    ("Data", ""),
    ("Soglia raggiunto", "100%"),
    ("Soglia parziale", "70%"),
    ("Tetto", "100%"),
    ("Soglia minima", "0%"),
    ("Tolleranza giorni", "0"),
    ("Logo", ""),
    ("Cruscotto per", "Ambito"),
];

const PERSPECTIVES: [&str; 4] = [
    "Imprese, territorio e consumatori",
    "Processi interni",
    "Apprendimento, crescita e innovazione",
    "Economico-finanziaria",
];

/// The headers of a sheet as the template writes them: canonical names, and
/// for `Indicatori` one `Target {anno}` column per year of the triennium.
fn headers(spec: &SheetSpec, year: i32) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for c in spec.columns {
        if c.key == "target" {
            for y in year..=year + 2 {
                out.push((
                    format!("Target {y}"),
                    format!(
                        "Target dell'anno {y}: ad es. «>= 95%», «Entro 31/12/{y}», «si», «≥ Buono», «n.d.». Si possono aggiungere colonne per altri anni (Target {}, Target {}): i documenti le stampano tutte.",
                        year - 1,
                        year + 3
                    ),
                ));
            }
            continue;
        }
        let mut note = c.note.to_string();
        if c.required {
            note.push_str(" Obbligatoria.");
        }
        if c.names.len() > 1 {
            note.push_str(&format!(" Intestazioni accettate anche: {}.", c.names[1..].join(", ")));
        }
        out.push((c.names[0].to_string(), note));
    }
    out
}

/// Writes the template for reference year `year`; with `example`, filled
/// with a small plan that passes `piao check`.
pub fn write(year: i32, example: bool) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(year as u16, 1, 1)?;
    wb.set_properties(
        &DocProperties::new().set_title(format!("Piano della performance {year}")).set_creation_datetime(&created),
    );
    let bold = Format::new().set_bold().set_background_color(0xD9E1F2);
    instructions(wb.add_worksheet(), year)?;
    for spec in sheets::ALL {
        let ws = wb.add_worksheet();
        ws.set_name(spec.names[0])?;
        let hs = headers(spec, year);
        for (c, (h, note)) in hs.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &bold)?;
            ws.insert_note(0, c as u16, &Note::new(note).set_author("piao").set_width(320).set_height(110))?;
            ws.set_column_width(
                c as u16,
                if h == "Titolo" || h == "Nome" || h == "Descrizione" || h == "Formula" { 45 } else { 18 },
            )?;
        }
        ws.set_freeze_panes(1, 0)?;
        let col = |name: &str| hs.iter().position(|(h, _)| h == name).map(|c| c as u16);
        let list = |ws: &mut Worksheet, name: &str, values: &[&str]| -> Result<(), XlsxError> {
            if let Some(c) = col(name) {
                let dv = DataValidation::new().allow_list_strings(values)?.ignore_blank(true);
                ws.add_data_validation(1, c, 2000, c, &dv)?;
            }
            Ok(())
        };
        list(ws, "Livello", &["Strategico", "Operativo"])?;
        list(ws, "Prospettiva", &PERSPECTIVES)?;
        list(ws, "UdM", &["n.", "%", "gg", "h", "€", "data", "si/no", "1-5"])?;
        list(ws, "Operatore", &[">=", ">", "<=", "<", "=", "entro"])?;
        list(ws, "Neutralizzato", &["si", "no"])?;
        list(ws, "Albero", &["sì", "no"])?;
        list(ws, "Produttività", &["sì", "no"])?;
        if spec.names[0] == "Consuntivi" {
            // Text format: what is typed stays as typed. `75` stays «75» and
            // is refused against a percentage target, instead of becoming a
            // number that a general cell shows as 75 and piao reads as 7.500%.
            if let Some(c) = col("Valore") {
                ws.set_column_format(c, &Format::new().set_num_format("@"))?;
            }
        }
        if spec.names[0] == "Ente" {
            for (r, (key, value)) in ENTE_KEYS.iter().enumerate() {
                ws.write_string(1 + r as u32, 0, *key)?;
                let value = match (*key, example) {
                    ("Denominazione", true) => "Camera di Commercio di Esempio".to_string(),
                    ("Anno", _) if example => year.to_string(),
                    ("Triennio", true) => format!("{}-{}", year, year + 2),
                    _ => value.to_string(),
                };
                if !value.is_empty() {
                    ws.write_string(1 + r as u32, 1, value)?;
                }
            }
            ws.set_column_width(0, 22)?;
            ws.set_column_width(1, 50)?;
        } else if example {
            fill_example(ws, spec.names[0], &hs, year)?;
        }
    }
    wb.save_to_buffer()
}

fn instructions(ws: &mut Worksheet, year: i32) -> Result<(), XlsxError> {
    ws.set_name("Istruzioni")?;
    let title = Format::new().set_bold().set_font_size(14);
    let bold = Format::new().set_bold();
    ws.write_string_with_format(0, 0, "Cartella di lavoro per piao", &title)?;
    let mut r = 2;
    let lines: Vec<(String, String)> = vec![
        ("Come si usa".into(), "Compilare i fogli Ente, Obiettivi e Indicatori (obbligatori) e, se servono, gli altri; poi eseguire «piao check» e «piao build».".into()),
        ("Intestazioni".into(), "Ogni intestazione ha una nota che spiega la colonna. Le colonne possono stare in qualsiasi ordine; colonne in più sono conservate.".into()),
        ("Numeri".into(), "All'italiana: 1.150 (mille centocinquanta), 2,5, 95%, € 135.000,00. Un numero digitato vale come lo mostra il foglio: 95% in una cella formattata come percentuale è 0,95.".into()),
        ("Consuntivi in %".into(), "Un consuntivo deve avere la stessa unità del suo target: contro «>= 80%» si scrive «75%»; «75» senza % è un errore, perché non si sa se è 75% o 7.500%. La colonna Valore del foglio Consuntivi è in formato testo, così ciò che si digita resta com'è scritto. Un consuntivo più di dieci volte il target o sotto un decimo, o oltre il 1.000%, è segnalato come avviso.".into()),
    ];
    for (k, v) in &lines {
        ws.write_string_with_format(r, 0, k, &bold)?;
        ws.write_string(r, 1, v)?;
        r += 1;
    }
    r += 1;
    ws.write_string_with_format(r, 0, "Fogli", &bold)?;
    r += 1;
    for spec in sheets::ALL {
        ws.write_string(r, 0, spec.names[0])?;
        ws.write_string(r, 1, spec.note)?;
        r += 1;
    }
    r += 1;
    ws.write_string_with_format(r, 0, "Target, baseline, consuntivi", &bold)?;
    r += 1;
    let examples = [
        ("numero", "24 · 2,5 · 1.150 · ≥ 95% · <= 4,20 gg · € 135.000,00 · ≤ -20 · 53 ‰"),
        ("scadenza", &*format!("31/12/{year} · Entro 31-12-{year} · <= 30.04.{year}")),
        ("sì/no", "si · no · = si"),
        ("livello", "Positivo · ≥ Buono · >= Medio · grado di soddisfazione medio 3,5/5"),
        ("nessun target", "(vuoto) · n.d. · - · da attivare"),
        ("solo misurazione", "Anno di rilevazione"),
        ("operatori", ">= ≥ => > <= ≤ =< < = almeno · non inferiore a · non superiore a · entro"),
    ];
    for (k, v) in examples {
        ws.write_string(r, 0, k)?;
        ws.write_string(r, 1, v)?;
        r += 1;
    }
    ws.set_column_width(0, 28)?;
    ws.set_column_width(1, 120)?;
    Ok(())
}

fn fill_example(ws: &mut Worksheet, sheet: &str, hs: &[(String, String)], year: i32) -> Result<(), XlsxError> {
    let t = |y: i32| format!("Target {y}");
    let rows: Vec<Vec<(String, String)>> = match sheet {
        "Ambiti" => vec![
            vec![
                ("Codice".into(), "IMP".into()),
                ("Denominazione".into(), "Imprese, territorio e consumatori".into()),
                ("Prospettiva".into(), PERSPECTIVES[0].into()),
            ],
            vec![
                ("Codice".into(), "PI".into()),
                ("Denominazione".into(), "Processi interni".into()),
                ("Prospettiva".into(), PERSPECTIVES[1].into()),
            ],
        ],
        "Obiettivi" => vec![
            vec![
                ("Codice".into(), "OS1".into()),
                ("Livello".into(), "Strategico".into()),
                ("Titolo".into(), "Semplificazione e qualità dei servizi".into()),
                ("Ambito".into(), "IMP".into()),
            ],
            vec![
                ("Codice".into(), "OS2".into()),
                ("Livello".into(), "Strategico".into()),
                ("Titolo".into(), "Efficienza della gestione".into()),
                ("Ambito".into(), "PI".into()),
            ],
            vec![
                ("Codice".into(), "OP1".into()),
                ("Livello".into(), "Operativo".into()),
                ("Titolo".into(), "Tempi del Registro Imprese".into()),
                ("Obiettivo strategico".into(), "OS1".into()),
                ("Programma di intervento".into(), "Valorizzazione delle banche dati".into()),
                ("Struttura".into(), "A2".into()),
            ],
            vec![
                ("Codice".into(), "OP2".into()),
                ("Livello".into(), "Operativo".into()),
                ("Titolo".into(), "Pagamenti puntuali".into()),
                ("Obiettivo strategico".into(), "OS2".into()),
                ("Programma di intervento".into(), "Efficienza della gestione".into()),
                ("Struttura".into(), "A1".into()),
            ],
        ],
        "Indicatori" => vec![
            vec![
                ("Codice".into(), "I1".into()),
                ("Obiettivo".into(), "OS1".into()),
                ("Nome".into(), "Pratiche evase entro 5 giorni".into()),
                ("UdM".into(), "%".into()),
                ("Baseline".into(), "90,49%".into()),
                ("Anno baseline".into(), (year - 2).to_string()),
                (t(year), "≥ 95%".into()),
                (t(year + 1), "≥ 95%".into()),
                (t(year + 2), "≥ 96%".into()),
            ],
            vec![
                ("Codice".into(), "I2".into()),
                ("Obiettivo".into(), "OS2".into()),
                ("Nome".into(), "Tempo medio di pagamento delle fatture".into()),
                ("UdM".into(), "gg".into()),
                ("Operatore".into(), "<=".into()),
                (t(year), "30".into()),
                (t(year + 1), "28".into()),
                (t(year + 2), "25".into()),
            ],
            vec![
                ("Codice".into(), "I3".into()),
                ("Obiettivo".into(), "OP1".into()),
                ("Nome".into(), "Pulizia della banca dati".into()),
                ("UdM".into(), "data".into()),
                (t(year), format!("Entro 31/12/{year}")),
            ],
            vec![
                ("Codice".into(), "I4".into()),
                ("Obiettivo".into(), "OP2".into()),
                ("Nome".into(), "Esito controlli per Certificazione Qualità".into()),
                (t(year), "Positivo".into()),
            ],
        ],
        "Strutture" => vec![
            vec![
                ("Codice".into(), "A1".into()),
                ("Denominazione".into(), "Area 1 – Affari generali".into()),
                ("Tipo".into(), "Area dirigenziale".into()),
                ("Responsabile".into(), "Dott.ssa Anna Rossi".into()),
            ],
            vec![
                ("Codice".into(), "A2".into()),
                ("Denominazione".into(), "Area 2 – Registro Imprese".into()),
                ("Tipo".into(), "Area dirigenziale".into()),
                ("Responsabile".into(), "Dott. Marco Bianchi".into()),
            ],
        ],
        _ => Vec::new(),
    };
    for (r, row) in rows.iter().enumerate() {
        for (h, value) in row {
            if let Some(c) = hs.iter().position(|(x, _)| x == h) {
                ws.write_string(1 + r as u32, c as u16, value)?;
            }
        }
    }
    Ok(())
}
