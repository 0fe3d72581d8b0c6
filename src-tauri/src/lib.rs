//! The Tauri 2 shell of CSEC Field Guide: a thin layer over `csec-engine`.
//!
//! The UI (`ui/`, no build step) talks to the engine through exactly three commands:
//!
//! - `call(name, args)` runs one entry of the engine's command table
//!   ([`csec_engine::commands::COMMANDS`]) and returns its JSON;
//! - `sync({connection})` updates the offline library from the `sync_source` setting,
//!   emitting `sync-progress` (one [`Progress`]) while it runs and `sync-finished` at
//!   the end;
//! - `open_attachment({id, sha256})` opens a file an item lists with the system's
//!   viewer, downloading it first if it is not on the device.
//!
//! The cache is one SQLite file in the app data directory, opened at start-up (and
//! created from the compiled-in content on first launch, so the app works offline
//! from the first second). Nothing here talks to the network except sync, and only
//! to the configured content host.
//!
//! The webview never leaves the app: navigation to any other origin is refused, and
//! `https:`, `tel:`, `sms:` and `mailto:` links are handed to the system instead.

mod startup;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};

use csec_engine::Cache;
use csec_engine::commands::{COMMANDS, SYNC_COMMAND, dispatch};
use csec_sync::{
    Connection, Progress, SyncReport, SyncStatus, fetch_attachment_from_settings, pinned_keys,
    sync_from_settings,
};
use serde_json::{Value, json};
use tauri::webview::{DownloadEvent, NewWindowResponse};
use tauri::{AppHandle, Emitter, Manager, Runtime, State, Url, WebviewWindowBuilder};
use tauri_plugin_opener::OpenerExt;
use time::OffsetDateTime;

/// The label of the one window, as in `tauri.conf.json`.
const MAIN_WINDOW: &str = "main";
/// The cache's file name inside the app data directory.
const CACHE_FILE: &str = "cache.sqlite";
/// Events the UI listens to.
pub const SYNC_PROGRESS_EVENT: &str = "sync-progress";
pub const SYNC_FINISHED_EVENT: &str = "sync-finished";
/// Link schemes handed to the system (browser, phone, messages, mail).
const EXTERNAL_SCHEMES: &[&str] = &["https", "tel", "sms", "mailto"];

/// Everything the commands share.
pub struct AppState {
    /// The cache the commands read and write; `None` until it is open, or if it could
    /// not be opened (then the next command tries again and reports why it failed).
    cache: Mutex<Option<Cache>>,
    /// Where the cache lives; sync opens its own connection to the same file.
    path: PathBuf,
    /// Set while a sync runs: only one at a time.
    syncing: AtomicBool,
}

impl AppState {
    fn new(path: PathBuf) -> AppState {
        AppState {
            cache: Mutex::new(None),
            path,
            syncing: AtomicBool::new(false),
        }
    }

    /// The cache, opened here if it is not open yet (start-up opens it on a thread;
    /// an earlier attempt may also have failed).
    fn cache(&self) -> Result<MutexGuard<'_, Option<Cache>>, String> {
        // A panic while the lock was held cannot leave SQLite half-written (each
        // command is its own statement or transaction), so a poisoned lock is usable.
        let mut guard = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        if guard.is_none() {
            *guard = Some(Cache::open(&self.path).map_err(|e| e.to_string())?);
        }
        Ok(guard)
    }
}

/// Runs one command of the engine's command table. Errors are sentences for people.
#[tauri::command(async)]
fn call(state: State<'_, AppState>, name: String, args: Option<Value>) -> Result<Value, String> {
    if name == SYNC_COMMAND {
        return Err("updates run through the app's sync command, not call".into());
    }
    if !COMMANDS.contains(&name.as_str()) {
        return Err(format!(
            "the app asked for {name:?}, which this version does not know; update the app"
        ));
    }
    let guard = state.cache()?;
    let Some(cache) = guard.as_ref() else {
        return Err("the offline library could not be opened; restart the app".into());
    };
    let mut value = dispatch(
        cache,
        &name,
        args.unwrap_or(Value::Null),
        OffsetDateTime::now_utc(),
    )
    .map_err(|e| e.to_string())?;
    if name == "sync_status" {
        // For the About screen: the pinned keys, as `csec serve --lan` prints them.
        value["publisher_keys"] = csec_sync::pinned_keys()
            .iter()
            .map(csec_bundle::PublicKey::fingerprint)
            .collect();
    }
    Ok(value)
}

