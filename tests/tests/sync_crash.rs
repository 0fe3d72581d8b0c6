//! Crash safety: `csec sync` killed with SIGKILL at many moments, during download
//! and during apply, must leave a cache that is intact and holds exactly the old or
//! exactly the new edition, with the user's bookmarks, and a later sync must finish.

use std::io::{BufRead as _, BufReader};
use std::os::unix::process::ExitStatusExt as _;
use std::process::Stdio;
use std::time::Duration;

use csec_tests::editions::{
    CacheState, LATER, bookmark, build, edited_content, edition, keygen, markdown_items,
};
use csec_tests::servers::{CsecServe, Fault, FaultServer};
use csec_tests::{csec, csec_command};
use tempfile::TempDir;

/// The `--verbose` progress line after which the process is killed: the check, about
/// 16 points spread over the downloads and as many over the apply, and the end.
fn moments(objects: usize) -> Vec<String> {
    let step = (objects / 16).max(1);
    let mut moments = vec!["checking".to_string()];
    for k in (0..objects).step_by(step) {
        moments.push(format!("download {k}/{objects} "));
    }
    for k in (0..=objects).step_by(step) {
        moments.push(format!("apply {k}/{objects}"));
    }
    // Printed once the sync has returned, before the report: after the commit.
    moments.push("done".to_string());
    moments
}

#[test]
fn killed_at_any_moment_the_cache_holds_the_old_or_the_new_edition() {
    let tmp = TempDir::new().unwrap();
    let keys = keygen(&tmp.path().join("keys"));
    let pristine = tmp.path().join("pristine.sqlite");
    csec(&[&"search", &"ACL", &"--db", &pristine]).ok();
    bookmark(&pristine, "guidance/acl-16-49", "court Monday");
    bookmark(&pristine, "counties/kern", "");
    let old = CacheState::read(&pristine);

    let content = edited_content(&tmp.path().join("content"), "Revised.");
    let bundle = tmp.path().join("bundle");
    build(&content, &keys, &bundle, 2, LATER);
    let (_, new_items) = edition(&bundle, &keys);
    let changed = new_items
        .iter()
        .filter(|(id, hash)| old.items.get(*id) != Some(hash))
        .count();
    assert_eq!(changed, markdown_items());

    // Objects trickle in, so the kill can land between downloads.
    let slow = FaultServer::start(&bundle, Fault::Trickle(Duration::from_millis(20)));
    let good = CsecServe::start(&bundle, &tmp.path().join("good.log"));
    let (mut killed, mut left_old, mut left_new) = (0, 0, 0);
    for (round, moment) in moments(changed).iter().enumerate() {
        let db = tmp.path().join(format!("cache-{round}.sqlite"));
        std::fs::copy(&pristine, &db).unwrap();
        let mut child = csec_command(&[
            &"sync",
            &slow.url,
            &"--db",
            &db,
            &"--trust",
            &keys.public,
            &"--verbose",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
        let stderr = child.stderr.take().unwrap();
        let mut lines = BufReader::new(stderr).lines();
        let seen = lines.any(|line| line.is_ok_and(|l| l.starts_with(moment.as_str())));
        assert!(seen, "csec sync never printed {moment:?}");
        let _ = child.kill();
        let status = child.wait().unwrap();
        if status.signal() == Some(9) {
            killed += 1;
        }

        let after = CacheState::read(&db);
        assert_eq!(
            after.bookmarks, old.bookmarks,
            "bookmarks lost after {moment:?}"
        );
        if after.version == old.version {
            assert_eq!(after.items, old.items, "a mix of editions after {moment:?}");
            left_old += 1;
        } else {
            assert_eq!(
                (after.version, &after.items),
                (2, &new_items),
                "after {moment:?}"
            );
            left_new += 1;
        }

        // The next sync finishes, from wherever the killed one stopped.
        let report = csec(&[
            &"sync",
            &good.url,
            &"--db",
            &db,
            &"--trust",
            &keys.public,
            &"--json",
        ])
        .ok()
        .json();
        assert_eq!(report["version"], 2, "after {moment:?}");
        let synced = CacheState::read(&db);
        assert_eq!(
            (synced.items, synced.bookmarks),
            (new_items.clone(), old.bookmarks.clone())
        );
        std::fs::remove_file(&db).unwrap();
    }
    eprintln!("killed {killed} times: {left_old} left the old edition, {left_new} the new");
    assert!(
        killed >= 30,
        "only {killed} syncs were killed before they finished"
    );
    assert!(left_old > 0, "no kill landed before the commit");
    assert!(left_new > 0, "no kill landed after the commit");
}
