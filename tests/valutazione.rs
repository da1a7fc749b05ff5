//! A very large plan's PDFs are laid out one at a time, and while one is
//! exported the next one's layout script is evaluated on the other core.
//! That evaluation is only worth its core if typst's compile of the same
//! document then starts from it: each document's script must be evaluated
//! once in the whole build, not once ahead and again in its compile. This
//! file holds one test only, because typst's timing events are global to
//! the process.

use std::collections::BTreeMap;

#[test]
fn each_script_of_a_large_plan_is_evaluated_once() {
    let n = piao::render::LARGE_PLAN;
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("grande.xlsx");
    std::fs::write(&wb, piao::synthetic::workbook(n).expect("synthetic plan")).expect("write");
    typst_timing::enable();
    let built = piao::pipeline::build_workbook(&wb, &piao::pipeline::Options::default(), None);
    typst_timing::disable();
    let files = built.files.expect("every document");
    assert!(files.len() >= 5, "three PDFs, the xlsx and the JSON: {}", files.len());

    // typst's "eval" events, by the file whose evaluation each one is.
    let mut trace = Vec::new();
    typst_timing::export_json(&mut trace, |raw| {
        let file = typst::syntax::Span::from_raw(raw)
            .id()
            .map(|id| id.get().vpath().get_without_slash().to_string())
            .unwrap_or_default();
        (file, 0)
    })
    .expect("trace");
    let events: Vec<serde_json::Value> = serde_json::from_slice(&trace).expect("trace is JSON");

    // typst times `eval` whether or not its result comes from the memo (the
    // memo's check reads the layout files again, which is timed too); an
    // evaluation that really ran has the script's function calls and loops
    // nested inside it. Events are per thread, in order.
    let mut ran: BTreeMap<String, usize> = BTreeMap::new();
    let mut from_memo: BTreeMap<String, usize> = BTreeMap::new();
    let mut open: BTreeMap<u64, Vec<(String, bool)>> = BTreeMap::new();
    for e in &events {
        let stack = open.entry(e["tid"].as_u64().unwrap_or_default()).or_default();
        match e["ph"].as_str() {
            Some("B") => {
                let name = e["name"].as_str().unwrap_or_default();
                if matches!(name, "func call" | "for loop") {
                    stack.iter_mut().for_each(|open| open.1 = true);
                }
                let file = e["args"]["file"].as_str().unwrap_or_default();
                stack.push((if name == "eval" { file.to_string() } else { String::new() }, false));
            }
            Some("E") => {
                if let Some((file, nested)) = stack.pop()
                    && !file.is_empty()
                {
                    *(if nested { &mut ran } else { &mut from_memo }).entry(file).or_default() += 1;
                }
            }
            _ => {}
        }
    }
    for main in ["schede.typ", "allegato.typ", "relazione.typ"] {
        assert_eq!(ran.get(main), Some(&1), "{main} evaluated once: ran {ran:?}, from the memo {from_memo:?}");
    }
    // The Relazione comes after the Allegato, whose export it was evaluated
    // beside: its compile found the evaluation done.
    assert_eq!(from_memo.get("relazione.typ"), Some(&1), "ran {ran:?}, from the memo {from_memo:?}");
}
