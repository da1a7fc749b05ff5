//! The routes and their handlers. Handlers only read and render; the work of
//! a build happens on a blocking thread, one at a time.

use super::security::{self, Csrf, SESSION_COOKIE};
use super::store::{EXTENSIONS, Meta, Store};
use super::{App, QUEUE_LIMIT, UPLOAD_LIMIT, access, pages, pipeline};
use axum::Router;
use axum::body::Body;
use axum::extract::rejection::FormRejection;
use axum::extract::{
    ConnectInfo, DefaultBodyLimit, Extension, Form, FromRequest, Multipart, Path, Query, Request, State,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minijinja::{Value, context};
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use tokio::io::AsyncWriteExt;

/// Every route, with the security layers.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(home))
        // The upload counts its own bytes (see `upload`): a body over the
        // limit is read to the end and thrown away, so the browser gets the
        // Italian page instead of a broken connection.
        .route("/carica", post(upload).layer(DefaultBodyLimit::disable()))
        .route("/versione/{id}", get(version))
        .route("/versione/{id}/file/{name}", get(document))
        .route("/versione/{id}/documenti.zip", get(zip_all))
        .route("/versione/{id}/diagnostiche.xlsx", get(diagnostics_xlsx))
        .route("/versione/{id}/cartella", get(workbook))
        .route("/versione/{id}/approva", post(approve))
        .route("/eventi", get(events))
        .route("/modello.xlsx", get(blank))
        .route("/esempio.xlsx", get(example))
        .route("/accesso", get(login_page).post(login))
        .route("/esci", post(logout))
        .route("/static/{name}", get(static_file))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(app.clone(), security::auth))
        .layer(middleware::from_fn_with_state(app.clone(), security::headers))
        .with_state(app)
}

/// Any serializable value for a template.
fn ser<T: serde::Serialize>(value: &T) -> Value {
    Value::from(minijinja::value::Serde(value))
}

/// Renders a template with the values every page needs.
fn render(app: &App, name: &str, csrf: &Csrf, status: StatusCode, ctx: Value) -> Response {
    let base = context! {
        csrf => csrf.0.clone(),
        uscita => app.password.is_some() && name != "accesso.html",
        eventi => app.watched.is_some(),
        locale => app.watched.clone(),
        versione_programma => env!("CARGO_PKG_VERSION"),
        limite_mb => UPLOAD_LIMIT / (1024 * 1024),
    };
    let html = app.env.get_template(name).and_then(|t| t.render(context! { ..ctx, ..base }));
    match html {
        Ok(h) => (status, Html(h)).into_response(),
        Err(e) => {
            (StatusCode::INTERNAL_SERVER_ERROR, format!("errore interno nella pagina {name}: {e}")).into_response()
        }
    }
}

/// An error page in Italian.
fn error_page(app: &App, csrf: &Csrf, status: StatusCode, title: &str, message: &str, hint: &str) -> Response {
    render(app, "errore.html", csrf, status, context! { titolo => title, messaggio => message, suggerimento => hint })
}

async fn not_found(State(app): State<Arc<App>>, Extension(csrf): Extension<Csrf>) -> Response {
    error_page(
        &app,
        &csrf,
        StatusCode::NOT_FOUND,
        "Pagina non trovata",
        "L'indirizzo non corrisponde a nessuna pagina né a nessuna versione.",
        "",
    )
}

/// The plans on the home page: the last version of each, newest first.
#[derive(serde::Serialize)]
struct PlanRow {
    titolo: String,
    versioni: usize,
    ultima: Meta,
    ultima_ok: bool,
    approvata: Option<Meta>,
}

async fn home(State(app): State<Arc<App>>, Extension(csrf): Extension<Csrf>) -> Response {
    let a = app.clone();
    let (rows, local_last) = tokio::task::spawn_blocking(move || {
        let all = a.store.list();
        let approvals = a.store.approvals();
        let mut plans: Vec<String> = Vec::new();
        for m in all.iter().rev() {
            if !plans.contains(&m.plan) {
                plans.push(m.plan.clone());
            }
        }
        let rows: Vec<PlanRow> = plans
            .iter()
            .filter_map(|p| {
                let versions: Vec<&Meta> = all.iter().filter(|m| &m.plan == p).collect();
                let last = (*versions.last()?).clone();
                let titolo = versions
                    .iter()
                    .rev()
                    .find(|m| m.built.entity.is_some())
                    .map_or_else(|| last.title(), |m| m.title());
                Some(PlanRow {
                    titolo,
                    versioni: versions.len(),
                    ultima_ok: last.ok(),
                    ultima: last,
                    approvata: approvals
                        .get(p)
                        .and_then(|id| versions.iter().find(|m| &m.id == id))
                        .map(|m| (*m).clone()),
                })
            })
            .collect();
        let local_last = a
            .watched
            .as_ref()
            .and_then(|w| all.iter().rev().find(|m| m.source == "locale" && &m.name == w).map(|m| m.id.clone()));
        (rows, local_last)
    })
    .await
    .unwrap_or_default();
    render(&app, "home.html", &csrf, StatusCode::OK, context! { piani => ser(&rows), locale_ultima => local_last })
}

