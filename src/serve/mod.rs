//! `piao serve`: the planning office in the browser. A small HTTP server
//! (axum on tokio, kept to this module's edge) whose pages upload a
//! workbook, show its diagnostics and results, offer its documents and
//! compare it with the previous and the approved version. Builds run one at
//! a time on a blocking thread behind a bounded queue; typst's caches are
//! emptied after each, so memory stays flat over days of use.
//!
//! With a workbook on the command line (local mode) the file is watched as
//! `watch` does, each save becomes a new version and the open pages update
//! themselves through server-sent events.

/// Prints a line on standard output; a closed stream ends nothing.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// Prints a line on standard error; a closed stream ends nothing.
macro_rules! say_err {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

mod access;
pub mod pages;
pub mod pipeline;
mod routes;
mod security;
pub mod store;
pub mod tls;

use piao::diag::Diagnostic;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex};
use store::{Meta, Store};
use tokio::sync::{Semaphore, broadcast, watch};

/// The largest workbook accepted by an upload.
pub const UPLOAD_LIMIT: usize = 50 * 1024 * 1024;

/// Uploads that may wait for a build at once; more get «riprova tra poco».
pub const QUEUE_LIMIT: usize = 64;

/// How `serve` runs: address, data folder, password, watched file.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen.
    pub addr: SocketAddr,
    /// Where versions are kept.
    pub data: PathBuf,
    /// The password every page asks for (required off the loopback).
    pub password: Option<String>,
    /// The workbook watched in local mode.
    pub watch: Option<PathBuf>,
    /// Open the default browser once listening.
    pub open: bool,
    /// HTTPS: the certificate and key files (PEM), checked by [`tls::load`].
    pub tls: Option<Arc<rustls::ServerConfig>>,
}

/// A new version, told to the pages listening for events.
#[derive(Debug, Clone, serde::Serialize)]
pub struct VersionEvent {
    /// The version's id.
    pub id: String,
    /// Its plan's key.
    pub piano: String,
    /// «documenti pronti» or «da correggere».
    pub esito: String,
    /// True for a version of the watched file.
    pub locale: bool,
}

/// The server's shared state.
pub struct App {
    store: Store,
    env: minijinja::Environment<'static>,
    password: Option<String>,
    /// Sessions and failed logins (with a password).
    access: Mutex<access::Access>,
    builds: Arc<Semaphore>,
    waiting: AtomicUsize,
    events: broadcast::Sender<VersionEvent>,
    watched: Option<String>,
    /// Served over HTTPS: cookies are marked `Secure`.
    https: bool,
    shutdown: watch::Receiver<bool>,
    /// Comparisons with the approved version, by (approved id, version id):
    /// computed once, under the build permit, when a page first needs one.
    itinere: Mutex<std::collections::HashMap<(String, String), Option<pipeline::Comparison>>>,
}

impl App {
    /// The comparison of version `id` with the approved version `approved`
    /// (both stored); reads the two workbooks once, taking a build permit so
    /// that page views never add to the memory of the builds.
    fn itinere(&self, approved: &Meta, v: &Meta) -> Option<pipeline::Comparison> {
        let key = (approved.id.clone(), v.id.clone());
        if let Some(c) = self.itinere.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return c.clone();
        }
        let _permit = tokio::runtime::Handle::current().block_on(self.builds.acquire()).ok()?;
        let c = pipeline::compare(
            &Store::workbook_in(&self.store.dir(&approved.id), &approved.ext),
            &Store::workbook_in(&self.store.dir(&v.id), &v.ext),
        );
        self.itinere.lock().unwrap_or_else(|e| e.into_inner()).insert(key, c.clone());
        c
    }
}

