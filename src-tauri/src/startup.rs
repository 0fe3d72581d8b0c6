//! Opt-in start-up measurement. With `CSEC_APP_REPORT_READY=1` the app prints one line
//! to stdout once the home screen is on screen, with the steps on the way, all in
//! milliseconds since the app's `main` started:
//!
//! ```text
//! csec-app: home ready 905 ms after start (setup 98, window 160, cache open 161,
//!   navigation 204, DOMContentLoaded 388, page loaded 395, home in DOM 612, next frame 905)
//! ```
//!
//! (one line in reality). "Ready" means: the page has a non-empty `h1` (the UI fills it
//! in once its language has loaded) and the search box ("home in DOM"), and the frame
//! after that has been produced ("next frame"). A probe script, evaluated by the shell
//! when the page has loaded, watches the DOM for that and then asks to navigate to
//! `csec-ready:home?…` with the page's own timings; the navigation guard refuses it (so
//! the page is untouched) and this module prints the line. No command and no
//! permission is added for it, and without the variable none of this runs.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{LazyLock, Mutex};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use tauri::webview::PageLoadEvent;
use tauri::{Runtime, Url, WebviewWindow};

const ENV: &str = "CSEC_APP_REPORT_READY";
const SCHEME: &str = "csec-ready";

/// Page timings travel as epoch milliseconds (`performance.timeOrigin` + offsets), so
/// they can be put on the app's clock.
const PROBE: &str = r#"(function () {
  var sent = false;
  function ready() {
    var h1 = document.querySelector('h1');
    return h1 && h1.textContent.trim() !== '' && document.querySelector('input[type=search]');
  }
  function signal() {
    if (sent) return;
    sent = true;
    var origin = performance.timeOrigin;
    var dom = origin + performance.now();
    var nav = performance.getEntriesByType('navigation')[0];
    var dcl = nav ? origin + nav.domContentLoadedEventEnd : 0;
    requestAnimationFrame(function () {
      setTimeout(function () {
        location.href = 'csec-ready:home?navigation=' + origin + '&dcl=' + dcl +
          '&dom=' + dom + '&frame=' + (origin + performance.now());
      }, 0);
    });
  }
  if (ready()) { signal(); return; }
  new MutationObserver(function (_, observer) {
    if (ready()) { observer.disconnect(); signal(); }
  }).observe(document.documentElement, { childList: true, subtree: true, characterData: true });
})();"#;

/// The start, on both clocks.
static STARTED: LazyLock<(Instant, SystemTime)> =
    LazyLock::new(|| (Instant::now(), SystemTime::now()));
static REPORTING: AtomicBool = AtomicBool::new(false);
static MILESTONES: Mutex<Vec<(&'static str, u128)>> = Mutex::new(Vec::new());

/// Starts the clock; reads the environment once.
pub fn begin() {
    LazyLock::force(&STARTED);
    REPORTING.store(
        std::env::var_os(ENV).is_some_and(|v| v == "1"),
        Ordering::Relaxed,
    );
}

pub fn reporting() -> bool {
    REPORTING.load(Ordering::Relaxed)
}

/// Records how long after start `what` happened (only when reporting).
pub fn mark(what: &'static str) {
    if reporting() {
        let ms = STARTED.0.elapsed().as_millis();
        MILESTONES
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push((what, ms));
    }
}

/// Called for the app's own pages: starts the probe once the page has loaded.
pub fn page_load<R: Runtime>(window: &WebviewWindow<R>, event: PageLoadEvent) {
    if event == PageLoadEvent::Finished {
        mark("page loaded");
        let _ = window.eval(PROBE);
    }
}

/// True for the probe's signal (which the caller refuses as a navigation); prints the
/// report the first time.
pub fn is_ready_signal(url: &Url) -> bool {
    if !reporting() || url.scheme() != SCHEME {
        return false;
    }
    let ms = STARTED.0.elapsed().as_millis();
    let mut milestones = MILESTONES.lock().unwrap_or_else(|p| p.into_inner());
    if milestones.iter().any(|(what, _)| *what == "home") {
        return true;
    }
    let start_epoch = STARTED
        .1
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0);
    let mut steps: Vec<(&str, u128)> = milestones.clone();
    for (key, value) in url.query_pairs() {
        let name = match key.as_ref() {
            "navigation" => "navigation",
            "dcl" => "DOMContentLoaded",
            "dom" => "home in DOM",
            "frame" => "next frame",
            _ => continue,
        };
        if let Ok(epoch) = value.parse::<f64>()
            && epoch > start_epoch
        {
            steps.push((name, (epoch - start_epoch).round() as u128));
        }
    }
    steps.sort_by_key(|(_, ms)| *ms);
    let steps: Vec<String> = steps
        .iter()
        .map(|(what, ms)| format!("{what} {ms}"))
        .collect();
    println!(
        "csec-app: home ready {ms} ms after start ({})",
        steps.join(", ")
    );
    milestones.push(("home", ms));
    true
}
