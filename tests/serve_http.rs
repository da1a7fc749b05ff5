//! `piao serve` over HTTP: the same bytes as `piao build`, the upload limit,
//! the password, CSRF, hostile names, a non-spreadsheet, ten uploads at once,
//! a full queue, the security headers and a clean stop on Ctrl+C.

mod common;
mod serve_common;

use common::*;
use serve_common::*;
use std::path::Path;

fn documents_of(version: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(version.join("documenti"))
        .expect("documents folder")
        .flatten()
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| (e.file_name().to_string_lossy().to_string(), std::fs::read(e.path()).expect("read")))
        .collect();
    v.sort();
    v
}

#[test]
fn the_2019_example_gives_the_figures_and_the_bytes_of_piao_build() {
    let server = Server::start(&[]);
    let mut b = Browser::new(&server);
    let bytes = std::fs::read(example_2019()).expect("example");
    let page = b.upload("arezzo-siena-relazione-2019.xlsx", &bytes);
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    assert!(html.contains("Documenti pronti"), "{html}");
    let row = html.split("<tr>").find(|r| r.contains("Economico-Finanziaria")).expect("the area's row");
    assert!(row.contains("94,4%"), "{row}");
    assert!(html.contains("<svg") && html.contains("Risultato per ambito"), "the bar chart");
    // The page with its stylesheet and script stays under 100 KB.
    let assets: usize =
        ["/static/piao.css", "/static/piao.js", "/static/favicon.svg"].iter().map(|p| b.get(p).body.len()).sum();
    assert!(html.len() + assets < 100 * 1024, "page {} + assets {assets} bytes", html.len());
    let id = version_id(&html);

    // The same workbook through the command line.
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let o = piao(&["build", example_2019().to_str().expect("path"), "--out", out.to_str().expect("path")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut expected: Vec<String> =
        std::fs::read_dir(&out).expect("out").flatten().map(|e| e.file_name().to_string_lossy().to_string()).collect();
    expected.sort();
    let mut zip_names = Vec::new();
    let zip = b.get(&format!("/versione/{id}/documenti.zip"));
    assert_eq!(zip.status, 200);
    assert_eq!(zip.header("content-type"), Some("application/zip"));
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.body.clone())).expect("a zip");
    for i in 0..archive.len() {
        zip_names.push(archive.by_index(i).expect("entry").name().expect("name").to_string());
    }
    zip_names.sort();
    assert_eq!(zip_names, expected, "the zip holds every document of piao build");
    for name in &expected {
        let got = b.get(&format!("/versione/{id}/file/{name}?scarica=1"));
        assert_eq!(got.status, 200, "{name}");
        assert!(got.header("content-disposition").is_some_and(|d| d.starts_with("attachment")), "{name}");
        let want = std::fs::read(out.join(name)).expect("built file");
        assert!(got.body == want, "{name}: same bytes as piao build");
        let mut entry = archive.by_name(name).expect("in the zip");
        let mut zipped = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut zipped).expect("read entry");
        assert!(zipped == got.body, "{name}: the zip holds the same bytes");
    }
    // A PDF opens in the browser by default.
    let pdf = expected.iter().find(|n| n.ends_with("relazione.pdf")).expect("the Relazione");
    let inline = b.get(&format!("/versione/{id}/file/{pdf}"));
    assert_eq!(inline.header("content-type"), Some("application/pdf"));
    assert!(inline.header("content-disposition").is_some_and(|d| d.starts_with("inline")));
    // The home page lists the plan.
    let home = b.get("/").text();
    assert!(home.contains("2019") && home.contains("Documenti pronti"), "{home}");
}

#[test]
fn security_headers_are_on_every_response() {
    let server = Server::start(&[]);
    let mut b = Browser::new(&server);
    for path in ["/", "/static/piao.css", "/non-esiste", "/versione/xyz"] {
        let p = b.get(path);
        let csp = p.header("content-security-policy").unwrap_or_else(|| panic!("CSP on {path}"));
        assert!(csp.contains("frame-ancestors 'self'") && csp.contains("script-src 'self'"), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert_eq!(p.header("x-content-type-options"), Some("nosniff"), "{path}");
    }
    let missing = b.get("/non-esiste");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("Pagina non trovata"));
    // The pages carry no inline script: the only script is a file.
    let home = b.get("/").text();
    assert!(home.contains("<html lang=\"it\">"));
    assert_eq!(home.matches("<script").count(), 1, "{home}");
    assert!(home.contains("<script src=\"/static/piao.js\" defer></script>"));
    assert!(home.len() < 100 * 1024);
}

