//! The address phones on the booth network reach this kiosk at.

use std::net::{IpAddr, SocketAddr};

/// The base URL for brochure QR codes: the configured one, else the listen address
/// if it names one interface, else this machine's LAN address, else loopback (with
/// a warning, since phones cannot reach it).
pub fn brochure_base_url(configured: Option<&str>, listen: SocketAddr) -> String {
    if let Some(url) = configured {
        return url.trim_end_matches('/').to_owned();
    }
    let ip = if listen.ip().is_unspecified() {
        match local_ip_address::local_ip() {
            Ok(ip) => ip,
            Err(error) => {
                tracing::warn!(%error, "no LAN address found; QR codes point at this machine only");
                IpAddr::from([127, 0, 0, 1])
            }
        }
    } else {
        listen.ip()
    };
    match ip {
        IpAddr::V4(v4) => format!("http://{v4}:{}", listen.port()),
        IpAddr::V6(v6) => format!("http://[{v6}]:{}", listen.port()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefers_the_configured_url_then_the_listen_address() {
        let any = SocketAddr::from(([0, 0, 0, 0], 8088));
        assert_eq!(brochure_base_url(Some("http://kiosk.local:8088/"), any), "http://kiosk.local:8088");
        let one = SocketAddr::from(([10, 1, 2, 3], 9000));
        assert_eq!(brochure_base_url(None, one), "http://10.1.2.3:9000");
        assert!(brochure_base_url(None, any).ends_with(":8088"));
    }
}
