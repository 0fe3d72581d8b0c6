//! `csec keygen`: a fresh Ed25519 key pair in two small files.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use csec_bundle::{PublicKey, generate_secret_key};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum KeygenError {
    #[error(
        "{0} already exists; refusing to overwrite a signing key (devices trust it). Move it away first"
    )]
    Exists(String),
    #[error("the system could not supply random bytes: {0}")]
    Random(String),
    #[error("could not write {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// Writes `dir/signing.key` (mode 0600, created exclusively) and `dir/signing.pub`.
pub fn write_keypair(dir: &Path) -> Result<(PathBuf, PathBuf, PublicKey), KeygenError> {
    let secret_path = dir.join("signing.key");
    let public_path = dir.join("signing.pub");
    for path in [&secret_path, &public_path] {
        if path.exists() {
            return Err(KeygenError::Exists(path.display().to_string()));
        }
    }
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| KeygenError::Random(e.to_string()))?;
    let secret = generate_secret_key(seed);
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| KeygenError::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&secret_path).map_err(io(&secret_path))?;
    file.write_all(secret.to_file_text().as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(io(&secret_path))?;
    let public = secret.public();
    std::fs::write(&public_path, public.to_file_text()).map_err(io(&public_path))?;
    Ok((secret_path, public_path, public))
}
