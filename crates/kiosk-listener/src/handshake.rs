//! What happens to an accepted connection before HTTP: nothing for plain TCP;
//! a TLS acceptor implements [`Handshake`] to wrap the stream.

use std::future::Future;
use std::io;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

/// Turns an accepted TCP connection into the stream HTTP is spoken on (a TLS
/// acceptor goes here). It runs within the request head timeout: a client that
/// stalls its handshake is dropped like one that stalls its request.
pub trait Handshake: Clone + Send + Sync + 'static {
    /// The stream HTTP is spoken on.
    type Stream: AsyncRead + AsyncWrite + Unpin + Send + 'static;

    /// Shakes hands with the client on `tcp`.
    fn handshake(&self, tcp: TcpStream) -> impl Future<Output = io::Result<Self::Stream>> + Send;
}

/// Plain HTTP over TCP: no handshake.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlainTcp;

impl Handshake for PlainTcp {
    type Stream = TcpStream;

    async fn handshake(&self, tcp: TcpStream) -> io::Result<TcpStream> {
        Ok(tcp)
    }
}
