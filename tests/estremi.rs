//! Extreme and hostile workbooks (issue 19): a corpus generated at test time,
//! one small file of each kind that once took piao down — zip bombs, a sheet
//! spanning the whole grid, a row numbered 4 294 967 295, empty rows and
//! tags by the million, truncated and mutated `.xls` files, a chain of
//! 10 000 units, a very hidden duplicate `Ente`, dates beyond the calendar,
//! absurd weights, control and invisible characters, unit slips. Each runs
//! the real binary under a 2 GB address-space limit and a 20 s wall clock:
//! exit 0 or 1 (never a panic or an abort), an Italian diagnostic at its
//! place, nothing written when it fails.

mod common;

use common::C::*;
use common::*;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Most address space a run may use.
const MEMORY: u64 = 2 << 30;
/// Longest a run may take.
const WALL: Duration = Duration::from_secs(20);

/// What a bounded run gave.
struct Run {
    code: Option<i32>,
    /// Standard error followed by standard output.
    stderr: String,
}

/// Runs `piao args` with the address space capped at [`MEMORY`] and kills it
/// after [`WALL`]; a run that needed killing fails the test.
fn bounded(args: &[&str]) -> Run {
    if let Some(wb) = args.get(1).map(Path::new).filter(|p| p.is_file()) {
        keep(wb);
    }
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_piao"));
    cmd.args(args).current_dir(root()).stdout(Stdio::piped()).stderr(Stdio::piped());
    // SAFETY: setrlimit is async-signal-safe; nothing else runs in the child.
    unsafe {
        cmd.pre_exec(|| {
            let lim = libc::rlimit { rlim_cur: MEMORY, rlim_max: MEMORY };
            if libc::setrlimit(libc::RLIMIT_AS, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = cmd.spawn().expect("piao starts");
    let mut err = child.stderr.take().expect("stderr");
    let mut out = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > WALL {
            let _ = child.kill();
            let _ = child.wait();
            panic!("piao {args:?} ran past {WALL:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    // Both streams: diagnostics go to stderr, the summary of `check` to stdout.
    let text = reader.join().unwrap_or_default() + &out_reader.join().unwrap_or_default();
    Run { code: status.code(), stderr: text }
}

/// With `PIAO_CORPUS=dir`, keeps a copy of a generated file there: the
/// seed corpus of the `lettore` fuzz target (docs/fuzzing.md).
fn keep(path: &Path) {
    if let Some(dir) = std::env::var_os("PIAO_CORPUS") {
        let dir = PathBuf::from(dir);
        std::fs::create_dir_all(&dir).expect("corpus folder");
        std::fs::copy(path, dir.join(path.file_name().expect("file name"))).expect("copy to the corpus");
    }
}

/// Checks a run that must fail: exit 1, the words (an Italian message or a
/// `Foglio!A1` place) on stderr, no panic, no output folder written.
fn refused(wb: &Path, words: &[&str]) {
    let out = wb.with_extension("out");
    let run = bounded(&["build", wb.to_str().expect("path"), "--out", out.to_str().expect("path")]);
    assert_eq!(run.code, Some(1), "{}: {}", wb.display(), run.stderr);
    for w in words {
        assert!(run.stderr.contains(w), "{}: expected «{w}» in:\n{}", wb.display(), run.stderr);
    }
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let written = std::fs::read_dir(&out).map(|d| d.count()).unwrap_or(0);
    assert_eq!(written, 0, "{}: files written on failure", wb.display());
}

/// Checks a run of `piao check` that must pass (exit 0) with the words.
fn accepted(wb: &Path, words: &[&str]) -> String {
    let run = bounded(&["check", wb.to_str().expect("path")]);
    assert_eq!(run.code, Some(0), "{}: {}", wb.display(), run.stderr);
    for w in words {
        assert!(run.stderr.contains(w), "{}: expected «{w}» in:\n{}", wb.display(), run.stderr);
    }
    run.stderr
}

/// CRC-32 (IEEE) of a zip entry.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// One entry of a hand-written zip: stored bytes, or a raw deflate stream
/// with the size it claims to inflate to.
enum Entry {
    Stored(Vec<u8>),
    Deflated { data: Vec<u8>, size: u32 },
}

/// Writes a zip by hand (the bombs need raw deflate streams that no writer
/// produces).
fn write_zip(path: &Path, entries: &[(String, Entry)]) {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, entry) in entries {
        let (method, crc, data, size): (u16, u32, &[u8], u32) = match entry {
            Entry::Stored(d) => (0, crc32(d), d, d.len() as u32),
            Entry::Deflated { data, size } => (8, 0, data, *size),
        };
        let offset = out.len() as u32;
        let mut h = Vec::new();
        h.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        h.extend_from_slice(&20u16.to_le_bytes());
        h.extend_from_slice(&0u16.to_le_bytes());
        h.extend_from_slice(&method.to_le_bytes());
        h.extend_from_slice(&[0, 0, 0x21, 0]);
        h.extend_from_slice(&crc.to_le_bytes());
        h.extend_from_slice(&(data.len() as u32).to_le_bytes());
        h.extend_from_slice(&size.to_le_bytes());
        h.extend_from_slice(&(name.len() as u16).to_le_bytes());
        h.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&h);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes());
        central.extend_from_slice(&h[4..30]);
        central.extend_from_slice(&[0u8; 10]);
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0, 0, 0, 0]);
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    std::fs::write(path, out).expect("write zip");
}

/// The entries of a workbook, as bytes.
fn entries(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).expect("open")).expect("zip");
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).expect("entry");
            let mut data = Vec::new();
            f.read_to_end(&mut data).expect("read entry");
            (f.name().expect("entry name").to_string(), data)
        })
        .collect()
}