/// Updates the offline library from the `sync_source` setting. `connection` is what
/// the webview knows of the network (`navigator.connection`), for the `attachments`
/// setting; without it, nothing is assumed.
#[tauri::command]
async fn sync<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    connection: Option<Connection>,
) -> Result<SyncReport, String> {
    run_sync(&app, &state, connection.unwrap_or_default()).await
}

/// Opens an attachment of an item with the system's viewer: from the library, or
/// downloaded from the update address first (checked against the item's listing,
/// then kept). The file is written to the app's cache folder under its own name.
#[tauri::command]
async fn open_attachment<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: String,
    sha256: String,
) -> Result<Value, String> {
    let mut cache = Cache::open(&state.path).map_err(|e| e.to_string())?;
    let on_device = cache
        .attachment_bytes(&sha256)
        .map_err(|e| e.to_string())?
        .is_some();
    let (listing, bytes) =
        fetch_attachment_from_settings(&mut cache, OffsetDateTime::now_utc(), &id, &sha256)
            .await
            .map_err(|e| e.to_string())?;
    let path = attachment_file(&app, &listing, &bytes)?;
    app.opener()
        .open_path(path.to_string_lossy(), None::<&str>)
        .map_err(|e| format!("the file is on this device but could not be opened ({e}); install an app that opens {}", listing.file_name))?;
    Ok(json!({ "downloaded": !on_device, "size": listing.size }))
}

/// Writes the verified bytes to `<app cache>/attachments/<sha256>/<file name>` (once:
/// the name is the content's hash) and returns the path.
fn attachment_file<R: Runtime>(
    app: &AppHandle<R>,
    listing: &csec_bundle::Attachment,
    bytes: &[u8],
) -> Result<PathBuf, String> {
    let dir = app
        .path()
        .app_cache_dir()
        .map_err(|e| format!("this device has no folder for the app's files ({e})"))?
        .join("attachments")
        .join(&listing.sha256);
    let path = dir.join(&listing.file_name);
    if std::fs::metadata(&path).is_ok_and(|m| m.len() == listing.size) {
        return Ok(path);
    }
    std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(&path, bytes))
        .map_err(|e| {
            format!("could not save the file on this device ({e}); free some space and try again")
        })?;
    Ok(path)
}

/// Clears the "a sync is running" flag however the sync ends.
struct SyncGuard<'a>(&'a AtomicBool);

impl<'a> SyncGuard<'a> {
    fn acquire(flag: &'a AtomicBool) -> Option<SyncGuard<'a>> {
        flag.compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .ok()
            .map(|_| SyncGuard(flag))
    }
}

impl Drop for SyncGuard<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

/// One sync on its own connection to the cache file (SQLite's WAL mode lets the
/// commands keep reading meanwhile; the new content appears in one transaction), so
/// the commands' lock is never held across an await.
async fn run_sync<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    connection: Connection,
) -> Result<SyncReport, String> {
    let Some(_running) = SyncGuard::acquire(&state.syncing) else {
        return Err("an update is already running; wait for it to finish".into());
    };
    let result = match Cache::open(&state.path) {
        Err(e) => Err((e.to_string(), "cache")),
        Ok(mut cache) => {
            let emitter = app.clone();
            let mut progress = move |p: Progress| {
                let _ = emitter.emit(SYNC_PROGRESS_EVENT, p);
            };
            sync_from_settings(
                &mut cache,
                pinned_keys(),
                OffsetDateTime::now_utc(),
                connection,
                &mut progress,
            )
            .await
            .map_err(|e| (e.to_string(), e.kind()))
        }
    };
    let finished = match &result {
        Ok(report) => json!({ "ok": true, "report": report, "kind": status_kind(report.status) }),
        Err((error, kind)) => json!({ "ok": false, "error": error, "kind": kind }),
    };
    let _ = app.emit(SYNC_FINISHED_EVENT, finished);
    result.map_err(|(error, _)| error)
}

