//! Which index files a format 2 edition is listed in (`docs/bundle-format.md`).
//!
//! The previous edition's index files are kept as they are, and what changed since it
//! goes into one new file at the end (several, for a change of more than 1,024
//! entries), so a device that has the previous edition downloads the root and that
//! one file. Two rules keep the list short:
//! - a new file is merged into the one before it while it is at least half that
//!   file's size (and the two fit in one file), so the files after the first full
//!   ones shrink geometrically and there are few of them;
//! - when the files hold more superseded entries than live ones, or the root would
//!   name too many, the edition is listed afresh in full files.

use std::collections::{BTreeMap, BTreeSet};

use csec_bundle::{INDEX_ENTRIES_MAX, IndexFile, ObjectEntry, ROOT_INDEXES_MAX, resolve_entries};

/// The index files for an edition whose objects are `entries`, given the index files
/// of the edition before it (oldest first; empty for a first build).
pub(crate) fn plan(previous: Vec<IndexFile>, entries: &[ObjectEntry]) -> Vec<IndexFile> {
    let wanted: BTreeMap<&str, &ObjectEntry> = entries.iter().map(|e| (e.id.as_str(), e)).collect();
    let live = resolve_entries(&previous);
    let changed: Vec<ObjectEntry> = wanted
        .values()
        .filter(|e| live.get(&e.id) != Some(**e))
        .map(|e| (*e).clone())
        .collect();
    let removed: Vec<String> = live
        .keys()
        .filter(|id| !wanted.contains_key(id.as_str()))
        .cloned()
        .collect();
    if previous.is_empty() {
        return fresh(entries);
    }
    let mut files = previous;
    if changed.is_empty() && removed.is_empty() {
        return files;
    }
    // A change too large for one file takes several; their ids are disjoint.
    let mut changed = changed.into_iter().peekable();
    let mut removed = removed.into_iter().peekable();
    while changed.peek().is_some() || removed.peek().is_some() {
        let entries: Vec<ObjectEntry> = changed.by_ref().take(INDEX_ENTRIES_MAX).collect();
        let gone = removed
            .by_ref()
            .take(INDEX_ENTRIES_MAX - entries.len())
            .collect();
        files.push(IndexFile::new(entries, gone));
    }
    while files.len() >= 2 {
        let last = &files[files.len() - 1];
        let before = &files[files.len() - 2];
        if last.len() * 2 < before.len() {
            break;
        }
        let Some(merged) = merge(&files[..files.len() - 2], before, last) else {
            break;
        };
        files.truncate(files.len() - 2);
        files.push(merged);
    }
    let listed: usize = files.iter().map(IndexFile::len).sum();
    if listed > 2 * entries.len().max(1) || files.len() > ROOT_INDEXES_MAX / 2 {
        return fresh(entries);
    }
    files
}

/// The whole edition in full files, by id.
fn fresh(entries: &[ObjectEntry]) -> Vec<IndexFile> {
    let mut sorted = entries.to_vec();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    sorted
        .chunks(INDEX_ENTRIES_MAX)
        .map(|chunk| IndexFile::new(chunk.to_vec(), vec![]))
        .collect()
}

/// `older` and `newer` (adjacent, in that order) as one file, or `None` when that would
/// not fit in one. A removal is kept only while a file before them still lists the id.
fn merge(earlier: &[IndexFile], older: &IndexFile, newer: &IndexFile) -> Option<IndexFile> {
    let mut entries: BTreeMap<&str, &ObjectEntry> =
        older.entries.iter().map(|e| (e.id.as_str(), e)).collect();
    let mut removed: BTreeSet<&str> = older.removed.iter().map(String::as_str).collect();
    for id in &newer.removed {
        entries.remove(id.as_str());
        removed.insert(id);
    }
    for entry in &newer.entries {
        removed.remove(entry.id.as_str());
        entries.insert(&entry.id, entry);
    }
    let still_listed: BTreeSet<&str> = earlier
        .iter()
        .flat_map(|f| f.entries.iter().map(|e| e.id.as_str()))
        .collect();
    removed.retain(|id| still_listed.contains(id));
    if entries.len() + removed.len() > INDEX_ENTRIES_MAX {
        return None;
    }
    Some(IndexFile::new(
        entries.into_values().cloned().collect(),
        removed.into_iter().map(String::from).collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use csec_bundle::{Kind, sha256_hex};

    fn entries(range: std::ops::Range<usize>, edition: u8) -> Vec<ObjectEntry> {
        range
            .map(|n| ObjectEntry {
                id: format!("reports/r{n:05}"),
                kind: Kind::Report,
                sha256: sha256_hex(&[edition, (n % 251) as u8, (n / 251) as u8]),
                size: 1,
            })
            .collect()
    }

    fn live(files: &[IndexFile]) -> Vec<ObjectEntry> {
        resolve_entries(files).into_values().collect()
    }

    #[test]
    fn a_first_build_is_full_files_by_id() {
        let all = entries(0..2500, 1);
        let files = plan(vec![], &all);
        assert_eq!(
            files.iter().map(IndexFile::len).collect::<Vec<_>>(),
            [1024, 1024, 452]
        );
        assert_eq!(live(&files), all);
    }

    #[test]
    fn an_unchanged_edition_keeps_its_files() {
        let all = entries(0..1500, 1);
        let files = plan(vec![], &all);
        assert_eq!(plan(files.clone(), &all), files);
    }

    #[test]
    fn a_small_change_adds_one_small_file_and_keeps_the_rest() {
        let mut all = entries(0..3000, 1);
        let first = plan(vec![], &all);
        for entry in all.iter_mut().step_by(100) {
            entry.sha256 = sha256_hex(entry.id.as_bytes());
        }
        all.remove(1);
        let next = plan(first.clone(), &all);
        assert_eq!(next[..first.len()], first[..]);
        assert_eq!(next.len(), first.len() + 1);
        assert_eq!(next[first.len()].entries.len(), 30);
        assert_eq!(next[first.len()].removed, ["reports/r00001"]);
        assert_eq!(live(&next), all);
    }

    #[test]
    fn a_large_change_takes_several_new_files_and_keeps_the_old_ones() {
        let mut all = entries(0..5000, 1);
        let first = plan(vec![], &all);
        for entry in all.iter_mut().take(3000) {
            entry.sha256 = sha256_hex(entry.id.as_bytes());
        }
        let next = plan(first.clone(), &all);
        assert_eq!(next[..first.len()], first[..]);
        assert_eq!(
            next[first.len()..]
                .iter()
                .map(IndexFile::len)
                .collect::<Vec<_>>(),
            [1024, 1024, 952]
        );
        assert_eq!(live(&next), all);
    }

    #[test]
    fn many_editions_stay_few_files_and_always_resolve_to_the_edition() {
        let mut all = entries(0..5000, 1);
        let mut files = plan(vec![], &all);
        for edition in 2..60u8 {
            for entry in all.iter_mut().skip(edition as usize * 7).step_by(97) {
                entry.sha256 = sha256_hex(&[edition, entry.id.len() as u8, entry.size as u8]);
                entry.size += 1;
            }
            all.retain(|e| !e.id.ends_with(&format!("{:02}", edition)));
            files = plan(files, &all);
            assert_eq!(live(&files), all, "edition {edition}");
            assert!(
                files.len() <= 16,
                "edition {edition}: {} files",
                files.len()
            );
            assert!(files.iter().all(|f| f.len() <= INDEX_ENTRIES_MAX));
        }
    }
}
