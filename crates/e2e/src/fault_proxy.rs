//! A fault-injecting HTTP/1 proxy for the chaos journeys: it sits on loopback in
//! front of the reference order server and, for every `/api` request, decides
//! with a seeded random number generator to pass it on cleanly, to delay it, to
//! drop the connection before forwarding (the server never sees the request), to
//! drop it after forwarding (the server did the work, the answer is lost), or to
//! answer `503` with `Retry-After: 1` itself. Everything else (the app's static
//! files) passes through untouched, so the app always loads.
//!
//! Each client connection carries exactly one request and is answered with
//! `Connection: close`: a browser never reuses a connection the proxy might
//! then drop, so it cannot quietly resend a request on its own and hide a fault
//! from the app (browsers resend a request whose reused connection was closed).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// How often each fault happens, in percent of `/api` requests (the rest pass
/// cleanly), and how long a delay may be.
#[derive(Clone, Copy, Debug)]
pub struct FaultConfig {
    pub seed: u64,
    /// Percent of requests delayed before being forwarded (by 0..=`max_delay_ms`).
    pub delay_pct: u32,
    pub max_delay_ms: u64,
    /// Percent of requests whose connection is closed before forwarding.
    pub drop_before_pct: u32,
    /// Percent of requests forwarded, answered by the server, then the
    /// connection closed without the answer.
    pub drop_after_pct: u32,
    /// Percent of requests answered `503` with `Retry-After: 1` by the proxy.
    pub unavailable_pct: u32,
}

impl Default for FaultConfig {
    fn default() -> Self {
        FaultConfig { seed: 1, delay_pct: 35, max_delay_ms: 1_500, drop_before_pct: 10, drop_after_pct: 10, unavailable_pct: 10 }
    }
}

/// What the proxy did to one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Fault {
    /// Not an `/api` request, or the faults are switched off.
    Clean,
    /// Forwarded and answered, after a delay (0 for a clean `/api` pass).
    Delayed(u64),
    DropBefore,
    DropAfter,
    Unavailable,
}

/// One request through the proxy.
#[derive(Clone, Debug)]
pub struct Record {
    pub method: String,
    pub path: String,
    pub fault: Fault,
    /// The server's status, when the server answered (also for `DropAfter`).
    pub upstream_status: Option<u16>,
    pub at: Duration,
}

/// Counts of what the proxy did, per kind.
#[derive(Clone, Copy, Debug, Default)]
pub struct FaultCounts {
    pub requests: usize,
    pub api_requests: usize,
    pub passed: usize,
    pub delayed: usize,
    pub drop_before: usize,
    pub drop_after: usize,
    pub unavailable: usize,
    /// `POST /api/orders` whose answer was lost after the server placed them.
    pub placements_answer_lost: usize,
}

struct Shared {
    config: FaultConfig,
    rng: Mutex<u64>,
    enabled: AtomicBool,
    log: Mutex<Vec<Record>>,
    started: Instant,
}

pub struct FaultProxy {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// splitmix64: small, seedable, good enough to pick faults.
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl FaultProxy {
    /// Listens on `127.0.0.1:0` and forwards to `upstream`.
    pub async fn start(upstream: SocketAddr, config: FaultConfig) -> std::io::Result<FaultProxy> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            config,
            rng: Mutex::new(config.seed),
            enabled: AtomicBool::new(true),
            log: Mutex::new(Vec::new()),
            started: Instant::now(),
        });
        let s = shared.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((client, _)) = listener.accept().await else { continue };
                let s = s.clone();
                tokio::spawn(async move {
                    let _ = handle(client, upstream, &s).await;
                });
            }
        });
        Ok(FaultProxy { addr, shared, task })
    }

    /// Switches the faults on or off (static files always pass cleanly).
    pub fn set_enabled(&self, on: bool) {
        self.shared.enabled.store(on, Ordering::SeqCst);
    }

    /// Every request so far, in the order they were decided.
    pub fn log(&self) -> Vec<Record> {
        self.shared.log.lock().expect("log").clone()
    }

    pub fn counts(&self) -> FaultCounts {
        let mut c = FaultCounts::default();
        for r in self.shared.log.lock().expect("log").iter() {
            c.requests += 1;
            if !r.path.starts_with("/api/") {
                continue;
            }
            c.api_requests += 1;
            match r.fault {
                Fault::Clean => c.passed += 1,
                Fault::Delayed(0) => c.passed += 1,
                Fault::Delayed(_) => c.delayed += 1,
                Fault::DropBefore => c.drop_before += 1,
                Fault::DropAfter => {
                    c.drop_after += 1;
                    if r.method == "POST" && r.path == "/api/orders" && r.upstream_status.is_some_and(|s| s < 300) {
                        c.placements_answer_lost += 1;
                    }
                }
                Fault::Unavailable => c.unavailable += 1,
            }
        }
        c
    }
}

