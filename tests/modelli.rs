//! Every layout compiles on edge-case plans and prints what they hold: no
//! areas, an operational objective without indicators, a strategic one
//! scored through its operational objectives, no units, no actual values.
//! And `piao layouts DIR` gives an office the embedded layouts to start from.

mod common;

use common::*;
use std::path::Path;

fn build(wb: &Path, out: &Path) {
    let o = piao(&["build", wb.to_str().expect("p"), "--out", out.to_str().expect("p")]);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// `piao build` with the layouts of folder `layouts`.
fn build_with_layouts(wb: &Path, out: &Path, layouts: &Path) {
    let args = ["build", wb.to_str().expect("p"), "--out", out.to_str().expect("p")];
    let o = piao(&[&args[..], &["--layouts", layouts.to_str().expect("p")]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
}

/// No Ambiti sheet, no units, no Consuntivi: S1 has its own indicator, S2
/// is scored through O2, O3 has no indicators at all.
fn edge_plan(path: &Path, with_actuals: bool) {
    use C::*;
    let mut sheets = vec![
        (
            "Ente",
            vec![
                vec![S("Voce"), S("Valore")],
                vec![S("Denominazione"), S("Camera di Commercio dei Casi Limite")],
                vec![S("Anno"), N(2025.0)],
            ],
        ),
        (
            "Obiettivi",
            vec![
                vec![S("Codice"), S("Livello"), S("Titolo"), S("Obiettivo strategico")],
                vec![S("S1"), S("Strategico"), S("Semplificare gli adempimenti"), E],
                vec![S("S2"), S("Strategico"), S("Sostenere l'export"), E],
                vec![S("O2"), S("Operativo"), S("Sportello per l'estero"), S("S2")],
                vec![S("O3"), S("Operativo"), S("Mappatura dei processi"), S("S1")],
            ],
        ),
        (
            "Indicatori",
            vec![
                vec![S("Codice"), S("Obiettivo"), S("Nome"), S("Target 2025")],
                vec![S("I1"), S("S1"), S("Pratiche telematiche"), S(">= 90%")],
                vec![S("I2"), S("O2"), S("Imprese assistite"), S(">= 40")],
            ],
        ),
    ];
    if with_actuals {
        sheets.push((
            "Consuntivi",
            vec![
                vec![S("Indicatore"), S("Anno"), S("Valore")],
                vec![S("I1"), N(2025.0), S("95%")],
                vec![S("I2"), N(2025.0), S("30")],
            ],
        ));
    }
    workbook(path, &sheets);
}

#[test]
fn layouts_print_edge_case_plans_without_results() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("limite.xlsx");
    edge_plan(&wb, false);
    let out = dir.path().join("out");
    build(&wb, &out);
    assert!(!out.join("2025_relazione.pdf").exists(), "no actual values, no Relazione");
    let schede = squash(&pdf_text(&out.join("2025_schede.pdf")));
    for title in
        ["Semplificare gli adempimenti", "Sostenere l'export", "Sportello per l'estero", "Mappatura dei processi"]
    {
        assert!(schede.contains(&squash(title)), "schede lack «{title}»");
    }
    // S2 is scored through O2; O3 (operational, no indicators) is not a
    // cascade: it says it cannot be scored.
    assert_eq!(schede.matches(&squash("misurato attraverso i suoi obiettivi operativi")).count(), 1, "{schede}");
    assert!(schede.contains(&squash("non ha indicatori: non è valutabile")), "{schede}");
    let allegato = squash(&pdf_text(&out.join("2025_allegato.pdf")));
    assert!(allegato.contains(&squash("Camera di Commercio dei Casi Limite")));
    // Without areas or perspectives the strategic objectives are grouped in
    // one implicit area, not dropped.
    assert!(allegato.contains(&squash("Obiettivi strategici")), "{allegato}");
    assert!(allegato.contains(&squash("Pratiche telematiche")), "{allegato}");
}

#[test]
fn layouts_print_edge_case_plans_with_results() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("limite.xlsx");
    edge_plan(&wb, true);
    let out = dir.path().join("out");
    build(&wb, &out);
    let relazione = squash(&pdf_text(&out.join("2025_relazione.pdf")));
    assert!(relazione.contains(&squash("Pratiche telematiche")), "{relazione}");
    assert!(relazione.contains(&squash("Sostenere l'export")), "{relazione}");
    assert!(relazione.contains(&squash("Nota metodologica")));
    // S1 95% ≥ 90% → 100%; S2 through O2: 30/40 = 75%; the entity (S1, S2
    // in the implicit area, equal weights) 87,5%.
    assert!(relazione.contains(&squash("performance organizzativa dell’ente: 87,5%")), "{relazione}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("2025_results.json")).expect("json")).expect("valid");
    let objectives = json["objectives"].as_array().expect("objectives");
    let cascade = |code: &str| objectives.iter().find(|o| o["code"] == code).map(|o| o["cascade"].clone());
    assert_eq!(cascade("S2"), Some(serde_json::Value::Bool(true)));
    assert_eq!(cascade("O3"), Some(serde_json::Value::Bool(false)));
}

#[test]
fn piao_layouts_writes_the_embedded_layouts_and_never_overwrites() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mine = dir.path().join("modelli");
    let o = piao(&["layouts", mine.to_str().expect("p")]);
    assert!(o.status.success(), "{}", stderr(&o));
    for name in ["stile.typ", "allegato.typ", "schede.typ", "relazione.typ", "commenti.jinja"] {
        let text = std::fs::read_to_string(mine.join(name)).expect("written");
        let embedded = std::fs::read_to_string(root().join("layouts").join(name)).expect("embedded");
        assert_eq!(text, embedded, "{name}");
    }
    // An office's edit survives a second run, which says so.
    std::fs::write(mine.join("stile.typ"), "// mio\n").expect("edit");
    let o = piao(&["layouts", mine.to_str().expect("p")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("esiste già"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(mine.join("stile.typ")).expect("kept"), "// mio\n");
    // The layouts as written give the same documents as the embedded ones.
    std::fs::write(mine.join("stile.typ"), std::fs::read(root().join("layouts/stile.typ")).expect("s")).expect("w");
    let wb = dir.path().join("piano.xlsx");
    small_plan_with(&wb, ">= 80%", "85%");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    build(&wb, &a);
    build_with_layouts(&wb, &b, &mine);
    for doc in ["2025_allegato.pdf", "2025_schede.pdf", "2025_relazione.pdf"] {
        assert_eq!(std::fs::read(a.join(doc)).expect("a"), std::fs::read(b.join(doc)).expect("b"), "{doc}");
    }
}

#[test]
fn a_typst_warning_reaches_the_user_naming_the_layout_and_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("piano.xlsx");
    small_plan_with(&wb, ">= 80%", "85%");
    let mine = dir.path().join("layouts");
    std::fs::create_dir(&mine).expect("dir");
    // An unknown font family is a typst warning, not an error.
    let schede = std::fs::read_to_string(root().join("layouts/schede.typ")).expect("schede");
    std::fs::write(mine.join("schede.typ"), format!("{schede}\n#text(font: \"Carattere Inesistente\")[x]\n"))
        .expect("w");
    let out = dir.path().join("out");
    build(&wb, &out);
    let o = piao(&["build", wb.to_str().expect("p"), "--out", out.to_str().expect("p")]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("avviso del modello di impaginazione"), "{err}");
    assert!(err.contains("schede.typ, riga"), "{err}");
}

/// The Schede print a stand-in of their index in typst's first pass only
/// (layouts/schede.typ): an office's own `stile.typ` that keeps headings
/// out of the index must not find it in the finished document.
#[test]
fn the_schede_first_pass_index_never_reaches_the_document() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mine = dir.path().join("layouts");
    std::fs::create_dir(&mine).expect("dir");
    let stile = std::fs::read_to_string(root().join("layouts/stile.typ")).expect("stile");
    let anchor = "  set par(justify: false, leading: 0.55em)\n";
    assert!(stile.contains(anchor), "stile.typ changed: update this test");
    let own = stile.replace(anchor, &format!("{anchor}  set heading(outlined: false)\n"));
    std::fs::write(mine.join("stile.typ"), own).expect("w");
    let out = dir.path().join("out");
    let wb = root().join("inputs/pistoia-prato-piao-2025.xlsx");
    build_with_layouts(&wb, &out, &mine);
    let text = pdf_text(&out.join("2025_schede.pdf"));
    // Once, as the heading: no index entry, no stand-in.
    assert_eq!(text.matches("Obiettivi strategici").count(), 1, "{text}");
    assert_eq!(text.matches("Obiettivi operativi").count(), 1);
}
