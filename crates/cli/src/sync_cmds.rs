//! `csec sync`: bring a cache up to a bundle on a web host.

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context as _, Result};
use csec_sync::{Progress, SyncOptions, SyncStatus, sync};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use time::OffsetDateTime;

use crate::publish_cmds::read_text;
use crate::read_cmds::default_db;

#[derive(clap::Args)]
pub struct SyncArgs {
    /// The bundle's address: https://..., or http:// on this machine
    url: String,
    /// The cache file [default: the platform data directory]
    #[arg(long)]
    db: Option<PathBuf>,
    /// The publisher's public key file(s) (signing.pub)
    #[arg(long)]
    trust: PathBuf,
    /// Print one JSON object: {"status","version","added","changed","removed","bytes"}
    #[arg(long)]
    json: bool,
    /// Print each step on stderr (download i/n, apply i/n)
    #[arg(long, short)]
    verbose: bool,
    /// Seconds to wait for a connection, or for a stalled download [default: 10 and 20]
    #[arg(long)]
    timeout: Option<u64>,
    /// Also download every attachment (report PDFs, slides) not yet in the cache
    #[arg(long)]
    attachments: bool,
    /// A nearby device serving a copy (`csec serve --lan`), tried before the publisher;
    /// repeat for more. Mirrors saved in the cache (the app's Settings) are tried too
    #[arg(long = "mirror", value_name = "URL")]
    mirrors: Vec<String>,
}

