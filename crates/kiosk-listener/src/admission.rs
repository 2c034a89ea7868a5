//! Which connections are let in: a total cap and a cap per client address,
//! counted by permits that give their place back when the connection ends.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use tokio::sync::watch;

/// The address a client is counted by: an IPv4 address as it is, an IPv6 one by
/// its /64 network (one household or phone holds a whole /64), an IPv4 address
/// mapped into IPv6 as the IPv4 address.
pub fn client_of(peer: SocketAddr) -> IpAddr {
    match peer.ip().to_canonical() {
        IpAddr::V6(v6) => {
            let network = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(Ipv6Addr::from(network))
        }
        v4 => v4,
    }
}

/// Why a connection was not let in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The server holds as many connections as it allows in total.
    ServerFull,
    /// This client holds as many connections as one client may.
    ClientFull,
}

impl Refusal {
    /// The words a log line uses.
    pub fn reason(self) -> &'static str {
        match self {
            Refusal::ServerFull => "connection refused: the server holds its most connections",
            Refusal::ClientFull => "connection refused: this client holds its most connections",
        }
    }
}

#[derive(Debug, Default)]
struct Open {
    total: usize,
    per_client: HashMap<IpAddr, usize>,
}

/// The open connections, counted in total and per client.
#[derive(Debug)]
pub struct Admission {
    max_total: usize,
    max_per_client: Option<usize>,
    open: watch::Sender<Open>,
}

/// A connection's place; given back when dropped.
#[derive(Debug)]
pub struct Permit {
    admission: Arc<Admission>,
    client: IpAddr,
}

impl Admission {
    /// Nothing open yet.
    pub fn new(max_total: usize, max_per_client: Option<usize>) -> Arc<Self> {
        Arc::new(Self { max_total, max_per_client, open: watch::Sender::new(Open::default()) })
    }

    /// A place for one more connection from `client`, if the caps allow it.
    pub fn admit(self: &Arc<Self>, client: IpAddr) -> Result<Permit, Refusal> {
        let mut outcome = Err(Refusal::ServerFull);
        self.open.send_if_modified(|open| {
            let of_client = open.per_client.get(&client).copied().unwrap_or(0);
            outcome = if open.total >= self.max_total {
                Err(Refusal::ServerFull)
            } else if self.max_per_client.is_some_and(|max| of_client >= max) {
                Err(Refusal::ClientFull)
            } else {
                open.total += 1;
                open.per_client.insert(client, of_client + 1);
                Ok(())
            };
            outcome.is_ok()
        });
        outcome.map(|()| Permit { admission: Arc::clone(self), client })
    }

    /// Connections open now.
    pub fn open_connections(&self) -> usize {
        self.open.borrow().total
    }

    /// Completes when no connection is open.
    pub async fn all_closed(&self) {
        let mut open = self.open.subscribe();
        // The sender lives in `self`, so the wait cannot fail.
        let _ = open.wait_for(|open| open.total == 0).await;
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        self.admission.open.send_modify(|open| {
            open.total -= 1;
            if let Some(count) = open.per_client.get_mut(&self.client) {
                *count -= 1;
                if *count == 0 {
                    open.per_client.remove(&self.client);
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn caps_each_client_and_the_total_and_gives_places_back() {
        let admission = Admission::new(3, Some(2));
        let a1 = admission.admit(ip("10.0.0.1")).unwrap();
        let _a2 = admission.admit(ip("10.0.0.1")).unwrap();
        assert_eq!(admission.admit(ip("10.0.0.1")).unwrap_err(), Refusal::ClientFull);
        let _b1 = admission.admit(ip("10.0.0.2")).unwrap();
        assert_eq!(admission.admit(ip("10.0.0.3")).unwrap_err(), Refusal::ServerFull);
        drop(a1);
        assert_eq!(admission.open_connections(), 2);
        let _c1 = admission.admit(ip("10.0.0.3")).unwrap();
    }

    #[test]
    fn without_a_client_cap_only_the_total_counts() {
        let admission = Admission::new(2, None);
        let _held = [admission.admit(ip("10.0.0.1")).unwrap(), admission.admit(ip("10.0.0.1")).unwrap()];
        assert_eq!(admission.admit(ip("10.0.0.2")).unwrap_err(), Refusal::ServerFull);
    }

    #[test]
    fn counts_an_ipv6_client_by_its_64_network_and_a_mapped_ipv4_as_ipv4() {
        let one = client_of("[2001:db8:1:2:aaaa::1]:80".parse().unwrap());
        let other = client_of("[2001:db8:1:2:bbbb::9]:80".parse().unwrap());
        assert_eq!(one, other);
        assert_eq!(one, ip("2001:db8:1:2::"));
        assert_ne!(one, client_of("[2001:db8:1:3::1]:80".parse().unwrap()));
        assert_eq!(client_of("[::ffff:192.0.2.7]:80".parse().unwrap()), ip("192.0.2.7"));
        assert_eq!(client_of("192.0.2.7:80".parse().unwrap()), ip("192.0.2.7"));
    }
}