/// A small valid plan whose sheet entry `sheet` (e.g. `sheet3.xml`) is
/// replaced by what `f` makes of its XML text.
fn patched(dir: &Path, name: &str, sheet: &str, f: impl Fn(&str) -> Entry) -> PathBuf {
    let base = dir.join(format!("{name}.base.xlsx"));
    small_plan(&base, "≥ 95%");
    let wb = dir.join(format!("{name}.xlsx"));
    let list: Vec<(String, Entry)> = entries(&base)
        .into_iter()
        .map(|(n, d)| {
            let e = if n.ends_with(sheet) { f(&String::from_utf8_lossy(&d)) } else { Entry::Stored(d) };
            (n, e)
        })
        .collect();
    write_zip(&wb, &list);
    wb
}

/// Bits written least significant first, as deflate wants them.
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn put(&mut self, value: u64, count: u32) {
        self.acc |= value << self.n;
        self.n += count;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }
    /// A Huffman code: most significant bit first.
    fn code(&mut self, code: u64, len: u32) {
        let mut rev = 0;
        for i in 0..len {
            rev |= ((code >> i) & 1) << (len - 1 - i);
        }
        self.put(rev, len);
    }
    fn literal(&mut self, b: u8) {
        if b < 144 { self.code(0x30 + u64::from(b), 8) } else { self.code(0x190 + u64::from(b - 144), 9) }
    }
}

/// A raw deflate stream (one fixed-Huffman block): `head`, then `fill`
/// repeated `count` times by back-references, then `tail`. 158 bytes of
/// output per 13 bits: a few MB on disk inflate to hundreds.
fn bomb(head: &str, fill: u8, count: u64, tail: &str) -> Entry {
    let mut b = Bits { out: Vec::new(), acc: 0, n: 0 };
    b.put(1, 1);
    b.put(1, 2);
    for &c in head.as_bytes() {
        b.literal(c);
    }
    b.literal(fill);
    let mut done = 1u64;
    while done + 258 <= count {
        b.code(0xC5, 8); // length 258
        b.code(0, 5); // distance 1
        done += 258;
    }
    while done < count {
        b.literal(fill);
        done += 1;
    }
    for &c in tail.as_bytes() {
        b.literal(c);
    }
    b.code(0, 7);
    b.put(0, 7);
    let size = (head.len() as u64 + count + tail.len() as u64).min(u64::from(u32::MAX)) as u32;
    Entry::Deflated { data: b.out, size }
}

