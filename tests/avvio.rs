//! Starting piao without a subcommand (issue #15): a workbook dropped on the
//! exe (a bare path) is built into `documenti piao` beside it, exactly as
//! `piao build` would build it; a bad drop says why and leaves no documents.
//! Windows' own part (opening the folder, keeping Explorer's console open) is
//! run under wine by scripts/windows.sh.

mod common;

use common::*;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Runs `piao` with bare arguments from `cwd`, standard input closed (as a
/// console that nobody types into).
fn drop_on(cwd: &Path, args: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_piao"))
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .output()
        .expect("the piao binary runs")
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("folder exists")
        .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    names
}

#[test]
fn a_dropped_workbook_is_built_beside_it_as_build_would() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plans = dir.path().join("Piani dell'ente");
    std::fs::create_dir(&plans).expect("mkdir");
    let wb = plans.join("piano 2019.xlsx");
    std::fs::copy(root().join("inputs/arezzo-siena-relazione-2019.xlsx"), &wb).expect("copy");
    let elsewhere = tempfile::tempdir().expect("temp dir");

    let o = drop_on(elsewhere.path(), &[&wb]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let folder = plans.join("documenti piao");
    assert_eq!(
        files_in(&folder),
        ["2019_allegato.pdf", "2019_cruscotto.xlsx", "2019_relazione.pdf", "2019_results.json", "2019_schede.pdf"]
    );
    // Nothing is written where piao was started.
    assert!(files_in(elsewhere.path()).is_empty());
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(said.contains(&format!("documenti nella cartella {}", folder.display())), "{said}");
    assert!(pdf_text(&folder.join("2019_relazione.pdf")).contains("Relazione"));

    // The same bytes as `piao build` gives.
    let built = dir.path().join("out");
    let b = piao(&["build", "--out", built.to_str().expect("utf-8"), wb.to_str().expect("utf-8")]);
    assert!(b.status.success(), "{}", stderr(&b));
    for name in files_in(&folder) {
        let a = std::fs::read(folder.join(&name)).expect("read");
        assert!(a == std::fs::read(built.join(&name)).expect("read"), "{name} differs from piao build's");
    }
}

#[test]
fn a_relative_drop_and_a_dropped_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(root().join("inputs/arezzo-siena-piao-2024.xlsx"), dir.path().join("piao.xlsx")).expect("copy");
    let o = drop_on(dir.path(), &[Path::new("piao.xlsx")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let folder = dir.path().join("documenti piao");
    assert!(files_in(&folder).contains(&"2024_allegato.pdf".to_string()), "{:?}", files_in(&folder));
    // The message names the folder in full, without `./`.
    let said = String::from_utf8_lossy(&o.stdout);
    let canonical = folder.canonicalize().expect("exists");
    assert!(said.contains(&canonical.display().to_string()), "{said}");

    // A dropped folder: its workbooks, documents inside it; the
    // `documenti piao` folder already there is not an input.
    let maremma = tempfile::tempdir().expect("temp dir");
    for name in ["maremma-tirreno-cruscotto-2022.xlsx", "maremma-tirreno-pira-2023.xlsx"] {
        std::fs::copy(root().join("inputs").join(name), maremma.path().join(name)).expect("copy");
    }
    for _ in 0..2 {
        let o = drop_on(dir.path(), &[maremma.path()]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    let docs = files_in(&maremma.path().join("documenti piao"));
    assert!(
        docs.contains(&"2022_allegato.pdf".to_string()) && docs.contains(&"2023_allegato.pdf".to_string()),
        "{docs:?}"
    );
}

#[test]
fn two_workbooks_from_two_folders_each_get_their_folder() {
    let (a, b) = (tempfile::tempdir().expect("temp dir"), tempfile::tempdir().expect("temp dir"));
    small_plan(&a.path().join("uno.xlsx"), "80%");
    std::fs::copy(root().join("inputs/arezzo-siena-relazione-2019.xlsx"), b.path().join("due.xlsx")).expect("copy");
    let o = drop_on(a.path(), &[&a.path().join("uno.xlsx"), &b.path().join("due.xlsx")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(files_in(&a.path().join("documenti piao")).iter().any(|f| f.ends_with("_results.json")));
    assert!(files_in(&b.path().join("documenti piao")).contains(&"2019_results.json".to_string()));
}

#[test]
fn a_bad_drop_says_why_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("rotto.xlsx");
    std::fs::write(&wb, b"non sono un file Excel").expect("write");
    let o = drop_on(dir.path(), &[&wb]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("rotto.xlsx") && err.contains("nessun documento prodotto"), "{err}");
    assert!(!dir.path().join("documenti piao").join("2025_allegato.pdf").exists());
    assert!(!String::from_utf8_lossy(&o.stdout).contains("documenti nella cartella"));

    // A workbook that is not there: the build's Italian message, code 1.
    let o = drop_on(dir.path(), &[Path::new("manca.xlsx")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("manca.xlsx: file non trovato"), "{}", stderr(&o));

    // Not a path nor a subcommand: clap's usage message, not a build.
    let o = drop_on(dir.path(), &[Path::new("bulid")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("comando sconosciuto «bulid»"), "{}", stderr(&o));
}

#[test]
fn a_double_click_opens_the_web_page_on_this_computer_only() {
    use std::io::{BufRead, Read, Write};
    // No arguments: `piao serve --apri` on 127.0.0.1:8080, its versions in
    // the user's data folder (here a temporary one).
    let data = tempfile::tempdir().expect("temp dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_piao"))
        .env("XDG_DATA_HOME", data.path())
        .env("HOME", data.path())
        .env_remove("PIAO_PASSWORD")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("piao starts");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let ready = rx.recv_timeout(std::time::Duration::from_secs(60)).unwrap_or_default();
    let page = (|| {
        let mut s = std::net::TcpStream::connect("127.0.0.1:8080").ok()?;
        s.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").ok()?;
        let mut body = String::new();
        s.read_to_string(&mut body).ok()?;
        Some(body)
    })();
    let _ = child.kill();
    let _ = child.wait();
    assert!(ready.contains("http://127.0.0.1:8080"), "first line: {ready}");
    let page = page.expect("the page answers");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("lang=\"it\""), "{page}");
    assert!(data.path().join("piao").is_dir(), "versions kept in the user's data folder");
}
