//! `csec preview`: the web UI in any browser. Serves `ui/` and the engine's command
//! table over HTTP on this machine: `POST /api/<command>` with the arguments as a JSON
//! body answers the command's JSON, exactly what the Tauri shell answers to `invoke`.

use std::io::Write as _;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use anyhow::{Context as _, Result, bail};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path as UrlPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use csec_bundle::PublicKey;
use csec_engine::commands::{COMMANDS, SYNC_COMMAND, dispatch};
use csec_engine::{Cache, EngineError};
use csec_sync::{
    Connection, Progress, SyncError, fetch_attachment_from_settings, sync_from_settings,
};
use serde_json::{Value, json};
use time::OffsetDateTime;

/// The same policy as the app's: nothing inline, nothing remote.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ipc: http://ipc.localhost; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

struct Preview {
    ui: PathBuf,
    db: PathBuf,
    cache: Mutex<Cache>,
    trusted: Vec<PublicKey>,
    /// `host:port` values a request may name: anything else is refused, so a web page
    /// elsewhere cannot reach this server through DNS rebinding.
    hosts: Vec<String>,
}

pub fn run(ui: &Path, db: &Path, addr: &str, trusted: Vec<PublicKey>) -> Result<ExitCode> {
    if !ui.join("index.html").is_file() {
        bail!(
            "{} has no index.html; pass the UI folder with --ui",
            ui.display()
        );
    }
    let cache = Cache::open(db)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("could not start the server runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("could not listen on {addr}"))?;
        let local = listener.local_addr()?;
        if !local.ip().is_loopback() {
            bail!("csec preview listens only on this machine (127.0.0.1 or ::1), not {local}");
        }
        let port = local.port();
        let state = Arc::new(Preview {
            ui: ui.to_path_buf(),
            db: db.to_path_buf(),
            cache: Mutex::new(cache),
            trusted,
            hosts: vec![
                format!("127.0.0.1:{port}"),
                format!("localhost:{port}"),
                format!("[::1]:{port}"),
            ],
        });
        println!("serving {} at http://{local}/", ui.display());
        std::io::stdout().flush()?;
        let app = Router::new()
            .route("/api/{command}", post(command))
            .route("/attachments/{sha256}/{*item}", get(attachment))
            .fallback(static_file)
            .layer(middleware::from_fn_with_state(state.clone(), guard))
            .with_state(state);
        axum::serve(listener, app).await?;
        Ok(ExitCode::SUCCESS)
    })
}

