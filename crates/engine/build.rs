//! Compiles the content in `content/` into the binary, so that a first launch with no
//! network has every item. Invalid content fails the build with every problem listed.

use std::path::Path;

fn main() {
    // Read when the script runs, not when it was compiled: a build script compiled
    // for a checkout elsewhere may be reused from a shared target directory.
    let manifest_dir =
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let content = Path::new(&manifest_dir).join("../../content");
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