#[derive(clap::Args)]
pub struct MirrorArgs {
    /// The published bundle's address: https://..., or http:// on this machine
    url: String,
    /// The directory to write the copy into (created, or brought up to date)
    #[arg(long)]
    out: PathBuf,
    /// The publisher's public key file(s) (signing.pub)
    #[arg(long)]
    trust: PathBuf,
    /// Print one JSON object: {"version","downloaded","kept","removed","bytes"}
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
pub struct AttachmentArgs {
    /// The item's id, e.g. reports/2013-call-for-multi-system-collaboration
    id: String,
    /// The attachment's file name, as `csec show --json` lists it
    file: String,
    /// Where to write it
    #[arg(long)]
    out: PathBuf,
    /// The cache file [default: the platform data directory]
    #[arg(long)]
    db: Option<PathBuf>,
    /// Download it from this bundle address when it is not in the cache
    /// [default: the app's update address setting]
    #[arg(long)]
    url: Option<String>,
}

/// The keys in `file`, or the ones built into the app.
pub fn trusted_keys(file: Option<&Path>) -> Result<Vec<csec_bundle::PublicKey>> {
    match file {
        Some(file) => Ok(
            csec_bundle::parse_public_keys(&read_text(file, "trusted key file")?)
                .with_context(|| file.display().to_string())?,
        ),
        None => Ok(csec_sync::pinned_keys()),
    }
}

pub fn run(args: SyncArgs) -> Result<ExitCode> {
    let keys = trusted_keys(Some(&args.trust))?;
    let db = args.db.unwrap_or_else(default_db);
    // A new cache gets the edition straight away, not the built-in content first.
    let mut cache = csec_engine::Cache::open_unseeded(&db)?;
    let mut options = SyncOptions::new(args.url, keys, OffsetDateTime::now_utc());
    options.attachments = args.attachments;
    options.mirrors = args.mirrors;
    options
        .mirrors
        .extend(cache.mirrors()?.into_iter().map(|m| m.url));
    if let Some(seconds) = args.timeout {
        options.connect_timeout = Duration::from_secs(seconds);
        options.stall_timeout = Duration::from_secs(seconds);
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("could not start the network runtime")?;
    let bar = progress_bar();
    let verbose = args.verbose;
    let mut on_progress = |progress: Progress| {
        if verbose {
            eprintln!("{}", progress_line(progress));
        }
        show(&bar, progress);
    };
    let result = runtime.block_on(sync(&mut cache, &options, &mut on_progress));
    bar.finish_and_clear();
    if verbose {
        eprintln!("done");
    }
    match result {
        Ok(report) => {
            if args.json {
                println!("{}", serde_json::to_string(&report)?);
            } else if report.status == SyncStatus::UpToDate {
                println!("{}: up to date (version {})", db.display(), report.version);
            } else {
                println!(
                    "{}: updated to version {}: {} added, {} changed, {} removed, {} bytes downloaded",
                    db.display(),
                    report.version,
                    report.added,
                    report.changed,
                    report.removed,
                    report.bytes
                );
            }
            if let (Some(attachments), false) = (report.attachments, args.json) {
                println!(
                    "attachments: {} downloaded, {} still missing",
                    attachments.fetched, attachments.missing
                );
            }
            if !args.json {
                let publisher = csec_sync::source_url(&options.source).map(|u| u.to_string());
                if publisher.ok().as_deref() != Some(report.source.as_str()) {
                    println!("from the nearby device {}", report.source);
                }
                for refusal in &report.refused {
                    eprintln!("csec: not used: {}: {}", refusal.source, refusal.message);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => Ok(failed("sync", &error, args.json)),
    }
}

/// Reports a failed sync or mirror: on stderr, and as `{"status":"failed","error",
/// "message"}` with `--json`.
fn failed(what: &str, error: &csec_sync::SyncError, json: bool) -> ExitCode {
    if json {
        let failure = serde_json::json!({
            "status": "failed",
            "error": error.kind(),
            "message": error.to_string(),
        });
        println!("{failure}");
    }
    eprintln!("csec: {what} failed: {error}");
    ExitCode::FAILURE
}

/// `csec mirror`: a verified copy of a published bundle in a directory.
pub fn mirror(args: MirrorArgs) -> Result<ExitCode> {
    let keys = trusted_keys(Some(&args.trust))?;
    let options = SyncOptions::new(args.url, keys, OffsetDateTime::now_utc());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("could not start the network runtime")?;
    match runtime.block_on(csec_sync::mirror(&options, &args.out)) {
        Ok(report) => {
            if args.json {
                println!("{}", serde_json::to_string(&report)?);
            } else {
                println!(
                    "{}: a verified copy of version {}: {} files downloaded, {} already there, {} old files removed ({} bytes)",
                    args.out.display(),
                    report.version,
                    report.downloaded,
                    report.kept,
                    report.removed,
                    report.bytes
                );
                println!(
                    "serve it to the room with: csec serve {} --lan",
                    args.out.display()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => Ok(failed("mirror", &error, args.json)),
    }
}

/// `csec attachment`: one attachment of an item, from the cache or downloaded (and
/// then kept in the cache), written to a file.
pub fn attachment(args: AttachmentArgs) -> Result<ExitCode> {
    let db = args.db.unwrap_or_else(default_db);
    let mut cache = csec_engine::Cache::open(&db)?;
    let view = cache.item(&args.id)?;
    let Some(listed) = view.attachments.iter().find(|a| a.file_name == args.file) else {
        let names: Vec<&str> = view
            .attachments
            .iter()
            .map(|a| a.file_name.as_str())
            .collect();
        anyhow::bail!(
            "{} has no attachment {:?}; it lists {}",
            args.id,
            args.file,
            if names.is_empty() {
                "none".to_string()
            } else {
                names.join(", ")
            }
        );
    };
    let on_device = listed.on_device;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("could not start the network runtime")?;
    let now = OffsetDateTime::now_utc();
    let fetched = runtime.block_on(async {
        match args.url {
            Some(url) => {
                let options = SyncOptions::new(url, Vec::new(), now);
                csec_sync::fetch_attachment(&mut cache, &options, &args.id, &listed.sha256).await
            }
            None => {
                csec_sync::fetch_attachment_from_settings(&mut cache, now, &args.id, &listed.sha256)
                    .await
            }
        }
    });
    let (_, bytes) = fetched.map_err(|e| anyhow::anyhow!("{e}"))?;
    std::fs::write(&args.out, &bytes)
        .with_context(|| format!("could not write {}", args.out.display()))?;
    println!(
        "wrote {} ({} bytes, {})",
        args.out.display(),
        bytes.len(),
        if on_device {
            "from the cache"
        } else {
            "downloaded"
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// A bar on a terminal; hidden (drawing nothing) when stderr is a pipe or a file.
fn progress_bar() -> ProgressBar {
    let target = if std::io::stderr().is_terminal() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let bar = ProgressBar::with_draw_target(None, target);
    bar.set_style(
        ProgressStyle::with_template("{msg:12} [{bar:30}] {binary_bytes}/{binary_total_bytes}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar
}

fn show(bar: &ProgressBar, progress: Progress) {
    match progress {
        Progress::Checking => bar.set_message("checking"),
        Progress::Downloading {
            bytes_done,
            bytes_total,
            ..
        } => {
            bar.set_message("downloading");
            bar.set_length(bytes_total);
            bar.set_position(bytes_done);
        }
        Progress::Applying {
            items_done,
            items_total,
        } => {
            bar.set_message("installing");
            bar.set_length(items_total as u64);
            bar.set_position(items_done as u64);
        }
    }
}

/// One line per step for `--verbose`: what scripts and the crash test read.
fn progress_line(progress: Progress) -> String {
    match progress {
        Progress::Checking => "checking".into(),
        Progress::Downloading {
            bytes_done,
            bytes_total,
            items_done,
            items_total,
        } => format!("download {items_done}/{items_total} {bytes_done}/{bytes_total}"),
        Progress::Applying {
            items_done,
            items_total,
        } => format!("apply {items_done}/{items_total}"),
    }
}
