//! Child processes that are stopped when their guard is dropped, and readiness probes.

use anyhow::{Context, bail};
use std::fs::File;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running service; dropping it sends SIGTERM, then SIGKILL after a grace period.
pub struct Service {
    pub name: &'static str,
    child: Child,
}

impl Service {
    /// Starts `command` with stdout and stderr appended to `log`.
    pub fn start(name: &'static str, command: &mut Command, log: &Path) -> anyhow::Result<Service> {
        let out = File::create(log).with_context(|| format!("create {}", log.display()))?;
        let err = out.try_clone()?;
        let child = command
            .stdin(Stdio::null())
            .stdout(Stdio::from(out))
            .stderr(Stdio::from(err))
            .spawn()
            .with_context(|| format!("start {name}"))?;
        println!("xtask: started {name} (pid {}), log {}", child.id(), log.display());
        Ok(Service { name, child })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Fails if the process has exited.
    pub fn check_alive(&mut self) -> anyhow::Result<()> {
        if let Some(status) = self.child.try_wait()? {
            bail!("{} exited early ({status}); see its log", self.name);
        }
        Ok(())
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                println!("xtask: stopped {}", self.name);
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        println!("xtask: killed {} after the grace period", self.name);
    }
}

/// Issues `GET path` over HTTP/1.0 with extra headers; the status and body, if anything answered.
pub fn http_get(port: u16, path: &str, headers: &[(&str, &str)]) -> Option<(u16, String)> {
    http_request(port, "GET", path, headers, None)
}

/// Issues a request over HTTP/1.0, with a JSON body if given; the status and body, if anything answered.
pub fn http_request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    json: Option<&str>,
) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_millis(500)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut extra: String = headers.iter().map(|(name, value)| format!("{name}: {value}\r\n")).collect();
    if let Some(body) = json {
        extra.push_str(&format!("Content-Type: application/json\r\nContent-Length: {}\r\n", body.len()));
    }
    let body = json.unwrap_or("");
    write!(stream, "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n{extra}\r\n{body}").ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.get(9..12)?.parse().ok()?;
    let body = response.split_once("\r\n\r\n").map(|(_, body)| body.to_owned()).unwrap_or_default();
    Some((status, body))
}

/// The status of `GET path`, if anything answered.
pub fn http_status(port: u16, path: &str) -> Option<u16> {
    http_get(port, path, &[]).map(|(status, _)| status)
}

/// Waits until `GET path` answers with `want` (or any status if `None`), while `service` lives.
pub fn wait_http(
    service: &mut Service,
    port: u16,
    path: &str,
    want: Option<u16>,
    timeout: Duration,
) -> anyhow::Result<()> {
    let deadline = Instant::now() + timeout;
    loop {
        service.check_alive()?;
        match http_status(port, path) {
            Some(status) if want.is_none_or(|want| want == status) => return Ok(()),
            _ if Instant::now() > deadline => {
                bail!("{} did not become ready on port {port} within {timeout:?}", service.name)
            }
            _ => std::thread::sleep(Duration::from_millis(100)),
        }
    }
}

/// Waits until something accepts TCP connections on `port`.
pub fn wait_tcp(service: &mut Service, port: u16, timeout: Duration) -> anyhow::Result<()> {
    let deadline = Instant::now() + timeout;
    loop {
        service.check_alive()?;
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("{} did not listen on port {port} within {timeout:?}", service.name);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Runs a command to completion, failing with its name if it fails.
pub fn run(what: &str, command: &mut Command) -> anyhow::Result<()> {
    let status = command.status().with_context(|| format!("run {what}"))?;
    if !status.success() {
        bail!("{what} failed ({status})");
    }
    Ok(())
}
