//! Outbound `wasi:http/client` requests: allow-list check, then a pooled keep-alive client.
//!
//! Almost every edge request calls the origin, so opening a TCP connection per
//! call would dominate latency. One `hyper-util` client (and so one connection
//! pool) is shared by every component instance in the process.

use std::collections::HashSet;
use std::error::Error as StdError;
use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::uri::{Authority, Scheme};
use http_body::{Body, Frame, SizeHint};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use tokio::time::{Instant, Sleep};
use wasmtime_wasi_http::{Error, RequestOptions, WasiBody, WasiHttpHooks};

/// How long establishing a TCP connection to an origin may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// How long one outbound request may take, from sending to the last body byte.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// How long an idle pooled connection is kept before it is closed.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(90);

/// A `scheme://host:port` origin the component may call.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Origin(String);

impl Origin {
    /// Parses an allow-list entry; only plain `http://host[:port]` origins are accepted.
    pub fn parse(text: &str) -> Result<Self, String> {
        let uri: http::Uri = text.parse().map_err(|err| format!("{text:?} is not a URL: {err}"))?;
        if uri.scheme() != Some(&Scheme::HTTP) {
            return Err(format!("{text:?}: only http:// origins are supported (the origin is on loopback)"));
        }
        let authority = uri.authority().ok_or_else(|| format!("{text:?} has no host"))?;
        if authority.as_str().contains('@') {
            return Err(format!("{text:?}: origins must not carry credentials"));
        }
        if !matches!(uri.path(), "" | "/") || uri.query().is_some() {
            return Err(format!("{text:?}: an origin is scheme://host:port, without a path or query"));
        }
        Ok(Self::from_parts(&Scheme::HTTP, authority))
    }

    /// Builds the canonical form used for allow-list lookups.
    fn from_parts(scheme: &Scheme, authority: &Authority) -> Self {
        let default_port = if *scheme == Scheme::HTTPS { 443 } else { 80 };
        let port = authority.port_u16().unwrap_or(default_port);
        let host = authority.host().to_ascii_lowercase();
        Self(format!("{scheme}://{host}:{port}"))
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The process-wide outbound client and its allow-list.
pub struct Outbound {
    allowed: HashSet<Origin>,
    client: Client<HttpConnector, WasiBody>,
}

impl Outbound {
    /// Builds the pooled client; it must be called inside the Tokio runtime.
    pub fn new(allowed: impl IntoIterator<Item = Origin>) -> Self {
        let mut connector = HttpConnector::new();
        connector.set_connect_timeout(Some(CONNECT_TIMEOUT));
        // Requests are small and latency-bound; Nagle's algorithm only adds delay.
        connector.set_nodelay(true);
        let client = Client::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            .build(connector);
        Self { allowed: allowed.into_iter().collect(), client }
    }

    /// The allow-listed origins, for the startup log.
    pub fn allowed(&self) -> impl Iterator<Item = &Origin> {
        self.allowed.iter()
    }

    fn check(&self, uri: &http::Uri) -> Result<(), Error> {
        let (Some(scheme), Some(authority)) = (uri.scheme(), uri.authority()) else {
            return Err(Error::HttpRequestUriInvalid);
        };
        let origin = Origin::from_parts(scheme, authority);
        if self.allowed.contains(&origin) {
            Ok(())
        } else {
            tracing::warn!(%origin, "outbound request to an origin not on the allow-list");
            Err(Error::HttpRequestDenied)
        }
    }
}

/// The `wasi:http` hooks of one component instance.
pub struct OutboundHooks {
    outbound: Arc<Outbound>,
}

impl OutboundHooks {
    /// Hooks that send through the shared client.
    pub fn new(outbound: Arc<Outbound>) -> Self {
        Self { outbound }
    }
}

type SendFuture = Box<
    dyn Future<Output = Result<(http::Response<WasiBody>, Box<dyn Future<Output = Result<(), Error>> + Send>), Error>>
        + Send,
>;

impl WasiHttpHooks for OutboundHooks {
    fn default_scheme(&mut self) -> Option<http::uri::Scheme> {
        // The origin speaks plain HTTP on loopback; a scheme-less URL means it.
        Some(Scheme::HTTP)
    }

    fn send_request(
        &mut self,
        request: http::Request<WasiBody>,
        options: Option<RequestOptions>,
        _response_result: Box<dyn Future<Output = Result<(), Error>> + Send>,
    ) -> SendFuture {
        let outbound = Arc::clone(&self.outbound);
        Box::new(async move {
            outbound.check(request.uri())?;
            let deadline = Instant::now() + REQUEST_TIMEOUT;
            // A guest may ask for a shorter wait for the response head, never a longer one.
            let head_deadline =
                options.and_then(|o| o.first_byte_timeout).map_or(deadline, |t| deadline.min(Instant::now() + t));
            let response = match tokio::time::timeout_at(head_deadline, outbound.client.request(request)).await {
                Ok(Ok(response)) => response,
                Ok(Err(err)) => return Err(client_error(&err)),
                Err(_elapsed) => return Err(Error::HttpResponseTimeout),
            };
            let response = response.map(|body| DeadlineBody::new(body, deadline).boxed_unsync());
            // The pool drives the connection in its own task, so there is no
            // per-request I/O future for the caller to poll.
            let io: Box<dyn Future<Output = Result<(), Error>> + Send> = Box::new(async { Ok(()) });
            Ok((response, io))
        })
    }
}

/// Maps a pooled-client failure to the closest `wasi:http` error code.
fn client_error(err: &hyper_util::client::legacy::Error) -> Error {
    let mut source = err.source();
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            tracing::debug!(error = %io, "outbound connection failed");
            return match io.kind() {
                std::io::ErrorKind::TimedOut => Error::ConnectionTimeout,
                std::io::ErrorKind::ConnectionRefused => Error::ConnectionRefused,
                std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::BrokenPipe => Error::ConnectionTerminated,
                _ => Error::DestinationUnavailable,
            };
        }
        if let Some(hyper) = cause.downcast_ref::<hyper::Error>() {
            tracing::debug!(error = %hyper, "outbound request failed");
            return if hyper.is_incomplete_message() || hyper.is_closed() {
                Error::ConnectionTerminated
            } else if hyper.is_timeout() {
                Error::HttpResponseTimeout
            } else {
                Error::HttpProtocolError
            };
        }
        source = cause.source();
    }
    if err.is_connect() { Error::ConnectionRefused } else { Error::InternalError(Some(err.to_string())) }
}

