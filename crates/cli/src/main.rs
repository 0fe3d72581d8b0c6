//! `csec`: the one command line for CSEC Field Guide.

mod lan;
mod preview;
mod publish_cmds;
mod read_cmds;
mod serve;
mod sync_cmds;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "csec",
    version,
    about = "CSEC Field Guide: check, build, verify, serve, sync and read the content"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate content/ and print every problem as path:line: message
    Check {
        /// The content directory
        #[arg(default_value = "content")]
        dir: PathBuf,
    },
    /// Create a signing key pair: DIR/signing.key (secret, mode 0600) and DIR/signing.pub
    Keygen {
        #[arg(long)]
        out: PathBuf,
    },
    /// Build a signed bundle (manifest.json + objects/) from valid content
    Build {
        /// The content directory
        #[arg(default_value = "content")]
        dir: PathBuf,
        /// The secret signing key (signing.key from `csec keygen`)
        #[arg(long)]
        key: PathBuf,
        /// Where to write the bundle
        #[arg(long)]
        out: PathBuf,
        /// Bundle version; must grow with every publication [default: seconds since 1970]
        #[arg(long)]
        version: Option<u64>,
        /// When devices stop accepting this bundle, RFC 3339 [default: 90 days after publishing]
        #[arg(long)]
        expires: Option<String>,
        /// Build a draft even though some contacts are unverified placeholders (never publish it)
        #[arg(long)]
        allow_unverified_contacts: bool,
    },
    /// Check that every file of a bundle is intact and signed by a trusted key
    Verify {
        /// The bundle directory
        dir: PathBuf,
        /// The trusted public key file(s) (signing.pub)
        #[arg(long)]
        trust: PathBuf,
    },
    /// Serve a bundle over HTTP (ETags, gzip): on this machine, or with --lan to the phones in the room
    Serve {
        /// The bundle directory (a `csec build` or `csec mirror` output)
        dir: PathBuf,
        /// Address to listen on; port 0 picks a free port (the first line printed says which)
        /// [default: 127.0.0.1:8787, or 0.0.0.0:8787 with --lan]
        #[arg(long)]
        addr: Option<String>,
        /// Serve on every local network interface, and print each address a phone could
        /// use, a QR code of the first, and the publisher key's fingerprint
        #[arg(long)]
        lan: bool,
    },
    /// Make (or bring up to date) a verified, complete copy of a published bundle
    Mirror(sync_cmds::MirrorArgs),
    /// What the last updates added, changed and removed, newest first
    Changes {
        /// The cache file [default: the platform data directory]
        #[arg(long)]
        db: Option<PathBuf>,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// The app's UI in a browser: serves ui/ and the command table on 127.0.0.1
    Preview {
        /// The UI folder
        #[arg(long, default_value = "ui")]
        ui: PathBuf,
        /// The cache file [default: the platform data directory]
        #[arg(long)]
        db: Option<PathBuf>,
        /// Address to listen on (loopback only); port 0 picks a free port
        #[arg(long, default_value = "127.0.0.1:8788")]
        addr: String,
        /// Trust these publisher keys for "Sync now" instead of the built-in ones
        #[arg(long)]
        trust: Option<PathBuf>,
    },
    /// Update the offline library from a bundle on a web host
    Sync(sync_cmds::SyncArgs),
    /// Write one attachment of an item (a report's PDF) to a file, downloading it if needed
    Attachment(sync_cmds::AttachmentArgs),
    /// Search the offline library
    Search {
        /// What to look for, as a person would type it
        query: String,
        /// The cache file [default: the platform data directory]
        #[arg(long)]
        db: Option<PathBuf>,
        /// Only this kind: timeline, guidance, report, county or resource
        #[arg(long)]
        kind: Option<String>,
        /// At most this many results
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Print JSON: [{"id","kind","title","snippet"}]
        #[arg(long)]
        json: bool,
    },
    /// Show one item: its metadata and sanitised HTML
    Show {
        /// The item's id, e.g. guidance/acl-16-49
        id: String,
        /// The cache file [default: the platform data directory]
        #[arg(long)]
        db: Option<PathBuf>,
        /// Print JSON: {"id","kind","title","date","html",...}
        #[arg(long)]
        json: bool,
    },
    /// A county's CSEC contacts by multidisciplinary-team role
    Contacts {
        /// County name or slug, any case: Fresno, san-luis-obispo, "San Luis Obispo"
        county: String,
        /// The cache file [default: the platform data directory]
        #[arg(long)]
        db: Option<PathBuf>,
        /// Only this role, e.g. probation
        #[arg(long)]
        role: Option<String>,
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Turn the publisher's contact CSV into county files
    ImportContacts {
        /// The CSV file (columns are listed in the README)
        file: PathBuf,
        /// The counties directory to write
        #[arg(long, default_value = "content/counties")]
        out: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check { dir } => publish_cmds::check(&dir),
        Command::Keygen { out } => publish_cmds::keygen(&out),
        Command::Build {
            dir,
            key,
            out,
            version,
            expires,
            allow_unverified_contacts,
        } => publish_cmds::build(
            &dir,
            &key,
            &out,
            version,
            expires.as_deref(),
            allow_unverified_contacts,
        ),
        Command::Verify { dir, trust } => publish_cmds::verify(&dir, &trust),
        Command::ImportContacts { file, out } => publish_cmds::import_contacts(&file, &out),
        Command::Serve { dir, addr, lan } => serve::run(&dir, addr.as_deref(), lan),
        Command::Mirror(args) => sync_cmds::mirror(args),
        Command::Changes { db, json } => read_cmds::changes(db, json),
        Command::Preview {
            ui,
            db,
            addr,
            trust,
        } => sync_cmds::trusted_keys(trust.as_deref()).and_then(|keys| {
            preview::run(&ui, &db.unwrap_or_else(read_cmds::default_db), &addr, keys)
        }),
        Command::Sync(args) => sync_cmds::run(args),
        Command::Attachment(args) => sync_cmds::attachment(args),
        Command::Search {
            query,
            db,
            kind,
            limit,
            json,
        } => read_cmds::search(&query, db, kind.as_deref(), limit, json),
        Command::Show { id, db, json } => read_cmds::show(&id, db, json),
        Command::Contacts {
            county,
            db,
            role,
            json,
        } => read_cmds::contacts(&county, db, role.as_deref(), json),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("csec: {error:#}");
            ExitCode::FAILURE
        }
    }
}
