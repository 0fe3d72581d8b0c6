//! Helpers for the integration tests: they drive the real `csec` binary the way a
//! publisher or a field worker would, in temporary directories.

pub mod corpus;
pub mod editions;
pub mod servers;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// The `csec` binary next to this test executable (`target/<profile>/csec`), which the
/// README's test command builds before running the tests.
pub fn csec_bin() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary knows its own path");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("test binaries live in target/<profile>/deps");
    let bin = profile_dir.join(format!("csec{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} does not exist: build it first with `cargo build -p csec` (scripts/test does)",
        bin.display()
    );
    bin
}

/// What one run of `csec` did.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn success(&self) -> bool {
        self.code == Some(0)
    }

    /// Panics with the whole output unless the run exited 0.
    pub fn ok(self) -> Run {
        assert!(self.success(), "csec failed: {self:#?}");
        self
    }

    /// Standard output parsed as JSON (for `--json` runs).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout))
    }

    /// Panics unless the run exited 1.
    pub fn fails(self) -> Run {
        assert_eq!(
            self.code,
            Some(1),
            "csec should have failed with exit 1: {self:#?}"
        );
        self
    }
}

impl From<Output> for Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// A `csec` command with a clean environment for reproducible output.
pub fn csec_command(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Command {
    let mut command = Command::new(csec_bin());
    command.args(args).env_remove("SOURCE_DATE_EPOCH");
    command
}

/// Runs `csec` with these arguments in the repository root.
pub fn csec(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Run {
    csec_command(args)
        .current_dir(repo_root())
        .output()
        .expect("csec can be started")
        .into()
}

/// Copies a directory tree (the tests change copies, never the fixtures).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create directory");
    for entry in std::fs::read_dir(from).expect("read directory") {
        let entry = entry.expect("directory entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// Every file under `dir`, relative to it, sorted.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).expect("read directory") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                found.push(path.strip_prefix(dir).expect("under dir").to_path_buf());
            }
        }
    }
    found.sort();
    found
}