/// One document in the version page's list.
#[derive(serde::Serialize)]
struct DocRow {
    name: String,
    label: &'static str,
    pdf: bool,
}

fn doc_label(name: &str) -> &'static str {
    let n = name.to_lowercase();
    if n.contains("relazione") {
        "Relazione sulla Performance – tabelle (PDF)"
    } else if n.contains("schede") {
        "Allegato al PIAO – schede degli obiettivi (PDF)"
    } else if n.contains("allegato") {
        "Allegato al PIAO – cruscotto e obiettivi (PDF)"
    } else if n.ends_with(".xlsx") {
        "Cruscotto per la Giunta (Excel)"
    } else if n.ends_with(".json") {
        "Tutti i risultati in formato JSON"
    } else {
        "documento"
    }
}

/// A version in the list of the plan's versions.
#[derive(serde::Serialize)]
struct VersionRow {
    id: String,
    loaded: String,
    name: String,
    ok: bool,
    approvata: bool,
}

async fn version(State(app): State<Arc<App>>, Extension(csrf): Extension<Csrf>, Path(id): Path<String>) -> Response {
    let a = app.clone();
    let page = tokio::task::spawn_blocking(move || {
        let v = a.store.get(&id)?;
        let all = a.store.list();
        let approvals = a.store.approvals();
        let approved = approvals.get(&v.plan).and_then(|aid| all.iter().find(|m| &m.id == aid)).cloned();
        let itinere = approved.as_ref().filter(|ap| v.ok() && ap.id < v.id).and_then(|ap| a.itinere(ap, &v));
        let precedente = v.previous.as_ref().and_then(|p| all.iter().find(|m| &m.id == p)).cloned();
        let versioni: Vec<VersionRow> = all
            .iter()
            .filter(|m| m.plan == v.plan)
            .map(|m| VersionRow {
                id: m.id.clone(),
                loaded: m.loaded.clone(),
                name: m.name.clone(),
                ok: m.ok(),
                approvata: approved.as_ref().is_some_and(|ap| ap.id == m.id),
            })
            .collect();
        let count = |k: &str| v.built.diagnostics.iter().filter(|d| d.key == k).count();
        let documenti: Vec<DocRow> = v
            .built
            .documents
            .iter()
            .map(|n| DocRow { name: n.clone(), label: doc_label(n), pdf: n.to_lowercase().ends_with(".pdf") })
            .collect();
        // A version that could not be read takes the name of its plan.
        let titolo = all
            .iter()
            .rev()
            .find(|m| m.plan == v.plan && m.built.entity.is_some())
            .map_or_else(|| v.title(), |m| m.title());
        Some(context! {
            titolo => titolo,
            ok => v.ok(),
            errori => count("error"),
            avvisi => count("warning"),
            note => count("info"),
            indice => ser(&v.built.index),
            ambiti => ser(&v.built.areas),
            grafico => pages::bar_chart(&v.built.areas),
            documenti => ser(&documenti),
            precedente => ser(&precedente),
            approvata_questa => approved.as_ref().is_some_and(|ap| ap.id == v.id),
            approvata => ser(&approved),
            itinere => ser(&itinere),
            versioni => ser(&versioni),
            v => ser(&v),
        })
    })
    .await
    .ok()
    .flatten();
    match page {
        Some(ctx) => render(&app, "versione.html", &csrf, StatusCode::OK, ctx),
        None => not_found(State(app), Extension(csrf)).await,
    }
}