fn status_kind(status: SyncStatus) -> &'static str {
    match status {
        SyncStatus::Updated => "updated",
        SyncStatus::UpToDate => "up-to-date",
    }
}

/// Whether the saved settings ask for a sync at launch. Desktop systems do not say
/// whether a connection is metered, so `wifi` counts as `always` here; `manual`
/// never syncs by itself. No `sync_source`, no sync: the app is offline-only.
fn sync_at_launch(cache: &Cache) -> bool {
    let mode = cache.setting("sync").ok().flatten();
    let source = cache.setting("sync_source").ok().flatten();
    let automatic = matches!(mode.as_deref(), None | Some("always") | Some("wifi"));
    automatic && source.is_some_and(|s| !s.trim().is_empty())
}

/// The app's own pages: `tauri://localhost` (Linux, macOS, iOS) or
/// `http(s)://tauri.localhost` (Windows, Android).
fn is_app_url(url: &Url) -> bool {
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => url.host_str() == Some("tauri.localhost"),
        _ => false,
    }
}

/// A `blob:` URL made by the app's own scripts (`blob:tauri://localhost/<uuid>`): the
/// UI offers a contact's vCard that way.
fn is_app_blob(url: &Url) -> bool {
    url.scheme() == "blob" && Url::parse(url.path()).is_ok_and(|inner| is_app_url(&inner))
}

/// Where a download goes: the user's Downloads folder (`$HOME/Downloads` when the
/// system names none, never the working directory), under the name the page gave,
/// without overwriting an existing file.
fn download_destination<R: Runtime>(app: &AppHandle<R>, suggested: &Path) -> Option<PathBuf> {
    let dir = app
        .path()
        .download_dir()
        .or_else(|_| app.path().home_dir().map(|home| home.join("Downloads")))
        .ok()?;
    std::fs::create_dir_all(&dir).ok()?;
    let name = suggested.file_name()?.to_string_lossy().into_owned();
    let (stem, extension) = match name.rsplit_once('.') {
        Some((stem, extension)) if !stem.is_empty() => (stem.to_string(), format!(".{extension}")),
        _ => (name.clone(), String::new()),
    };
    let mut path = dir.join(&name);
    let mut counter = 1;
    while path.exists() {
        path = dir.join(format!("{stem} ({counter}){extension}"));
        counter += 1;
    }
    Some(path)
}

/// Hands a link the webview may not open to the system, if it is one people expect
/// to leave the app (a web page, a phone number, a message, an email address).
fn open_externally<R: Runtime>(app: &AppHandle<R>, url: &Url) {
    if EXTERNAL_SCHEMES.contains(&url.scheme()) {
        let _ = app.opener().open_url(url.as_str(), None::<&str>);
    }
}

fn cache_path<R: Runtime>(app: &AppHandle<R>) -> Result<PathBuf, Box<dyn std::error::Error>> {
    Ok(app.path().app_data_dir()?.join(CACHE_FILE))
}

/// Opens the cache, then starts a background sync if the settings ask for one.
fn open_cache_and_sync<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let launch_sync = match state.cache() {
        Ok(guard) => guard.as_ref().is_some_and(sync_at_launch),
        Err(error) => {
            // Every command retries the open and shows the person this sentence.
            eprintln!("csec-app: {error}");
            false
        }
    };
    startup::mark("cache open");
    if launch_sync {
        let app = app.clone();
        tauri::async_runtime::spawn(async move {
            // Failures are recorded in the cache (`sync_status` shows them) and sent
            // as `sync-finished`; nothing interrupts the person.
            let state = app.state::<AppState>();
            // At launch the webview has not said what the connection is.
            let _ = run_sync(&app, &state, Connection::Unknown).await;
        });
    }
}

