//! `piao serve` in a real browser (Debian's chromium, driven over WebDriver
//! by fantoccini through chromedriver): upload the 2019 example and read its
//! figures, fetch the Relazione and compare its bytes with `piao build`,
//! upload a workbook with an error, then its correction and see the change
//! line; in local mode, save the watched workbook and see the open page
//! update itself. Each page is checked with axe-core (tests/browser, npm).
//!
//! Screenshots go to the test's temporary folder; with
//! `PIAO_AGGIORNA_IMMAGINI=1` the version page's is also written to
//! `docs/img/pagina-versione.png` (the README's picture).

mod common;
mod serve_common;

use common::*;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use serve_common::*;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A chromedriver on a free port, stopped on drop.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start() -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0").expect("free port").local_addr().expect("addr").port();
        let mut child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver is installed (apt-get install chromium chromium-driver)");
        for _ in 0..300 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Driver { child, port };
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("chromedriver did not start");
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn browser(driver: &Driver) -> Client {
    browser_with(driver, &[]).await
}

/// A chromium session with more command-line switches.
async fn browser_with(driver: &Driver, extra: &[&str]) -> Client {
    let mut args = vec![
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1280,1700",
        "--lang=it-IT",
        "--force-device-scale-factor=1",
    ];
    args.extend_from_slice(extra);
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".to_string(), json!({ "args": args }));
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a chromium session")
}

fn axe_source() -> String {
    let p = root().join("tests/browser/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&p)
        .unwrap_or_else(|_| panic!("{} missing: run `npm ci` in tests/browser (.ci/run does)", p.display()))
}

/// Runs axe-core on the open page: no serious or critical violation.
async fn check_accessibility(c: &Client, what: &str) {
    c.execute(&format!("{}\nreturn true;", axe_source()), vec![]).await.expect("axe injected");
    let result = c
        .execute_async(
            "var done = arguments[arguments.length - 1];
             axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })
                .then(function (r) { done(r.violations.map(function (v) {
                    return { id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(function (n) { return n.html; }).slice(0, 3) };
                })); })
                .catch(function (e) { done([{ id: 'axe-error', impact: 'critical', help: String(e) }]); });",
            vec![],
        )
        .await
        .expect("axe runs");
    let bad: Vec<&Value> = result
        .as_array()
        .expect("violations")
        .iter()
        .filter(|v| matches!(v["impact"].as_str(), Some("serious") | Some("critical")))
        .collect();
    assert!(bad.is_empty(), "{what}: accessibility violations {bad:#?}");
}

/// Presses and releases one key, as a keyboard user would.
async fn press(c: &Client, key: Key) {
    let k: char = key.into();
    let actions =
        KeyActions::new("tastiera".to_string()).then(KeyAction::Down { value: k }).then(KeyAction::Up { value: k });
    c.perform_actions(actions).await.expect("key press");
}

async fn screenshot(c: &Client, name: &str) -> PathBuf {
    let png = c.screenshot().await.expect("screenshot");
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("serve-{name}.png"));
    std::fs::write(&path, &png).expect("write screenshot");
    path
}

async fn body_text(c: &Client) -> String {
    c.find(Locator::Css("body")).await.expect("body").text().await.expect("text")
}

async fn upload(c: &Client, base: &str, file: &Path) {
    c.goto(&format!("{base}/")).await.expect("home");
    let input = c.find(Locator::Id("file")).await.expect("the file field");
    input.send_keys(file.to_str().expect("path")).await.expect("choose the file");
    c.find(Locator::Css("#modulo-carica button[type=submit]")).await.expect("button").click().await.expect("submit");
    wait_for_version_page(c).await;
}

/// Waits for the page of the version just uploaded (a build may take a
/// while on a loaded machine).
async fn wait_for_version_page(c: &Client) {
    c.wait()
        .at_most(Duration::from_secs(180))
        .for_element(Locator::Id("versione"))
        .await
        .expect("the version page appears");
}

