//! A plan as large as the largest chambers' (3 000 indicators, the size at
//! which the cards are laid out alone): every document is produced and
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
