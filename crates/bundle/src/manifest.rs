//! `manifest.json`: a DSSE envelope over either a JSON list of every object in the
//! bundle (format 1) or the root that names the index files (format 2, `root.rs`).

use std::collections::HashSet;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::Signer as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::root::{FORMAT_2, Root};
use crate::{BundleError, Item, Kind, PublicKey, SecretKey, is_valid_id};

pub const FORMAT: &str = "csec-bundle/1";
pub const PAYLOAD_TYPE: &str = "application/vnd.csec-field-guide.manifest+json";
pub const MANIFEST_FILE: &str = "manifest.json";
pub const OBJECTS_DIR: &str = "objects";

/// The signed list of what a bundle contains.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    /// Strictly increasing from one publication to the next; a lower one is a rollback.
    pub version: u64,
    #[serde(with = "time::serde::rfc3339")]
    pub published: OffsetDateTime,
    /// After this instant devices refuse to apply the manifest.
    #[serde(with = "time::serde::rfc3339")]
    pub expires: OffsetDateTime,
    /// `YYYY-MM-DD`: when the publisher last reviewed the whole edition. The app's
    /// "how old is this" comes from here, not from the newest letter's date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed: Option<String>,
    pub objects: Vec<ObjectEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectEntry {
    pub id: String,
    pub kind: Kind,
    pub sha256: String,
    pub size: u64,
}

impl ObjectEntry {
    /// The entry for an item and the bytes it describes.
    pub fn for_item(item: &Item) -> (ObjectEntry, Vec<u8>) {
        let bytes = item.to_bytes();
        let entry = ObjectEntry {
            id: item.id.clone(),
            kind: item.kind(),
            sha256: sha256_hex(&bytes),
            size: bytes.len() as u64,
        };
        (entry, bytes)
    }

    /// Path of the object inside the bundle directory, `/`-separated.
    pub fn path(&self) -> String {
        format!("{OBJECTS_DIR}/{}", self.sha256)
    }

    /// A valid id of the kind it is listed with, and a real SHA-256.
    pub(crate) fn validate(&self) -> Result<(), String> {
        if !is_valid_id(&self.id) {
            return Err(format!("{:?} is not a valid item id", self.id));
        }
        if !self.id.starts_with(&format!("{}/", self.kind.dir())) {
            return Err(format!("{} is listed with kind {}", self.id, self.kind));
        }
        if !is_sha256_hex(&self.sha256) {
            return Err(format!("{} has an invalid sha256", self.id));
        }
        Ok(())
    }
}

impl Manifest {
    pub fn is_expired(&self, now: OffsetDateTime) -> bool {
        now >= self.expires
    }

