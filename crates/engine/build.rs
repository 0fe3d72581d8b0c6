//! Compiles the content in `content/` into the binary, so that a first launch with no
//! network has every item. Invalid content fails the build with every problem listed.

use std::path::Path;

fn main() {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content");
    println!("cargo:rerun-if-changed={}", content.display());
    for entry in walk(&content) {
        println!("cargo:rerun-if-changed={}", entry.display());
    }
    let loaded = match csec_publish::load(&content) {
        Ok(loaded) => loaded,
        Err(csec_publish::LoadError::Invalid(problems)) => {
            for p in &problems {
                println!("cargo:warning={p}");
            }
            panic!(
                "content/ has {} problems; run `csec check content`",
                problems.len()
            );
        }
        Err(other) => panic!("cannot read content/: {other}"),
    };
    let out_dir = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    pin_publisher_keys(&out_dir);
    // What the app carries from its first launch is published content: a placeholder
    // contact must never reach a phone's Call button.
    let unverified = loaded.unverified_contacts();
    if !unverified.is_empty() {
        panic!(
            "content/ has unverified placeholder contacts, which the app must not carry: {}",
            unverified.join(", ")
        );
    }
    std::fs::write(
        out_dir.join("reviewed.txt"),
        loaded.reviewed.as_deref().unwrap_or(""),
    )
    .expect("write reviewed.txt");
    let out = out_dir.join("seed.json");
    let json = serde_json::to_vec(&loaded.items).expect("items serialise");
    std::fs::write(out, json).expect("write seed.json");
}

/// The publisher's public keys the app trusts: `$CSEC_PUBLISHER_KEYS` (a file, for a
/// build that syncs from a test publisher) or `keys/publisher.pub`. Invalid keys fail
/// the build rather than produce an app that can never update.
fn pin_publisher_keys(out_dir: &Path) {
    println!("cargo:rerun-if-env-changed=CSEC_PUBLISHER_KEYS");
    let path = std::env::var_os("CSEC_PUBLISHER_KEYS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../keys/publisher.pub"));
    println!("cargo:rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read the publisher keys {}: {e}", path.display()));
    if let Err(e) = csec_bundle::parse_public_keys(&text) {
        panic!("{}: {e}", path.display());
    }
    std::fs::write(out_dir.join("publisher.pub"), text).expect("write publisher.pub");
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                found.extend(walk(&path));
            }
            found.push(path);
        }
    }
    found
}
