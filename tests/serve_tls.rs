//! `piao serve` over HTTPS with the office's own certificate: the pages,
//! the login and an upload work as over HTTP, every cookie is marked
//! `Secure`, a plain-HTTP request gets no page, clients that never finish
//! their handshake hold up nobody, and bad certificate files are named in
//! an Italian message before the server starts.

mod common;
mod serve_common;

use serve_common::*;
use std::io::{Read, Write};
use std::time::{Duration, Instant};

fn set_cookies(page: &Page) -> Vec<&str> {
    page.headers.iter().filter(|(k, _)| k == "set-cookie").map(|(_, v)| v.as_str()).collect()
}

const SECRET: &str = "parola-di-prova-https";

#[test]
fn over_https_login_and_upload_work_and_every_cookie_is_secure() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (cert, key, pem) = test_certificate(dir.path());
    let server = Server::start_env(
        &["--certificato", cert.to_str().expect("path"), "--chiave", key.to_str().expect("path")],
        &[("PIAO_PASSWORD", SECRET)],
    );
    assert!(server.base.starts_with("https://127.0.0.1:"), "announced as HTTPS: {}", server.base);

    let mut b = Browser::trusting(&server, &pem, false);
    let home = b.get("/");
    assert_eq!(home.status, 303);
    assert_eq!(home.header("location"), Some("/accesso"));
    let login = b.get("/accesso");
    assert_eq!(login.status, 200);
    assert!(login.text().contains("Parola d'accesso"), "{}", login.text());
    let token = b.csrf();
    let right = b.post_form("/accesso", &[("csrf", &token), ("password", SECRET)]);
    assert_eq!(right.status, 303, "{}", right.text());
    let cookies: Vec<&str> = set_cookies(&home).into_iter().chain(set_cookies(&right)).collect();
    assert!(cookies.iter().any(|c| c.starts_with("piao_csrf=")), "{cookies:?}");
    assert!(cookies.iter().any(|c| c.starts_with("piao_sessione=")), "{cookies:?}");
    for c in &cookies {
        assert!(c.ends_with("; Secure") && c.contains("HttpOnly"), "a cookie sent in clear: {c}");
    }
    assert_eq!(b.get("/").status, 200, "the session opened over HTTPS");

    // An upload over HTTPS becomes a version with its figures.
    let mut b = Browser::trusting(&server, &pem, true);
    let token = b.csrf();
    assert_eq!(b.post_form("/accesso", &[("csrf", &token), ("password", SECRET)]).status, 200);
    let plan = dir.path().join("piano.xlsx");
    plan_of(&plan, "Camera in HTTPS", "97%");
    let page = b.upload("piano.xlsx", &std::fs::read(&plan).expect("read"));
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(page.text().contains("Camera in HTTPS – 2025"), "{}", page.text());
    assert_eq!(server.versions().len(), 1);
}

#[test]
fn plain_http_gets_no_page_and_silent_clients_hold_up_nobody() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (cert, key, pem) = test_certificate(dir.path());
    let server =
        Server::start(&["--certificato", cert.to_str().expect("path"), "--chiave", key.to_str().expect("path")]);
    let addr = server.base.trim_start_matches("https://").to_string();

    // A request in clear: no HTTP answer comes back (a TLS alert, or the
    // connection closed), so nothing readable travels without encryption.
    let mut tcp = std::net::TcpStream::connect(&addr).expect("connect");
    tcp.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
    tcp.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").expect("write");
    let mut answer = Vec::new();
    let _ = tcp.read_to_end(&mut answer);
    assert!(!answer.starts_with(b"HTTP/"), "an HTTP answer in clear: {:?}", String::from_utf8_lossy(&answer));

    // Fifty clients that connect and never start their handshake: a page
    // over HTTPS is still served long before they are dropped (10 s).
    let silent: Vec<std::net::TcpStream> =
        (0..50).map(|_| std::net::TcpStream::connect(&addr).expect("connect")).collect();
    let start = Instant::now();
    let page = Browser::trusting(&server, &pem, true).get("/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("piao"), "{}", page.text());
    assert!(start.elapsed() < Duration::from_secs(8), "the page waited for the silent clients: {:?}", start.elapsed());
    drop(silent);
}

#[test]
fn a_key_that_is_not_the_certificates_stops_the_start_with_an_italian_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (cert, _, _) = test_certificate(dir.path());
    let other = tempfile::tempdir().expect("temp dir");
    let (_, other_key, _) = test_certificate(other.path());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_piao"))
        .args(["serve", "--porta", "0", "--dati"])
        .arg(dir.path().join("dati"))
        .arg("--certificato")
        .arg(&cert)
        .arg("--chiave")
        .arg(&other_key)
        .output()
        .expect("piao runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&other_key.display().to_string()), "names the key file: {err}");
    assert!(err.contains("la chiave privata non si può usare con il certificato"), "{err}");
    assert!(out.stdout.is_empty(), "nothing announced: {}", String::from_utf8_lossy(&out.stdout));

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_piao"))
        .args(["serve", "--porta", "0", "--dati"])
        .arg(dir.path().join("dati"))
        .arg("--certificato")
        .arg(&cert)
        .output()
        .expect("piao runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--chiave"), "{}", String::from_utf8_lossy(&out.stderr));
}
