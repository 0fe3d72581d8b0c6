//! `csec serve`: a static host for one bundle, for development and tests. It does
//! what a well-configured CDN does: strong ETags and 304s, a gzipped manifest that
//! is revalidated every time, and objects cached forever (their name is their hash).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context as _, Result, bail};
use axum::Router;
use axum::body::{Body, HttpBody as _};
use axum::extract::{Path as UrlPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use csec_bundle::{INDEXES_DIR, MANIFEST_FILE, OBJECTS_DIR, sha256_hex};

pub fn run(dir: &Path, addr: Option<&str>, lan: bool) -> Result<ExitCode> {
    // Without --lan only this machine can connect.
    let addr = addr.unwrap_or(if lan {
        "0.0.0.0:8787"
    } else {
        "127.0.0.1:8787"
    });
    if !dir.join(MANIFEST_FILE).is_file() {
        bail!(
            "{} is not a bundle (it has no {MANIFEST_FILE}); build one with `csec build --out {}`",
            dir.display(),
            dir.display()
        );
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("could not start the server runtime")?;
    runtime.block_on(serve(dir.to_path_buf(), addr, lan))
}

async fn serve(dir: PathBuf, addr: &str, lan: bool) -> Result<ExitCode> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("could not listen on {addr}"))?;
    let local = listener.local_addr()?;
    // The first line is the address: tests and scripts start with port 0 and read it.
    if lan {
        crate::lan::announce(&dir, local)?;
    } else {
        println!("serving {} at http://{local}/", dir.display());
    }
    std::io::stdout().flush()?;
    let app = Router::new()
        .route(&format!("/{MANIFEST_FILE}"), get(manifest))
        .route(&format!("/{OBJECTS_DIR}/{{hash}}"), get(object))
        .route(&format!("/{INDEXES_DIR}/{{hash}}"), get(index_file))
        .fallback(|| async { StatusCode::NOT_FOUND })
        .layer(middleware::from_fn(log))
        .with_state(Arc::new(dir));
    axum::serve(listener, app).await?;
    Ok(ExitCode::SUCCESS)
}

/// One line per request on stderr: method, path, status, body bytes.
async fn log(request: Request, next: Next) -> Response {
    let line = format!("{} {}", request.method(), request.uri().path());
    let response = next.run(request).await;
    let length = response.body().size_hint().exact().unwrap_or(0);
    eprintln!("{line} {} {length}", response.status().as_u16());
    response
}

async fn manifest(State(dir): State<Arc<PathBuf>>, headers: HeaderMap) -> Response {
    let Ok(bytes) = tokio::fs::read(dir.join(MANIFEST_FILE)).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let hash = sha256_hex(&bytes);
    let gzip = accepts_gzip(&headers);
    // Two representations, two strong ETags.
    let etag = if gzip {
        format!("\"{hash}-gzip\"")
    } else {
        format!("\"{hash}\"")
    };
    let mut response = if none_match(&headers, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else if gzip {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        let compressed = encoder.write_all(&bytes).and_then(|()| encoder.finish());
        match compressed {
            Ok(body) => {
                let mut response = Body::from(body).into_response();
                response
                    .headers_mut()
                    .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
                response
            }
            Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        }
    } else {
        Body::from(bytes).into_response()
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    // Always revalidate: a new edition must be seen on the next check.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    set_etag(headers, &etag);
    response
}

async fn object(
    State(dir): State<Arc<PathBuf>>,
    UrlPath(hash): UrlPath<String>,
    headers: HeaderMap,
) -> Response {
    immutable(&dir.join(OBJECTS_DIR), hash, &headers).await
}

async fn index_file(
    State(dir): State<Arc<PathBuf>>,
    UrlPath(hash): UrlPath<String>,
    headers: HeaderMap,
) -> Response {
    immutable(&dir.join(INDEXES_DIR), hash, &headers).await
}

/// A file named by its hash, in `dir`: cached forever, since it never changes.
async fn immutable(dir: &std::path::Path, hash: String, headers: &HeaderMap) -> Response {
    // The name is the hash: nothing else is served, so no path can escape the bundle.
    let is_hash = hash.len() == 64 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    if !is_hash {
        return StatusCode::NOT_FOUND.into_response();
    }
    let etag = format!("\"{hash}\"");
    let mut response = if none_match(headers, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        match tokio::fs::read(dir.join(&hash)).await {
            Ok(bytes) => Body::from(bytes).into_response(),
            Err(_) => return StatusCode::NOT_FOUND.into_response(),
        }
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    set_etag(headers, &etag);
    response
}

fn set_etag(headers: &mut HeaderMap, etag: &str) {
    if let Ok(value) = HeaderValue::from_str(etag) {
        headers.insert(header::ETAG, value);
    }
}

/// `If-None-Match` lists `etag` (weak comparison, as RFC 9110 asks for GET) or is `*`.
fn none_match(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == "*" || tag == etag)
}

/// `Accept-Encoding` names gzip without `q=0`.
fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            let refused = |param: &str| {
                param
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    == Some(0.0)
            };
            parts
                .next()
                .is_some_and(|name| name.eq_ignore_ascii_case("gzip"))
                && !parts.any(refused)
        })
}