#[test]
fn zip_bombs_are_refused_before_inflating() {
    let dir = tempfile::tempdir().expect("temp dir");
    // 400 MB of whitespace inside the Obiettivi sheet's XML (about 2,5 MB on
    // disk); the reader stops at the limit, whatever the real size.
    let spaces = patched(dir.path(), "spazi", "sheet3.xml", |xml| {
        let (head, tail) = xml.split_at(xml.find("<sheetData>").expect("sheetData"));
        bomb(head, b' ', 400 << 20, tail)
    });
    assert!(std::fs::metadata(&spaces).expect("size").len() < 5 << 20);
    refused(&spaces, &["file troppo grande una volta decompresso", "xl/worksheets/sheet3.xml"]);
    // One inline string of 400 MB, with a forged declared size.
    let string = patched(dir.path(), "stringa", "sheet3.xml", |xml| {
        let at = xml.find("</sheetData>").expect("sheetData");
        let head = format!("{}<row r=\"9\"><c r=\"A9\" t=\"inlineStr\"><is><t>", &xml[..at]);
        let tail = format!("</t></is></c></row>{}", &xml[at..]);
        match bomb(&head, b'x', 400 << 20, &tail) {
            Entry::Deflated { data, .. } => Entry::Deflated { data, size: 1000 },
            e => e,
        }
    });
    refused(&string, &["file danneggiato o non leggibile", "xl/worksheets/sheet3.xml"]);
    // The same string with its size declared honestly.
    let honest = patched(dir.path(), "stringa-vera", "sheet3.xml", |xml| {
        let at = xml.find("</sheetData>").expect("sheetData");
        let head = format!("{}<row r=\"9\"><c r=\"A9\" t=\"inlineStr\"><is><t>", &xml[..at]);
        let tail = format!("</t></is></c></row>{}", &xml[at..]);
        bomb(&head, b'x', 400 << 20, &tail)
    });
    refused(&honest, &["file troppo grande una volta decompresso", "xl/worksheets/sheet3.xml"]);
}