impl Shared {
    fn decide(&self, path: &str) -> Fault {
        if !path.starts_with("/api/") || !self.enabled.load(Ordering::SeqCst) {
            return Fault::Clean;
        }
        let c = &self.config;
        let (roll, delay) = {
            let mut rng = self.rng.lock().expect("rng");
            (next(&mut rng) % 100, next(&mut rng))
        };
        let roll = roll as u32;
        let delay_ms = if c.max_delay_ms == 0 { 0 } else { delay % (c.max_delay_ms + 1) };
        let mut edge = c.drop_before_pct;
        if roll < edge {
            return Fault::DropBefore;
        }
        edge += c.drop_after_pct;
        if roll < edge {
            return Fault::DropAfter;
        }
        edge += c.unavailable_pct;
        if roll < edge {
            return Fault::Unavailable;
        }
        edge += c.delay_pct;
        if roll < edge {
            return Fault::Delayed(delay_ms);
        }
        Fault::Delayed(0)
    }

    fn record(&self, method: &str, path: &str, fault: Fault, upstream_status: Option<u16>) {
        self.log.lock().expect("log").push(Record {
            method: method.to_owned(),
            path: path.to_owned(),
            fault,
            upstream_status,
            at: self.started.elapsed(),
        });
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Reads one request (head and a `Content-Length` body) from the client.
async fn read_request(client: &mut TcpStream) -> std::io::Result<Option<(String, Vec<u8>)>> {
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = find(&buf, b"\r\n\r\n") {
            break i + 4;
        }
        if buf.len() > 64 * 1024 {
            return Err(std::io::Error::other("request head too large"));
        }
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let length = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim().eq_ignore_ascii_case("content-length").then(|| v.trim().parse::<usize>().ok()).flatten()
        })
        .unwrap_or(0);
    let mut body = buf[head_end..].to_vec();
    while body.len() < length {
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::Error::other("request body cut short"));
        }
        body.extend_from_slice(&chunk[..n]);
    }
    body.truncate(length);
    Ok(Some((head, body)))
}

/// The head with its `Connection`/`Keep-Alive` headers replaced by `Connection: close`.
fn closing(head: &str) -> String {
    let mut lines = head.trim_end_matches("\r\n").split("\r\n");
    let mut out = String::from(lines.next().unwrap_or_default());
    out.push_str("\r\n");
    for l in lines {
        let name = l.split(':').next().unwrap_or_default().trim();
        if name.eq_ignore_ascii_case("connection") || name.eq_ignore_ascii_case("keep-alive") || name.eq_ignore_ascii_case("proxy-connection") {
            continue;
        }
        out.push_str(l);
        out.push_str("\r\n");
    }
    out.push_str("Connection: close\r\n\r\n");
    out
}

/// Sends the request to the server and reads its whole answer (it closes the
/// connection after one request, as asked).
async fn forward(upstream: SocketAddr, head: &str, body: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut server = TcpStream::connect(upstream).await?;
    server.write_all(closing(head).as_bytes()).await?;
    server.write_all(body).await?;
    let mut answer = Vec::new();
    server.read_to_end(&mut answer).await?;
    Ok(answer)
}

fn status_of(answer: &[u8]) -> Option<u16> {
    let line = answer.split(|b| *b == b'\n').next()?;
    std::str::from_utf8(line).ok()?.split_whitespace().nth(1)?.parse().ok()
}

