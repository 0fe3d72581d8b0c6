//! Real HTTP servers on 127.0.0.1 for the sync tests: `csec serve`, nginx, and a
//! server that misbehaves on purpose. Each stops when dropped.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::csec_bin;

/// `csec serve DIR` on a free port. Its request log (one line per request:
/// method, path, status, body bytes) is kept in a file.
pub struct CsecServe {
    _process: Process,
    pub url: String,
    /// What it printed before serving (with `--lan`: the addresses, the QR code and
    /// the key's fingerprint).
    pub printed: Vec<String>,
    log: PathBuf,
}

impl CsecServe {
    pub fn start(bundle: &Path, log: &Path) -> CsecServe {
        CsecServe::start_with(
            Command::new(csec_bin()),
            bundle,
            log,
            &["--addr", "127.0.0.1:0"],
        )
    }

    /// `csec serve DIR --lan` on a free port of every interface.
    pub fn start_lan(bundle: &Path, log: &Path) -> CsecServe {
        CsecServe::start_lan_with(Command::new(csec_bin()), bundle, log)
    }

    /// [`CsecServe::start_lan`] run by `command` (`ip netns exec NS csec`, say).
    pub fn start_lan_with(command: Command, bundle: &Path, log: &Path) -> CsecServe {
        CsecServe::start_with(command, bundle, log, &["--lan", "--addr", "0.0.0.0:0"])
    }

    fn start_with(mut command: Command, bundle: &Path, log: &Path, args: &[&str]) -> CsecServe {
        let log_file = std::fs::File::create(log).expect("create the server log");
        let lan = args.contains(&"--lan");
        let mut child = command
            .arg("serve")
            .arg(bundle)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(log_file)
            .spawn()
            .expect("start csec serve");
        let mut first = String::new();
        let stdout = child.stdout.take().expect("piped stdout");
        let mut stdout = BufReader::new(stdout);
        stdout.read_line(&mut first).expect("read the address line");
        let mut printed = vec![first.trim_end().to_string()];
        // The announcement ends with the key's fingerprint.
        while lan
            && !printed
                .last()
                .is_some_and(|l| l.contains("publisher key") || l.contains("signature"))
        {
            let mut line = String::new();
            if stdout.read_line(&mut line).expect("read the announcement") == 0 {
                break;
            }
            printed.push(line.trim_end().to_string());
        }
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        let url = first
            .trim()
            .rsplit(" at ")
            .next()
            .filter(|u| u.starts_with("http://"))
            .unwrap_or_else(|| panic!("csec serve printed {first:?}"))
            .to_string();
        CsecServe {
            _process: Process(child),
            url,
            printed,
            log: log.to_path_buf(),
        }
    }

    pub fn port(&self) -> u16 {
        self.url
            .trim_end_matches('/')
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {}", self.url))
    }

    /// The requests served so far, as logged.
    pub fn requests(&self) -> Vec<String> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }
}

/// A child process that is killed when dropped, so a failing test leaves no server.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A free port on 127.0.0.1 (for servers such as nginx that cannot report one).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("bind a free port")
}

/// Debian's nginx serving `root`, configured by the test: gzip for JSON, ETags,
/// objects immutable. It runs as one process in the foreground, owned by the test.
pub struct Nginx {
    _process: Process,
    pub url: String,
}

impl Nginx {
    pub fn start(root: &Path, work: &Path) -> Nginx {
        std::fs::create_dir_all(work).expect("nginx work dir");
        let port = free_port();
        let conf = work.join("nginx.conf");
        let w = work.display();
        std::fs::write(
            &conf,
            format!(
                r#"daemon off;
master_process off;
pid {w}/nginx.pid;
error_log {w}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log {w}/access.log;
    client_body_temp_path {w}/body;
    proxy_temp_path {w}/proxy;
    fastcgi_temp_path {w}/fastcgi;
    uwsgi_temp_path {w}/uwsgi;
    scgi_temp_path {w}/scgi;
    types {{ application/json json; }}
    default_type application/json;
    gzip on;
    gzip_types application/json;
    etag on;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        location = /manifest.json {{ add_header Cache-Control "no-cache"; }}
        location /objects/ {{ add_header Cache-Control "public, max-age=31536000, immutable"; }}
        location /indexes/ {{ add_header Cache-Control "public, max-age=31536000, immutable"; }}
    }}
}}
"#,
                root = root.display()
            ),
        )
        .expect("write nginx.conf");
        let nginx = ["/usr/sbin/nginx", "/usr/bin/nginx"]
            .into_iter()
            .find(|p| Path::new(p).exists())
            .expect("nginx is installed (.ci/run installs the Debian package)");
        let child = Command::new(nginx)
            .arg("-p")
            .arg(work)
            .arg("-c")
            .arg(&conf)
            .arg("-e")
            .arg(work.join("error.log"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start nginx");
        let server = Nginx {
            _process: Process(child),
            url: format!("http://127.0.0.1:{port}/"),
        };
        wait_for_port(port, &work.join("error.log"));
        server
    }

    pub fn access_log(&self, work: &Path) -> Vec<String> {
        std::fs::read_to_string(work.join("access.log"))
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }
}

