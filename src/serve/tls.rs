//! HTTPS for `piao serve` without a proxy in front: the certificate and key
//! an office's IT gives it (PEM files), and a listener whose connections
//! are either plain TCP or TLS. Handshakes run side by side, each within a
//! time limit, so that a slow or silent client holds up nobody else.

use piao::diag::Diagnostic;
use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

/// How long a client may take to complete the TLS handshake.
const HANDSHAKE_LIMIT: Duration = Duration::from_secs(10);

/// Connections ready (handshake done) that the server has not taken yet.
const READY_AT_ONCE: usize = 64;

/// Reads the certificate chain (`cert`, the server's certificate first,
/// then its intermediates) and the private key (`key`), both PEM, into a
/// server configuration. Each problem is an Italian diagnostic naming its
/// file; a key that does not belong to the certificate is refused here,
/// not at the first connection.
// `Diagnostic` is the house error type (see the note in lib.rs).
#[allow(clippy::result_large_err)]
pub fn load(cert: &Path, key: &Path) -> Result<Arc<ServerConfig>, Diagnostic> {
    let in_cert = |d: Diagnostic| d.in_file(&cert.display().to_string());
    let in_key = |d: Diagnostic| d.in_file(&key.display().to_string());
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .map_err(|e| in_cert(pem_error(&CERTIFICATE, e)))?
        .collect::<Result<_, _>>()
        .map_err(|e| in_cert(pem_error(&CERTIFICATE, e)))?;
    if chain.is_empty() {
        return Err(in_cert(pem_error(&CERTIFICATE, rustls::pki_types::pem::Error::NoItemsFound)));
    }
    let private = PrivateKeyDer::from_pem_file(key).map_err(|e| in_key(pem_error(&KEY, e)))?;
    let mut config = ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .and_then(|b| b.with_no_client_auth().with_single_cert(chain, private))
        .map_err(|_| {
            in_key(
                Diagnostic::error("la chiave privata non si può usare con il certificato")
                    .hint("la chiave deve essere quella del certificato indicato con --certificato"),
            )
        })?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// What a PEM file holds, for the messages: «del certificato» and «un
/// certificato», or the same of the private key.
struct Kind {
    of: &'static str,
    one: &'static str,
    looks: &'static str,
}

const CERTIFICATE: Kind =
    Kind { of: "del certificato", one: "un certificato", looks: "«-----BEGIN CERTIFICATE-----»" };
const KEY: Kind = Kind {
    of: "della chiave privata",
    one: "una chiave privata",
    looks: "«-----BEGIN PRIVATE KEY-----» (o RSA PRIVATE KEY, EC PRIVATE KEY)",
};

/// A PEM file that cannot be read or holds nothing of the kind asked for.
fn pem_error(kind: &Kind, e: rustls::pki_types::pem::Error) -> Diagnostic {
    use rustls::pki_types::pem::Error;
    match e {
        Error::Io(e) => Diagnostic::error(format!("file {} non leggibile: {e}", kind.of)),
        Error::NoItemsFound => Diagnostic::error(format!("il file non contiene {} in formato PEM", kind.one))
            .hint(format!("in formato PEM comincia con {}", kind.looks)),
        other => Diagnostic::error(format!("il file {} non è un PEM valido: {other}", kind.of)),
    }
}

/// A connection, plain or encrypted: what the server reads and writes.
pub trait Connection: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Connection for T {}

/// The server's listener: plain TCP, or TLS over it when a configuration
/// is given. Connections arrive through a channel from an accepting task,
/// which hands each TLS handshake to a task of its own.
pub struct Incoming {
    local: SocketAddr,
    connections: mpsc::Receiver<(Box<dyn Connection>, SocketAddr)>,
}

impl Incoming {
    /// Starts accepting on `tcp` (inside the server's runtime).
    pub fn new(tcp: TcpListener, tls: Option<Arc<ServerConfig>>) -> std::io::Result<Incoming> {
        let local = tcp.local_addr()?;
        let (tx, connections) = mpsc::channel(READY_AT_ONCE);
        tokio::spawn(accept_loop(tcp, tls.map(tokio_rustls::TlsAcceptor::from), tx));
        Ok(Incoming { local, connections })
    }
}

/// Accepts TCP connections until the server stops listening; with TLS,
/// each handshake runs in its own task (no number of silent clients can
/// keep the others waiting) and failed or slow ones are dropped.
async fn accept_loop(
    tcp: TcpListener,
    tls: Option<tokio_rustls::TlsAcceptor>,
    tx: mpsc::Sender<(Box<dyn Connection>, SocketAddr)>,
) {
    loop {
        let (stream, peer) = match tcp.accept().await {
            Ok(c) => c,
            // Out of file descriptors and the like: try again shortly.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        if tx.is_closed() {
            return;
        }
        let Some(acceptor) = &tls else {
            if tx.send((Box::new(stream), peer)).await.is_err() {
                return;
            }
            continue;
        };
        let (acceptor, tx) = (acceptor.clone(), tx.clone());
        tokio::spawn(async move {
            if let Ok(Ok(secure)) = tokio::time::timeout(HANDSHAKE_LIMIT, acceptor.accept(stream)).await {
                let _ = tx.send((Box::new(secure), peer)).await;
            }
        });
    }
}

impl axum::serve::Listener for Incoming {
    type Io = Box<dyn Connection>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.connections.recv().await {
            Some(c) => c,
            // The accepting task has ended: no connection will come.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        Ok(self.local)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).expect("write");
        p
    }

    fn pair() -> (String, String) {
        let c = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).expect("certificate");
        (c.cert.pem(), c.signing_key.serialize_pem())
    }

    #[test]
    fn a_certificate_and_its_key_give_a_configuration_for_http_1_1() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (cert, key) = pair();
        let config = load(&write(dir.path(), "c.pem", &cert), &write(dir.path(), "k.pem", &key)).expect("loads");
        assert_eq!(config.alpn_protocols, vec![b"http/1.1".to_vec()]);
    }

    #[test]
    fn each_bad_file_is_named_in_an_italian_message() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (cert, key) = pair();
        let (_, other_key) = pair();
        let c = write(dir.path(), "c.pem", &cert);
        let k = write(dir.path(), "k.pem", &key);
        let message = |r: Result<Arc<ServerConfig>, Diagnostic>| match r {
            Err(d) => (d.file.clone().unwrap_or_default(), d.message),
            Ok(_) => panic!("a bad file was accepted"),
        };

        let (file, text) = message(load(&dir.path().join("manca.pem"), &k));
        assert!(file.ends_with("manca.pem") && text.contains("non leggibile"), "{file}: {text}");

        let (file, text) = message(load(&k, &k));
        assert!(file.ends_with("k.pem") && text.contains("non contiene un certificato"), "{file}: {text}");

        let (file, text) = message(load(&c, &c));
        assert!(file.ends_with("c.pem") && text.contains("non contiene una chiave privata"), "{file}: {text}");

        let wrong = write(dir.path(), "altra.pem", &other_key);
        let (file, text) = message(load(&c, &wrong));
        assert!(file.ends_with("altra.pem") && text.contains("non si può usare con il certificato"), "{file}: {text}");
    }
}