async fn handle(mut client: TcpStream, upstream: SocketAddr, shared: &Shared) -> std::io::Result<()> {
    let Some((head, body)) = read_request(&mut client).await? else { return Ok(()) };
    let mut first = head.lines().next().unwrap_or_default().split_whitespace();
    let method = first.next().unwrap_or_default().to_owned();
    let target = first.next().unwrap_or_default().to_owned();
    let path = target.split('?').next().unwrap_or_default().to_owned();
    let fault = shared.decide(&path);
    match fault {
        Fault::DropBefore => {
            // A moment on the wire, then the connection is gone; the server never knew.
            tokio::time::sleep(Duration::from_millis(50)).await;
            shared.record(&method, &path, fault, None);
            drop(client);
            Ok(())
        }
        Fault::Unavailable => {
            shared.record(&method, &path, fault, None);
            let body = r#"{"error":"unavailable","retry_after_ms":1000}"#;
            let answer = format!(
                "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            client.write_all(answer.as_bytes()).await?;
            client.shutdown().await
        }
        Fault::DropAfter => {
            let answer = forward(upstream, &head, &body).await;
            shared.record(&method, &path, fault, answer.as_ref().ok().and_then(|a| status_of(a)));
            drop(client);
            Ok(())
        }
        Fault::Clean | Fault::Delayed(_) => {
            if let Fault::Delayed(ms) = fault {
                tokio::time::sleep(Duration::from_millis(ms)).await;
            }
            let answer = forward(upstream, &head, &body).await?;
            shared.record(&method, &path, fault, status_of(&answer));
            // The server's answer, its head made to say the connection closes.
            let (out_head, out_body) = match find(&answer, b"\r\n\r\n") {
                Some(i) => (closing(&String::from_utf8_lossy(&answer[..i + 4])), &answer[i + 4..]),
                None => (String::new(), &answer[..]),
            };
            client.write_all(out_head.as_bytes()).await?;
            client.write_all(out_body).await?;
            client.shutdown().await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn echo_server() -> SocketAddr {
        let l = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
        let addr = l.local_addr().unwrap();
        tokio::spawn(async move {
            loop {
                let (mut s, _) = l.accept().await.unwrap();
                tokio::spawn(async move {
                    let Ok(Some((head, body))) = read_request(&mut s).await else { return };
                    let path = head.split_whitespace().nth(1).unwrap_or_default().to_owned();
                    let text = format!("{path} {}", String::from_utf8_lossy(&body));
                    let a = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: keep-alive\r\n\r\n{text}", text.len());
                    s.write_all(a.as_bytes()).await.unwrap();
                    s.shutdown().await.unwrap();
                });
            }
        });
        addr
    }

    async fn send(addr: SocketAddr, path: &str) -> String {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(format!("POST {path} HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nhi").as_bytes()).await.unwrap();
        let mut out = String::new();
        let _ = s.read_to_string(&mut out).await;
        out
    }

    #[tokio::test]
    async fn static_files_pass_and_api_calls_meet_every_kind_of_fault() {
        let upstream = echo_server().await;
        let config = FaultConfig { seed: 7, delay_pct: 20, max_delay_ms: 20, drop_before_pct: 20, drop_after_pct: 20, unavailable_pct: 20 };
        let proxy = FaultProxy::start(upstream, config).await.unwrap();
        for _ in 0..20 {
            let r = send(proxy.addr, "/app.wasm").await;
            assert!(r.starts_with("HTTP/1.1 200") && r.ends_with("/app.wasm hi"), "{r}");
            assert!(r.contains("Connection: close\r\n") && !r.contains("keep-alive"), "{r}");
        }
        let mut seen = std::collections::HashSet::new();
        for _ in 0..80 {
            let r = send(proxy.addr, "/api/orders").await;
            if r.is_empty() {
                seen.insert("dropped");
            } else if r.starts_with("HTTP/1.1 503") {
                assert!(r.contains("Retry-After: 1\r\n"), "{r}");
                seen.insert("503");
            } else {
                assert!(r.ends_with("/api/orders hi"), "{r}");
                seen.insert("ok");
            }
        }
        assert_eq!(seen.len(), 3, "{seen:?}");
        let c = proxy.counts();
        assert_eq!((c.requests, c.api_requests), (100, 80));
        assert!(c.drop_before > 0 && c.drop_after > 0 && c.unavailable > 0 && c.delayed > 0, "{c:?}");
        assert_eq!(c.passed + c.delayed + c.drop_before + c.drop_after + c.unavailable, 80);
        let after = proxy.log().iter().filter(|r| r.fault == Fault::DropAfter).all(|r| r.upstream_status == Some(200));
        assert!(after, "a dropped answer was made by the server first");
    }
}
