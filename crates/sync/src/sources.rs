//! Where a sync may get its files: the nearby devices ("mirrors") the user added,
//! tried first, then the publisher. The signed edition says what every file must
//! be, so any source may supply any of them: each is verified by hash, and a file a
//! source cannot give (or gives damaged) is asked of the next.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use reqwest::Url;
use serde::Serialize;

use crate::http::Http;
use crate::{Download, SyncError, SyncOptions, join, verified_body};

/// A source the sync could not use, or not for everything, and why: kept with the
/// sync's outcome (`last_sync_refused`) for Settings to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refusal {
    /// The address as the user gave it.
    pub source: String,
    /// The [`SyncError::kind`] of what went wrong.
    pub kind: String,
    pub message: String,
}

impl Refusal {
    pub(crate) fn new(source: &str, error: &SyncError) -> Refusal {
        Refusal {
            source: source.to_string(),
            kind: error.kind().to_string(),
            message: error.to_string(),
        }
    }
}

/// One place files can come from.
pub(crate) struct Source {
    pub(crate) base: Url,
    pub(crate) http: Http,
    pub(crate) mirror: bool,
    /// It stopped answering: not asked again in this sync.
    down: AtomicBool,
}

impl Source {
    pub(crate) fn new(base: Url, mirror: bool, options: &SyncOptions) -> Result<Source, SyncError> {
        Ok(Source {
            http: Http::new(&base, options)?,
            base,
            mirror,
            down: AtomicBool::new(false),
        })
    }
}

/// The sources of one sync, in the order they are asked for each file.
pub(crate) struct Sources {
    list: Vec<Source>,
    refused: Mutex<Vec<Refusal>>,
}

impl Sources {
    /// The mirrors in `options.mirrors` (an address a mirror may not have is refused
    /// and left out) and then the publisher.
    pub(crate) fn from_options(options: &SyncOptions) -> Result<Sources, SyncError> {
        let publisher = crate::source_url(&options.source)?;
        let mut list = Vec::new();
        let mut refused = Vec::new();
        for text in &options.mirrors {
            let checked = csec_engine::mirror_address(text).map_err(SyncError::from);
            match checked.and_then(|base| Source::new(base, true, options)) {
                Ok(source) if source.base != publisher => list.push(source),
                Ok(_) => {}
                Err(error) => refused.push(Refusal::new(text, &error)),
            }
        }
        list.push(Source::new(publisher, false, options)?);
        Ok(Sources {
            list,
            refused: Mutex::new(refused),
        })
    }

    /// The same sources for another thread, `first` moved to the front (the one whose
    /// edition is being installed: it has every file of it).
    pub(crate) fn reordered(
        &self,
        first: &Url,
        options: &SyncOptions,
    ) -> Result<Sources, SyncError> {
        let mut list = Vec::new();
        let order = self
            .list
            .iter()
            .filter(|s| &s.base == first)
            .chain(self.list.iter().filter(|s| &s.base != first));
        for source in order {
            let copy = Source::new(source.base.clone(), source.mirror, options)?;
            copy.down
                .store(source.down.load(Ordering::Relaxed), Ordering::Relaxed);
            list.push(copy);
        }
        Ok(Sources {
            list,
            refused: Mutex::new(Vec::new()),
        })
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &Source> {
        self.list.iter()
    }

    pub(crate) fn len(&self) -> usize {
        self.list.len()
    }

    pub(crate) fn refuse(&self, source: &Source, error: &SyncError) {
        let refusal = Refusal::new(source.base.as_str(), error);
        let mut refused = self.refused.lock().unwrap_or_else(|p| p.into_inner());
        if !refused
            .iter()
            .any(|r| r.source == refusal.source && r.kind == refusal.kind)
        {
            refused.push(refusal);
        }
    }

    pub(crate) fn take_refused(&self) -> Vec<Refusal> {
        std::mem::take(&mut *self.refused.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// `entry` from the first source that has it intact. A source that stops
    /// answering is not asked again; one that sends a damaged or wrong file is
    /// reported, and still asked for the others. With every source failing, the
    /// first one's error is returned.
    pub(crate) async fn fetch<T: Download>(
        &self,
        entry: &T,
    ) -> Result<(Vec<u8>, T::Verified), SyncError> {
        let mut first_error = None;
        for source in self.list.iter().filter(|s| !s.down.load(Ordering::Relaxed)) {
            let url = join(&source.base, &entry.path())?;
            let fetched = source
                .http
                .get(&url, &entry.what(), entry.size(), None)
                .await;
            match fetched.and_then(|fetched| verified_body(entry, fetched)) {
                Ok(verified) => return Ok(verified),
                Err(error) => {
                    if matches!(error, SyncError::Network { .. } | SyncError::Timeout { .. }) {
                        source.down.store(true, Ordering::Relaxed);
                    }
                    if self.list.len() > 1 {
                        self.refuse(source, &error);
                    }
                    first_error.get_or_insert(error);
                }
            }
        }
        Err(first_error.unwrap_or_else(crate::download_stopped))
    }
}