#[test]
fn cells_far_apart_do_not_make_the_reader_build_the_rectangle() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A1 and XFD1048576 on one sheet.
    let corners = patched(dir.path(), "angoli", "sheet3.xml", |xml| {
        let at = xml.find("</sheetData>").expect("sheetData");
        let far = r#"<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>"#;
        Entry::Stored(format!("{}{far}{}", &xml[..at], &xml[at..]).into_bytes())
    });
    refused(&corners, &["Obiettivi!XFD1048576", "il foglio è troppo esteso"]);
    // A row numbered 4 294 967 295.
    let row = patched(dir.path(), "riga", "sheet4.xml", |xml| {
        let at = xml.find("</sheetData>").expect("sheetData");
        let far = r#"<row r="4294967295"><c r="B4294967295" t="inlineStr"><is><t>x</t></is></c></row>"#;
        Entry::Stored(format!("{}{far}{}", &xml[..at], &xml[at..]).into_bytes())
    });
    let run = bounded(&["check", row.to_str().expect("path")]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("Indicatori!B4294967295: il foglio è troppo esteso"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn millions_of_empty_rows_and_tags_are_read_quickly() {
    let dir = tempfile::tempdir().expect("temp dir");
    // 200 000 styled empty rows below the data, then two million empty cell
    // tags in one row and a million empty row tags: a plan that builds.
    let empty = patched(dir.path(), "vuote", "sheet3.xml", |xml| {
        let at = xml.find("</sheetData>").expect("sheetData");
        let mut rows = String::with_capacity(40 << 20);
        for r in 10..200_010 {
            rows.push_str(&format!(r#"<row r="{r}" spans="1:6"><c r="A{r}" s="0"/><c r="B{r}"></c></row>"#));
        }
        rows.push_str(r#"<row r="200011">"#);
        for _ in 0..2_000_000 {
            rows.push_str("<c/>");
        }
        rows.push_str("</row>");
        for _ in 0..1_000_000 {
            rows.push_str("<row/>");
        }
        Entry::Stored(format!("{}{rows}{}", &xml[..at], &xml[at..]).into_bytes())
    });
    let start = Instant::now();
    accepted(&empty, &["0 errori"]);
    assert!(start.elapsed() < Duration::from_secs(10), "{:?}", start.elapsed());
}

#[test]
fn truncated_and_mutated_xls_files_are_refused_not_crashed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = dir.path().join("piano.xlsx");
    small_plan(&good, "≥ 95%");
    let xls = std::fs::read(convert(&good, "xls")).expect("xls");
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut damaged = Vec::new();
    for i in 1..=12 {
        damaged.push(xls[..xls.len() * i / 13].to_vec());
    }
    for _ in 0..24 {
        let mut m = xls.clone();
        for _ in 0..1 + next() % 16 {
            let at = (next() as usize) % m.len();
            m[at] = next() as u8;
        }
        damaged.push(m);
    }
    let mut caught = 0;
    for (i, bytes) in damaged.iter().enumerate() {
        let path = dir.path().join(format!("danneggiato{i}.xls"));
        std::fs::write(&path, bytes).expect("write");
        let run = bounded(&["check", path.to_str().expect("path")]);
        assert!(matches!(run.code, Some(0 | 1)), "{}: {:?} {}", path.display(), run.code, run.stderr);
        assert!(!run.stderr.contains("panicked"), "{}: {}", path.display(), run.stderr);
        if run.code == Some(1) {
            assert!(run.stderr.contains(&format!("danneggiato{i}.xls")), "{}", run.stderr);
        }
        caught += usize::from(run.stderr.contains("file danneggiato o non leggibile"));
    }
    // Some of these make calamine panic (a slice out of bounds): caught.
    assert!(caught > 0, "no damaged file reached the reader's panic");
    // A DIMENSIONS record whose first row lies above its last: calamine
    // would reserve 680 GB for it and abort.
    let at = xls.windows(4).position(|w| w == [0x00, 0x02, 0x0E, 0x00]).expect("a DIMENSIONS record");
    let mut dims = xls.clone();
    dims[at + 4..at + 12].copy_from_slice(&[0, 0, 0xD5, 0, 1, 0, 0, 0]);
    let path = dir.path().join("dimensioni.xls");
    std::fs::write(&path, dims).expect("write");
    let run = bounded(&["check", path.to_str().expect("path")]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("dimensioni.xls: file danneggiato o non leggibile (un foglio dichiara"),
        "{}",
        run.stderr
    );
}

/// A plan with the given `Strutture` rows (Codice, Denominazione, Padre).
fn with_units(path: &Path, units: &[(String, String, String)]) {
    let mut rows = vec![vec![S("Codice"), S("Denominazione"), S("Tipo"), S("Responsabile"), S("Padre")]];
    rows.extend(units.iter().map(|(c, n, p)| vec![S(c), S(n), E, E, if p.is_empty() { E } else { S(p) }]));
    workbook(
        path,
        &[
            (
                "Ente",
                vec![vec![S("Voce"), S("Valore")], vec![S("Denominazione"), S("CCIAA")], vec![S("Anno"), N(2025.0)]],
            ),
            (
                "Obiettivi",
                vec![
                    vec![S("Codice"), S("Livello"), S("Titolo"), S("Struttura")],
                    vec![S("OS1"), S("Strategico"), S("Imprese"), S("U0")],
                ],
            ),
            (
                "Indicatori",
                vec![
                    vec![S("Codice"), S("Obiettivo"), S("Nome"), S("Target 2025")],
                    vec![S("I1"), S("OS1"), S("Pratiche"), S("10")],
                ],
            ),
            ("Strutture", rows),
        ],
    );
}

#[test]
fn a_chain_of_ten_thousand_units_is_checked_in_linear_time() {
    let dir = tempfile::tempdir().expect("temp dir");
    let chain: Vec<_> = (0..10_000)
        .map(|i| (format!("U{i}"), format!("Unità {i}"), if i == 0 { String::new() } else { format!("U{}", i - 1) }))
        .collect();
    let wb = dir.path().join("catena.xlsx");
    with_units(&wb, &chain);
    let start = Instant::now();
    accepted(&wb, &["0 errori"]);
    assert!(start.elapsed() < Duration::from_secs(5), "{:?}", start.elapsed());
    // The same chain closed into a loop: one error, at the smallest code.
    let mut ring = chain.clone();
    ring[0].2 = "U9999".into();
    let wb = dir.path().join("anello.xlsx");
    with_units(&wb, &ring);
    let run = bounded(&["check", wb.to_str().expect("path")]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(run.stderr.matches("ciclo nelle strutture").count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("Strutture!E2"), "{}", run.stderr);
}

#[test]
fn an_unknown_parent_is_reported_at_its_own_cell_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let units = [
        ("U0".to_string(), "Segreteria".to_string(), String::new()),
        ("U1".into(), "Area 1".into(), "X9".into()),
        ("U2".into(), "Ufficio 1".into(), "U1".into()),
    ];
    let wb = dir.path().join("padre.xlsx");
    with_units(&wb, &units);
    let run = bounded(&["check", wb.to_str().expect("path")]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("Strutture!E3"), "{}", run.stderr);
    assert!(!run.stderr.contains("Strutture!E4"), "{}", run.stderr);
}

#[test]
fn a_very_hidden_sheet_named_like_ente_is_an_error_naming_both() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb_path = dir.path().join("nascosto.xlsx");
    // A very hidden «ENTE » with Anno 2031 before the visible «Ente».
    let mut wb = rust_xlsxwriter::Workbook::new();
    let hidden = wb.add_worksheet();
    hidden.set_name("ENTE ").expect("name");
    hidden.write_string(0, 0, "Voce").expect("w");
    hidden.write_string(0, 1, "Valore").expect("w");
    hidden.write_string(1, 0, "Anno").expect("w");
    hidden.write_number(1, 1, 2031).expect("w");
    hidden.set_very_hidden(true);
    let ente = wb.add_worksheet();
    ente.set_name("Ente").expect("name");
    ente.set_active(true);
    for (r, (k, v)) in [("Voce", "Valore"), ("Denominazione", "CCIAA"), ("Anno", "2025")].iter().enumerate() {
        ente.write_string(r as u32, 0, *k).expect("w");
        ente.write_string(r as u32, 1, *v).expect("w");
    }
    for (name, rows) in [
        ("Obiettivi", vec![vec!["Codice", "Livello", "Titolo"], vec!["OS1", "Strategico", "Imprese"]]),
        ("Indicatori", vec![vec!["Codice", "Obiettivo", "Nome", "Target 2025"], vec!["I1", "OS1", "Pratiche", "10"]]),
    ] {
        let ws = wb.add_worksheet();
        ws.set_name(name).expect("name");
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                ws.write_string(r as u32, c as u16, *v).expect("w");
            }
        }
    }
    wb.save(&wb_path).expect("save");
    refused(&wb_path, &["più fogli valgono come «Ente»", "«ENTE » (nascosto)", "«Ente»"]);
}

#[test]
fn hostile_values_get_a_diagnostic_at_their_cell() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("valori.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    let ente = book.add_worksheet();
    ente.set_name("Ente").expect("name");
    for (r, (k, v)) in
        [("Voce", "Valore"), ("Denominazione", "Camera\u{7} di Commercio"), ("Anno", "2025")].iter().enumerate()
    {
        ente.write_string(r as u32, 0, *k).expect("w");
        ente.write_string(r as u32, 1, *v).expect("w");
    }
    let ob = book.add_worksheet();
    ob.set_name("Obiettivi").expect("name");
    for (c, v) in ["Codice", "Livello", "Titolo", "Peso"].iter().enumerate() {
        ob.write_string(0, c as u16, *v).expect("w");
    }
    ob.write_string(1, 0, "OS1").expect("w");
    ob.write_string(1, 1, "Strategico").expect("w");
    ob.write_string(1, 2, "TITOLO-LUNGO").expect("w");
    ob.write_number(1, 3, 7.9e28).expect("w");
    let ind = book.add_worksheet();
    ind.set_name("Indicatori").expect("name");
    for (c, v) in ["Codice", "Obiettivo", "Nome", "UdM", "Target 2025"].iter().enumerate() {
        ind.write_string(0, c as u16, *v).expect("w");
    }
    for (r, code) in ["I1", "I2"].iter().enumerate() {
        let r = r as u32 + 1;
        ind.write_string(r, 0, *code).expect("w");
        ind.write_string(r, 1, "OS1").expect("w");
        ind.write_string(r, 2, "Scadenza").expect("w");
        ind.write_string(r, 3, "data").expect("w");
    }
    ind.write_number_with_format(1, 4, 1e12, &date).expect("w");
    ind.write_string(2, 4, "Entro 31/12/2025").expect("w");
    let cons = book.add_worksheet();
    cons.set_name("Consuntivi").expect("name");
    for (c, v) in ["Indicatore", "Anno", "Valore"].iter().enumerate() {
        cons.write_string(0, c as u16, *v).expect("w");
    }
    // A zero-width space in the code: the same indicator I2.
    cons.write_string(1, 0, "I2\u{200B}").expect("w");
    cons.write_number(1, 1, 2025).expect("w");
    cons.write_number_with_format(1, 2, 3_000_000.0, &date).expect("w");
    let base = dir.path().join("valori.base.xlsx");
    book.save(&base).expect("save");
    // A title of 40 000 characters (no writer produces one: patched in).
    let list: Vec<(String, Entry)> = entries(&base)
        .into_iter()
        .map(|(n, d)| {
            let d = if n == "xl/sharedStrings.xml" {
                String::from_utf8_lossy(&d).replace("TITOLO-LUNGO", &"è".repeat(40_000)).into_bytes()
            } else {
                d
            };
            (n, Entry::Stored(d))
        })
        .collect();
    write_zip(&wb, &list);
    refused(
        &wb,
        &[
            "Ente!B2",
            "caratteri di controllo",
            "Obiettivi!C2",
            "oltre il limite di 32.767",
            "Obiettivi!D2",
            "Peso «79.000.000.000.000.000.000.000.000.000» fuori misura",
            "Indicatori!E2",
            "fuori dal calendario",
            "Consuntivi!C2",
        ],
    );
    let run = bounded(&["check", wb.to_str().expect("path")]);
    assert!(!run.stderr.contains("non esiste nel foglio Indicatori"), "{}", run.stderr);
}

#[test]
fn an_actual_without_the_targets_unit_is_an_error_at_its_cell() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("unita.xlsx");
    workbook(
        &wb,
        &[
            (
                "Ente",
                vec![vec![S("Voce"), S("Valore")], vec![S("Denominazione"), S("CCIAA")], vec![S("Anno"), N(2025.0)]],
            ),
            (
                "Obiettivi",
                vec![vec![S("Codice"), S("Livello"), S("Titolo")], vec![S("OS1"), S("Strategico"), S("Imprese")]],
            ),
            (
                "Indicatori",
                vec![
                    vec![S("Codice"), S("Obiettivo"), S("Nome"), S("UdM"), S("Target 2025")],
                    vec![S("I1"), S("OS1"), S("Pratiche evase"), S("%"), S(">= 80%")],
                    vec![S("I2"), S("OS1"), S("Soddisfazione"), S("%"), S(">= 40%")],
                    vec![S("I3"), S("OS1"), S("Copertura"), S("%"), S(">= 80%")],
                    vec![S("I4"), S("OS1"), S("Tempestività"), S("%"), S(">= 80%")],
                    vec![S("I5"), S("OS1"), S("Scadenza"), S("data"), S("Entro 31/12/2025")],
                    vec![S("I6"), S("OS1"), S("Eventi"), S("n."), S("10")],
                ],
            ),
            (
                "Consuntivi",
                vec![
                    vec![S("Indicatore"), S("Anno"), S("Valore")],
                    vec![S("I1"), N(2025.0), N(75.0)],
                    vec![S("I2"), N(2025.0), S("38")],
                    vec![S("I3"), N(2025.0), P(0.75)],
                    vec![S("I4"), N(2025.0), S("950%")],
                    vec![S("I5"), N(2025.0), N(45000.0)],
                    vec![S("I6"), N(2025.0), N(500.0)],
                ],
            ),
        ],
    );
    refused(
        &wb,
        &[
            "Consuntivi!C2",
            "il consuntivo «75» è un numero senza %, ma il target «>= 80%» è una percentuale",
            "Consuntivi!C3",
            "il consuntivo «38» è un numero senza %",
            "Consuntivi!C6",
            "è un numero, ma il target «Entro 31/12/2025» è una data",
        ],
    );
    let run = bounded(&["check", wb.to_str().expect("path")]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    // 75% in a percentage cell is what it shows: no message at C4.
    assert!(!run.stderr.contains("Consuntivi!C4"), "{}", run.stderr);
    // 950% against 80% and 500 against 10: plausible units, implausible sizes.
    let warnings: Vec<&str> = run.stderr.lines().filter(|l| l.contains("lontano dal target")).collect();
    assert_eq!(warnings.len(), 2, "{}", run.stderr);
    assert!(run.stderr.contains("Consuntivi!C5") && run.stderr.contains("Consuntivi!C7"), "{}", run.stderr);
}

#[test]
fn the_template_keeps_the_valore_column_as_text_and_states_the_rule() {
    let dir = tempfile::tempdir().expect("temp dir");
    let t = dir.path().join("modello.xlsx");
    let o = piao(&["template", t.to_str().expect("path")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let styles = zip_text(&t, "xl/styles.xml");
    let sheets = zip_text(&t, "xl/worksheets/sheet6.xml");
    assert!(styles.contains("formatCode=\"@\""), "a text format (@) in the styles");
    assert!(
        sheets.contains(r#"<col min="3" max="3""#) && sheets.contains("style="),
        "Consuntivi!C formatted: {sheets}"
    );
    let all = zip_text(&t, "xl/");
    assert!(all.contains("«75» senza % è un errore"), "the rule is stated");
}

#[test]
fn an_ods_repeating_a_row_of_values_is_refused_before_expanding_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = dir.path().join("piano.xlsx");
    small_plan(&good, "≥ 95%");
    let ods = convert(&good, "ods");
    // One row of 100 values repeated 700 000 times: 23 KB on disk, 2,2 GB
    // once calamine expands it.
    let list: Vec<(String, Entry)> = entries(&ods)
        .into_iter()
        .map(|(n, d)| {
            if n != "content.xml" {
                return (n, Entry::Stored(d));
            }
            let xml = String::from_utf8_lossy(&d).to_string();
            let at = xml.find("<table:table-row").expect("a row");
            let row = r#"<table:table-row table:number-rows-repeated="700000"><table:table-cell office:value-type="string" table:number-columns-repeated="100"><text:p>x</text:p></table:table-cell></table:table-row>"#;
            (n, Entry::Stored(format!("{}{row}{}", &xml[..at], &xml[at..]).into_bytes()))
        })
        .collect();
    let bomb = dir.path().join("righe.ods");
    write_zip(&bomb, &list);
    refused(&bomb, &["righe.ods: file danneggiato o non leggibile (un foglio ripete righe"]);
    // The converted plan itself reads.
    accepted(&ods, &["0 errori"]);
}
