//! TLS for smoke checks: one rustls configuration (system roots from
//! webpki-roots, an optional extra CA, or no verification with `--insecure`),
//! shared by the HTTP client and WebSocket connections.

use crate::error::{Error, Result};
use std::path::Path;
use std::sync::Arc;

/// Builds the client TLS configuration. A CA file that cannot be read is
/// incomplete (exit 3); one that holds no PEM certificate is a usage error.
pub fn config(insecure: bool, ca: Option<(&Path, &str)>) -> Result<Arc<rustls::ClientConfig>> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some((ca, shown)) = ca {
        let pem = std::fs::read(ca).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Error::usage(format!("CA file {shown}: no such file"))
            } else {
                Error::incomplete(format!("cannot read CA file {shown}: {e}"))
            }
        })?;
        let mut added = 0;
        for cert in rustls::pki_types::pem::PemObject::pem_slice_iter(&pem) {
            let cert: rustls::pki_types::CertificateDer =
                cert.map_err(|e| Error::usage(format!("CA file {shown} is not valid PEM: {e}")))?;
            roots
                .add(cert)
                .map_err(|e| Error::usage(format!("CA file {shown}: {e}")))?;
            added += 1;
        }
        if added == 0 {
            return Err(Error::usage(format!(
                "CA file {shown} holds no PEM certificate (-----BEGIN CERTIFICATE-----)"
            )));
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::incomplete(format!("TLS setup failed: {e}")))?;
    let config = if insecure {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(NoVerify(provider)))
            .with_no_client_auth()
    } else {
        builder.with_root_certificates(roots).with_no_client_auth()
    };
    Ok(Arc::new(config))
}

/// The configuration with these ALPN protocols (HTTP/2 for requests,
/// HTTP/1.1 only for WebSocket upgrades).
pub fn with_alpn(base: &rustls::ClientConfig, protocols: &[&[u8]]) -> Arc<rustls::ClientConfig> {
    let mut c = base.clone();
    c.alpn_protocols = protocols.iter().map(|p| p.to_vec()).collect();
    Arc::new(c)
}

/// Accepts any certificate (`--insecure` only).
#[derive(Debug)]
pub struct NoVerify(pub Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for NoVerify {
    fn verify_server_cert(
        &self,
        _: &rustls::pki_types::CertificateDer<'_>,
        _: &[rustls::pki_types::CertificateDer<'_>],
        _: &rustls::pki_types::ServerName<'_>,
        _: &[u8],
        _: rustls::pki_types::UnixTime,
    ) -> std::result::Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> std::result::Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> std::result::Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
