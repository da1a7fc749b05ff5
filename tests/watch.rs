//! `piao watch` rebuilds after an editor-style save (write a temporary file,
//! rename it over the workbook), ignores Excel's lock files, and reports
//! what changed in the results.

mod common;

use common::*;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

#[test]
fn watch_rebuilds_after_a_save_by_rename_and_reports_the_changes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("piano.xlsx");
    let out = dir.path().join("out");
    small_plan(&wb, "≥ 95%");
    let mut child = Command::new(env!("CARGO_BIN_EXE_piao"))
        .args(["watch", wb.to_str().expect("path"), "--out", out.to_str().expect("path"), "--ricostruzioni", "1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("piao watch starts");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut lines = Vec::new();
    // Generous limits: this checks behaviour, not speed.
    loop {
        let line = rx.recv_timeout(Duration::from_secs(120)).expect("watch announces that it is waiting");
        let waiting = line.starts_with("in attesa di modifiche");
        lines.push(line);
        if waiting {
            break;
        }
    }
    assert!(out.join("2025_relazione.pdf").exists(), "the first build ran: {lines:?}");
    // Excel's lock file appears first: it must not trigger a rebuild.
    std::fs::write(dir.path().join("~$piano.xlsx"), b"lock").expect("lock file");
    std::thread::sleep(Duration::from_millis(1500));
    // Then a save by rename with a lower target: 90% of ≥ 90% is 100%.
    let tmp = dir.path().join("salvataggio.tmp");
    small_plan(&tmp, "≥ 90%");
    std::fs::rename(&tmp, &wb).expect("rename over the workbook");
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        match rx.recv_timeout(Duration::from_secs(120)) {
            Ok(line) => lines.push(line),
            // Output closed: the process is ending.
            Err(mpsc::RecvTimeoutError::Disconnected) => break child.wait().expect("wait"),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let _ = child.kill();
                panic!("no rebuild after the change: {lines:?}");
            }
        }
    };
    lines.extend(rx.try_iter());
    assert!(status.success());
    let text = lines.join("\n");
    assert!(text.contains("OS1 – Imprese più digitali: 94,7% → 100,0%"), "{text}");
    assert!(text.contains("ricostruiti"), "{text}");
    let relazione = pdf_text(&out.join("2025_relazione.pdf"));
    assert!(relazione.contains("≥ 90% 90% 100%"), "the new figures are in the documents");
}
