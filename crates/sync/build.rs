//! Pins the publisher's public keys into the binary: a sync accepts only an edition
//! signed by one of them.

use std::path::Path;

fn main() {
    let out_dir = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    pin_publisher_keys(&out_dir);
}

/// The publisher's public keys the app trusts: `$CSEC_PUBLISHER_KEYS` (a file, for a
/// build that syncs from a test publisher) or `keys/publisher.pub`. Invalid keys fail
/// the build rather than produce an app that can never update.
fn pin_publisher_keys(out_dir: &Path) {
    println!("cargo:rerun-if-env-changed=CSEC_PUBLISHER_KEYS");
    let path = std::env::var_os("CSEC_PUBLISHER_KEYS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            // At run time, not compile time: the script may come from another checkout.
            let dir =
                std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
            Path::new(&dir).join("../../keys/publisher.pub")
        });
    println!("cargo:rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read the publisher keys {}: {e}", path.display()));
    if let Err(e) = csec_bundle::parse_public_keys(&text) {
        panic!("{}: {e}", path.display());
    }
    std::fs::write(out_dir.join("publisher.pub"), text).expect("write publisher.pub");
}