/// `Content-Disposition` with an ASCII fallback and the UTF-8 name.
fn disposition(kind: &str, name: &str) -> HeaderValue {
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_".contains(c) { c } else { '_' }).collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b".-_".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }
        })
        .collect();
    HeaderValue::from_str(&format!("{kind}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().map(str::to_lowercase).as_deref() {
        Some("pdf") => "application/pdf",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Some("xlsm") => "application/vnd.ms-excel.sheet.macroEnabled.12",
        Some("xls") => "application/vnd.ms-excel",
        Some("ods") => "application/vnd.oasis.opendocument.spreadsheet",
        Some("json") => "application/json",
        Some("zip") => "application/zip",
        _ => "application/octet-stream",
    }
}

fn file_response(name: &str, bytes: Vec<u8>, inline: bool) -> Response {
    let mut res = Response::new(Body::from(bytes));
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(name)));
    h.insert(header::CONTENT_DISPOSITION, disposition(if inline { "inline" } else { "attachment" }, name));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=3600"));
    res
}

#[derive(serde::Deserialize)]
struct DownloadQuery {
    scarica: Option<String>,
}

async fn document(
    State(app): State<Arc<App>>,
    Extension(csrf): Extension<Csrf>,
    Path((id, name)): Path<(String, String)>,
    Query(q): Query<DownloadQuery>,
) -> Response {
    let a = app.clone();
    let n = name.clone();
    // Only names the build itself wrote are served.
    let bytes = tokio::task::spawn_blocking(move || {
        let v = a.store.get(&id)?;
        v.built.documents.iter().find(|d| **d == n)?;
        std::fs::read(Store::documents_in(&a.store.dir(&id)).join(&n)).ok()
    })
    .await
    .ok()
    .flatten();
    match bytes {
        Some(b) => file_response(&name, b, q.scarica.is_none() && name.to_lowercase().ends_with(".pdf")),
        None => not_found(State(app), Extension(csrf)).await,
    }
}

async fn zip_all(State(app): State<Arc<App>>, Extension(csrf): Extension<Csrf>, Path(id): Path<String>) -> Response {
    let a = app.clone();
    let made = tokio::task::spawn_blocking(move || {
        use std::io::Write;
        let v = a.store.get(&id).filter(Meta::ok)?;
        let dir = Store::documents_in(&a.store.dir(&id));
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for d in &v.built.documents {
            let bytes = std::fs::read(dir.join(d)).ok()?;
            zip.start_file(d.as_str(), options).ok()?;
            zip.write_all(&bytes).ok()?;
        }
        let name = match v.built.year {
            Some(y) => format!("documenti_{y}.zip"),
            None => "documenti.zip".to_string(),
        };
        Some((name, zip.finish().ok()?.into_inner()))
    })
    .await
    .ok()
    .flatten();
    match made {
        Some((name, bytes)) => file_response(&name, bytes, false),
        None => not_found(State(app), Extension(csrf)).await,
    }
}

fn diagnostics_workbook(v: &Meta) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Controlli")?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (c, h) in ["Gravità", "Foglio", "Cella", "Messaggio", "Come correggere"].iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (r, d) in v.built.diagnostics.iter().enumerate() {
        let row = r as u32 + 1;
        let (sheet, cell) = d.place.split_once('!').unwrap_or((d.place.as_str(), ""));
        ws.write_string(row, 0, &d.severity)?;
        ws.write_string(row, 1, sheet)?;
        ws.write_string(row, 2, cell)?;
        ws.write_string(row, 3, &d.message)?;
        ws.write_string(row, 4, &d.hint)?;
    }
    ws.set_column_width(0, 10)?;
    ws.set_column_width(1, 16)?;
    ws.set_column_width(3, 80)?;
    ws.set_column_width(4, 60)?;
    ws.set_freeze_panes(1, 0)?;
    wb.save_to_buffer()
}

async fn diagnostics_xlsx(
    State(app): State<Arc<App>>,
    Extension(csrf): Extension<Csrf>,
    Path(id): Path<String>,
) -> Response {
    let a = app.clone();
    let made = tokio::task::spawn_blocking(move || a.store.get(&id).and_then(|v| diagnostics_workbook(&v).ok()))
        .await
        .ok()
        .flatten();
    match made {
        Some(bytes) => file_response("controlli.xlsx", bytes, false),
        None => not_found(State(app), Extension(csrf)).await,
    }
}

async fn workbook(State(app): State<Arc<App>>, Extension(csrf): Extension<Csrf>, Path(id): Path<String>) -> Response {
    let a = app.clone();
    let found = tokio::task::spawn_blocking(move || {
        let v = a.store.get(&id)?;
        let bytes = std::fs::read(Store::workbook_in(&a.store.dir(&id), &v.ext)).ok()?;
        Some((v.name, bytes))
    })
    .await
    .ok()
    .flatten();
    match found {
        Some((name, bytes)) => file_response(&name, bytes, false),
        None => not_found(State(app), Extension(csrf)).await,
    }
}

