//! Generates the permissions for the app's own commands (`allow-call`, `allow-sync`,
//! `allow-open-attachment`)
//! and checks `tauri.conf.json` and `capabilities/`.

fn main() {
    // The UI is embedded at compile time. tauri's generated code tracks the files it
    // embedded; this also catches files added to ui/ (cargo scans the whole folder).
    println!("cargo:rerun-if-changed=../ui");
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(
        tauri_build::AppManifest::new().commands(&["call", "sync", "open_attachment"]),
    ))
    .expect("tauri-build failed");
}
