//! Requests per client, kept by `governor`'s keyed GCRA limiter; a request
//! over the rate is answered `429 Too Many Requests` with `Retry-After`.

use std::net::IpAddr;
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, Response, StatusCode, header};
use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::limits::RequestRate;

/// Each client's request budget.
#[derive(Debug)]
pub struct RequestBudget {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
}

impl RequestBudget {
    /// A full bucket for every client.
    pub fn new(rate: RequestRate) -> Self {
        let quota = Quota::per_second(rate.per_second).allow_burst(rate.burst);
        Self { limiter: RateLimiter::keyed(quota) }
    }

    /// Takes one request from `client`'s budget, or answers how long until
    /// one is allowed.
    pub fn take(&self, client: IpAddr) -> Result<(), Duration> {
        self.limiter
            .check_key(&client)
            .map_err(|not_until| not_until.wait_time_from(self.limiter.clock().now()))
    }

    /// Forgets the clients whose bucket is full again, so the table stays small.
    pub fn forget_quiet_clients(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }
}

/// `429 Too Many Requests` with `Retry-After` in whole seconds, at least one.
pub fn too_many_requests(wait: Duration) -> Response<Body> {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let seconds = seconds.max(1);
    let mut response = Response::new(Body::from(format!(
        "Too many requests from this address; try again in {seconds} s.\n"
    )));
    *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    let headers = response.headers_mut();
    headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_over_its_burst_waits_while_another_is_served() {
        let budget = RequestBudget::new(RequestRate::new(1, 3));
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        for _ in 0..3 {
            budget.take(a).unwrap();
        }
        let wait = budget.take(a).unwrap_err();
        assert!(wait > Duration::ZERO && wait <= Duration::from_secs(1), "{wait:?}");
        budget.take(b).unwrap();
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        let response = too_many_requests(Duration::from_millis(1200));
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()[header::RETRY_AFTER], "2");
        assert_eq!(too_many_requests(Duration::ZERO).headers()[header::RETRY_AFTER], "1");
    }
}