#[derive(serde::Deserialize)]
struct CsrfForm {
    csrf: String,
}

fn csrf_refused(app: &App, csrf: &Csrf) -> Response {
    error_page(
        app,
        csrf,
        StatusCode::FORBIDDEN,
        "Richiesta rifiutata",
        "Il modulo non viene da questa pagina o è scaduto (controllo di sicurezza CSRF).",
        "Tornare alla pagina iniziale, ricaricarla e ripetere l'operazione.",
    )
}

async fn approve(
    State(app): State<Arc<App>>,
    Extension(csrf): Extension<Csrf>,
    Path(id): Path<String>,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Response {
    if !form.is_ok_and(|f| security::csrf_ok(&csrf, &f.csrf)) {
        return csrf_refused(&app, &csrf);
    }
    let a = app.clone();
    let i = id.clone();
    let done = tokio::task::spawn_blocking(move || a.store.get(&i).filter(Meta::ok).map(|v| a.store.approve(&v)))
        .await
        .ok()
        .flatten();
    match done {
        Some(Ok(())) => Redirect::to(&format!("/versione/{id}")).into_response(),
        Some(Err(d)) => {
            error_page(&app, &csrf, StatusCode::INTERNAL_SERVER_ERROR, "Approvazione non registrata", &d.message, "")
        }
        None => not_found(State(app), Extension(csrf)).await,
    }
}

/// Removes the staging folder of an upload that did not complete (only the
/// hidden folder this request created).
async fn discard(app: &App, id: &str) {
    let _ = tokio::fs::remove_dir_all(app.store.staging(id)).await;
}

fn too_large(app: &App, csrf: &Csrf) -> Response {
    error_page(
        app,
        csrf,
        StatusCode::PAYLOAD_TOO_LARGE,
        "File troppo grande",
        &format!("Il file supera il limite di {} MB e non è stato caricato.", UPLOAD_LIMIT / (1024 * 1024)),
        "Una cartella di lavoro del piano pesa di solito meno di 1 MB: controllare di aver scelto il file giusto, \
         o togliere immagini e fogli che non servono.",
    )
}

/// Keeps the uploaded name as data only: control characters dropped,
/// length bounded.
fn clean_name(name: &str) -> String {
    let n: String = name.chars().filter(|c| !c.is_control()).take(200).collect();
    let n = n.rsplit(['/', '\\']).next().unwrap_or("").trim().to_string();
    if n.is_empty() { "cartella.xlsx".to_string() } else { n }
}

async fn upload(State(app): State<Arc<App>>, Extension(csrf): Extension<Csrf>, req: Request) -> Response {
    let declared =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > UPLOAD_LIMIT + 1024 * 1024) {
        security::drain(req.into_body()).await;
        return too_large(&app, &csrf);
    }
    let multipart = Multipart::from_request(req, &()).await;
    let bad_request = |msg: &str| {
        error_page(
            &app,
            &csrf,
            StatusCode::BAD_REQUEST,
            "Caricamento non riuscito",
            msg,
            "Scegliere il file dalla pagina iniziale e premere «Carica e genera i documenti».",
        )
    };
    let Ok(mut multipart) = multipart else { return bad_request("La richiesta non contiene un file.") };
    // The form puts the token before the file: nothing is stored for a
    // request that does not carry it.
    match multipart.next_field().await {
        Ok(Some(f)) if f.name() == Some("csrf") => match f.text().await {
            Ok(t) if security::csrf_ok(&csrf, &t) => {}
            _ => return csrf_refused(&app, &csrf),
        },
        _ => return csrf_refused(&app, &csrf),
    }
    let mut field = match multipart.next_field().await {
        Ok(Some(f)) if f.name() == Some("file") => f,
        _ => return bad_request("La richiesta non contiene un file."),
    };
    let name = clean_name(field.file_name().unwrap_or(""));
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_lowercase()).unwrap_or_default();
    if !EXTENSIONS.contains(&ext.as_str()) {
        return error_page(
            &app,
            &csrf,
            StatusCode::BAD_REQUEST,
            "Non è una cartella di lavoro",
            &format!("Il file «{name}» non è una cartella di lavoro di Excel o LibreOffice e non è stato caricato."),
            "Caricare il file .xlsx (oppure .xlsm, .xls, .ods) del piano; il modello vuoto si scarica dalla pagina iniziale.",
        );
    }
    if app.waiting.load(Ordering::SeqCst) >= QUEUE_LIMIT {
        return error_page(
            &app,
            &csrf,
            StatusCode::SERVICE_UNAVAILABLE,
            "Troppi caricamenti in corso",
            "Il server sta elaborando molte cartelle di lavoro: il file non è stato caricato.",
            "Riprovare tra qualche minuto.",
        );
    }
    let id = app.store.fresh_id();
    let target = Store::workbook_in(&app.store.staging(&id), &ext);
    let opened = match target.parent() {
        Some(p) => match tokio::fs::create_dir_all(p).await {
            Ok(()) => tokio::fs::File::create_new(&target).await,
            Err(e) => Err(e),
        },
        None => Err(std::io::Error::other("percorso")),
    };
    let mut file = match opened {
        Ok(f) => f,
        Err(e) => {
            return error_page(
                &app,
                &csrf,
                StatusCode::INTERNAL_SERVER_ERROR,
                "Caricamento non riuscito",
                &format!("Impossibile salvare il file: {e}"),
                "Controllare lo spazio libero nella cartella dei dati.",
            );
        }
    };
    let mut size = 0usize;
    loop {
        match field.chunk().await {
            Ok(Some(chunk)) => {
                size += chunk.len();
                if size > UPLOAD_LIMIT {
                    // Over the limit: the rest is read and dropped.
                    drop(file);
                    discard(&app, &id).await;
                    while let Ok(Some(c)) = field.chunk().await {
                        size += c.len();
                        if size > security::DRAIN_LIMIT {
                            break;
                        }
                    }
                    return too_large(&app, &csrf);
                }
                if let Err(e) = file.write_all(&chunk).await {
                    drop(file);
                    discard(&app, &id).await;
                    return bad_request(&format!("Impossibile salvare il file: {e}"));
                }
            }
            Ok(None) => break,
            Err(_) => {
                drop(file);
                discard(&app, &id).await;
                return bad_request("Il caricamento si è interrotto prima della fine del file.");
            }
        }
    }
    if file.sync_all().await.is_err() {
        discard(&app, &id).await;
        return bad_request("Impossibile salvare il file.");
    }
    drop(file);
    // The bounded queue: one build at a time, the others wait here.
    app.waiting.fetch_add(1, Ordering::SeqCst);
    let permit = app.builds.clone().acquire_owned().await;
    app.waiting.fetch_sub(1, Ordering::SeqCst);
    let Ok(permit) = permit else { return bad_request("Il server si sta chiudendo.") };
    let a = app.clone();
    let i = id.clone();
    // The build goes on even if the browser goes away: the version is then
    // complete when the user comes back.
    let result = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        super::build_version(&a, &i, &name, &ext, "caricamento")
    })
    .await;
    match result {
        Ok(Ok(_)) => Redirect::to(&format!("/versione/{id}")).into_response(),
        Ok(Err(d)) => {
            error_page(&app, &csrf, StatusCode::INTERNAL_SERVER_ERROR, "Versione non registrata", &d.message, "")
        }
        Err(_) => error_page(
            &app,
            &csrf,
            StatusCode::INTERNAL_SERVER_ERROR,
            "Elaborazione interrotta",
            "L'elaborazione della cartella di lavoro si è interrotta per un errore interno; le altre versioni non sono toccate.",
            "",
        ),
    }
}

