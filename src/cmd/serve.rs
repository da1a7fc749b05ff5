//! `piao serve`: checks the options (password off the loopback, the watched
//! file, the data folder) and runs the server of [`crate::serve`].

use super::Outcome;
use crate::cli::ServeArgs;
use crate::serve::{self, Config};
use piao::diag::Diagnostic;
use std::path::PathBuf;

/// The data folder when `--dati` is not given: the user's data folder
/// (`~/.local/share/piao` on Linux, `%APPDATA%\\piao` on Windows).
pub fn default_data_dir() -> PathBuf {
    dirs::data_dir().map(|d| d.join("piao")).unwrap_or_else(|| PathBuf::from("piao-dati"))
}

/// The password: `--password`, else `--file-password`, else `PIAO_PASSWORD`.
// `Diagnostic` is the house error type (see the note in lib.rs).
#[allow(clippy::result_large_err)]
fn password(args: &ServeArgs) -> Result<Option<String>, Diagnostic> {
    if let Some(p) = &args.password {
        return Ok(Some(p.clone()));
    }
    if let Some(f) = &args.file_password {
        let text = std::fs::read_to_string(f).map_err(|e| {
            Diagnostic::error(format!("file della parola d'accesso non leggibile: {e}"))
                .in_file(&f.display().to_string())
        })?;
        let first = text.lines().next().unwrap_or("").trim_end_matches('\r').to_string();
        if first.is_empty() {
            return Err(Diagnostic::error("il file della parola d'accesso è vuoto").in_file(&f.display().to_string()));
        }
        return Ok(Some(first));
    }
    Ok(std::env::var("PIAO_PASSWORD").ok().filter(|p| !p.is_empty()))
}

/// HTTPS settings: `--certificato` and `--chiave`, else the variables
/// `PIAO_CERTIFICATO` and `PIAO_CHIAVE` (how the Debian service passes
/// them from /etc/piao/piao.conf); both or neither.
#[allow(clippy::result_large_err)]
fn tls(args: &ServeArgs) -> Result<Option<std::sync::Arc<rustls::ServerConfig>>, Diagnostic> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    let cert = args.certificato.clone().or_else(|| var("PIAO_CERTIFICATO"));
    let key = args.chiave.clone().or_else(|| var("PIAO_CHIAVE"));
    match (cert, key) {
        (None, None) => Ok(None),
        (Some(cert), Some(key)) => serve::tls::load(&cert, &key).map(Some),
        _ => Err(Diagnostic::error("per HTTPS servono sia il certificato sia la chiave privata")
            .hint("indicarli entrambi con --certificato FILE e --chiave FILE (o PIAO_CERTIFICATO e PIAO_CHIAVE)")),
    }
}

/// Runs the server until Ctrl+C.
pub fn run(args: &ServeArgs) -> Outcome {
    let password = match password(args) {
        Ok(p) => p,
        Err(d) => return super::fail(d, false, Outcome::Usage),
    };
    if !args.indirizzo.is_loopback() && password.is_none() {
        return super::fail(
            Diagnostic::error(format!("per ascoltare su {} serve una parola d'accesso", args.indirizzo))
                .hint("indicarla con --file-password FILE o con la variabile PIAO_PASSWORD (oppure --password)"),
            false,
            Outcome::Usage,
        );
    }
    if let Some(input) = &args.input
        && (!input.is_file() || !piao::pipeline::is_workbook(input))
    {
        return super::fail(
            Diagnostic::error("da sorvegliare serve un file .xlsx, .xlsm, .xls o .ods")
                .in_file(&input.display().to_string()),
            false,
            Outcome::Usage,
        );
    }
    let tls = match tls(args) {
        Ok(t) => t,
        Err(d) => return super::fail(d, false, Outcome::Usage),
    };
    let config = Config {
        addr: std::net::SocketAddr::new(args.indirizzo, args.porta),
        data: args.dati.clone().unwrap_or_else(default_data_dir),
        password,
        watch: args.input.clone(),
        open: args.apri,
        tls,
    };
    match serve::run(config) {
        Ok(()) => Outcome::Done,
        Err(d) => super::fail(d, false, Outcome::Failure),
    }
}
