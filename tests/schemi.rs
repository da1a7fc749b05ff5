//! The published contracts (the data each layout reads, results.json) are
//! generated from the structs that serialise them; the committed copies in
//! docs/schema/ must match, so a change of a contract is always deliberate.
//! `PIAO_AGGIORNA_SCHEMI=1 cargo test --release --test schemi` rewrites them.

mod common;

use common::*;

#[test]
fn committed_schemas_match_the_code() {
    let dir = root().join("docs/schema");
    let update = std::env::var_os("PIAO_AGGIORNA_SCHEMI").is_some();
    let files = piao::render::schema_files();
    assert_eq!(files.len(), 4, "allegato, schede, relazione, results");
    for (name, text) in files {
        let path = dir.join(&name);
        if update {
            std::fs::create_dir_all(&dir).expect("docs/schema");
            std::fs::write(&path, &text).expect("write schema");
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == text,
            "docs/schema/{name} differs from the code: if the change is deliberate, run \
             PIAO_AGGIORNA_SCHEMI=1 cargo test --release --test schemi and commit it"
        );
        let schema: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert!(schema["properties"].is_object(), "{name} describes an object");
    }
}

#[test]
fn results_json_of_an_example_has_every_required_key_of_its_schema() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("piano.xlsx");
    small_plan_with(&wb, ">= 80%", "85%");
    let out = dir.path().join("out");
    let o = piao(&["build", wb.to_str().expect("p"), "--out", out.to_str().expect("p")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("2025_results.json")).expect("json")).expect("valid");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("docs/schema/results.schema.json")).expect("schema"))
            .expect("valid");
    for key in schema["required"].as_array().expect("required keys") {
        let key = key.as_str().expect("key");
        assert!(json.get(key).is_some(), "results.json lacks «{key}»");
    }
    let indicator_required = &schema["$defs"]["IndicatorOut"]["required"];
    for key in indicator_required.as_array().expect("indicator keys") {
        let key = key.as_str().expect("key");
        assert!(json["indicators"][0].get(key).is_some(), "indicator lacks «{key}»");
    }
}
