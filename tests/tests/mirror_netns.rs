//! The laptop on a real private network: a network namespace with a veth pair
//! (Debian's iproute2) gives it 10.213.N.2 while this side, the phone, has
//! 10.213.N.1. `csec serve --lan` must print that address, and a phone must sync
//! from it over plain http:// with the publisher unreachable. Needs root, as CI has;
//! set CSEC_SKIP_NETNS=1 to skip it elsewhere.

use std::process::Command;

use csec_tests::editions::{CacheState, LATER, build, edited_content, edition, keygen};
use csec_tests::servers::{CsecServe, free_port};
use csec_tests::{csec, csec_bin};
use tempfile::TempDir;

/// A namespace and its veth pair, removed when dropped.
struct Namespace {
    name: String,
    host_side: String,
}

fn ip(args: &[&str]) {
    let status = Command::new("ip")
        .args(args)
        .status()
        .unwrap_or_else(|e| panic!("run ip {args:?} (is iproute2 installed?): {e}"));
    assert!(status.success(), "ip {args:?} failed (the test needs root)");
}

impl Namespace {
    fn create(subnet: u8) -> Namespace {
        let id = std::process::id() % 100_000;
        let ns = Namespace {
            name: format!("csec-test-{id}"),
            host_side: format!("csec{id}a"),
        };
        let inside = format!("csec{id}b");
        ip(&["netns", "add", &ns.name]);
        ip(&[
            "link",
            "add",
            &ns.host_side,
            "type",
            "veth",
            "peer",
            "name",
            &inside,
        ]);
        ip(&["link", "set", &inside, "netns", &ns.name]);
        ip(&[
            "addr",
            "add",
            &format!("10.213.{subnet}.1/24"),
            "dev",
            &ns.host_side,
        ]);
        ip(&["link", "set", &ns.host_side, "up"]);
        let exec = |args: &[&str]| {
            let mut all = vec!["netns", "exec", &ns.name, "ip"];
            all.extend_from_slice(args);
            ip(&all);
        };
        exec(&[
            "addr",
            "add",
            &format!("10.213.{subnet}.2/24"),
            "dev",
            &inside,
        ]);
        exec(&["link", "set", &inside, "up"]);
        exec(&["link", "set", "lo", "up"]);
        ns
    }

    /// A command run inside the namespace.
    fn command(&self, program: &std::path::Path) -> Command {
        let mut command = Command::new("ip");
        command.args(["netns", "exec", &self.name]).arg(program);
        command
    }
}

impl Drop for Namespace {
    fn drop(&mut self) {
        // Deleting the namespace deletes the veth pair with it.
        let _ = Command::new("ip")
            .args(["link", "del", &self.host_side])
            .status();
        let _ = Command::new("ip")
            .args(["netns", "del", &self.name])
            .status();
    }
}

#[test]
fn a_phone_syncs_over_http_from_a_laptop_on_a_private_network() {
    if std::env::var_os("CSEC_SKIP_NETNS").is_some() {
        eprintln!("skipped: CSEC_SKIP_NETNS is set");
        return;
    }
    let tmp = TempDir::new().unwrap();
    let keys = keygen(&tmp.path().join("keys"));
    let content = edited_content(&tmp.path().join("content"), "convening");
    let bundle = tmp.path().join("bundle");
    build(&content, &keys, &bundle, 7, LATER);

    let subnet = (std::process::id() % 200) as u8 + 20;
    let ns = Namespace::create(subnet);
    let laptop = CsecServe::start_lan_with(
        ns.command(&csec_bin()),
        &bundle,
        &tmp.path().join("laptop.log"),
    );
    let expected = format!("http://10.213.{subnet}.2:{}/", laptop.port());
    assert_eq!(
        laptop.url, expected,
        "the first address is the private one: {:?}",
        laptop.printed
    );

    let db = tmp.path().join("phone.sqlite");
    let publisher = format!("http://127.0.0.1:{}/", free_port());
    let report = csec(&[
        &"sync",
        &publisher,
        &"--mirror",
        &laptop.url,
        &"--db",
        &db,
        &"--trust",
        &keys.public,
        &"--json",
    ])
    .ok()
    .json();
    assert_eq!(report["status"], "updated", "{report}");
    assert_eq!(report["source"], laptop.url);
    let (version, items) = edition(&bundle, &keys);
    let state = CacheState::read(&db);
    assert_eq!((state.version, state.items), (version, items));
}
