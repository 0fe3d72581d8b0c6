//! The publisher's commands: check, keygen, build, verify, import-contacts.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};
use csec_publish::BuildOptions;
use csec_publish::{LoadError, load};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Prints every problem and exits 1, or a one-line summary and exits 0.
pub fn check(dir: &Path) -> Result<ExitCode> {
    match load(dir) {
        Ok(content) => {
            println!(
                "{}: {} items are valid ({})",
                dir.display(),
                content.items.len(),
                content.summary()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(LoadError::Invalid(problems)) => {
            report_problems(&problems);
            Ok(ExitCode::FAILURE)
        }
        Err(other) => Err(other.into()),
    }
}

pub(crate) fn report_problems(problems: &[csec_publish::Problem]) {
    for problem in problems {
        eprintln!("{problem}");
    }
    let files = {
        let mut paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        paths.dedup();
        paths.len()
    };
    eprintln!(
        "{} problem{} in {files} file{}",
        problems.len(),
        plural(problems.len()),
        plural(files)
    );
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

pub fn keygen(out: &Path) -> Result<ExitCode> {
    let (secret, public, key) = csec_publish::write_keypair(out)?;
    println!(
        "wrote {} (secret, mode 0600: keep it off shared drives and out of git)",
        secret.display()
    );
    println!(
        "wrote {} (give this to apps and to `csec verify --trust`)",
        public.display()
    );
    println!("key id {}", key.keyid());
    Ok(ExitCode::SUCCESS)
}

pub fn read_text(path: &Path, what: &str) -> Result<String> {
    std::fs::read_to_string(path)
        .with_context(|| format!("could not read the {what} {}", path.display()))
}

pub fn build(
    dir: &Path,
    key: &Path,
    out: &Path,
    version: Option<u64>,
    expires: Option<&str>,
    allow_unverified: bool,
) -> Result<ExitCode> {
    let started = std::time::Instant::now();
    let secret = csec_bundle::parse_secret_key(&read_text(key, "signing key")?)
        .with_context(|| format!("{}", key.display()))?;
    let content = match load(dir) {
        Ok(content) => content,
        Err(LoadError::Invalid(problems)) => {
            report_problems(&problems);
            bail!("nothing was built: fix the problems above (`csec check` lists them)");
        }
        Err(other) => return Err(other.into()),
    };
    let version = match version {
        Some(v) => v,
        None => u64::try_from(OffsetDateTime::now_utc().unix_timestamp())
            .context("the system clock is before 1970")?,
    };
    let source_date_epoch = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse().ok());
    let published = csec_publish::default_published(&content, version, source_date_epoch);
    let expires = match expires {
        Some(text) => OffsetDateTime::parse(text, &Rfc3339).with_context(|| {
            format!("--expires {text:?} is not an RFC 3339 time like 2027-03-01T00:00:00Z")
        })?,
        None => csec_publish::default_expires(published),
    };
    let options = BuildOptions {
        version,
        published,
        expires,
        allow_unverified,
    };
    let report = csec_publish::build_bundle(&content, &secret, &options, out)?;
    let rfc = |t: OffsetDateTime| t.format(&Rfc3339).unwrap_or_default();
    println!(
        "built {} version {}: {} objects ({} new, {} removed), {} bytes, published {}, expires {} in {:.2} s",
        out.display(),
        version,
        report.manifest.objects.len(),
        report.written,
        report.removed,
        report.bytes,
        rfc(published),
        rfc(expires),
        started.elapsed().as_secs_f64()
    );
    if expires <= OffsetDateTime::now_utc() {
        eprintln!(
            "warning: this bundle expired on {}; devices will refuse it. Pass --expires with a future time.",
            rfc(expires)
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn verify(dir: &Path, trust: &Path) -> Result<ExitCode> {
    let keys = csec_bundle::parse_public_keys(&read_text(trust, "trusted key file")?)
        .with_context(|| format!("{}", trust.display()))?;
    match csec_publish::verify_bundle(dir, &keys) {
        Ok(manifest) => {
            println!(
                "{}: version {} with {} objects is intact and signed by a trusted key",
                dir.display(),
                manifest.version,
                manifest.objects.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => {
            for problem in &error.0 {
                eprintln!("{problem}");
            }
            eprintln!(
                "{}: the bundle is NOT intact; do not publish it",
                dir.display()
            );
            Ok(ExitCode::FAILURE)
        }
    }
}

pub fn import_contacts(file: &Path, out: &Path) -> Result<ExitCode> {
    match csec_publish::import_contacts(file, out) {
        Ok(report) => {
            println!(
                "imported {} rows into {} county files in {}; run `csec check` next",
                report.rows,
                report.written.len(),
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(csec_publish::ImportError::Rows(problems)) => {
            for problem in &problems {
                eprintln!("{problem}");
            }
            eprintln!("nothing was written: fix the rows above");
            Ok(ExitCode::FAILURE)
        }
        Err(other) => Err(other.into()),
    }
}
