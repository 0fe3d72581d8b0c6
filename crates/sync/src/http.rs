//! The only place the app touches the network: GET requests to the one content
//! host, with caps, timeouts and retries.

use std::time::Duration;

use reqwest::{StatusCode, Url, header, redirect};

use super::{SyncError, SyncOptions};

/// [`csec_engine::update_address`], with its refusal as a sync error.
pub fn source_url(text: &str) -> Result<Url, SyncError> {
    csec_engine::update_address(text).map_err(SyncError::from)
}

/// A GET whose answer was read in full.
pub(crate) enum Fetched {
    Body {
        bytes: Vec<u8>,
        etag: Option<String>,
    },
    NotModified,
}

#[derive(Clone)]
pub(crate) struct Http {
    client: reqwest::Client,
    attempts: u32,
    retry_delay: Duration,
}

impl Http {
    pub(crate) fn new(base: &Url, options: &SyncOptions) -> Result<Http, SyncError> {
        // reqwest is built without a crypto provider (see the workspace Cargo.toml);
        // ring is installed here, unless the host application installed one first.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let origin = base.origin();
        let policy = redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() >= 5 {
                attempt.error("too many redirects")
            } else if attempt.url().origin() == origin {
                attempt.follow()
            } else {
                attempt.error("a redirect to another origin")
            }
        });
        let client = reqwest::Client::builder()
            .user_agent(concat!("csec-field-guide/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(options.connect_timeout)
            .read_timeout(options.stall_timeout)
            .redirect(policy)
            .build()
            .map_err(|e| SyncError::Network {
                what: "the connection".into(),
                detail: e.to_string(),
            })?;
        Ok(Http {
            client,
            attempts: options.attempts.max(1),
            retry_delay: options.retry_delay,
        })
    }

    /// The same client, trying each request once.
    pub(crate) fn single_attempt(&self) -> Http {
        Http {
            attempts: 1,
            ..self.clone()
        }
    }

    /// GETs `url` and reads at most `cap` bytes of (decoded) body, retrying transient
    /// failures with exponential backoff. `what` names the file in errors.
    pub(crate) async fn get(
        &self,
        url: &Url,
        what: &str,
        cap: u64,
        if_none_match: Option<&str>,
    ) -> Result<Fetched, SyncError> {
        let mut delay = self.retry_delay;
        let mut attempt = 1;
        loop {
            match self.get_once(url, what, cap, if_none_match).await {
                Err(error) if error.is_transient() && attempt < self.attempts => {
                    tokio::time::sleep(delay).await;
                    delay *= 4;
                    attempt += 1;
                }
                result => return result,
            }
        }
    }

    async fn get_once(
        &self,
        url: &Url,
        what: &str,
        cap: u64,
        if_none_match: Option<&str>,
    ) -> Result<Fetched, SyncError> {
        let mut request = self.client.get(url.clone());
        if let Some(etag) = if_none_match {
            request = request.header(header::IF_NONE_MATCH, etag);
        }
        let mut response = request.send().await.map_err(|e| transport_error(e, what))?;
        let status = response.status();
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Fetched::NotModified);
        }
        if !status.is_success() {
            return Err(SyncError::Server {
                status: status.as_u16(),
                what: what.to_string(),
            });
        }
        let etag = response
            .headers()
            .get(header::ETAG)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        if response.content_length().is_some_and(|n| n > cap) {
            return Err(overflow(what, cap));
        }
        let mut bytes =
            Vec::with_capacity(response.content_length().unwrap_or(0).min(cap) as usize);
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| transport_error(e, what))?
        {
            if (bytes.len() + chunk.len()) as u64 > cap {
                return Err(overflow(what, cap));
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(Fetched::Body { bytes, etag })
    }
}

/// A body longer than its cap: which error that is depends on what was fetched.
fn overflow(what: &str, cap: u64) -> SyncError {
    if what == csec_bundle::MANIFEST_FILE {
        SyncError::ManifestTooLarge { cap }
    } else {
        SyncError::ObjectTooLarge {
            id: what.to_string(),
            size: cap,
        }
    }
}

fn transport_error(error: reqwest::Error, what: &str) -> SyncError {
    if error.is_redirect() {
        return SyncError::Redirect {
            what: what.to_string(),
            target: error
                .url()
                .map_or_else(|| "unknown".into(), |u| u.origin().ascii_serialization()),
        };
    }
    if error.is_timeout() {
        return SyncError::Timeout {
            what: what.to_string(),
        };
    }
    // reqwest's Display is terse ("error sending request"); the source chain says
    // what actually happened (connection refused, reset, ...).
    let mut detail = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        detail = format!("{detail}: {cause}");
        source = cause.source();
    }
    SyncError::Network {
        what: what.to_string(),
        detail,
    }
}

#[cfg(test)]
mod tests {
    use super::source_url;

    #[test]
    fn plain_http_only_to_this_device() {
        for ok in [
            "https://cdn.example.org/csec",
            "http://127.0.0.1:8787",
            "http://127.0.0.2:8787/b/",
            "http://localhost/",
            "http://[::1]:80/x",
        ] {
            assert!(source_url(ok).is_ok(), "{ok}");
        }
        for (bad, kind) in [
            ("http://example.org", "insecure-source"),
            ("http://127.0.0.1.evil.org", "insecure-source"),
            ("http://localhost@evil.org", "bad-source"),
            ("ftp://x", "insecure-source"),
            ("https://", "bad-source"),
            ("https://x/?a=1", "bad-source"),
            ("javascript:x", "bad-source"),
            ("", "bad-source"),
        ] {
            let error = source_url(bad).err();
            assert_eq!(error.as_ref().map(|e| e.kind()), Some(kind), "{bad}");
        }
    }

    #[test]
    fn the_address_becomes_a_directory() {
        let url = source_url("https://cdn.example.org/csec").unwrap();
        assert_eq!(
            url.join("manifest.json").unwrap().as_str(),
            "https://cdn.example.org/csec/manifest.json"
        );
    }
}
