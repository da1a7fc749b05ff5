//! Helpers for the `piao serve` tests: start the real binary on a free port
//! with its own data folder, talk to it over HTTP (ureq), keep its cookies.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A running `piao serve`.
pub struct Server {
    /// The process.
    pub child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// Its data folder.
    pub data: PathBuf,
    /// Lines printed after the start.
    pub lines: mpsc::Receiver<String>,
    _dir: Option<tempfile::TempDir>,
}

impl Server {
    /// Starts `piao serve --porta 0 --dati <temp>` with more arguments.
    pub fn start(extra: &[&str]) -> Server {
        Self::start_env(extra, &[])
    }

    /// [`Server::start`] with environment variables.
    pub fn start_env(extra: &[&str], env: &[(&str, &str)]) -> Server {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join("dati");
        let mut s = Self::start_in(&data, extra, env);
        s._dir = Some(dir);
        s
    }

    /// Starts the server on an existing data folder.
    pub fn start_in(data: &Path, extra: &[&str], env: &[(&str, &str)]) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_piao"));
        cmd.args(["serve", "--porta", "0", "--dati", data.to_str().expect("path")]).args(extra);
        cmd.env_remove("PIAO_PASSWORD");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn().expect("piao serve starts");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let line = rx.recv_timeout(Duration::from_secs(60)).expect("piao serve announces its address");
        let base = line
            .split_whitespace()
            .find(|w| w.starts_with("http://") || w.starts_with("https://"))
            .unwrap_or_else(|| panic!("no address in «{line}»"))
            .trim_end_matches('/')
            .to_string();
        Server { child, base, data: data.to_path_buf(), lines: rx, _dir: None }
    }

    /// The folders of the committed versions.
    pub fn versions(&self) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(self.data.join("versioni"))
            .map(|d| d.flatten().map(|e| e.path()).filter(|p| !hidden(p)).collect())
            .unwrap_or_default();
        v.sort();
        v
    }

    /// Sends SIGINT (Ctrl+C) and waits for the exit status.
    pub fn interrupt(&mut self) -> std::process::ExitStatus {
        // SAFETY: kill only sends a signal to the child this test started.
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGINT);
        }
        for _ in 0..600 {
            if let Some(s) = self.child.try_wait().expect("wait") {
                return s;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("piao serve did not stop within a minute of Ctrl+C");
    }

    /// The server's resident memory in KiB (`VmRSS` from /proc).
    pub fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).expect("/proc status");
        status
            .lines()
            .find(|l| l.starts_with("VmRSS:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse().ok())
            .expect("VmRSS")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn hidden(p: &Path) -> bool {
    p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'))
}

/// A browser-like HTTP client: keeps cookies, never treats a status as an
/// error, follows redirects unless told not to.
pub struct Browser {
    agent: ureq::Agent,
    base: String,
    /// Cookies by name.
    pub cookies: Vec<(String, String)>,
    follow: bool,
}

/// One response, read whole.
pub struct Page {
    /// HTTP status.
    pub status: u16,
    /// Headers (lowercase names).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Page {
    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).to_string()
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

impl Browser {
    /// A client for `server`, following redirects.
    pub fn new(server: &Server) -> Browser {
        Self::with_redirects(server, true)
    }

    /// A client that follows redirects (as a browser does, with its
    /// cookies) or not.
    pub fn with_redirects(server: &Server, follow: bool) -> Browser {
        Self::with_config(server, follow, ureq::tls::TlsConfig::default())
    }

    /// A client of a server over HTTPS that trusts only `root_pem` (the
    /// test's own certificate), following redirects or not.
    pub fn trusting(server: &Server, root_pem: &str, follow: bool) -> Browser {
        let root = ureq::tls::Certificate::from_pem(root_pem.as_bytes()).expect("PEM certificate");
        let tls = ureq::tls::TlsConfig::builder().root_certs(ureq::tls::RootCerts::new_with_certs(&[root])).build();
        Self::with_config(server, follow, tls)
    }

    fn with_config(server: &Server, follow: bool, tls: ureq::tls::TlsConfig) -> Browser {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(Duration::from_secs(300)))
            .tls_config(tls)
            .build()
            .into();
        Browser { agent, base: server.base.clone(), cookies: Vec::new(), follow }
    }

    /// Follows a redirect with a GET, keeping cookies.
    fn settle(&mut self, page: Page) -> Page {
        let mut page = page;
        let mut hops = 0;
        while self.follow && (300..400).contains(&page.status) && hops < 10 {
            let to = page.header("location").expect("a redirect has a location").to_string();
            page = self.get(&to);
            hops += 1;
        }
        page
    }

    fn cookie_header(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    fn keep(&mut self, res: ureq::http::Response<ureq::Body>) -> Page {
        for v in res.headers().get_all("set-cookie") {
            let v = v.to_str().unwrap_or("");
            if let Some((k, rest)) = v.split_once('=') {
                let value = rest.split(';').next().unwrap_or("").to_string();
                self.cookies.retain(|(n, _)| n != k);
                if !value.is_empty() {
                    self.cookies.push((k.to_string(), value));
                }
            }
        }
        let status = res.status().as_u16();
        let headers = res
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_lowercase(), v.to_str().unwrap_or("").to_string()))
            .collect();
        let body = res.into_body().with_config().limit(200 * 1024 * 1024).read_to_vec().expect("body");
        Page { status, headers, body }
    }

    /// GET a path.
    pub fn get(&mut self, path: &str) -> Page {
        let res = self
            .agent
            .get(format!("{}{path}", self.base))
            .header("Cookie", self.cookie_header())
            .call()
            .expect("GET answers");
        let page = self.keep(res);
        self.settle(page)
    }

    /// POST a form (`application/x-www-form-urlencoded`).
    pub fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let res = self
            .agent
            .post(format!("{}{path}", self.base))
            .header("Cookie", self.cookie_header())
            .send_form(fields.iter().copied())
            .expect("POST answers");
        let page = self.keep(res);
        self.settle(page)
    }

    /// The CSRF token the pages put in their forms (from the cookie; a GET
    /// of the home page first, if none yet).
    pub fn csrf(&mut self) -> String {
        if !self.cookies.iter().any(|(k, _)| k == "piao_csrf") {
            self.get("/");
        }
        self.cookies.iter().find(|(k, _)| k == "piao_csrf").map(|(_, v)| v.clone()).expect("CSRF cookie")
    }

    /// Uploads `bytes` as file `name` with the page's CSRF token.
    pub fn upload(&mut self, name: &str, bytes: &[u8]) -> Page {
        let token = self.csrf();
        self.upload_with(Some(&token), name, bytes)
    }

    /// Uploads with a given token (or none).
    pub fn upload_with(&mut self, token: Option<&str>, name: &str, bytes: &[u8]) -> Page {
        use ureq::unversioned::multipart::{Form, Part};
        let mut form = Form::new();
        if let Some(t) = token {
            form = form.text("csrf", t);
        }
        let form =
            form.part("file", Part::bytes(bytes).file_name(name).mime_str("application/octet-stream").expect("mime"));
        let res = self
            .agent
            .post(format!("{}/carica", self.base))
            .header("Cookie", self.cookie_header())
            .send(form)
            .expect("upload answers");
        let page = self.keep(res);
        self.settle(page)
    }
}

/// The id of the version a page shows (from `data-id`).
pub fn version_id(page: &str) -> String {
    let at = page.find("data-id=\"").expect("a version page") + 9;
    page[at..].split('"').next().expect("id").to_string()
}

/// A self-signed certificate for 127.0.0.1 and localhost, written into
/// `dir`: (certificate file, key file, certificate PEM).
pub fn test_certificate(dir: &Path) -> (PathBuf, PathBuf, String) {
    let c = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string(), "localhost".to_string()])
        .expect("test certificate");
    let (cert, key) = (dir.join("piao.crt"), dir.join("piao.key"));
    std::fs::write(&cert, c.cert.pem()).expect("write certificate");
    std::fs::write(&key, c.signing_key.serialize_pem()).expect("write key");
    (cert, key, c.cert.pem())
}

/// The 2019 example workbook.
pub fn example_2019() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("inputs/arezzo-siena-relazione-2019.xlsx")
}

/// A small valid plan of entity `ente` whose first indicator's actual is
/// `actual` (target ≥ 95%).
pub fn plan_of(path: &Path, ente: &str, actual: &str) {
    crate::common::small_plan_of(path, ente, "≥ 95%", actual);
}