/// Refuses foreign Host headers, and adds the security headers to every response.
async fn guard(State(state): State<Arc<Preview>>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if !state.hosts.iter().any(|h| h == host) {
        return (
            StatusCode::FORBIDDEN,
            "csec preview answers only to 127.0.0.1",
        )
            .into_response();
    }
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CACHE_CONTROL, "no-cache"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

async fn command(
    State(state): State<Arc<Preview>>,
    UrlPath(name): UrlPath<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    // A form on another site can POST here, but cannot send this content type
    // without a CORS preflight, which this server never grants.
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !is_json {
        return failure(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the arguments as application/json",
        );
    }
    let arguments: Value = if body.is_empty() {
        json!({})
    } else {
        match serde_json::from_slice(&body) {
            Ok(value) => value,
            Err(e) => {
                return failure(
                    StatusCode::BAD_REQUEST,
                    &format!("the arguments are not JSON: {e}"),
                );
            }
        }
    };
    if name == SYNC_COMMAND {
        return sync(&state, &arguments).await;
    }
    if !COMMANDS.contains(&name.as_str()) {
        return failure(
            StatusCode::NOT_FOUND,
            &EngineError::UnknownCommand(name).to_string(),
        );
    }
    let result = match state.cache.lock() {
        Ok(cache) => dispatch(&cache, &name, arguments, OffsetDateTime::now_utc()),
        Err(_) => {
            return failure(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the library is unavailable; restart csec preview",
            );
        }
    };
    match result {
        Ok(mut value) => {
            if name == "sync_status" {
                // For the About screen: the keys this shell trusts, as people compare them.
                value["publisher_keys"] =
                    state.trusted.iter().map(PublicKey::fingerprint).collect();
            }
            axum::Json(value).into_response()
        }
        Err(error) => {
            let status = match error {
                EngineError::NotFound(_) | EngineError::UnknownCommand(_) => StatusCode::NOT_FOUND,
                EngineError::BadArguments { .. } => StatusCode::BAD_REQUEST,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            };
            failure(status, &error.to_string())
        }
    }
}

/// The "sync" command, on its own connection to the cache so reading goes on meanwhile.
/// `{"connection": "unmetered" | "metered" | "unknown"}` is what the page knows of the
/// network (for the `attachments` setting).
async fn sync(state: &Preview, arguments: &Value) -> Response {
    let mut cache = match Cache::open(&state.db) {
        Ok(cache) => cache,
        Err(error) => return failure(StatusCode::INTERNAL_SERVER_ERROR, &error.to_string()),
    };
    let connection: Connection = arguments
        .get("connection")
        .and_then(|c| serde_json::from_value(c.clone()).ok())
        .unwrap_or_default();
    let mut ignore = |_: Progress| {};
    match sync_from_settings(
        &mut cache,
        state.trusted.clone(),
        OffsetDateTime::now_utc(),
        connection,
        &mut ignore,
    )
    .await
    {
        Ok(report) => axum::Json(report).into_response(),
        Err(error) => {
            let body = json!({ "error": error.to_string(), "kind": error.kind() });
            (StatusCode::BAD_GATEWAY, axum::Json(body)).into_response()
        }
    }
}

/// `GET /attachments/<sha256>/<item id>`: the file, from the library or downloaded
/// from the update address (and then kept), as a download under its own name; the
/// browser hands it to the system's viewer.
async fn attachment(
    State(state): State<Arc<Preview>>,
    UrlPath((sha256, item)): UrlPath<(String, String)>,
) -> Response {
    let mut cache = match Cache::open(&state.db) {
        Ok(cache) => cache,
        Err(error) => return failure(StatusCode::INTERNAL_SERVER_ERROR, &error.to_string()),
    };
    let fetched =
        fetch_attachment_from_settings(&mut cache, OffsetDateTime::now_utc(), &item, &sha256).await;
    match fetched {
        Ok((listing, bytes)) => {
            let disposition = format!("attachment; filename=\"{}\"", listing.file_name);
            let mut response = bytes.into_response();
            let headers = response.headers_mut();
            for (name, value) in [
                (header::CONTENT_TYPE, listing.media_type),
                (header::CONTENT_DISPOSITION, disposition),
            ] {
                if let Ok(value) = HeaderValue::from_str(&value) {
                    headers.insert(name, value);
                }
            }
            response
        }
        Err(SyncError::Cache(EngineError::NotFound(what))) => failure(
            StatusCode::NOT_FOUND,
            &EngineError::NotFound(what).to_string(),
        ),
        Err(error) => {
            let body = json!({ "error": error.to_string(), "kind": error.kind() });
            (StatusCode::BAD_GATEWAY, axum::Json(body)).into_response()
        }
    }
}

fn failure(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(json!({ "error": message }))).into_response()
}

/// Files under the UI folder; `/` is `index.html`. Paths with `..` or hidden parts
/// are refused.
async fn static_file(State(state): State<Arc<Preview>>, request: Request) -> Response {
    let path = request.uri().path().trim_start_matches('/');
    let path = if path.is_empty() { "index.html" } else { path };
    let relative = Path::new(path);
    let safe = relative
        .components()
        .all(|c| matches!(c, Component::Normal(part) if !part.to_string_lossy().starts_with('.')));
    if !safe {
        return StatusCode::NOT_FOUND.into_response();
    }
    match tokio::fs::read(state.ui.join(relative)).await {
        Ok(bytes) => ([(header::CONTENT_TYPE, content_type(relative))], bytes).into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}