/// Drops `file` on the home page's drop area as a file manager would: a
/// drag entering the area highlights it, the drop sends the form. Waits for
/// the version page.
async fn drop_file(c: &Client, base: &str, file: &Path) {
    c.goto(&format!("{base}/")).await.expect("home");
    let name = file.file_name().and_then(|n| n.to_str()).expect("name");
    let bytes = std::fs::read(file).expect("workbook");
    let highlighted = c
        .execute(
            "var raw = atob(arguments[0]), bytes = new Uint8Array(raw.length);
             for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
             var dt = new DataTransfer();
             dt.items.add(new File([bytes], arguments[1]));
             var zona = document.getElementById('zona');
             zona.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
             var sopra = zona.classList.contains('sopra');
             zona.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
             return sopra;",
            vec![json!(encode_base64(&bytes)), json!(name)],
        )
        .await
        .expect("drop in the page");
    assert_eq!(highlighted, json!(true), "the drop area is highlighted while a file is over it");
    wait_for_version_page(c).await;
}

fn encode_base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (*b as u32) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The bytes of a link's target, fetched by the page itself.
async fn fetch_bytes(c: &Client, href: &str) -> Vec<u8> {
    let b64 = c
        .execute_async(
            "var done = arguments[arguments.length - 1];
             fetch(arguments[0]).then(function (r) { return r.arrayBuffer(); }).then(function (buf) {
               var bytes = new Uint8Array(buf), s = '';
               for (var i = 0; i < bytes.length; i++) { s += String.fromCharCode(bytes[i]); }
               done(btoa(s));
             });",
            vec![json!(href)],
        )
        .await
        .expect("fetch in the page");
    decode_base64(b64.as_str().expect("base64"))
}