/// Starts opening the cache and opens the window with its navigation guard.
fn setup<R: Runtime>(app: &mut tauri::App<R>) -> Result<(), Box<dyn std::error::Error>> {
    let handle = app.handle().clone();
    let path = cache_path(&handle)?;
    startup::mark("setup");
    app.manage(AppState::new(path));
    // The cache opens (or is created, on first launch) while the window and the
    // webview start; a command that comes first waits for it on the lock.
    let opening = handle.clone();
    std::thread::spawn(move || open_cache_and_sync(&opening));

    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == MAIN_WINDOW)
        .ok_or("tauri.conf.json has no main window")?
        .clone();
    let navigating = handle.clone();
    let new_window = handle.clone();
    let mut builder = WebviewWindowBuilder::from_config(&handle, &config)?
        .on_navigation(move |url| {
            if is_app_url(url) || is_app_blob(url) {
                return true;
            }
            if !startup::is_ready_signal(url) {
                open_externally(&navigating, url);
            }
            false
        })
        .on_new_window(move |url, _features| {
            open_externally(&new_window, &url);
            NewWindowResponse::Deny
        })
        .on_download(|webview, event| match event {
            // Only what the app itself made (a contact's vCard), into Downloads.
            DownloadEvent::Requested { url, destination } => {
                if !(is_app_blob(&url) || is_app_url(&url)) {
                    return false;
                }
                match download_destination(webview.app_handle(), destination) {
                    Some(path) => {
                        *destination = path;
                        true
                    }
                    None => false,
                }
            }
            _ => true,
        });
    if startup::reporting() {
        builder = builder.on_page_load(|window, payload| {
            if is_app_url(payload.url()) {
                startup::page_load(&window, payload.event());
            }
        });
    }
    builder.build()?;
    startup::mark("window");
    Ok(())
}

#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    startup::begin();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_opener::init())
        .invoke_handler(tauri::generate_handler![call, sync, open_attachment])
        .setup(setup)
        .run(tauri::generate_context!());
    if let Err(error) = result {
        // No window could be made (no display, no WebKit): say so and stop.
        eprintln!("CSEC Field Guide could not start: {error}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_urls() {
        for ok in [
            "tauri://localhost/",
            "tauri://localhost/index.html#/item/guidance/acl-16-49",
            "http://tauri.localhost/",
            "https://tauri.localhost/#/",
        ] {
            assert!(is_app_url(&Url::parse(ok).unwrap()), "{ok}");
        }
        for no in [
            "https://example.org/",
            "https://tauri.localhost.example.org/",
            "tauri://example.org/",
            "http://localhost/",
            "file:///etc/passwd",
            "tel:+18005551212",
            "about:blank",
            "csec-ready:home",
        ] {
            assert!(!is_app_url(&Url::parse(no).unwrap()), "{no}");
        }
    }

    #[test]
    fn app_blobs() {
        let blob = |s: &str| is_app_blob(&Url::parse(s).unwrap());
        assert!(blob("blob:tauri://localhost/0b6f2a4e-1c1d"));
        assert!(blob("blob:http://tauri.localhost/0b6f2a4e-1c1d"));
        assert!(!blob("blob:https://example.org/0b6f2a4e-1c1d"));
        assert!(!blob("blob:null/0b6f2a4e"));
        assert!(!blob("tauri://localhost/"));
    }

    #[test]
    fn launch_sync_needs_a_source_and_an_automatic_mode() {
        let dir = std::env::temp_dir().join(format!("csec-app-test-{}", std::process::id()));
        let cache = Cache::open(&dir.join(CACHE_FILE)).unwrap();
        assert!(!sync_at_launch(&cache), "no source: offline-only");
        cache
            .set_setting("sync_source", "https://content.example.org/")
            .unwrap();
        assert!(sync_at_launch(&cache), "default mode is always");
        for (mode, expected) in [("always", true), ("wifi", true), ("manual", false)] {
            cache.set_setting("sync", mode).unwrap();
            assert_eq!(sync_at_launch(&cache), expected, "{mode}");
        }
        drop(cache);
        let _ = std::fs::remove_dir_all(dir);
    }
}