/// 32 random bytes as hex: session and CSRF tokens.
pub fn token() -> String {
    let mut b = [0u8; 32];
    // The operating system's generator; it fails only on systems piao does
    // not run on. A zero token would still be refused by the session check.
    let _ = getrandom::fill(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Builds a staged version (its workbook already in the staging folder),
/// compares it with the previous and commits it. Runs on a blocking thread
/// with the build permit held.
fn build_version(app: &App, id: &str, name: &str, ext: &str, source: &str) -> Result<Meta, Diagnostic> {
    let staging = app.store.staging(id);
    let workbook = Store::workbook_in(&staging, ext);
    let built = pipeline::build(&workbook, name, &Store::documents_in(&staging));
    let history = app.store.list();
    let plan = store::plan_key(&built, name, &history);
    let mut meta = Meta {
        id: id.to_string(),
        name: name.to_string(),
        loaded: chrono::Local::now().format("%d/%m/%Y %H:%M:%S").to_string(),
        source: source.to_string(),
        ext: ext.to_string(),
        plan,
        built,
        previous: None,
        figure_changes: Vec::new(),
        comparison: None,
    };
    if meta.ok()
        && let Some(prev) = history.iter().rev().find(|m| m.plan == meta.plan && m.ok())
    {
        meta.previous = Some(prev.id.clone());
        meta.figure_changes = pipeline::figure_changes(&prev.built.figures, &meta.built.figures);
        let old = Store::workbook_in(&app.store.dir(&prev.id), &prev.ext);
        meta.comparison = pipeline::compare(&old, &workbook);
    }
    app.store.commit(&meta)?;
    let _ = app.events.send(VersionEvent {
        id: meta.id.clone(),
        piano: meta.plan.clone(),
        esito: if meta.ok() { "documenti pronti" } else { "da correggere" }.to_string(),
        locale: meta.source == "locale",
    });
    Ok(meta)
}

/// Starts the server and blocks until Ctrl+C (or SIGTERM); versions being
/// built are finished first.
pub fn run(config: Config) -> Result<(), Diagnostic> {
    let store = Store::open(&config.data)?;
    let watched = match &config.watch {
        Some(p) => Some(
            p.canonicalize()
                .map_err(|e| Diagnostic::error(format!("file non leggibile: {e}")).in_file(&p.display().to_string()))?,
        ),
        None => None,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Diagnostic::error(format!("impossibile avviare il server: {e}")))?;
    let (stop_tx, stop_rx) = watch::channel(false);
    let app = Arc::new(App {
        store,
        env: pages::environment(),
        password: config.password.clone().filter(|p| !p.is_empty()),
        access: Mutex::new(access::Access::default()),
        builds: Arc::new(Semaphore::new(1)),
        waiting: AtomicUsize::new(0),
        events: broadcast::channel(16).0,
        watched: watched.as_ref().and_then(|p| p.file_name()).map(|n| n.to_string_lossy().to_string()),
        https: config.tls.is_some(),
        shutdown: stop_rx,
        itinere: Mutex::new(std::collections::HashMap::new()),
    });
    let result = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(config.addr).await.map_err(|e| {
            let hint = if e.kind() == std::io::ErrorKind::AddrInUse {
                "la porta è già usata da un altro programma: indicarne un'altra con --porta"
            } else {
                "controllare --indirizzo e --porta"
            };
            Diagnostic::error(format!("impossibile ascoltare su {}: {e}", config.addr)).hint(hint)
        })?;
        let addr = listener.local_addr().map_err(|e| Diagnostic::error(e.to_string()))?;
        let url = format!("{}://{addr}/", if config.tls.is_some() { "https" } else { "http" });
        let listener = tls::Incoming::new(listener, config.tls.clone())
            .map_err(|e| Diagnostic::error(format!("impossibile ascoltare su {addr}: {e}")))?;
        say!("piao è pronto: {url} (Ctrl+C per terminare)");
        say!("versioni conservate in {}", config.data.display());
        if let Some(w) = &watched {
            let app = app.clone();
            let handle = tokio::runtime::Handle::current();
            let w = w.clone();
            std::thread::spawn(move || watch_file(app, handle, &w));
        }
        if config.open {
            let url = url.clone();
            std::thread::spawn(move || {
                if let Err(e) = opener::open(&url) {
                    say_err!("avviso: impossibile aprire il browser ({e}); aprire a mano {url}");
                }
            });
        }
        // The peer's address, for the pause after wrong passwords (axum
        // hands it over for any listener wrapped by `tap_io`).
        let listener = axum::serve::ListenerExt::tap_io(listener, |_| {});
        axum::serve(listener, routes::router(app.clone()).into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(async move {
                stop_signal().await;
                say!("chiusura: attendo la fine delle elaborazioni in corso");
                let _ = stop_tx.send(true);
            })
            .await
            .map_err(|e| Diagnostic::error(format!("errore del server: {e}")))
    });
    // Dropping the runtime waits for builds still running on blocking
    // threads: every version is either complete or was never committed.
    drop(runtime);
    result
}

/// Ctrl+C, or SIGTERM (systemd stopping the service).
async fn stop_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    {
        let term = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut s) => {
                    s.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    }
    #[cfg(not(unix))]
    ctrl_c.await;
}

/// Local mode: builds the watched workbook now (unless its last version has
/// the same bytes) and after every save that changes its content.
fn watch_file(app: Arc<App>, handle: tokio::runtime::Handle, workbook: &Path) {
    use notify_debouncer_mini::notify::RecursiveMode;
    use notify_debouncer_mini::{DebounceEventResult, new_debouncer};
    let name = workbook.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let ext = workbook.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    let mut last: Option<Vec<u8>> = app
        .store
        .list()
        .into_iter()
        .rev()
        .find(|m| m.source == "locale" && m.name == name)
        .and_then(|m| std::fs::read(Store::workbook_in(&app.store.dir(&m.id), &m.ext)).ok());
    let build_if_changed = |last: &mut Option<Vec<u8>>| {
        // An unreadable workbook is in the middle of a save: its end sends
        // another event.
        let Ok(bytes) = std::fs::read(workbook) else { return };
        if last.as_ref() == Some(&bytes) {
            return;
        }
        let id = app.store.fresh_id();
        let target = Store::workbook_in(&app.store.staging(&id), &ext);
        let written =
            target.parent().map(std::fs::create_dir_all).transpose().and_then(|_| std::fs::write(&target, &bytes));
        if let Err(e) = written {
            say_err!("errore: impossibile copiare {name}: {e}");
            return;
        }
        *last = Some(bytes);
        let Ok(_permit) = handle.block_on(app.builds.clone().acquire_owned()) else { return };
        match build_version(&app, &id, &name, &ext, "locale") {
            Ok(meta) => {
                say!("nuova versione di {name}: {}", if meta.ok() { "documenti pronti" } else { "da correggere" })
            }
            Err(d) => say_err!("errore: {}", d.message),
        }
    };
    build_if_changed(&mut last);
    let (tx, rx) = std::sync::mpsc::channel::<DebounceEventResult>();
    let Ok(mut debouncer) = new_debouncer(std::time::Duration::from_millis(300), tx) else {
        say_err!("errore: impossibile sorvegliare {name}");
        return;
    };
    let dir = workbook.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
    if let Err(e) = debouncer.watcher().watch(&dir, RecursiveMode::NonRecursive) {
        say_err!("errore: impossibile sorvegliare la cartella {}: {e}", dir.display());
        return;
    }
    for events in rx {
        let Ok(events) = events else { continue };
        if events.iter().any(|e| e.path.file_name() == workbook.file_name()) {
            build_if_changed(&mut last);
        }
    }
}
