//! What keeps `serve` safe with real users: security headers on every
//! response, the CSRF token (a cookie the pages repeat in every form,
//! compared in constant time), and the password with its sessions (see
//! `access` for when they end).

use super::App;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use std::sync::Arc;
use subtle::ConstantTimeEq;

/// The CSRF cookie's name.
const CSRF_COOKIE: &str = "piao_csrf";
/// The session cookie's name.
pub const SESSION_COOKIE: &str = "piao_sessione";

/// The browser's CSRF token, available to every handler.
#[derive(Debug, Clone)]
pub struct Csrf(pub String);

/// The Content-Security-Policy: only this server's own files, no inline
/// script, no framing by other sites.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     object-src 'self'; frame-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'";

/// A cookie's value from the request.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn is_token(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Compares a secret with what the user sent, in time that depends only on
/// the secret's length.
pub fn same_secret(secret: &str, given: &str) -> bool {
    let s = secret.as_bytes();
    let g = given.as_bytes();
    let padded: Vec<u8> = (0..s.len()).map(|i| g.get(i).copied().unwrap_or(0)).collect();
    let same_len = (s.len() as u64).ct_eq(&(g.len() as u64));
    bool::from(padded.ct_eq(s) & same_len)
}

/// True when the form's token is the browser's.
pub fn csrf_ok(csrf: &Csrf, given: &str) -> bool {
    is_token(given) && same_secret(&csrf.0, given)
}

/// Security headers on every response, and the CSRF cookie on the first;
/// over HTTPS every cookie is marked `Secure` (never sent in clear).
pub async fn headers(State(app): State<Arc<App>>, mut req: Request, next: Next) -> Response {
    let existing = cookie(req.headers(), CSRF_COOKIE).filter(|t| is_token(t));
    let fresh = existing.is_none();
    let token = existing.unwrap_or_else(super::token);
    req.extensions_mut().insert(Csrf(token.clone()));
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let set = |h: &mut HeaderMap, k: header::HeaderName, v: &'static str| {
        h.insert(k, HeaderValue::from_static(v));
    };
    set(h, header::CONTENT_SECURITY_POLICY, CSP);
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::X_FRAME_OPTIONS, "SAMEORIGIN");
    set(h, header::REFERRER_POLICY, "same-origin");
    if !h.contains_key(header::CACHE_CONTROL) {
        set(h, header::CACHE_CONTROL, "no-store");
    }
    if fresh && let Ok(v) = HeaderValue::from_str(&format!("{CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"))
    {
        h.append(header::SET_COOKIE, v);
    }
    if app.https {
        let secure: Vec<HeaderValue> = h
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| HeaderValue::from_str(&format!("{}; Secure", v.to_str().ok()?)).ok())
            .collect();
        h.remove(header::SET_COOKIE);
        for v in secure {
            h.append(header::SET_COOKIE, v);
        }
    }
    res
}

/// With a password, every page but the login page and the static files
/// needs a session.
pub async fn auth(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    if app.password.is_none() {
        return next.run(req).await;
    }
    let path = req.uri().path();
    if path == "/accesso" || path.starts_with("/static/") {
        return next.run(req).await;
    }
    let session = cookie(req.headers(), SESSION_COOKIE).filter(|t| is_token(t));
    let now = std::time::Instant::now();
    let known = session.is_some_and(|s| app.access.lock().unwrap_or_else(|e| e.into_inner()).check(&s, now));
    if known {
        return next.run(req).await;
    }
    if req.method() == Method::GET || req.method() == Method::HEAD {
        Redirect::to("/accesso").into_response()
    } else {
        drain(req.into_body()).await;
        (StatusCode::UNAUTHORIZED, "Accesso richiesto: aprire /accesso e inserire la parola d'accesso.").into_response()
    }
}

/// Bytes of a refused request body read and thrown away before answering
/// (so that the browser reads the answer instead of a broken connection);
/// past this the connection is simply closed.
pub const DRAIN_LIMIT: usize = 4 * super::UPLOAD_LIMIT;

/// Reads and discards what is left of a request body, up to [`DRAIN_LIMIT`].
pub async fn drain(body: axum::body::Body) {
    use futures_util::StreamExt;
    let mut stream = body.into_data_stream();
    let mut seen = 0usize;
    while let Some(Ok(chunk)) = stream.next().await {
        seen += chunk.len();
        if seen > DRAIN_LIMIT {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_by_content_and_length() {
        assert!(same_secret("parola", "parola"));
        assert!(!same_secret("parola", "parol"));
        assert!(!same_secret("parola", "parolaa"));
        assert!(!same_secret("parola", "Parola"));
        assert!(!same_secret("parola", ""));
    }

    #[test]
    fn cookies_are_found_by_name() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("a=1; piao_csrf=xyz; b=2"));
        assert_eq!(cookie(&h, "piao_csrf").as_deref(), Some("xyz"));
        assert_eq!(cookie(&h, "c"), None);
    }
}
