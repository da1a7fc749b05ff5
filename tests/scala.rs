//! A plan as large as the largest chambers' (3 000 indicators, the size at
//! which the PDFs are laid out one at a time): every document is produced and
//! complete. Speed and memory are measured in `cargo bench`, not here.

mod common;

use common::*;

#[test]
fn a_large_plan_builds_every_document_completely() {
    let n = piao::render::LARGE_PLAN;
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("grande.xlsx");
    std::fs::write(&wb, piao::synthetic::workbook(n).expect("synthetic plan")).expect("write");
    let out = dir.path().join("out");
    let o = piao(&["build", wb.to_str().expect("p"), "--out", out.to_str().expect("p")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let last = format!("Indicatore {}:", n - 1);
    for doc in ["2025_allegato.pdf", "2025_schede.pdf", "2025_relazione.pdf"] {
        let text = pdf_text(&out.join(doc));
        assert!(text.contains("Camera di Commercio Sintetica"), "{doc}");
        if doc != "2025_allegato.pdf" {
            assert!(text.contains(&last), "{doc} lacks the last indicator");
        }
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("2025_results.json")).expect("json")).expect("valid");
    assert_eq!(json["indicators"].as_array().map(Vec::len), Some(n));
}

/// A folder is built a few workbooks at a time (its memory stays flat; the
/// benchmark measures it) but published in the folder's order: messages in
/// that order, every workbook's files all together, and of two workbooks
/// that would write the same names the first wins and the later one is
/// refused while the others are still written.
#[test]
fn a_folder_is_published_in_order_with_every_guarantee() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inputs = dir.path().join("camere");
    std::fs::create_dir(&inputs).expect("folder");
    let names = ["a-prima", "b-seconda", "c-terza", "d-quarta", "e-quinta"];
    for (i, name) in names.iter().enumerate() {
        let n = 40 + 7 * i;
        std::fs::write(inputs.join(format!("{name}.xlsx")), piao::synthetic::workbook(n).expect("plan"))
            .expect("write");
    }
    let out = dir.path().join("out");
    let o = piao(&[
        "build",
        inputs.to_str().expect("p"),
        "--out",
        out.to_str().expect("p"),
        "--nomi",
        "{{file}}_{{documento}}",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let said = String::from_utf8_lossy(&o.stdout).to_string();
    let order: Vec<usize> =
        names.iter().map(|n| said.find(&format!("{n}_allegato.pdf")).expect("every workbook written")).collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "messages in the folder's order:\n{said}");
    for (i, name) in names.iter().enumerate() {
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join(format!("{name}_results.json"))).expect("json"))
                .expect("valid");
        assert_eq!(json["indicators"].as_array().map(Vec::len), Some(40 + 7 * i), "{name}: its own plan");
    }

    // Same names for every workbook: the first is written, each later one
    // is refused, naming its file, in order.
    let out = dir.path().join("stessi-nomi");
    let o = piao(&["build", inputs.to_str().expect("p"), "--out", out.to_str().expect("p")]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    let refused: Vec<usize> = names[1..]
        .iter()
        .map(|n| err.find(&format!("{n}.xlsx")).unwrap_or_else(|| panic!("{n} refused: {err}")))
        .collect();
    assert!(refused.windows(2).all(|w| w[0] < w[1]), "refusals in the folder's order:\n{err}");
    assert!(err.contains("è prodotto anche da un'altra cartella di lavoro"), "{err}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("2025_results.json")).expect("json")).expect("valid");
    assert_eq!(json["indicators"].as_array().map(Vec::len), Some(40), "the first workbook's files");
}