async fn events(State(app): State<Arc<App>>) -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>> {
    let rx = app.events.subscribe();
    let stop = app.shutdown.clone();
    let stream = futures_util::stream::unfold((rx, stop), |(mut rx, mut stop)| async move {
        if *stop.borrow() {
            return None;
        }
        loop {
            tokio::select! {
                r = rx.recv() => match r {
                    Ok(ev) => {
                        let data = serde_json::to_string(&ev).unwrap_or_default();
                        return Some((Ok(Event::default().event("versione").data(data)), (rx, stop)));
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(_) => return None,
                },
                _ = stop.changed() => return None,
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

fn next_year() -> i32 {
    use chrono::Datelike;
    chrono::Local::now().year() + 1
}

async fn blank(State(app): State<Arc<App>>, Extension(csrf): Extension<Csrf>) -> Response {
    template_download(app, csrf, false).await
}

async fn example(State(app): State<Arc<App>>, Extension(csrf): Extension<Csrf>) -> Response {
    template_download(app, csrf, true).await
}

async fn template_download(app: Arc<App>, csrf: Csrf, example: bool) -> Response {
    let year = next_year();
    match tokio::task::spawn_blocking(move || pipeline::template(year, example)).await {
        Ok(Ok(bytes)) => {
            let name = if example { format!("esempio_{year}.xlsx") } else { format!("modello_{year}.xlsx") };
            file_response(&name, bytes, false)
        }
        _ => {
            error_page(&app, &csrf, StatusCode::INTERNAL_SERVER_ERROR, "Modello non disponibile", "Errore interno.", "")
        }
    }
}

async fn login_page(State(app): State<Arc<App>>, Extension(csrf): Extension<Csrf>) -> Response {
    if app.password.is_none() {
        return Redirect::to("/").into_response();
    }
    render(&app, "accesso.html", &csrf, StatusCode::OK, context! {})
}

#[derive(serde::Deserialize)]
struct LoginForm {
    csrf: String,
    password: String,
}

async fn login(
    State(app): State<Arc<App>>,
    Extension(csrf): Extension<Csrf>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Response {
    let Some(secret) = app.password.clone() else { return Redirect::to("/").into_response() };
    let Ok(Form(form)) = form else { return csrf_refused(&app, &csrf) };
    if !security::csrf_ok(&csrf, &form.csrf) {
        return csrf_refused(&app, &csrf);
    }
    // Without the peer's address (never when serving) all share one count.
    let who = peer.map_or(IpAddr::from([0, 0, 0, 0]), |Extension(ConnectInfo(addr))| addr.ip());
    let now = std::time::Instant::now();
    let attempt = app
        .access
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .attempt(who, now, || security::same_secret(&secret, &form.password));
    match attempt {
        access::Attempt::Wait(wait) => {
            let errore = format!(
                "Troppi tentativi con una parola d'accesso sbagliata da questo computer: riprovare fra {}.",
                access::minutes(wait)
            );
            return render(&app, "accesso.html", &csrf, StatusCode::TOO_MANY_REQUESTS, context! { errore });
        }
        access::Attempt::Wrong => {
            // A pause makes guessing slow.
            tokio::time::sleep(std::time::Duration::from_millis(700)).await;
            return render(
                &app,
                "accesso.html",
                &csrf,
                StatusCode::UNAUTHORIZED,
                context! { errore => "Parola d'accesso non corretta." },
            );
        }
        access::Attempt::Right => {}
    }
    let session = super::token();
    app.access.lock().unwrap_or_else(|e| e.into_inner()).open(session.clone(), now);
    let mut res = Redirect::to("/").into_response();
    let cookie = format!(
        "{SESSION_COOKIE}={session}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict",
        access::SESSION_MAX.as_secs()
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

async fn logout(
    State(app): State<Arc<App>>,
    Extension(csrf): Extension<Csrf>,
    headers: HeaderMap,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Response {
    if !form.is_ok_and(|f| security::csrf_ok(&csrf, &f.csrf)) {
        return csrf_refused(&app, &csrf);
    }
    if let Some(s) = security::cookie(&headers, SESSION_COOKIE) {
        app.access.lock().unwrap_or_else(|e| e.into_inner()).close(&s);
    }
    let mut res = Redirect::to("/accesso").into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_static("piao_sessione=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"),
    );
    res
}

async fn static_file(Path(name): Path<String>) -> Response {
    match pages::STATIC.iter().find(|(n, _, _)| *n == name) {
        Some((_, kind, bytes)) => {
            let mut res = Response::new(Body::from(*bytes));
            res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
            res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
            res
        }
        None => (StatusCode::NOT_FOUND, "file non trovato").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploaded_names_stay_data() {
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("C:\\Users\\x\\piano.xlsx"), "piano.xlsx");
        assert_eq!(clean_name("a\nb\u{0}.xlsx"), "ab.xlsx");
        assert_eq!(clean_name(""), "cartella.xlsx");
    }

    #[test]
    fn download_names_are_quoted_safely() {
        let v = disposition("attachment", "piano \"x\"\r\n.xlsx");
        let s = v.to_str().expect("ascii");
        assert!(s.starts_with("attachment; filename=\"piano__x___.xlsx\""), "{s}");
        assert!(s.contains("filename*=UTF-8''piano%20%22x%22%0D%0A.xlsx"), "{s}");
    }
}
