//! A synthetic plan of any size, for benchmarks and scale tests: four
//! areas, strategic and operational objectives, five units, `n` indicators
//! with every kind of target over three years and actual values for the
//! first. Deterministic: the same `n` gives the same workbook.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, XlsxError};

/// A small deterministic generator (no randomness crate needed).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Writes a workbook for year 2025 with `n` indicators (about one in six
/// strategic) and returns its bytes.
pub fn workbook(n: usize) -> Result<Vec<u8>, XlsxError> {
    workbook_with_change(n, None)
}

/// The same workbook with the actual value of indicator `changed` replaced:
/// the one-cell correction a watch rebuild reacts to.
pub fn workbook_with_change(n: usize, changed: Option<usize>) -> Result<Vec<u8>, XlsxError> {
    let mut rng = Lcg(42);
    let mut wb = Workbook::new();
    wb.set_properties(&DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(2025, 1, 1)?));
    let year = 2025;

    let ws = wb.add_worksheet();
    ws.set_name("Ente")?;
    for (r, (k, v)) in [
        ("Voce", "Valore"),
        ("Denominazione", "Camera di Commercio Sintetica"),
        ("Anno", "2025"),
        ("Data", "31/01/2026"),
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(r as u32, 0, *k)?;
        ws.write_string(r as u32, 1, *v)?;
    }

    let areas = [
        "Imprese, territorio e consumatori",
        "Processi interni",
        "Apprendimento, crescita e innovazione",
        "Economico-finanziaria",
    ];
    let ws = wb.add_worksheet();
    ws.set_name("Ambiti")?;
    for (c, h) in ["Codice", "Denominazione", "Prospettiva"].iter().enumerate() {
        ws.write_string(0, c as u16, *h)?;
    }
    for (i, a) in areas.iter().enumerate() {
        ws.write_string(1 + i as u32, 0, format!("A{}", i + 1))?;
        ws.write_string(1 + i as u32, 1, *a)?;
        ws.write_string(1 + i as u32, 2, *a)?;
    }

    let units = 5;
    let ws = wb.add_worksheet();
    ws.set_name("Strutture")?;
    for (c, h) in ["Codice", "Denominazione", "Responsabile"].iter().enumerate() {
        ws.write_string(0, c as u16, *h)?;
    }
    for u in 0..units {
        ws.write_string(1 + u, 0, format!("U{}", u + 1))?;
        ws.write_string(1 + u, 1, format!("Area dirigenziale {}", u + 1))?;
        ws.write_string(1 + u, 2, format!("Dirigente {}", u + 1))?;
    }

    // One strategic objective per 30 indicators, one operational per 5.
    let strategic = (n / 30).max(4);
    let operational = (n / 5).max(strategic);
    let ws = wb.add_worksheet();
    ws.set_name("Obiettivi")?;
    for (c, h) in
        ["Codice", "Livello", "Titolo", "Ambito", "Obiettivo strategico", "Programma di intervento", "Struttura"]
            .iter()
            .enumerate()
    {
        ws.write_string(0, c as u16, *h)?;
    }
    let mut row = 1;
    for s in 0..strategic {
        ws.write_string(row, 0, format!("OS{s:03}"))?;
        ws.write_string(row, 1, "Strategico")?;
        ws.write_string(
            row,
            2,
            format!("Obiettivo strategico {s}: sviluppo e qualità dei servizi alle imprese del territorio"),
        )?;
        ws.write_string(row, 3, format!("A{}", s % 4 + 1))?;
        row += 1;
    }
    for o in 0..operational {
        ws.write_string(row, 0, format!("OP{o:04}"))?;
        ws.write_string(row, 1, "Operativo")?;
        ws.write_string(row, 2, format!("Obiettivo operativo {o}: attività di supporto e monitoraggio"))?;
        ws.write_string(row, 4, format!("OS{:03}", o % strategic))?;
        ws.write_string(row, 5, format!("Programma {}", o % 7))?;
        ws.write_string(row, 6, format!("U{}", o % units as usize + 1))?;
        row += 1;
    }

    let ws = wb.add_worksheet();
    ws.set_name("Indicatori")?;
    let headers = [
        "Codice",
        "Obiettivo",
        "Nome",
        "UdM",
        "Baseline",
        "Target 2025",
        "Target 2026",
        "Target 2027",
        "Consuntivo 2025",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, *h)?;
    }
    for i in 0..n {
        let r = 1 + i as u32;
        let objective =
            if i % 6 == 0 { format!("OS{:03}", (i / 6) % strategic) } else { format!("OP{:04}", i % operational) };
        ws.write_string(r, 0, format!("I{i:05}"))?;
        ws.write_string(r, 1, &objective)?;
        ws.write_string(
            r,
            2,
            format!("Indicatore {i}: pratiche evase nei termini sul totale delle pratiche ricevute"),
        )?;
        let (udm, base, targets, actual): (&str, String, [String; 3], String) = match i % 7 {
            0 => {
                let t = 80 + rng.below(15);
                (
                    "%",
                    format!("{}%", t - 3),
                    [format!("≥ {t}%"), format!("≥ {}%", t + 1), format!("≥ {}%", t + 2)],
                    format!("{},{}%", t - 5 + rng.below(10), rng.below(10)),
                )
            }
            1 => {
                let t = 10 + rng.below(40);
                (
                    "n.",
                    (t - 2).to_string(),
                    [t.to_string(), (t + 1).to_string(), (t + 2).to_string()],
                    (t - 5 + rng.below(10)).to_string(),
                )
            }
            2 => (
                "gg",
                "25".into(),
                ["<= 20 gg".into(), "<= 18 gg".into(), "<= 15 gg".into()],
                format!("{}", 15 + rng.below(10)),
            ),
            3 => (
                "data",
                "n.d.".into(),
                [
                    format!("Entro 30/06/{year}"),
                    format!("Entro 30/06/{}", year + 1),
                    format!("Entro 30/06/{}", year + 2),
                ],
                format!("{:02}/{:02}/{year}", 1 + rng.below(28), 3 + rng.below(6)),
            ),
            4 => (
                "si/no",
                "no".into(),
                ["si".into(), "si".into(), "si".into()],
                if rng.below(5) == 0 { "no".into() } else { "si".into() },
            ),
            5 => (
                "scala",
                "Discreto".into(),
                ["≥ Buono".into(), "≥ Buono".into(), "Ottimo".into()],
                ["Discreto", "Buono", "Ottimo"][rng.below(3) as usize].into(),
            ),
            _ => (
                "€",
                "€ 500.000,00".into(),
                ["€ 650.000".into(), "€ 660.000".into(), "€ 670.000".into()],
                format!("€ {}.{:03},{:02}", 500 + rng.below(200), rng.below(1000), rng.below(100)),
            ),
        };
        ws.write_string(r, 3, udm)?;
        ws.write_string(r, 4, &base)?;
        for (k, t) in targets.iter().enumerate() {
            ws.write_string(r, 5 + k as u16, t)?;
        }
        let actual = if changed == Some(i) { "0".to_string() } else { actual };
        ws.write_string(r, 8, &actual)?;
    }
    wb.save_to_buffer()
}
