//! The publisher's side of CSEC Field Guide.
//!
//! [`load`] reads `content/`, validates every file and returns the items together with
//! every problem found (never just the first). [`build_bundle`] turns valid content into
//! a signed bundle directory. [`import_contacts`] turns the publisher's contact CSV into
//! county files. The reader side never links this crate: the app holds no signing key.

mod build;
mod checks;
mod contacts;
mod counties;
mod fields;
mod keygen;
mod layers;
mod load;
mod problem;

pub use build::{
    BuildError, BuildOptions, BuildReport, VerifyError, build_bundle, default_expires,
    default_published, verify_bundle,
};
pub use contacts::{COLUMNS, ImportError, ImportReport, import_contacts};
pub use counties::{CALIFORNIA_COUNTIES, CountyInfo, county_by_name, slugify};
pub use keygen::{KeygenError, write_keypair};

pub use load::{Content, LoadError, load};
pub use problem::Problem;