/// Polls until something accepts connections on `port` (a readiness check, with a
/// deadline, for a server that cannot tell us it is ready).
fn wait_for_port(port: u16, error_log: &Path) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "nginx did not start: {}",
            std::fs::read_to_string(error_log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// How [`FaultServer`] misbehaves. Unless a fault says otherwise it serves the
/// bundle faithfully.
#[derive(Debug, Clone)]
pub enum Fault {
    None,
    /// Every object: headers and half the body, then the connection is closed.
    DropMidBody,
    /// Every object: headers and half the body, then silence until the client leaves.
    StallMidBody,
    /// The first `n` requests get 500; later ones are served.
    FailFirst(usize),
    /// This object (by hash) is 404.
    MissingObject(String),
    /// Every object's bytes are changed (same length, so only the hash can tell).
    WrongBytes,
    /// Every object is an endless stream with no length.
    EndlessObject,
    /// The manifest is an endless stream with no length.
    EndlessManifest,
    /// The manifest stops half way.
    TruncatedManifest,
    /// The manifest is an HTML error page.
    NotJsonManifest,
    /// Every request is redirected to the same path on this origin.
    RedirectTo(String),
    /// Every object waits this long before its body is sent.
    Trickle(Duration),
}

/// A hand-written HTTP/1.1 server (one response per connection) that serves a bundle
/// directory with one [`Fault`].
pub struct FaultServer {
    pub url: String,
    requests: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    port: u16,
}

impl FaultServer {
    pub fn start(bundle: &Path, fault: Fault) -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("local addr").port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let served = Arc::new(AtomicUsize::new(0));
        let bundle = bundle.to_path_buf();
        let (log, stopping) = (requests.clone(), stop.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (bundle, fault, log, served) =
                    (bundle.clone(), fault.clone(), log.clone(), served.clone());
                std::thread::spawn(move || {
                    let _ = handle(stream, &bundle, &fault, &log, &served);
                });
            }
        });
        FaultServer {
            url: format!("http://127.0.0.1:{port}/"),
            requests,
            stop,
            port,
        }
    }

    /// The request paths seen so far.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn handle(
    mut stream: TcpStream,
    bundle: &Path,
    fault: &Fault,
    log: &Mutex<Vec<String>>,
    served: &AtomicUsize,
) -> std::io::Result<()> {
    let path = read_request_path(&stream)?;
    if let Ok(mut log) = log.lock() {
        log.push(path.clone());
    }
    let number = served.fetch_add(1, Ordering::SeqCst);
    let is_manifest = path == "/manifest.json";
    let file = bundle.join(path.trim_start_matches('/'));
    let head = |status: &str, length: Option<usize>| {
        let length = length.map_or(String::new(), |n| format!("content-length: {n}\r\n"));
        format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\nconnection: close\r\n{length}\r\n"
        )
    };
    match fault {
        Fault::FailFirst(n) if number < *n => {
            return stream.write_all(head("500 Internal Server Error", Some(0)).as_bytes());
        }
        Fault::RedirectTo(origin) => {
            let to = format!("{}{}", origin.trim_end_matches('/'), path);
            return stream.write_all(
                format!("HTTP/1.1 302 Found\r\nlocation: {to}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                    .as_bytes(),
            );
        }
        Fault::MissingObject(hash) if path.ends_with(hash.as_str()) => {
            return stream.write_all(head("404 Not Found", Some(0)).as_bytes());
        }
        Fault::EndlessManifest if is_manifest => {
            return endless(&mut stream, &head("200 OK", None));
        }
        Fault::EndlessObject if !is_manifest => return endless(&mut stream, &head("200 OK", None)),
        _ => {}
    }
    let valid = is_manifest
        || (path.starts_with("/objects/") || path.starts_with("/indexes/")) && !path.contains("..");
    let Some(mut body) = valid.then(|| std::fs::read(&file).ok()).flatten() else {
        return stream.write_all(head("404 Not Found", Some(0)).as_bytes());
    };
    match fault {
        Fault::TruncatedManifest if is_manifest => body.truncate(body.len() / 2),
        Fault::NotJsonManifest if is_manifest => {
            body = b"<html><body>Bad gateway</body></html>".to_vec()
        }
        Fault::WrongBytes if !is_manifest => {
            for byte in body.iter_mut().filter(|b| b.is_ascii_lowercase()) {
                *byte = byte.to_ascii_uppercase();
            }
        }
        _ => {}
    }
    stream.write_all(head("200 OK", Some(body.len())).as_bytes())?;
    match fault {
        Fault::DropMidBody if !is_manifest => stream.write_all(&body[..body.len() / 2]),
        Fault::StallMidBody if !is_manifest => {
            stream.write_all(&body[..body.len() / 2])?;
            stream.flush()?;
            // Hold the connection open, silent, until the client gives up on it.
            let mut sink = [0u8; 64];
            while stream.read(&mut sink)? > 0 {}
            Ok(())
        }
        Fault::Trickle(delay) if !is_manifest => {
            stream.flush()?;
            std::thread::sleep(*delay);
            stream.write_all(&body)
        }
        _ => stream.write_all(&body),
    }
}

fn endless(stream: &mut TcpStream, head: &str) -> std::io::Result<()> {
    stream.write_all(head.as_bytes())?;
    let chunk = [b'x'; 16 * 1024];
    // Ends when the client closes the connection (the write fails).
    loop {
        stream.write_all(&chunk)?;
    }
}

/// Reads the request head and returns its path.
fn read_request_path(stream: &TcpStream) -> std::io::Result<String> {
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
    }
    Ok(request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_string())
}