#[test]
fn an_upload_over_the_limit_gets_an_italian_page_and_leaves_nothing() {
    let server = Server::start(&[]);
    let mut b = Browser::new(&server);
    let big = vec![b'x'; 51 * 1024 * 1024];
    let page = b.upload("enorme.xlsx", &big);
    assert_eq!(page.status, 413);
    assert!(page.text().contains("File troppo grande") && page.text().contains("50 MB"), "{}", page.text());
    assert!(server.versions().is_empty());
    // The server goes on.
    assert_eq!(b.get("/").status, 200);
}

#[test]
fn forms_without_the_csrf_token_are_refused() {
    let server = Server::start(&[]);
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("piano.xlsx");
    small_plan(&wb, "≥ 95%");
    let bytes = std::fs::read(&wb).expect("read");
    let mut b = Browser::new(&server);
    let no_token = b.upload_with(None, "piano.xlsx", &bytes);
    assert_eq!(no_token.status, 403);
    assert!(no_token.text().contains("Richiesta rifiutata"));
    let wrong = b.upload_with(Some(&"0".repeat(64)), "piano.xlsx", &bytes);
    assert_eq!(wrong.status, 403);
    // Another browser's token does not work with this browser's cookie.
    let mut other = Browser::new(&server);
    let theirs = other.csrf();
    b.get("/");
    assert_eq!(b.upload_with(Some(&theirs), "piano.xlsx", &bytes).status, 403);
    assert!(server.versions().is_empty(), "nothing stored");
    // The real token works; approving needs it too.
    let ok = b.upload("piano.xlsx", &bytes);
    assert_eq!(ok.status, 200);
    let id = version_id(&ok.text());
    assert_eq!(b.post_form(&format!("/versione/{id}/approva"), &[("csrf", "x")]).status, 403);
    assert!(!std::fs::exists(server.data.join("approvate.json")).expect("stat"));
    let token = b.csrf();
    let approved = b.post_form(&format!("/versione/{id}/approva"), &[("csrf", &token)]);
    assert_eq!(approved.status, 200);
    assert!(approved.text().contains("Approvata"));
}

