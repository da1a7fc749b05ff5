//! Bad and hostile input. Whatever a workbook or a layout holds, piao
//! answers with an Italian diagnostic naming the place, the right exit code,
//! no panic, nothing written, the previous outputs intact and the input
//! untouched.

mod common;

use common::C::*;
use common::*;
use std::fs;
use std::path::{Path, PathBuf};

/// A folder with a good build in `out/`, and the bytes of those outputs.
struct Scene {
    dir: tempfile::TempDir,
    out: PathBuf,
    before: Vec<(PathBuf, Vec<u8>)>,
}

fn scene() -> Scene {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = dir.path().join("buono.xlsx");
    small_plan(&good, "≥ 95%");
    let out = dir.path().join("out");
    let o = piao(&["build", good.to_str().expect("p"), "--out", out.to_str().expect("p")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut before: Vec<(PathBuf, Vec<u8>)> =
        fs::read_dir(&out).expect("out").flatten().map(|e| (e.path(), fs::read(e.path()).expect("read"))).collect();
    before.sort();
    Scene { dir, out, before }
}

impl Scene {
    /// Builds `wb` into the scene's `out/` and checks the failure contract.
    fn fails(&self, wb: &Path, code: i32, words: &str) {
        self.fails_with(wb, &[], code, words)
    }

    /// The same, with extra arguments to `piao build`.
    fn fails_with(&self, wb: &Path, extra: &[&str], code: i32, words: &str) {
        let input_before = fs::read(wb).ok();
        let mut args = vec!["build", wb.to_str().expect("p"), "--out", self.out.to_str().expect("p")];
        args.extend_from_slice(extra);
        let o = piao(&args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(code), "{}: {err}", wb.display());
        assert!(err.contains(words), "{}: expected «{words}» in:\n{err}", wb.display());
        assert!(!err.contains("panicked"), "{err}");
        let mut now: Vec<(PathBuf, Vec<u8>)> = fs::read_dir(&self.out)
            .expect("out")
            .flatten()
            .map(|e| (e.path(), fs::read(e.path()).expect("read")))
            .collect();
        now.sort();
        assert_eq!(now.len(), self.before.len(), "{}: files added or left behind", wb.display());
        assert!(now == self.before, "{}: previous outputs changed", wb.display());
        assert_eq!(fs::read(wb).ok(), input_before, "the input was modified");
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// Rewrites one entry of a zip (an xlsx) in place, replacing `from` by `to`.
fn zip_patch(path: &Path, entry: &str, from: &str, to: &str) {
    use std::io::{Read, Write};
    let bytes = fs::read(path).expect("read the xlsx");
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut zout = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for n in 0..zin.len() {
        let mut f = zin.by_index(n).expect("entry");
        let name = f.name().expect("entry name").to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).expect("entry bytes");
        if name == entry {
            data = String::from_utf8(data).expect("UTF-8 XML").replace(from, to).into_bytes();
        }
        zout.start_file(name, options).expect("start entry");
        zout.write_all(&data).expect("write entry");
    }
    let out = zout.finish().expect("zip written").into_inner();
    fs::write(path, out).expect("write the xlsx");
}

#[test]
fn broken_files_are_refused_and_nothing_is_lost() {
    let s = scene();
    // A corrupt zip: half of a valid workbook.
    let half = s.path("troncato.xlsx");
    small_plan(&half, "≥ 95%");
    let bytes = fs::read(&half).expect("read");
    fs::write(&half, &bytes[..bytes.len() / 2]).expect("truncate");
    s.fails(&half, 1, "non è un foglio di calcolo leggibile");
    // Not a spreadsheet at all.
    let text = s.path("note.xlsx");
    fs::write(&text, "Verbale della riunione del 12 marzo").expect("write");
    s.fails(&text, 1, "non è un foglio di calcolo leggibile");
    // Password-protected (made with msoffcrypto-tool, see tests/fixtures/README.md).
    let locked = s.path("protetto.xlsx");
    fs::copy(root().join("tests/fixtures/protetto.xlsx"), &locked).expect("copy fixture");
    s.fails(&locked, 1, "il file è protetto da password");
    // Empty: one blank sheet.
    let empty = s.path("vuoto.xlsx");
    workbook(&empty, &[("Foglio1", vec![])]);
    s.fails(&empty, 1, "manca il foglio obbligatorio «Ente»");
    // A missing file.
    s.fails(&s.path("inesistente.xlsx"), 1, "file non trovato");
}

#[test]
fn content_errors_are_refused_at_their_cell_and_nothing_is_lost() {
    let s = scene();
    let cases: Vec<(&str, &'static str, &str)> = vec![
        ("target.xlsx", "circa cinque", "Indicatori!E2: valore non riconosciuto «circa cinque»"),
        ("operatore.xlsx", "≈ 5", "Indicatori!E2: valore non riconosciuto «≈ 5»"),
        ("errore.xlsx", "#DIV/0!", "Indicatori!E2: valore non riconosciuto «#DIV/0!»"),
    ];
    for (name, target, words) in cases {
        let wb = s.path(name);
        small_plan(&wb, target);
        s.fails(&wb, 1, words);
    }
    let dup = s.path("doppio.xlsx");
    workbook(
        &dup,
        &[
            ("Ente", vec![vec![S("Voce"), S("Valore")], vec![S("Denominazione"), S("X")], vec![S("Anno"), N(2025.0)]]),
            (
                "Obiettivi",
                vec![
                    vec![S("Codice"), S("Livello"), S("Titolo"), S("Prospettiva")],
                    vec![S("OS1"), S("Strategico"), S("A"), S("Processi interni")],
                ],
            ),
            (
                "Indicatori",
                vec![
                    vec![S("Codice"), S("Obiettivo"), S("Nome"), S("Target 2025"), S("Peso")],
                    vec![S("I1"), S("OS1"), S("A"), S("1"), S("-5%")],
                    vec![S("I1"), S("OS1"), S("B"), S("1"), S("molto")],
                ],
            ),
        ],
    );
    s.fails(&dup, 1, "Indicatori!A3: codice indicatore «I1» ripetuto");
    let o = piao(&["check", dup.to_str().expect("p")]);
    let err = stderr(&o);
    assert!(
        err.contains("Indicatori!E2: Peso negativo") && err.contains("Indicatori!E3: Peso: «molto» non è un numero"),
        "all problems reported together: {err}"
    );
}

#[test]
fn odd_but_valid_workbooks_build() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A very long text, a 100 000-row extra sheet, a hidden Ente sheet,
    // merged programme cells.
    let long_name: String = "Indicatore con descrizione lunghissima ".repeat(800);
    let big: Vec<Vec<common::C<'static>>> = (0..100_000).map(|i| vec![N(i as f64), S("dato grezzo")]).collect();
    let wb = dir.path().join("strano.xlsx");
    {
        let mut book = rust_xlsxwriter::Workbook::new();
        let ente = book.add_worksheet();
        ente.set_name("Ente").expect("name");
        for (r, (k, v)) in
            [("Voce", "Valore"), ("Denominazione", "Camera di Prova"), ("Anno", "2025")].iter().enumerate()
        {
            ente.write_string(r as u32, 0, *k).expect("w");
            ente.write_string(r as u32, 1, *v).expect("w");
        }
        let ob = book.add_worksheet();
        ob.set_name("Obiettivi").expect("name");
        for (c, h) in ["Codice", "Livello", "Titolo", "Prospettiva", "Obiettivo strategico", "Programma di intervento"]
            .iter()
            .enumerate()
        {
            ob.write_string(0, c as u16, *h).expect("w");
        }
        for (r, row) in [
            ["OS1", "Strategico", "Strategico uno", "Processi interni", ""],
            ["OP1", "Operativo", "Primo", "", "OS1"],
            ["OP2", "Operativo", "Secondo", "", "OS1"],
        ]
        .iter()
        .enumerate()
        {
            for (c, v) in row.iter().enumerate() {
                ob.write_string(1 + r as u32, c as u16, *v).expect("w");
            }
        }
        ob.set_hidden(true);
        ob.merge_range(2, 5, 3, 5, "Programma condiviso", &rust_xlsxwriter::Format::new()).expect("merge");
        let ind = book.add_worksheet();
        ind.set_name("Indicatori").expect("name");
        for (c, h) in ["Codice", "Obiettivo", "Nome", "Target 2025"].iter().enumerate() {
            ind.write_string(0, c as u16, *h).expect("w");
        }
        for (r, (code, obj, name)) in [("I1", "OP1", long_name.as_str()), ("I2", "OP2", "Breve")].iter().enumerate() {
            ind.write_string(1 + r as u32, 0, *code).expect("w");
            ind.write_string(1 + r as u32, 1, *obj).expect("w");
            ind.write_string(1 + r as u32, 2, *name).expect("w");
            ind.write_string(1 + r as u32, 3, "5").expect("w");
        }
        let data = book.add_worksheet();
        data.set_name("Dati grezzi").expect("name");
        for (r, row) in big.iter().enumerate() {
            if let (N(n), S(t)) = (&row[0], &row[1]) {
                data.write_number(r as u32, 0, *n).expect("w");
                data.write_string(r as u32, 1, *t).expect("w");
            }
        }
        book.save(&wb).expect("save");
    }
    let (plan, diags) = piao::pipeline::load(&wb);
    let plan = plan.unwrap_or_else(|| panic!("{}", piao::diag::render(&diags, true)));
    assert_eq!(plan.objectives[1].programme.as_deref(), Some("Programma condiviso"));
    assert_eq!(
        plan.objectives[2].programme.as_deref(),
        Some("Programma condiviso"),
        "a merged cell belongs to every row it covers"
    );
    assert!(piao::diag::render(&diags, true).contains("il foglio «Obiettivi» è nascosto: viene letto comunque"));
    let out = dir.path().join("out");
    let o = piao(&["build", wb.to_str().expect("p"), "--out", out.to_str().expect("p")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        squash(&pdf_text(&out.join("2025_schede.pdf"))).contains(&squash(&long_name[..2000])),
        "the long text is printed"
    );
}

#[test]
fn dates_in_the_1904_system_are_read_as_the_spreadsheet_shows_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("mac.xlsx");
    workbook(
        &wb,
        &[
            ("Ente", vec![vec![S("Voce"), S("Valore")], vec![S("Denominazione"), S("X")], vec![S("Anno"), N(2025.0)]]),
            (
                "Obiettivi",
                vec![
                    vec![S("Codice"), S("Livello"), S("Titolo"), S("Prospettiva")],
                    vec![S("OS1"), S("Strategico"), S("A"), S("Processi interni")],
                ],
            ),
            (
                "Indicatori",
                vec![
                    vec![S("Codice"), S("Obiettivo"), S("Nome"), S("Target 2025")],
                    vec![S("I1"), S("OS1"), S("Scadenza"), D(2021, 12, 30)],
                ],
            ),
        ],
    );
    // The same serial number in a 1904-system workbook is 1 462 days later.
    zip_patch(&wb, "xl/workbook.xml", "<workbookPr", "<workbookPr date1904=\"1\"");
    let (plan, diags) = piao::pipeline::load(&wb);
    let plan = plan.unwrap_or_else(|| panic!("{}", piao::diag::render(&diags, true)));
    assert_eq!(plan.indicators[0].targets[&2025].text, "31/12/2025");
}

#[test]
fn logos_and_layouts_cannot_reach_outside_their_folders() {
    let s = scene();
    let with_logo = |name: &str, logo: &'static str| {
        let wb = s.path(name);
        plan_with_logo(&wb, logo);
        wb
    };
    s.fails(
        &with_logo("assoluto.xlsx", "/etc/hostname"),
        1,
        "Ente!B4: Logo: il percorso «/etc/hostname» esce dalla cartella",
    );
    s.fails(
        &with_logo("su.xlsx", "../segreto.png"),
        1,
        "Ente!B4: Logo: il percorso «../segreto.png» esce dalla cartella",
    );
    std::os::unix::fs::symlink("/etc/hostname", s.path("collegato.png")).expect("symlink");
    s.fails(
        &with_logo("link.xlsx", "collegato.png"),
        1,
        "Ente!B4: Logo: «collegato.png» è un collegamento che porta fuori",
    );

    // A user layout that reads a file outside the layouts: typst is told the
    // file does not exist; exit 3, the layout's file and line named.
    let wb = s.path("piano.xlsx");
    small_plan(&wb, "≥ 95%");
    let layouts = s.path("modelli");
    fs::create_dir(&layouts).expect("dir");
    fs::write(layouts.join("allegato.typ"), "#import \"stile.typ\": *\n\n#read(\"/etc/hostname\")\n").expect("layout");
    let lay = ["--layouts", layouts.to_str().expect("p")];
    s.fails_with(
        &wb,
        &lay,
        3,
        &format!("errore nel modello di impaginazione ({}, riga 3)", layouts.join("allegato.typ").display()),
    );
    // A broken layout: the same contract.
    fs::write(layouts.join("allegato.typ"), "#import \"stile.typ\": *\n#let x = (\n").expect("layout");
    s.fails_with(&wb, &lay, 3, "allegato.typ, riga 2)");
    // A linked layout is ignored with a warning; the embedded one is used.
    fs::remove_file(layouts.join("allegato.typ")).expect("rm");
    std::os::unix::fs::symlink("/etc/hostname", layouts.join("schede.typ")).expect("symlink");
    let o = piao(&[
        "build",
        wb.to_str().expect("p"),
        "--out",
        s.path("out2").to_str().expect("p"),
        "--layouts",
        layouts.to_str().expect("p"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("il modello è un collegamento o non è un file: ignorato"), "{}", stderr(&o));
}
