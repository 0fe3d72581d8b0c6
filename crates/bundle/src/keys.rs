//! Ed25519 keys in small text files a publisher can read, copy and rotate.
//!
//! `signing.key`: `csec-ed25519-secret:<base64 seed>`; `signing.pub`: one
//! `csec-ed25519:<base64 key>` line per trusted key (several lines let a key be
//! rotated without stranding devices). Lines starting with `#` are comments.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::{SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::BundleError;

const SECRET_PREFIX: &str = "csec-ed25519-secret:";
const PUBLIC_PREFIX: &str = "csec-ed25519:";

/// A publisher's signing key. Its `Debug` never shows the secret.
pub struct SecretKey(pub(crate) SigningKey);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretKey({})", self.public().keyid())
    }
}

impl SecretKey {
    pub fn public(&self) -> PublicKey {
        PublicKey(self.0.verifying_key())
    }

    /// The text of a `signing.key` file.
    pub fn to_file_text(&self) -> String {
        format!(
            "# CSEC Field Guide signing key. Keep it secret: whoever has it can publish to every device.\n{SECRET_PREFIX}{}\n",
            B64.encode(self.0.to_bytes())
        )
    }
}

/// A key that devices trust.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey(pub(crate) VerifyingKey);

impl PublicKey {
    /// Hex SHA-256 of the raw key: names the key in signatures.
    pub fn keyid(&self) -> String {
        hex::encode(Sha256::digest(self.0.as_bytes()))
    }

    /// What people compare by eye: [`fingerprint`] of the key id.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.keyid())
    }

    /// One line of a `signing.pub` file.
    pub fn to_file_text(&self) -> String {
        format!("{PUBLIC_PREFIX}{}\n", B64.encode(self.0.as_bytes()))
    }
}

/// A key from 32 random bytes. The caller supplies the randomness: this crate does no IO.
pub fn generate_secret_key(seed: [u8; 32]) -> SecretKey {
    SecretKey(SigningKey::from_bytes(&seed))
}

fn key_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

fn decode_32(encoded: &str, what: &str) -> Result<[u8; 32], BundleError> {
    let bytes = B64
        .decode(encoded.trim())
        .map_err(|_| BundleError::MalformedKey(format!("the {what} is not valid base64")))?;
    bytes
        .try_into()
        .map_err(|_| BundleError::MalformedKey(format!("the {what} is not 32 bytes long")))
}

pub fn parse_secret_key(text: &str) -> Result<SecretKey, BundleError> {
    let mut lines = key_lines(text);
    let line = lines.next().ok_or_else(|| {
        BundleError::MalformedKey("the file holds no key; create one with `csec keygen`".into())
    })?;
    let encoded = line.strip_prefix(SECRET_PREFIX).ok_or_else(|| {
        if line.starts_with(PUBLIC_PREFIX) {
            BundleError::MalformedKey(
                "this is a public key (signing.pub); signing needs signing.key".into(),
            )
        } else {
            BundleError::MalformedKey(format!("expected a line starting with {SECRET_PREFIX}"))
        }
    })?;
    Ok(SecretKey(SigningKey::from_bytes(&decode_32(
        encoded,
        "secret key",
    )?)))
}

/// Every key in a trust file (at least one).
pub fn parse_public_keys(text: &str) -> Result<Vec<PublicKey>, BundleError> {
    let mut keys = Vec::new();
    for line in key_lines(text) {
        if line.starts_with(SECRET_PREFIX) {
            return Err(BundleError::MalformedKey(
                "this is a secret signing key; devices must be given signing.pub, never signing.key"
                    .into(),
            ));
        }
        let encoded = line.strip_prefix(PUBLIC_PREFIX).ok_or_else(|| {
            BundleError::MalformedKey(format!("expected lines starting with {PUBLIC_PREFIX}"))
        })?;
        let key = VerifyingKey::from_bytes(&decode_32(encoded, "public key")?)
            .map_err(|_| BundleError::MalformedKey("not a valid Ed25519 public key".into()))?;
        keys.push(PublicKey(key));
    }
    if keys.is_empty() {
        return Err(BundleError::MalformedKey(
            "the file holds no public key".into(),
        ));
    }
    Ok(keys)
}

/// A key id as people compare it (on the app's About screen and in `csec serve
/// --lan`): its first 16 hex digits in groups of four, `3f2a 91c0 7d4e 0b18`.
pub fn fingerprint(keyid: &str) -> String {
    let digits: Vec<char> = keyid.chars().take(16).collect();
    digits
        .chunks(4)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_through_their_files() {
        let secret = generate_secret_key([7; 32]);
        let again = parse_secret_key(&secret.to_file_text()).unwrap();
        assert_eq!(again.public(), secret.public());
        let two = format!(
            "# old\n{}{}",
            generate_secret_key([8; 32]).public().to_file_text(),
            secret.public().to_file_text()
        );
        let keys = parse_public_keys(&two).unwrap();
        assert_eq!(keys.len(), 2);
        assert_eq!(keys[1], secret.public());
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let secret = generate_secret_key([7; 32]);
        let encoded = B64.encode([7u8; 32]);
        assert!(!format!("{secret:?}").contains(&encoded));
    }

    #[test]
    fn mixing_up_key_files_is_explained() {
        let secret = generate_secret_key([7; 32]);
        let err = parse_public_keys(&secret.to_file_text()).unwrap_err();
        assert!(err.to_string().contains("signing.pub"), "{err}");
        let err = parse_secret_key(&secret.public().to_file_text()).unwrap_err();
        assert!(err.to_string().contains("signing.key"), "{err}");
        assert!(parse_public_keys("").is_err());
        assert!(parse_public_keys("csec-ed25519:AAAA").is_err());
    }
}