fn decode_base64(s: &str) -> Vec<u8> {
    let val = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => (c - b'A') as u32,
            b'a'..=b'z' => (c - b'a' + 26) as u32,
            b'0'..=b'9' => (c - b'0' + 52) as u32,
            b'+' => 62,
            _ => 63,
        }
    };
    let bytes: Vec<u8> = s.bytes().filter(|c| *c != b'=').collect();
    let mut out = Vec::new();
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= val(*c) << (18 - 6 * i);
        }
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_read_download_correct_in_the_browser() {
    let server = Server::start(&[]);
    let driver = Driver::start();
    let c = browser(&driver).await;
    let base = server.base.clone();

    // Home: accessible, the upload form and the downloads.
    c.goto(&format!("{base}/")).await.expect("home");
    assert!(body_text(&c).await.contains("Carica una cartella di lavoro"));
    check_accessibility(&c, "home").await;
    screenshot(&c, "home").await;

    // By keyboard alone: the first Tab reaches the skip link, then the
    // file field, the button and the downloads; Enter on the focused button
    // uploads the 2019 example.
    let mut reached = Vec::new();
    for _ in 0..12 {
        press(&c, Key::Tab).await;
        let el = c.active_element().await.expect("focus");
        let id = el.attr("id").await.expect("id").unwrap_or_default();
        let text = el.text().await.unwrap_or_default();
        reached.push(if id.is_empty() { text } else { format!("#{id}") });
    }
    assert_eq!(reached[0], "Vai al contenuto", "{reached:?}");
    for want in ["#file", "Carica e genera i documenti", "Scarica il modello vuoto da compilare (.xlsx)"] {
        assert!(reached.iter().any(|r| r == want), "{want} not reachable by keyboard: {reached:?}");
    }
    c.find(Locator::Id("file"))
        .await
        .expect("file field")
        .send_keys(example_2019().to_str().expect("path"))
        .await
        .expect("choose the file");
    loop {
        let el = c.active_element().await.expect("focus");
        if el.text().await.unwrap_or_default() == "Carica e genera i documenti" {
            press(&c, Key::Enter).await;
            break;
        }
        press(&c, Key::Tab).await;
    }
    wait_for_version_page(&c).await;

    // The 2019 example: Economico-Finanziaria 94,4%.
    let text = body_text(&c).await;
    assert!(text.contains("Economico-Finanziaria 94,4%"), "{text}");
    assert!(text.contains("Documenti pronti"));
    check_accessibility(&c, "version page").await;
    let shot = screenshot(&c, "versione").await;
    if std::env::var_os("PIAO_AGGIORNA_IMMAGINI").is_some() {
        std::fs::copy(&shot, root().join("docs/img/pagina-versione.png")).expect("README picture");
    }

    // The Relazione: preview link opens the PDF; its bytes are piao build's.
    let link = c.find(Locator::Css("a[aria-label^='Anteprima di'][href$='relazione.pdf']")).await.expect("preview");
    let href = link.attr("href").await.expect("href").expect("a link");
    let bytes = fetch_bytes(&c, &href).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let o = piao(&["build", example_2019().to_str().expect("path"), "--out", out.to_str().expect("path")]);
    assert!(o.status.success());
    let name = href.rsplit('/').next().expect("name");
    assert!(bytes == std::fs::read(out.join(name)).expect("built Relazione"), "same bytes as piao build");
    let download = c.find(Locator::Css(&format!("a[download][href$='{name}?scarica=1']"))).await.expect("download");
    assert!(download.attr("href").await.expect("href").is_some());
    link.click().await.expect("open the preview");
    let url = c.current_url().await.expect("url");
    assert!(url.as_str().ends_with(name), "{url}");
    c.back().await.expect("back");

    // A workbook with an error: its place, no documents.
    let wb = dir.path().join("piano.xlsx");
    small_plan(&wb, "≥ 95%");
    upload(&c, &base, &wb).await;
    let bad = dir.path().join("piano-errato.xlsx");
    small_plan(&bad, "≥ 95%");
    let broken = dir.path().join("lavoro");
    std::fs::create_dir_all(&broken).expect("dir");
    small_plan(&broken.join("piano.xlsx"), "tanto");
    upload(&c, &base, &broken.join("piano.xlsx")).await;
    let text = body_text(&c).await;
    assert!(text.contains("Nessun documento prodotto"), "{text}");
    assert!(text.contains("Indicatori!E2"), "{text}");
    assert!(c.find(Locator::Id("documenti-titolo")).await.is_err(), "no documents section");
    check_accessibility(&c, "version with errors").await;
    screenshot(&c, "errori").await;

    // The correction: the change line since the last good version.
    let fixed = dir.path().join("corretto");
    std::fs::create_dir_all(&fixed).expect("dir");
    small_plan(&fixed.join("piano.xlsx"), "≥ 90%");
    upload(&c, &base, &fixed.join("piano.xlsx")).await;
    let text = body_text(&c).await;
    assert!(text.contains("Cosa è cambiato"), "{text}");
    assert!(text.contains("OS1 – Imprese più digitali: 94,7% → 100,0%"), "{text}");
    check_accessibility(&c, "version with changes").await;
    screenshot(&c, "cambiamenti").await;

    // The same workbook dropped on the home page's drop area (the page's
    // script puts the file in the form and sends it): the version page of
    // the dropped file, changed back since the correction.
    let dropped = dir.path().join("trascinato");
    std::fs::create_dir_all(&dropped).expect("dir");
    small_plan(&dropped.join("piano.xlsx"), "≥ 95%");
    drop_file(&c, &base, &dropped.join("piano.xlsx")).await;
    let text = body_text(&c).await;
    assert!(text.contains("OS1 – Imprese più digitali: 100,0% → 94,7%"), "{text}");
    assert!(text.contains("Documenti pronti"), "{text}");

    // Approve the first good version; a later one shows the rate.
    c.goto(&format!("{base}/")).await.expect("home");
    check_accessibility(&c, "home with plans").await;
    c.close().await.expect("close");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_mode_updates_the_open_page_after_a_save() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wb = dir.path().join("piano.xlsx");
    small_plan_with(&wb, "≥ 95%", "90%");
    let server = Server::start(&[wb.to_str().expect("path")]);
    // The first build of the watched file.
    let line = server.lines.recv_timeout(Duration::from_secs(180)).expect("first build");
    let line = if line.starts_with("versioni") {
        server.lines.recv_timeout(Duration::from_secs(180)).expect("first build")
    } else {
        line
    };
    assert!(line.contains("nuova versione"), "{line}");
    let driver = Driver::start();
    let c = browser(&driver).await;
    c.goto(&format!("{}/", server.base)).await.expect("home");
    c.find(Locator::LinkText("Apri l'ultima versione del file sorvegliato"))
        .await
        .expect("link")
        .click()
        .await
        .expect("click");
    c.wait().for_element(Locator::Id("versione")).await.expect("version page");
    assert!(body_text(&c).await.contains("Camera di Commercio di Prova – 2025"));
    let first = c.current_url().await.expect("url");
    c.execute("window.marcatore = 42; return true;", vec![]).await.expect("marker");
    // Give the page a moment to open its event stream, then save by rename.
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let tmp = dir.path().join("salvataggio.tmp");
    small_plan_with(&tmp, "≥ 95%", "95%");
    std::fs::rename(&tmp, &wb).expect("save");
    let mut text = String::new();
    for _ in 0..360 {
        text = body_text(&c).await;
        if text.contains("94,7% → 100,0%") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert!(text.contains("OS1 – Imprese più digitali: 94,7% → 100,0%"), "the page updated itself: {text}");
    let marker = c.execute("return window.marcatore;", vec![]).await.expect("marker");
    assert_eq!(marker, json!(42), "the page was not reloaded");
    assert_ne!(c.current_url().await.expect("url"), first, "the address follows the new version");
    screenshot(&c, "locale").await;
    // A save with an error: the open page shows where it is.
    small_plan_with(&tmp, "tanto", "95%");
    std::fs::rename(&tmp, &wb).expect("save");
    for _ in 0..360 {
        text = body_text(&c).await;
        if text.contains("Indicatori!E2") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert!(text.contains("Nessun documento prodotto") && text.contains("Indicatori!E2"), "{text}");
    assert_eq!(c.execute("return window.marcatore;", vec![]).await.expect("marker"), json!(42));
    c.close().await.expect("close");
}

/// Over HTTPS with a password (the Debian service's setting with a
/// certificate): the browser is sent to the login page, enters, finds only
/// `Secure` cookies, uploads the 2019 example and reads its figures.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_https_the_login_and_an_upload_work_in_the_browser() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (cert, key, _) = test_certificate(dir.path());
    let secret = "parola-nel-browser";
    let server = Server::start_env(
        &["--certificato", cert.to_str().expect("path"), "--chiave", key.to_str().expect("path")],
        &[("PIAO_PASSWORD", secret)],
    );
    let base = server.base.clone();
    assert!(base.starts_with("https://"), "{base}");
    let driver = Driver::start();
    // The test's own certificate is not signed by anyone chromium knows.
    let c = browser_with(&driver, &["--ignore-certificate-errors"]).await;

    c.goto(&format!("{base}/")).await.expect("home");
    let url = c.current_url().await.expect("url");
    assert!(url.as_str().starts_with("https://") && url.as_str().ends_with("/accesso"), "{url}");
    c.find(Locator::Id("password")).await.expect("password field").send_keys(secret).await.expect("type");
    c.find(Locator::Css("form.accesso button[type=submit]")).await.expect("button").click().await.expect("enter");
    c.wait().at_most(Duration::from_secs(30)).for_element(Locator::Id("file")).await.expect("the home page");
    let cookies = c.get_all_cookies().await.expect("cookies");
    let names: Vec<String> = cookies.iter().map(|k| k.name().to_string()).collect();
    assert!(names.iter().any(|n| n == "piao_sessione"), "{names:?}");
    for k in &cookies {
        assert_eq!(k.secure(), Some(true), "cookie {} sent in clear too", k.name());
    }

    upload(&c, &base, &example_2019()).await;
    let text = body_text(&c).await;
    assert!(text.contains("Economico-Finanziaria 94,4%"), "{text}");
    assert!(text.contains("Documenti pronti"), "{text}");
    screenshot(&c, "versione-https").await;
    c.close().await.expect("close the browser");
}
