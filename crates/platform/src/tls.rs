//! platformd serving HTTPS itself (rustls with the `ring` provider, HTTP/1.1), from a PEM
//! certificate chain and a PEM private key (`platformd serve --tls-cert F --tls-key F`).

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::TlsAcceptor;

use crate::{Platform, StartError};

/// Loads a rustls server configuration from PEM files.
pub fn server_config(cert: &Path, key: &Path) -> Result<Arc<rustls::ServerConfig>, StartError> {
    let malformed = |path: &Path, what: &str| {
        StartError::Malformed(format!(
            "TLS_FILES_INVALID: {}: {what}. Give a PEM certificate chain with --tls-cert and its PEM private key with --tls-key.",
            path.display()
        ))
    };
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .map_err(|e| malformed(cert, &e.to_string()))?
        .collect::<Result<_, _>>()
        .map_err(|e| malformed(cert, &e.to_string()))?;
    if chain.is_empty() {
        return Err(malformed(cert, "no certificate in the file"));
    }
    let key = PrivateKeyDer::from_pem_file(key).map_err(|e| malformed(key, &e.to_string()))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| StartError::Malformed(format!("TLS: {e}")))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| StartError::Malformed(format!("TLS_FILES_INVALID: {e}")))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// Serves the platform over TLS on `listener` until `shutdown` resolves. A failed (or too
/// slow) handshake only ends that connection ([`crate::serving`]).
pub async fn serve_tls(
    platform: Arc<Platform>,
    listener: tokio::net::TcpListener,
    config: Arc<rustls::ServerConfig>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    crate::serving::serve_connections(
        platform,
        listener,
        Some(TlsAcceptor::from(config)),
        shutdown,
    )
    .await
}
