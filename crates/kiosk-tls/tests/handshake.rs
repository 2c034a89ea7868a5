//! A screen talks to its server over TLS only when the server shows the pinned
//! certificate, or one a pinned CA issued for the name the screen asked for;
//! real handshakes over loopback through the server's listener.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use kiosk_tls::{PinnedServer, ServerIdentity, self_signed};
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use rustls::pki_types::ServerName;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const LIMITS: kiosk_listener::Limits = kiosk_listener::Limits {
    max_connections: 64,
    max_connections_per_client: None,
    request_head_timeout: Duration::from_secs(2),
    write_stall_timeout: None,
    request_rate: None,
    refusal_log_interval: Duration::from_secs(60),
};

/// Serves "hello" over TLS with the certificate and key in `dir`.
async fn serve(dir: &Path) -> SocketAddr {
    let identity = ServerIdentity::load(&dir.join("server.crt"), &dir.join("server.key")).unwrap();
    let router = axum::Router::new().route("/", axum::routing::get(|| async { "hello" }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(kiosk_listener::serve_with(listener, router, LIMITS, identity, std::future::pending()));
    addr
}

/// `GET /` over TLS trusting `pinned`, asking for `name`: the answer's body,
/// or the handshake's error.
async fn get(addr: SocketAddr, pinned: &PinnedServer, name: &str) -> Result<String, String> {
    let connector = tokio_rustls::TlsConnector::from(Arc::new(pinned.client_config()));
    let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let name = ServerName::try_from(name.to_owned()).unwrap();
    let mut tls = connector.connect(name, tcp).await.map_err(|e| e.to_string())?;
    tls.write_all(b"GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n").await.unwrap();
    let mut answer = String::new();
    tls.read_to_string(&mut answer).await.map_err(|e| e.to_string())?;
    Ok(answer.rsplit("\r\n\r\n").next().unwrap_or_default().to_owned())
}

fn write(dir: &Path, certificate: &str, key: &str) {
    std::fs::write(dir.join("server.crt"), certificate).unwrap();
    std::fs::write(dir.join("server.key"), key).unwrap();
}

fn pin(pem: &str) -> PinnedServer {
    PinnedServer::from_pem(pem.as_bytes(), Path::new("server.pem")).unwrap()
}

#[tokio::test]
async fn a_pinned_self_signed_certificate_is_trusted_by_any_name_the_screen_uses() {
    let dir = tempfile::tempdir().unwrap();
    let made = self_signed::generate(&["kiosk.example".into(), "192.168.1.20".into()]).unwrap();
    write(dir.path(), &made.certificate_pem, &made.private_key_pem);
    let addr = serve(dir.path()).await;
    let pinned = pin(&made.certificate_pem);
    assert_eq!(get(addr, &pinned, "kiosk.example").await.unwrap(), "hello");
    assert_eq!(get(addr, &pinned, "127.0.0.1").await.unwrap(), "hello");
}

#[tokio::test]
async fn a_server_with_another_certificate_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let real = self_signed::generate(&["kiosk.example".into()]).unwrap();
    let impostor = self_signed::generate(&["kiosk.example".into()]).unwrap();
    write(dir.path(), &impostor.certificate_pem, &impostor.private_key_pem);
    let addr = serve(dir.path()).await;
    let error = get(addr, &pin(&real.certificate_pem), "kiosk.example").await.unwrap_err();
    assert!(error.contains("invalid peer certificate"), "{error}");
}

#[tokio::test]
async fn a_pinned_ca_vouches_for_its_certificates_by_their_names_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
    let server_key = KeyPair::generate().unwrap();
    let server = CertificateParams::new(vec!["kiosk.example".to_owned()])
        .unwrap()
        .signed_by(&server_key, &ca)
        .unwrap();
    write(dir.path(), &server.pem(), &server_key.serialize_pem());
    let addr = serve(dir.path()).await;
    let pinned = pin(&ca.pem());
    assert_eq!(get(addr, &pinned, "kiosk.example").await.unwrap(), "hello");
    let error = get(addr, &pinned, "elsewhere.example").await.unwrap_err();
    assert!(error.contains("not valid for name"), "{error}");
}

#[test]
fn files_that_are_not_a_certificate_and_key_are_named_in_the_error() {
    let dir = tempfile::tempdir().unwrap();
    let made = self_signed::generate(&["kiosk.example".into()]).unwrap();
    let other = self_signed::generate(&["kiosk.example".into()]).unwrap();
    let cases = [
        ("not a pem", made.private_key_pem.as_str(), "holds no certificate"),
        (made.certificate_pem.as_str(), "not a key", "holds no private key"),
        (made.certificate_pem.as_str(), other.private_key_pem.as_str(), "the key"),
    ];
    for (certificate, key, expected) in cases {
        write(dir.path(), certificate, key);
        let error =
            ServerIdentity::load(&dir.path().join("server.crt"), &dir.path().join("server.key")).unwrap_err();
        assert!(error.to_string().contains(expected), "{error}");
        assert!(error.to_string().contains("server."), "names the file: {error}");
    }
    let missing = PinnedServer::load(&dir.path().join("none.pem")).unwrap_err();
    assert!(missing.to_string().starts_with("cannot read"), "{missing}");
    assert!(self_signed::generate(&[]).is_err());
}
