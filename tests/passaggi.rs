//! How many times typst lays a document out. The Schede's index fills
//! several pages, which the first pass (that knows no headings yet) does not
//! have: without the stand-in index of `layouts/schede.typ` every page after
//! it changes number in the second pass, and typst needs a third. This file
//! holds one test only, because typst's timing events are global to the
//! process.

use piao::diag::Diagnostics;
use piao::render::{self, DocKind, ExportContext, Layouts};
use std::path::Path;
use std::sync::Arc;

/// typst's layout passes for the Schede of `workbook` with `layouts`.
fn passes_of_the_schede(workbook: &Path, layouts: Option<&Path>) -> usize {
    let raw = piao::read::RawWorkbook::open(workbook).expect("example opens");
    let plan = piao::model::build(&raw).0.expect("example is valid");
    let results = piao::score::score(&plan, &mut Diagnostics::new());
    let report = piao::report::Report::build(&plan, &results);
    let layouts = Arc::new(Layouts::load(layouts).expect("layouts"));
    let comments = render::comments::write_all(&layouts, &report).expect("comments");
    let diags = Diagnostics::new();
    let ctx = ExportContext { report: &report, diags: &diags, layouts, comments: &comments, cache: None };
    typst_timing::enable();
    let profile = render::profile_pdf(&ctx, DocKind::Schede).expect("schede laid out");
    typst_timing::disable();
    assert!(profile.is_some_and(|(_, _, _, pages)| pages > 10), "the Schede of {} are laid out", workbook.display());
    let mut trace = Vec::new();
    typst_timing::export_json(&mut trace, |_| (String::new(), 0)).expect("trace");
    let events: Vec<serde_json::Value> = serde_json::from_slice(&trace).expect("trace is JSON");
    events.iter().filter(|e| e["ph"] == "B" && e["name"].as_str().is_some_and(|n| n.starts_with("iter"))).count()
}

#[test]
fn the_schede_are_laid_out_in_two_passes_and_would_need_three_without_the_stand_in_index() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Real plans whose Schede index fills more than one page.
    for example in ["pistoia-prato-piao-2025.xlsx", "arezzo-siena-piao-2024.xlsx"] {
        let workbook = root.join("inputs").join(example);
        assert_eq!(passes_of_the_schede(&workbook, None), 2, "{example}");

        // The same layouts without the stand-in: the check above would see it.
        let dir = tempfile::tempdir().expect("temp dir");
        let schede = std::fs::read_to_string(root.join("layouts/schede.typ")).expect("schede.typ");
        let start = schede.find("#context if").expect("the stand-in index");
        let end = start + schede[start..].find("\n}\n").expect("its end") + 3;
        std::fs::write(dir.path().join("schede.typ"), format!("{}{}", &schede[..start], &schede[end..]))
            .expect("write layout");
        assert_eq!(passes_of_the_schede(&workbook, Some(dir.path())), 3, "{example} without the stand-in");
    }
}
