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

/// The small plan with `actual` as the first indicator's actual value.
fn plan_with_actual(path: &std::path::Path, actual: &str) {
    small_plan_with(path, "≥ 95%", actual);
}

/// A running `piao watch` and the lines it printed.
struct Watch {
    child: std::process::Child,
    rx: mpsc::Receiver<String>,
    lines: Vec<String>,
}

impl Watch {
    fn start(wb: &std::path::Path, out: &std::path::Path) -> Watch {
        let mut child = Command::new(env!("CARGO_BIN_EXE_piao"))
            .args(["watch", wb.to_str().expect("path"), "--out", out.to_str().expect("path")])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
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
        let mut w = Watch { child, rx, lines: Vec::new() };
        w.wait_for("in attesa di modifiche");
        w
    }

    /// Waits (generously: this checks behaviour, not speed) for a line
    /// starting with `prefix`.
    fn wait_for(&mut self, prefix: &str) {
        loop {
            match self.rx.recv_timeout(Duration::from_secs(120)) {
                Ok(line) => {
                    let found = line.starts_with(prefix);
                    self.lines.push(line);
                    if found {
                        return;
                    }
                }
                Err(_) => {
                    let _ = self.child.kill();
                    panic!("no «{prefix}»: {:?}", self.lines);
                }
            }
        }
    }

    /// The builds that end within `seconds` from now.
    fn builds_within(&mut self, seconds: u64) -> usize {
        let end = std::time::Instant::now() + Duration::from_secs(seconds);
        let mut n = 0;
        while let Some(left) = end.checked_duration_since(std::time::Instant::now()) {
            match self.rx.recv_timeout(left) {
                Ok(line) => {
                    if line.starts_with("ricostruiti") || line.starts_with("documenti precedenti") {
                        n += 1;
                    }
                    self.lines.push(line);
                }
                Err(_) => break,
            }
        }
        n
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// (mtime, inode) of a file.
fn stamp(path: &std::path::Path) -> (std::time::SystemTime, u64) {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path).expect("metadata");
    (m.modified().expect("mtime"), m.ino())
}

#[test]
fn one_save_is_one_rebuild_and_only_changed_files_are_rewritten() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("piano.xlsx");
    // The output folder inside the watched one.
    let out = dir.path().join("out");
    plan_with_actual(&wb, "90%");
    let mut w = Watch::start(&wb, &out);
    assert_eq!(w.builds_within(3), 0, "no rebuild without a save: {:?}", w.lines);
    let annexes = [out.join("2025_allegato.pdf"), out.join("2025_schede.pdf")];
    let before: Vec<_> = annexes.iter().map(|p| stamp(p)).collect();
    let relazione_before = stamp(&out.join("2025_relazione.pdf"));

    // A corrected actual, saved in place.
    let mut bytes = Vec::new();
    let tmp = dir.path().join("nuovo.bin");
    plan_with_actual(&tmp, "95%");
    bytes.extend(std::fs::read(&tmp).expect("read"));
    std::fs::remove_file(&tmp).expect("rm");
    std::fs::write(&wb, &bytes).expect("save in place");
    w.wait_for("ricostruiti");
    assert_eq!(w.builds_within(3), 0, "one save, one rebuild: {:?}", w.lines);
    let text = w.lines.join("\n");
    assert!(text.contains("OS1 – Imprese più digitali: 94,7% → 100,0%"), "{text}");
    assert!(text.contains("ricostruiti 3 file") && text.contains("(2 invariati)"), "{text}");
    let after: Vec<_> = annexes.iter().map(|p| stamp(p)).collect();
    assert_eq!(before, after, "the PIAO annexes were not rewritten");
    assert_ne!(relazione_before, stamp(&out.join("2025_relazione.pdf")), "the Relazione was");
    assert!(pdf_text(&out.join("2025_relazione.pdf")).contains("≥ 95% 95% 100%"));

    // The same actual again, saved by rename: no real change, no rebuild.
    let tmp = dir.path().join("salvataggio.tmp");
    std::fs::write(&tmp, &bytes).expect("write");
    std::fs::rename(&tmp, &wb).expect("rename");
    assert_eq!(w.builds_within(3), 0, "an identical save changes nothing: {:?}", w.lines);

    // A real change saved by rename: one rebuild.
    plan_with_actual(&tmp, "80%");
    std::fs::rename(&tmp, &wb).expect("rename");
    w.wait_for("ricostruiti");
    assert_eq!(w.builds_within(3), 0, "one save, one rebuild: {:?}", w.lines);
    assert_eq!(before, annexes.iter().map(|p| stamp(p)).collect::<Vec<_>>());
    let files: Vec<String> =
        std::fs::read_dir(&out).expect("out").flatten().map(|e| e.file_name().to_string_lossy().to_string()).collect();
    assert_eq!(files.len(), 5, "no temporary file left: {files:?}");
}