    fn validate(&self) -> Result<(), BundleError> {
        if self.format != FORMAT {
            return Err(BundleError::UnsupportedFormat(self.format.clone()));
        }
        check_reviewed(self.reviewed.as_deref())?;
        let bad = |why: String| Err(BundleError::MalformedPayload(why));
        let mut ids = HashSet::new();
        for entry in &self.objects {
            entry.validate().map_err(BundleError::MalformedPayload)?;
            if !ids.insert(entry.id.as_str()) {
                return bad(format!("{} is listed twice", entry.id));
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    pub keyid: String,
    pub sig: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct Envelope {
    #[serde(rename = "payloadType")]
    payload_type: String,
    payload: String,
    signatures: Vec<Signature>,
}

/// DSSE pre-authentication encoding: what is actually signed.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "DSSEv1 {} {} {} ",
        payload_type.len(),
        payload_type,
        payload.len()
    )
    .into_bytes();
    out.extend_from_slice(payload);
    out
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

pub(crate) fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The bytes of a format 1 `manifest.json`. Deterministic: Ed25519 signatures are.
pub fn sign_manifest(manifest: &Manifest, key: &SecretKey) -> Vec<u8> {
    // Serialising plain structs cannot fail.
    sign_payload(&serde_json::to_vec(manifest).unwrap_or_default(), key)
}

/// The bytes of a format 2 `manifest.json`: the signed root.
pub fn sign_root(root: &Root, key: &SecretKey) -> Vec<u8> {
    sign_payload(&serde_json::to_vec(root).unwrap_or_default(), key)
}

fn sign_payload(payload: &[u8], key: &SecretKey) -> Vec<u8> {
    let sig = key.0.sign(&pae(PAYLOAD_TYPE, payload));
    let envelope = Envelope {
        payload_type: PAYLOAD_TYPE.to_string(),
        payload: B64.encode(payload),
        signatures: vec![Signature {
            keyid: key.public().keyid(),
            sig: B64.encode(sig.to_bytes()),
        }],
    };
    let mut bytes = serde_json::to_vec_pretty(&envelope).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// The edition's review date, in either format, is absent or a real `YYYY-MM-DD`.
pub(crate) fn check_reviewed(reviewed: Option<&str>) -> Result<(), BundleError> {
    match reviewed {
        Some(date) if !is_iso_date(date) => Err(BundleError::MalformedPayload(format!(
            "reviewed {date:?} is not a YYYY-MM-DD date"
        ))),
        _ => Ok(()),
    }
}

/// `YYYY-MM-DD` with a real month and day.
pub fn is_iso_date(text: &str) -> bool {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    text.len() == 10 && time::Date::parse(text, &format).is_ok()
}

/// What `manifest.json` holds once its signature is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signed {
    /// Format 1: every object, listed in the signed file itself.
    Manifest(Manifest),
    /// Format 2: the root, naming the index files that list the objects.
    Root(Root),
}

impl Signed {
    pub fn version(&self) -> u64 {
        match self {
            Signed::Manifest(m) => m.version,
            Signed::Root(r) => r.version,
        }
    }

    pub fn expires(&self) -> OffsetDateTime {
        match self {
            Signed::Manifest(m) => m.expires,
            Signed::Root(r) => r.expires,
        }
    }

    pub fn is_expired(&self, now: OffsetDateTime) -> bool {
        now >= self.expires()
    }
}

/// Checks the envelope's signature against the trusted keys, then parses and
/// validates the payload, in either format. Expiry and rollback are the caller's
/// business: they need a clock and a cache.
pub fn open_signed(bytes: &[u8], trusted: &[PublicKey]) -> Result<Signed, BundleError> {
    let payload = open_envelope(bytes, trusted)?;
    #[derive(Deserialize)]
    struct Format {
        format: String,
    }
    let malformed = |e: serde_json::Error| BundleError::MalformedPayload(e.to_string());
    let format: Format = serde_json::from_slice(&payload).map_err(malformed)?;
    match format.format.as_str() {
        FORMAT => {
            let manifest: Manifest = serde_json::from_slice(&payload).map_err(malformed)?;
            manifest.validate()?;
            Ok(Signed::Manifest(manifest))
        }
        FORMAT_2 => {
            let root: Root = serde_json::from_slice(&payload).map_err(malformed)?;
            root.validate()?;
            Ok(Signed::Root(root))
        }
        other => Err(BundleError::UnsupportedFormat(other.to_string())),
    }
}

/// [`open_signed`] for a format 1 manifest only.
pub fn open_manifest(bytes: &[u8], trusted: &[PublicKey]) -> Result<Manifest, BundleError> {
    match open_signed(bytes, trusted)? {
        Signed::Manifest(manifest) => Ok(manifest),
        Signed::Root(root) => Err(BundleError::UnsupportedFormat(root.format)),
    }
}

/// The payload of an envelope signed by one of the trusted keys.
fn open_envelope(bytes: &[u8], trusted: &[PublicKey]) -> Result<Vec<u8>, BundleError> {
    let envelope: Envelope =
        serde_json::from_slice(bytes).map_err(|e| BundleError::MalformedEnvelope(e.to_string()))?;
    if envelope.payload_type != PAYLOAD_TYPE {
        return Err(BundleError::WrongPayloadType(envelope.payload_type));
    }
    let payload = B64
        .decode(&envelope.payload)
        .map_err(|_| BundleError::MalformedEnvelope("the payload is not valid base64".into()))?;
    let signed = pae(&envelope.payload_type, &payload);
    let verified = envelope.signatures.iter().any(|s| {
        trusted.iter().any(|key| {
            key.keyid() == s.keyid
                && B64
                    .decode(&s.sig)
                    .ok()
                    .and_then(|raw| ed25519_dalek::Signature::from_slice(&raw).ok())
                    .is_some_and(|sig| key.0.verify_strict(&signed, &sig).is_ok())
        })
    });
    if !verified {
        return Err(BundleError::UntrustedSignature);
    }
    Ok(payload)
}

/// Checks an object's bytes against its manifest entry and parses the item.
pub fn verify_object(entry: &ObjectEntry, bytes: &[u8]) -> Result<Item, BundleError> {
    let size = bytes.len() as u64;
    if size != entry.size {
        return Err(BundleError::SizeMismatch {
            id: entry.id.clone(),
            size,
            expected: entry.size,
        });
    }
    if sha256_hex(bytes) != entry.sha256 {
        return Err(BundleError::HashMismatch {
            id: entry.id.clone(),
        });
    }
    let malformed = |reason: String| BundleError::MalformedItem {
        id: entry.id.clone(),
        reason,
    };
    let item: Item = serde_json::from_slice(bytes).map_err(|e| malformed(e.to_string()))?;
    if let Some(problem) = item.attachments.iter().find_map(|a| a.problem()) {
        return Err(malformed(problem));
    }
    if item.id != entry.id || item.kind() != entry.kind {
        return Err(malformed(format!(
            "it is {} ({}), not what the manifest lists",
            item.id,
            item.kind()
        )));
    }
    Ok(item)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Details, generate_secret_key};
    use time::macros::datetime;

    fn item() -> Item {
        Item {
            id: "reports/r".into(),
            title: "R".into(),
            date: Some("2015".into()),
            updated: None,
            summary: "s".into(),
            sources: vec![],
            related: vec![],
            body: "b".into(),
            lang: Default::default(),
            translation_of: None,
            attachments: Vec::new(),
            details: Details::Report { publisher: None },
        }
    }

    fn manifest_for(bytes: &[u8]) -> Manifest {
        Manifest {
            format: FORMAT.into(),
            version: 7,
            published: datetime!(2026-01-01 00:00 UTC),
            expires: datetime!(2026-04-01 00:00 UTC),
            reviewed: Some("2026-01-01".into()),
            objects: vec![ObjectEntry {
                id: "reports/r".into(),
                kind: Kind::Report,
                sha256: sha256_hex(bytes),
                size: bytes.len() as u64,
            }],
        }
    }

    #[test]
    fn pae_matches_the_dsse_spec_example() {
        // From the DSSE protocol document.
        assert_eq!(
            pae("http://example.com/HelloWorld", b"hello world"),
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world".to_vec()
        );
    }

    #[test]
    fn signed_manifest_opens_only_with_the_right_key() {
        let key = generate_secret_key([1; 32]);
        let other = generate_secret_key([2; 32]);
        let bytes = item().to_bytes();
        let manifest = manifest_for(&bytes);
        let signed = sign_manifest(&manifest, &key);
        assert_eq!(
            signed,
            sign_manifest(&manifest, &key),
            "signing is deterministic"
        );
        assert_eq!(open_manifest(&signed, &[key.public()]).unwrap(), manifest);
        assert_eq!(
            open_manifest(&signed, &[other.public(), key.public()]).unwrap(),
            manifest
        );
        assert_eq!(
            open_manifest(&signed, &[other.public()]),
            Err(BundleError::UntrustedSignature)
        );
        assert!(manifest.is_expired(datetime!(2026-04-01 00:00 UTC)));
        assert!(!manifest.is_expired(datetime!(2026-03-31 23:59 UTC)));
    }

    #[test]
    fn a_changed_payload_breaks_the_signature() {
        let key = generate_secret_key([1; 32]);
        let bytes = item().to_bytes();
        let mut manifest = manifest_for(&bytes);
        let signed = sign_manifest(&manifest, &key);
        let mut envelope: Envelope = serde_json::from_slice(&signed).unwrap();
        manifest.version = 8;
        envelope.payload = B64.encode(serde_json::to_vec(&manifest).unwrap());
        let forged = serde_json::to_vec(&envelope).unwrap();
        assert_eq!(
            open_manifest(&forged, &[key.public()]),
            Err(BundleError::UntrustedSignature)
        );
    }

    #[test]
    fn objects_are_checked_for_size_hash_and_identity() {
        let bytes = item().to_bytes();
        let entry = manifest_for(&bytes).objects.remove(0);
        assert_eq!(verify_object(&entry, &bytes).unwrap(), item());
        let mut flipped = bytes.clone();
        flipped[3] ^= 1;
        assert!(matches!(
            verify_object(&entry, &flipped),
            Err(BundleError::HashMismatch { .. })
        ));
        assert!(matches!(
            verify_object(&entry, &bytes[1..]),
            Err(BundleError::SizeMismatch { .. })
        ));
        let mut wrong = entry.clone();
        wrong.id = "reports/other".into();
        assert!(matches!(
            verify_object(&wrong, &bytes),
            Err(BundleError::MalformedItem { .. })
        ));
    }

    #[test]
    fn an_object_listing_an_unsafe_attachment_is_refused() {
        let mut listed = item();
        listed.attachments.push(crate::Attachment {
            title: "Slides".into(),
            file_name: "slides.html".into(),
            media_type: "text/html".into(),
            sha256: "a".repeat(64),
            size: 10,
        });
        let bytes = listed.to_bytes();
        let entry = manifest_for(&bytes).objects.remove(0);
        let refused = verify_object(&entry, &bytes);
        assert!(
            matches!(&refused, Err(BundleError::MalformedItem { reason, .. }) if reason.contains("text/html")),
            "{refused:?}"
        );
    }

    #[test]
    fn garbage_never_panics() {
        let key = generate_secret_key([1; 32]).public();
        for input in [
            &b""[..],
            b"{",
            b"null",
            b"[]",
            b"{\"payloadType\":1}",
            &[0xff; 10],
        ] {
            assert!(open_manifest(input, std::slice::from_ref(&key)).is_err());
        }
    }
}