/// A response body that fails once the request's overall deadline has passed.
struct DeadlineBody {
    inner: Incoming,
    deadline: Pin<Box<Sleep>>,
}

impl DeadlineBody {
    fn new(inner: Incoming, deadline: Instant) -> Self {
        Self { inner, deadline: Box::pin(tokio::time::sleep_until(deadline)) }
    }
}

impl Body for DeadlineBody {
    type Data = Bytes;
    type Error = Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Error>>> {
        match Pin::new(&mut self.inner).poll_frame(cx) {
            Poll::Ready(frame) => Poll::Ready(frame.map(|f| f.map_err(Error::from))),
            Poll::Pending => match self.deadline.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Some(Err(Error::HttpResponseTimeout))),
                Poll::Pending => Poll::Pending,
            },
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_canonical() {
        let origin = Origin::parse("http://127.0.0.1:8080").expect("valid origin");
        assert_eq!(origin.to_string(), "http://127.0.0.1:8080");
        let origin = Origin::parse("http://LocalHost/").expect("valid origin");
        assert_eq!(origin.to_string(), "http://localhost:80");
        assert!(Origin::parse("https://127.0.0.1").is_err());
        assert!(Origin::parse("http://127.0.0.1:8080/api").is_err());
        assert!(Origin::parse("127.0.0.1:8080").is_err());
    }

    #[tokio::test]
    async fn allow_list_matches_scheme_host_and_port() {
        let allowed = Origin::parse("http://127.0.0.1:8080").expect("valid origin");
        let outbound = Outbound::new([allowed]);
        let ok: http::Uri = "http://127.0.0.1:8080/v1/query?x=1".parse().expect("uri");
        assert!(outbound.check(&ok).is_ok());
        for denied in ["http://127.0.0.1:8081/", "https://127.0.0.1:8080/", "http://localhost:8080/"] {
            let uri: http::Uri = denied.parse().expect("uri");
            assert!(matches!(outbound.check(&uri), Err(Error::HttpRequestDenied)));
        }
    }
}