#[test]
fn a_password_guards_every_page_and_is_required_off_the_loopback() {
    // Off the loopback without a password: refused before listening.
    let o = piao(&["serve", "--indirizzo", "0.0.0.0", "--porta", "0", "--dati", "/nonexistent/x"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("serve una parola d'accesso"), "{}", stderr(&o));

    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("parola");
    std::fs::write(&file, "segreta-da-file\n").expect("write");
    for (args, env, secret) in [
        (vec!["--password", "segreta"], vec![], "segreta"),
        (vec!["--file-password", file.to_str().expect("path")], vec![], "segreta-da-file"),
        (vec![], vec![("PIAO_PASSWORD", "dall-ambiente")], "dall-ambiente"),
    ] {
        let server = Server::start_env(&args, &env);
        let mut raw = Browser::with_redirects(&server, false);
        let home = raw.get("/");
        assert_eq!(home.status, 303, "{args:?}");
        assert_eq!(home.header("location"), Some("/accesso"));
        assert_eq!(raw.get("/versione/x/documenti.zip").status, 303);
        assert_eq!(raw.get("/static/piao.css").status, 200, "static files need no session");
        let mut b = Browser::new(&server);
        let token = b.csrf();
        let login = b.get("/").text();
        assert!(login.contains("Parola d'accesso"));
        assert!(!login.contains("action=\"/esci\""), "no logout button before logging in");
        assert_eq!(b.upload_with(Some(&token), "piano.xlsx", b"x").status, 401);
        let wrong = b.post_form("/accesso", &[("csrf", &token), ("password", "sbagliata")]);
        assert_eq!(wrong.status, 401);
        assert!(wrong.text().contains("non corretta"));
        let prefix = &secret[..secret.len() - 1];
        assert_eq!(b.post_form("/accesso", &[("csrf", &token), ("password", prefix)]).status, 401);
        let right = b.post_form("/accesso", &[("csrf", &token), ("password", secret)]);
        assert_eq!(right.status, 200, "{}", right.text());
        assert!(right.text().contains("Carica una cartella di lavoro"));
        assert!(b.get("/").text().contains("action=\"/esci\""));
        // Logging out ends the session.
        let token = b.csrf();
        b.post_form("/esci", &[("csrf", &token)]);
        assert!(b.get("/").text().contains("Parola d'accesso"));
    }
}

/// Five wrong passwords in a row make this computer wait five minutes, the
/// right password included; a session cookie lives one day at most.
#[test]
fn wrong_passwords_in_a_row_make_the_computer_wait_and_sessions_end() {
    let server = Server::start_env(&["--password", "segreta"], &[]);
    let mut b = Browser::new(&server);
    let token = b.csrf();
    for i in 0..5 {
        let wrong = b.post_form("/accesso", &[("csrf", &token), ("password", "sbagliata")]);
        assert_eq!(wrong.status, 401, "attempt {i}");
    }
    let refused = b.post_form("/accesso", &[("csrf", &token), ("password", "segreta")]);
    assert_eq!(refused.status, 429, "{}", refused.text());
    assert!(refused.text().contains("Troppi tentativi"), "{}", refused.text());
    assert!(refused.text().contains("riprovare fra 5 minuti"), "{}", refused.text());
    assert!(b.get("/").text().contains("Parola d'accesso"), "still not logged in");

    // Another server (another count): the right password opens a session
    // whose cookie the browser keeps one day at most.
    let server = Server::start_env(&["--password", "segreta"], &[]);
    let mut raw = Browser::with_redirects(&server, false);
    let token = raw.csrf();
    let right = raw.post_form("/accesso", &[("csrf", &token), ("password", "segreta")]);
    assert_eq!(right.status, 303);
    let cookie = right.header("set-cookie").unwrap_or_default().to_string();
    assert!(cookie.starts_with("piao_sessione=") && cookie.contains("Max-Age=86400"), "{cookie}");
}

#[test]
fn hostile_names_stay_data_and_a_non_spreadsheet_gets_diagnostics() {
    let server = Server::start(&[]);
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("piano.xlsx");
    small_plan(&wb, "≥ 95%");
    let bytes = std::fs::read(&wb).expect("read");
    let mut b = Browser::new(&server);
    let hostile =
        ["../../../evil.xlsx", "..\\..\\evil.xlsx", "<script>alert(1)</script>.xlsx", "Piano «2025» finale.xlsx"];
    for name in hostile {
        let page = b.upload(name, &bytes);
        assert_eq!(page.status, 200, "{name}: {}", page.text());
        let html = page.text();
        assert!(!html.contains("<script>alert"), "escaped");
        let id = version_id(&html);
        let wb = b.get(&format!("/versione/{id}/cartella"));
        assert!(wb.body == bytes);
        assert!(wb.header("x-evil").is_none());
    }
    assert!(!dir.path().join("evil.xlsx").exists() && !server.data.join("evil.xlsx").exists());
    assert!(!server.data.parent().expect("parent").join("evil.xlsx").exists());
    for v in server.versions() {
        let name = v.file_name().expect("name").to_string_lossy().to_string();
        assert!(name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'), "{name}");
        let inside: Vec<String> = std::fs::read_dir(v.join("lavoro"))
            .expect("lavoro")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        assert_eq!(inside, vec!["cartella.xlsx".to_string()]);
    }
    // Not a workbook by name: refused, nothing stored.
    let before = server.versions().len();
    let txt = b.upload("appunti.txt", b"non sono un foglio");
    assert_eq!(txt.status, 400);
    assert!(txt.text().contains("non è una cartella di lavoro"), "{}", txt.text());
    assert_eq!(server.versions().len(), before);
    // A workbook by name only: a version with the reader's diagnostics.
    let fake = b.upload("finto.xlsx", b"PK\x03\x04 questo non e' un file zip valido");
    assert_eq!(fake.status, 200);
    let html = fake.text();
    assert!(html.contains("Nessun documento prodotto") && html.contains("errore"), "{html}");
    assert!(!html.contains("Scarica tutti i documenti"));
    let id = version_id(&html);
    let diags = b.get(&format!("/versione/{id}/diagnostiche.xlsx"));
    assert_eq!(diags.status, 200);
    assert!(diags.body.starts_with(b"PK"));
    // Empty file.
    assert_eq!(b.upload("vuoto.xlsx", b"").status, 200);
    // The other versions are untouched and the server goes on.
    let home = b.get("/");
    assert_eq!(home.status, 200);
    assert!(home.text().contains("Camera di Commercio di Prova"));
}

#[test]
fn ten_uploads_at_once_all_finish_and_nothing_is_mixed() {
    let server = Server::start(&[]);
    let dir = tempfile::tempdir().expect("temp dir");
    let mut files = Vec::new();
    for i in 0..10 {
        let p = dir.path().join(format!("piano{i}.xlsx"));
        plan_of(&p, &format!("Camera numero {i}"), &format!("{}%", 80 + i));
        files.push(p);
    }
    let results: Vec<(usize, String)> = std::thread::scope(|s| {
        let handles: Vec<_> = files
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let mut b = Browser::new(&server);
                s.spawn(move || {
                    let page = b.upload(&format!("piano{i}.xlsx"), &std::fs::read(p).expect("read"));
                    assert_eq!(page.status, 200, "{}", page.text());
                    (i, page.text())
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("upload thread")).collect()
    });
    assert_eq!(server.versions().len(), 10);
    for (i, html) in results {
        assert!(html.contains(&format!("Camera numero {i} – 2025")), "{i}");
        let id = version_id(&html);
        let docs = documents_of(&server.data.join("versioni").join(&id));
        let (_, json) = docs.iter().find(|(n, _)| n.ends_with("results.json")).expect("results.json");
        let v: serde_json::Value = serde_json::from_slice(json).expect("JSON");
        assert_eq!(v["ente"]["name"], format!("Camera numero {i}"));
        let i1 = v["indicators"].as_array().expect("indicators").iter().find(|x| x["code"] == "I1").expect("I1");
        assert_eq!(i1["actual"]["text"], format!("{}%", 80 + i), "version {i} holds its own figures");
    }
}

#[test]
fn ctrl_c_stops_cleanly_with_no_half_written_version() {
    let mut server = Server::start(&[]);
    let mut b = Browser::with_redirects(&server, false);
    let token = b.csrf();
    let bytes = std::fs::read(example_2019()).expect("example");
    // An upload in flight when Ctrl+C arrives: it still ends on its page.
    let upload = std::thread::spawn(move || b.upload_with(Some(&token), "arezzo.xlsx", &bytes).status);
    let staging = || {
        std::fs::read_dir(server.data.join("versioni"))
            .map(|d| d.flatten().any(|e| e.file_name().to_string_lossy().ends_with(".tmp")))
            .unwrap_or(false)
    };
    for _ in 0..600 {
        if staging() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(staging(), "the upload reached the server");
    let status = server.interrupt();
    assert!(status.success(), "{status:?}");
    assert_eq!(upload.join().expect("upload thread"), 303, "the build in flight finished");
    let versions = server.versions();
    assert_eq!(versions.len(), 1);
    assert!(versions[0].join("meta.json").is_file(), "the version is complete");
    assert_eq!(documents_of(&versions[0]).len(), 5);
}

#[test]
fn an_approved_version_gives_later_ones_the_in_itinere_rate() {
    let server = Server::start(&[]);
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("piano.xlsx");
    let mut b = Browser::new(&server);
    small_plan(&wb, "≥ 95%");
    let first = b.upload("piano.xlsx", &std::fs::read(&wb).expect("read")).text();
    assert!(!first.contains("Cosa è cambiato"), "the first version has nothing to compare with");
    let id = version_id(&first);
    let token = b.csrf();
    let approved = b.post_form(&format!("/versione/{id}/approva"), &[("csrf", &token)]).text();
    assert!(approved.contains("<span class=\"stato ok\">Approvata</span>"));
    assert!(!approved.contains("Segna questa versione come approvata"));
    assert!(!approved.contains("Modifica in itinere"), "no rate against itself");
    // A later version with a target changed after approval.
    small_plan(&wb, "≥ 90%");
    let later = b.upload("piano.xlsx", &std::fs::read(&wb).expect("read")).text();
    assert!(later.contains("OS1 – Imprese più digitali: 94,7% → 100,0%"), "{later}");
    assert!(later.contains("Modifica in itinere"), "{later}");
    assert!(later.contains("<strong>50,0%</strong> (1 su 2 programmati)"), "{later}");
    assert!(later.contains("Target 2025"), "the changed field is listed");
    // The home page names the approved version.
    let home = b.get("/").text();
    assert!(home.contains(&format!("<a href=\"/versione/{id}\">")), "{home}");
    assert!(!std::fs::read_to_string(server.data.join("approvate.json")).expect("approvals").is_empty());
}

#[test]
fn the_downloaded_example_uploads_cleanly_and_other_formats_work() {
    let server = Server::start(&[]);
    let mut b = Browser::new(&server);
    let blank = b.get("/modello.xlsx");
    assert_eq!(blank.status, 200);
    assert!(blank.header("content-disposition").is_some_and(|d| d.contains("modello_")));
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("modello.xlsx");
    std::fs::write(&path, &blank.body).expect("write");
    let sheets = {
        use calamine::Reader;
        calamine::open_workbook_auto(&path).expect("an xlsx").sheet_names()
    };
    assert!(sheets.iter().any(|s| s == "Indicatori"), "{sheets:?}");
    // The example, uploaded as downloaded, gives its documents.
    let example = b.get("/esempio.xlsx");
    assert_eq!(example.status, 200);
    let page = b.upload("esempio.xlsx", &example.body);
    assert!(page.text().contains("Documenti pronti"), "{}", page.text());
    // The same plan saved by LibreOffice as .ods.
    let wb = dir.path().join("piano.xlsx");
    small_plan(&wb, "≥ 95%");
    let ods = convert(&wb, "ods");
    let page = b.upload("piano.ods", &std::fs::read(&ods).expect("read")).text();
    assert!(page.contains("Documenti pronti") && page.contains("Camera di Commercio di Prova – 2025"), "{page}");
    let id = version_id(&page);
    assert!(server.data.join("versioni").join(&id).join("lavoro/cartella.ods").is_file());
}

#[test]
fn a_workbook_with_hundreds_of_errors_shows_the_first_500_and_downloads_all() {
    use C::*;
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("tanti-errori.xlsx");
    let mut indicators = vec![vec![S("Codice"), S("Obiettivo"), S("Nome"), S("UdM"), S("Target 2025")]];
    let codes: Vec<String> = (0..520).map(|i| format!("I{i}")).collect();
    for code in &codes {
        indicators.push(vec![S(code), S("OS1"), S("Indicatore"), S("n."), S("tanto")]);
    }
    workbook(
        &wb,
        &[
            (
                "Ente",
                vec![vec![S("Voce"), S("Valore")], vec![S("Denominazione"), S("Camera")], vec![S("Anno"), N(2025.0)]],
            ),
            ("Ambiti", vec![vec![S("Codice"), S("Denominazione")], vec![S("A"), S("Ambito")]]),
            (
                "Obiettivi",
                vec![
                    vec![S("Codice"), S("Livello"), S("Titolo"), S("Ambito")],
                    vec![S("OS1"), S("Strategico"), S("Obiettivo"), S("A")],
                ],
            ),
            ("Indicatori", indicators),
        ],
    );
    let server = Server::start(&[]);
    let mut b = Browser::new(&server);
    let page = b.upload("tanti-errori.xlsx", &std::fs::read(&wb).expect("read")).text();
    assert!(page.contains("Nessun documento prodotto"), "{page}");
    assert!(page.contains("Sono mostrate le prime 500 segnalazioni su"), "{page}");
    assert_eq!(page.matches("<td class=\"dove\">").count(), 500);
    let id = version_id(&page);
    let xlsx = b.get(&format!("/versione/{id}/diagnostiche.xlsx"));
    let path = dir.path().join("controlli.xlsx");
    std::fs::write(&path, &xlsx.body).expect("write");
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(&path).expect("xlsx");
    let rows = book.worksheet_range("Controlli").expect("sheet").height();
    assert!(rows > 521, "every diagnostic is in the download: {rows} rows");
}

#[test]
fn a_workbook_with_warnings_gives_the_cruscotto_of_piao_build_under_its_own_name() {
    // An implausible actual (8% against a target of 80%) is a warning,
    // listed with the file's name in the cruscotto's Anomalie sheet: the
    // page's documents name the uploaded file, never the copy it keeps under
    // a generated name, and are the bytes of `piao build` of that file.
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("piano-con-avvisi.xlsx");
    small_plan_with(&wb, ">= 80%", "8%");
    let server = Server::start(&[]);
    let mut b = Browser::new(&server);
    let page = b.upload("piano-con-avvisi.xlsx", &std::fs::read(&wb).expect("read"));
    assert_eq!(page.status, 200, "{}", page.text());
    let id = version_id(&page.text());
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_piao"))
        .current_dir(dir.path())
        .args(["build", "piano-con-avvisi.xlsx", "--out", "out"])
        .output()
        .expect("piao runs");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("avviso"), "the plan has a warning: {}", stderr(&o));
    let want = std::fs::read(dir.path().join("out/2025_cruscotto.xlsx")).expect("built");
    let got = b.get(&format!("/versione/{id}/file/2025_cruscotto.xlsx?scarica=1"));
    assert_eq!(got.status, 200);
    assert!(got.body == want, "same cruscotto as piao build");
    let page_text = b.get(&format!("/versione/{id}")).text();
    assert!(!page_text.contains("cartella."), "the stored copy's name never shows: {page_text}");
}

/// The uploads whose workbook is saved and complete, waiting for a build or
/// being built (`versioni/.ID.tmp/lavoro/cartella.xlsx` of `len` bytes).
fn staged_uploads(server: &Server, len: usize) -> usize {
    std::fs::read_dir(server.data.join("versioni"))
        .map(|d| {
            d.flatten()
                .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
                .filter(|e| {
                    std::fs::metadata(e.path().join("lavoro").join("cartella.xlsx"))
                        .is_ok_and(|m| m.len() == len as u64)
                })
                .count()
        })
        .unwrap_or(0)
}

/// Waits until `n` uploads of `len` bytes are staged, for at most a minute.
fn wait_for_staged(server: &Server, len: usize, n: usize) {
    let start = std::time::Instant::now();
    while staged_uploads(server, len) < n {
        assert!(start.elapsed().as_secs() < 60, "only {} of {n} uploads staged", staged_uploads(server, len));
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// One build runs at a time and at most 64 uploads (`QUEUE_LIMIT`) wait for
/// it: while a large plan is being built and 64 small ones wait, one more
/// upload gets the Italian «riprovare» page with status 503 and leaves
/// nothing behind, and every upload that was queued still becomes its own
/// version.
#[test]
fn the_upload_after_a_full_queue_gets_an_italian_503_and_the_queue_goes_on() {
    const QUEUE_LIMIT: usize = 64;
    let server = Server::start(&[]);
    let dir = tempfile::tempdir().expect("temp dir");
    // A plan of 3 000 indicators keeps the one build busy for seconds.
    let large = piao::synthetic::workbook(3000).expect("synthetic plan");
    let small_path = dir.path().join("piccolo.xlsx");
    plan_of(&small_path, "Camera in coda", "90%");
    let small = std::fs::read(&small_path).expect("read");
    let large_len = large.len();
    assert_ne!(large_len, small.len());

    std::thread::scope(|s| {
        let mut b = Browser::new(&server);
        let big = s.spawn(move || b.upload("grande.xlsx", &large));
        // Its file saved, the large plan takes the build (nothing waits before it).
        wait_for_staged(&server, large_len, 1);
        let queued: Vec<_> = (0..QUEUE_LIMIT)
            .map(|i| {
                let mut b = Browser::new(&server);
                let bytes = small.clone();
                s.spawn(move || (i, b.upload(&format!("piccolo{i}.xlsx"), &bytes)))
            })
            .collect();
        wait_for_staged(&server, small.len(), QUEUE_LIMIT);
        // Each staged upload joins the queue right after its file is synced.
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert!(!big.is_finished(), "the large plan is still being built while the queue is full");

        let mut b = Browser::new(&server);
        let refused = b.upload("uno-di-troppo.xlsx", &small);
        assert_eq!(refused.status, 503, "{}", refused.text());
        let text = refused.text();
        assert!(text.contains("Troppi caricamenti in corso"), "{text}");
        assert!(text.contains("il file non è stato caricato"), "{text}");
        assert!(text.contains("Riprovare tra qualche minuto"), "{text}");
        assert!(text.contains("lang=\"it\""), "an Italian page: {text}");
        assert_eq!(staged_uploads(&server, small.len()), QUEUE_LIMIT, "the refused upload left no file");

        let big = big.join().expect("large upload");
        assert_eq!(big.status, 200, "{}", big.text());
        for h in queued {
            let (i, page) = h.join().expect("queued upload");
            assert_eq!(page.status, 200, "upload {i}: {}", page.text());
            assert!(page.text().contains("Camera in coda – 2025"), "upload {i}");
        }
    });
    assert_eq!(server.versions().len(), QUEUE_LIMIT + 1, "the large plan and every queued one, not the refused");
    assert_eq!(staged_uploads(&server, small.len()), 0, "no upload left half done");
    // The server goes on.
    assert_eq!(Browser::new(&server).get("/").status, 200);
}
