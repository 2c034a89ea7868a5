//! The accept loop: each connection is let in or closed, shaken hands with,
//! then served by hyper's HTTP/1 connection with the request head timeout, its
//! requests counted against the client's rate, until shutdown.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, Response};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tower::ServiceExt;

use crate::admission::{Admission, client_of};
use crate::handshake::Handshake;
use crate::limits::Limits;
use crate::refusal_log::RefusalLog;
use crate::request_rate::{RequestBudget, too_many_requests};
use crate::write_stall::WriteStallGuard;

/// How often clients with a full request budget again are forgotten.
const FORGET_QUIET_CLIENTS_EVERY: Duration = Duration::from_secs(60);

/// What every connection of one server shares.
struct Shared {
    limits: Limits,
    admission: Arc<Admission>,
    budget: Option<RequestBudget>,
    refusals: RefusalLog,
    http: http1::Builder,
}

/// Serves `router` on `listener` within `limits`, each accepted connection
/// passed through `handshake` first, until `shutdown` completes; then stops
/// accepting, lets each connection finish the request it is answering and
/// returns once all are closed. Handlers find the client's address as
/// `ConnectInfo<SocketAddr>`. An accept error (out of file descriptors) is
/// logged and waited out, never returned: the server keeps answering.
pub async fn serve_with<H: Handshake>(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    handshake: H,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(limits.request_head_timeout);
    let shared = Arc::new(Shared {
        limits,
        admission: Admission::new(limits.max_connections, limits.max_connections_per_client),
        budget: limits.request_rate.map(RequestBudget::new),
        refusals: RefusalLog::new(limits.refusal_log_interval),
        http,
    });
    let forgetting = tokio::spawn(forget_quiet_clients(Arc::clone(&shared)));
    let (closing, closed) = watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    wait_after_accept_error(error).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let client = client_of(peer);
        let permit = match shared.admission.admit(client) {
            Ok(permit) => permit,
            Err(refusal) => {
                shared.refusals.refused(client, refusal.reason());
                continue;
            }
        };
        // Answers leave at once rather than waiting for the client's delayed ACK.
        if let Err(error) = tcp.set_nodelay(true) {
            tracing::debug!(%error, "TCP_NODELAY not set");
        }
        let (shared, router, handshake, closed) =
            (Arc::clone(&shared), router.clone(), handshake.clone(), closed.clone());
        tokio::spawn(async move {
            serve_connection(&shared, router, &handshake, tcp, peer, closed).await;
            drop(permit);
        });
    }
    drop(listener);
    let _ = closing.send(true);
    shared.admission.all_closed().await;
    forgetting.abort();
    Ok(())
}

/// One connection, from handshake to close.
async fn serve_connection<H: Handshake>(
    shared: &Arc<Shared>,
    router: Router,
    handshake: &H,
    tcp: TcpStream,
    peer: SocketAddr,
    mut closed: watch::Receiver<bool>,
) {
    let client = client_of(peer);
    let stream = tokio::select! {
        shaken = tokio::time::timeout(shared.limits.request_head_timeout, handshake.handshake(tcp)) => match shaken {
            Ok(Ok(stream)) => stream,
            Ok(Err(error)) => return tracing::debug!(%client, %error, "handshake failed"),
            Err(_) => {
                shared.refusals.refused(client, "handshake too slow");
                return;
            }
        },
        () = shutting_down(&mut closed) => return,
    };
    let io = TokioIo::new(WriteStallGuard::new(stream, shared.limits.write_stall_timeout));
    let answering = Arc::clone(shared);
    let service = hyper::service::service_fn(move |request| {
        answer(Arc::clone(&answering), router.clone(), peer, client, request)
    });
    let connection = shared.http.serve_connection(io, service);
    tokio::pin!(connection);
    let served = tokio::select! {
        served = connection.as_mut() => served,
        () = shutting_down(&mut closed) => {
            connection.as_mut().graceful_shutdown();
            connection.await
        }
    };
    if let Err(error) = served {
        if error.is_timeout() {
            shared
                .refusals
                .refused(client, "connection closed: no request in time, or the client stopped reading");
        } else {
            tracing::debug!(%client, %error, "connection ended with an error");
        }
    }
}

/// One request: over the client's rate it is answered `429`, otherwise by the router.
async fn answer(
    shared: Arc<Shared>,
    router: Router,
    peer: SocketAddr,
    client: IpAddr,
    mut request: Request<Incoming>,
) -> Result<Response<Body>, Infallible> {
    if let Some(budget) = &shared.budget
        && let Err(wait) = budget.take(client)
    {
        shared.refusals.refused(client, "request refused: over the request rate");
        return Ok(too_many_requests(wait));
    }
    request.extensions_mut().insert(ConnectInfo(peer));
    router.oneshot(request.map(Body::new)).await
}

/// Completes once the server shuts down.
async fn shutting_down(closed: &mut watch::Receiver<bool>) {
    // The sender is dropped only after every connection has closed.
    let _ = closed.wait_for(|&closed| closed).await;
}

async fn forget_quiet_clients(shared: Arc<Shared>) {
    let mut every = tokio::time::interval(FORGET_QUIET_CLIENTS_EVERY);
    loop {
        every.tick().await;
        if let Some(budget) = &shared.budget {
            budget.forget_quiet_clients();
        }
    }
}

/// An accept error of one connection (reset before accepted) is nothing; any
/// other (out of file descriptors) is logged and waited out for a second, as
/// hyper's and axum's servers do.
async fn wait_after_accept_error(error: io::Error) {
    use io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(error.kind(), ConnectionRefused | ConnectionAborted | ConnectionReset) {
        return;
    }
    tracing::error!(%error, "accepting a connection failed");
    tokio::time::sleep(Duration::from_secs(1)).await;
}
