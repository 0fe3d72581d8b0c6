//! Which update addresses a device may use (design rule 7): a rule of the settings as
//! much as of sync, so it lives here, with no network code.

use std::net::IpAddr;

pub use url::Url;

/// Why an update address was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    /// Not `https://`, and not `http://` to this device.
    #[error(
        "the update address {url} is not allowed: only https:// addresses, or http:// on this device itself, may be used"
    )]
    Insecure { url: String },
    /// A nearby device's `http://` address that is not on a local network.
    #[error(
        "{url} is not a nearby device: http:// is allowed only for an address on a local network (such as 192.168.x.x or 10.x.x.x, as the laptop shows it); use https:// for anything else"
    )]
    NotLocal { url: String },
    /// Not a usable web address at all.
    #[error("{url:?} is not a web address: {reason}")]
    Invalid { url: String, reason: String },
}

/// Checks an update address (https, or http to this device only) and normalises it to
/// a directory URL, so `manifest.json` resolves inside it.
pub fn update_address(text: &str) -> Result<Url, AddressError> {
    address(text, false)
}

/// Checks the address of a nearby device serving a copy of the bundle (`csec serve
/// --lan`): as [`update_address`], and `http://` is also allowed to an IP address on
/// a local network (private, link-local or unique-local), because the signature, not
/// the connection, protects the content. A host name is not enough: it could resolve
/// anywhere.
pub fn mirror_address(text: &str) -> Result<Url, AddressError> {
    address(text, true)
}

fn address(text: &str, local_http: bool) -> Result<Url, AddressError> {
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
    let ip = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
        .ok();
    let loopback = host.eq_ignore_ascii_case("localhost") || ip.is_some_and(|ip| ip.is_loopback());
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" if local_http && ip.is_some_and(is_local_network) => {}
        "http" if local_http => {
            return Err(AddressError::NotLocal {
                url: text.trim().to_string(),
            });
        }
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

/// An address only a local network reaches: 10/8, 172.16/12, 192.168/16, 169.254/16,
/// fc00::/7 and fe80::/10.
fn is_local_network(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_private() || v4.is_link_local(),
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80
        }
    }
}
