//! Which update addresses a device may use (design rule 7): a rule of the settings as
//! much as of sync, so it lives here, with no network code.

use std::net::IpAddr;

pub use url::Url;

/// Why an update address was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddressError {
    /// Not `https://`, and not `http://` to this device.
    Insecure { url: String },
    /// Not a usable web address at all.
    Invalid { url: String, reason: String },
}

/// Checks an update address (https, or http to this device only) and normalises it to
/// a directory URL, so `manifest.json` resolves inside it.
pub fn update_address(text: &str) -> Result<Url, AddressError> {
    let bad = |reason: &str| AddressError::Invalid {
        url: text.to_string(),
        reason: reason.to_string(),
    };
    let mut url = Url::parse(text.trim()).map_err(|e| bad(&e.to_string()))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("it must not contain a user name or password"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("it must not contain ? or #"));
    }
    let Some(host) = url.host_str() else {
        return Err(bad("it has no host"));
    };
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        _ => {
            return Err(AddressError::Insecure {
                url: text.to_string(),
            });
        }
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}
