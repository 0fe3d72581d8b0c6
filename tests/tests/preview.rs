//! `csec preview`: the command table over HTTP, guarded for a server on this machine.

use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use csec_tests::{csec_bin, repo_root};
use tempfile::TempDir;

struct Preview {
    child: Child,
    url: String,
    _tmp: TempDir,
}

impl Drop for Preview {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(ui: &Path) -> Preview {
    let tmp = TempDir::new().unwrap();
    let mut child = Command::new(csec_bin())
        .arg("preview")
        .arg("--ui")
        .arg(ui)
        .arg("--db")
        .arg(tmp.path().join("cache.sqlite"))
        .args(["--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim().rsplit(" at ").next().unwrap().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{line}");
    Preview {
        child,
        url,
        _tmp: tmp,
    }
}

/// (status, headers, body) of one request made with curl.
fn request(url: &str, extra: &[&str]) -> (u16, String, String) {
    let output = Command::new("curl")
        .args([
            "--silent",
            "--path-as-is",
            "--dump-header",
            "/dev/stderr",
            "--write-out",
            "\n%{http_code}",
        ])
        .args(extra)
        .arg(url)
        .output()
        .expect("curl runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let (body, code) = stdout.rsplit_once('\n').unwrap();
    (
        code.parse().unwrap(),
        String::from_utf8_lossy(&output.stderr).to_lowercase(),
        body.to_string(),
    )
}

fn post(preview: &Preview, command: &str, json: &str) -> (u16, serde_json::Value) {
    let (status, _, body) = request(
        &format!("{}api/{command}", preview.url),
        &["-H", "content-type: application/json", "--data", json],
    );
    (
        status,
        serde_json::from_str(&body).unwrap_or_else(|_| panic!("{body}")),
    )
}

/// A UI folder for the server tests, independent of the real UI's files.
fn ui_fixture(dir: &Path) -> std::path::PathBuf {
    let ui = dir.join("ui");
    std::fs::create_dir_all(ui.join("js")).unwrap();
    std::fs::write(ui.join("index.html"), "<!doctype html><title>t</title>").unwrap();
    std::fs::write(ui.join("js/app.js"), "export {};").unwrap();
    std::fs::write(ui.join(".secret"), "no").unwrap();
    ui
}

#[test]
fn commands_answer_json_like_the_app() {
    let tmp = TempDir::new().unwrap();
    let preview = start(&ui_fixture(tmp.path()));
    let (status, home) = post(&preview, "home", "{}");
    assert_eq!(status, 200);
    assert!(home["counts"]["guidance"].as_u64() >= Some(22), "{home}");
    let (status, hits) = post(&preview, "search", r#"{"query":"ACL 16-49"}"#);
    assert_eq!(status, 200);
    assert_eq!(hits["hits"][0]["id"], "guidance/acl-16-49");
    let (status, item) = post(&preview, "item", r#"{"id":"guidance/acl-16-49"}"#);
    assert_eq!(status, 200);
    assert!(item["html"].as_str().unwrap().contains("<"));
    let (status, marks) = post(
        &preview,
        "bookmark_add",
        r#"{"id":"guidance/acl-16-49","note":"court"}"#,
    );
    assert_eq!((status, marks[0]["note"].as_str()), (200, Some("court")));

    let (status, error) = post(&preview, "nonsense", "{}");
    assert_eq!(status, 404);
    assert!(error["error"].as_str().unwrap().contains("nonsense"));
    let (status, _) = post(&preview, "item", r#"{"id":"guidance/none"}"#);
    assert_eq!(status, 404);
    let (status, _) = post(
        &preview,
        "settings_set",
        r#"{"key":"theme","value":"purple"}"#,
    );
    assert_eq!(status, 400);
    let (status, _) = post(
        &preview,
        "settings_set",
        r#"{"key":"sync_source","value":"http://example.org/"}"#,
    );
    assert_eq!(status, 400, "plain http to another machine is refused");
    let (status, error) = post(&preview, "sync", "{}");
    assert_eq!((status, error["kind"].as_str()), (502, Some("no-source")));
    let (status, status_json) = post(&preview, "sync_status", "{}");
    assert_eq!(
        (status, status_json["last_sync_outcome"].as_str()),
        (200, Some("no-source"))
    );
}

#[test]
fn guarded_like_a_server_on_this_machine() {
    let tmp = TempDir::new().unwrap();
    let preview = start(&ui_fixture(tmp.path()));
    let (status, headers, body) = request(&preview.url, &[]);
    assert_eq!(status, 200);
    assert!(body.contains("<title>t</title>"));
    assert!(
        headers.contains("content-security-policy: default-src 'self'; script-src 'self';"),
        "{headers}"
    );
    assert!(headers.contains("x-content-type-options: nosniff"));
    let (status, headers, _) = request(&format!("{}js/app.js", preview.url), &[]);
    assert_eq!(status, 200);
    assert!(
        headers.contains("content-type: text/javascript"),
        "{headers}"
    );

    for path in [
        "../Cargo.toml",
        "js/../../Cargo.toml",
        ".secret",
        "missing.html",
    ] {
        let (status, _, _) = request(&format!("{}{path}", preview.url), &[]);
        assert_eq!(status, 404, "{path}");
    }
    // DNS rebinding: another host name pointing here is refused.
    let (status, _, _) = request(&preview.url, &["-H", "Host: evil.example:80"]);
    assert_eq!(status, 403);
    // A cross-site form post cannot set a JSON content type.
    let (status, _, _) = request(
        &format!("{}api/quick_exit", preview.url),
        &[
            "--data",
            "x=1",
            "-H",
            "content-type: application/x-www-form-urlencoded",
        ],
    );
    assert_eq!(status, 415);
}

#[test]
fn the_real_ui_is_served() {
    let preview = start(&repo_root().join("ui"));
    let (status, headers, body) = request(&preview.url, &[]);
    assert_eq!(status, 200);
    assert!(headers.contains("text/html"));
    assert!(body.contains("<script type=\"module\""), "{body}");
    assert!(!body.contains("<script>"), "no inline script");
}
