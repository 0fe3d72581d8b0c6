//! The command table: one place mapping command names to handlers that take and
//! return JSON. The Tauri shell and `csec preview` both expose exactly these, so the
//! UI talks to the same contract inside the app and in a browser.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use time::OffsetDateTime;

use csec_bundle::Lang;

use crate::{Cache, EngineError, ListRequest, SearchRequest};

/// Every command, in the order the UI documentation lists them.
pub const COMMANDS: &[&str] = &[
    "home",
    "search",
    "list",
    "item",
    "counties",
    "county",
    "resources",
    "bookmarks",
    "bookmark_add",
    "bookmark_remove",
    "recent",
    "history_clear",
    "settings_get",
    "settings_set",
    "quick_exit",
    "sync_status",
    "whats_new_dismiss",
    "updates",
    "mirrors",
    "mirror_add",
    "mirror_remove",
    "sync",
];

/// The one command [`dispatch`] does not run: it uses the network and takes time, so
/// each shell runs it on its own runtime with `csec_sync::sync_from_settings` and
/// reports progress its own way. Both shells serve it.
pub const SYNC_COMMAND: &str = "sync";

/// Settings the UI may store, each with the values it accepts (`None`: checked by
/// [`valid_setting`]).
const SETTINGS: &[(&str, Option<&[&str]>)] = &[
    ("language", Some(&["system", "en", "es"])),
    ("theme", Some(&["system", "light", "dark"])),
    ("text_size", Some(&["100", "125", "150", "175", "200"])),
    ("sync", Some(&["always", "wifi", "manual"])),
    // Whether updates bring attachments too (csec_sync::attachments_with_updates).
    (
        "attachments",
        Some(&["auto", "with-updates", "when-opened"]),
    ),
    ("history", Some(&["on", "off"])),
    ("sync_source", None),
    // The reader's own county (a slug), or empty: kept on the device only.
    ("county", None),
    // Whether home asks for the county, or was told "not now".
    ("county_prompt", Some(&["ask", "later"])),
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IdArgs {
    id: String,
}

/// An item to open: `lang` is the reader's language, so that a translation into
/// it is opened instead of the original; without it, exactly `id`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemArgs {
    id: String,
    #[serde(default)]
    lang: Option<Lang>,
}

/// The reader's language, for screens that prefer translations.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LangArgs {
    #[serde(default)]
    lang: Lang,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CountyArgs {
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BookmarkArgs {
    id: String,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecentArgs {
    #[serde(default)]
    limit: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingArgs {
    key: String,
    value: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NoArgs {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MirrorArgs {
    url: String,
}

fn args<T: DeserializeOwned>(command: &str, value: Value) -> Result<T, EngineError> {
    let value = if value.is_null() { json!({}) } else { value };
    serde_json::from_value(value).map_err(|e| EngineError::BadArguments {
        command: command.to_string(),
        reason: e.to_string(),
    })
}

fn to_json<T: serde::Serialize>(value: T) -> Result<Value, EngineError> {
    serde_json::to_value(value).map_err(|e| EngineError::Seed(e.to_string()))
}

/// Runs one command. `now` is passed in so that answers about age are testable.
pub fn dispatch(
    cache: &Cache,
    command: &str,
    arguments: Value,
    now: OffsetDateTime,
) -> Result<Value, EngineError> {
    match command {
        "home" => {
            let LangArgs { lang } = args(command, arguments)?;
            to_json(cache.home(now, lang)?)
        }
        "search" => to_json(cache.search_with_notes(&args::<SearchRequest>(command, arguments)?)?),
        "list" => to_json(cache.list(&args::<ListRequest>(command, arguments)?)?),
        "item" => {
            let ItemArgs { id, lang } = args(command, arguments)?;
            let view = cache.item_for_reader(&id, lang)?;
            cache.record_view(&view.id)?;
            to_json(view)
        }
        "counties" => {
            args::<NoArgs>(command, arguments)?;
            to_json(cache.counties()?)
        }
        "county" => {
            let CountyArgs { name } = args(command, arguments)?;
            to_json(cache.county(&name)?)
        }
        "resources" => {
            let LangArgs { lang } = args(command, arguments)?;
            to_json(cache.resources(lang)?)
        }
        "bookmarks" => {
            args::<NoArgs>(command, arguments)?;
            to_json(cache.bookmarks()?)
        }
        "bookmark_add" => {
            let BookmarkArgs { id, note } = args(command, arguments)?;
            cache.add_bookmark(&id, &note)?;
            to_json(cache.bookmarks()?)
        }
        "bookmark_remove" => {
            let IdArgs { id } = args(command, arguments)?;
            cache.remove_bookmark(&id)?;
            to_json(cache.bookmarks()?)
        }
        "recent" => {
            let RecentArgs { limit } = args(command, arguments)?;
            let ids = cache.recently_viewed(limit.unwrap_or(10).min(100))?;
            let views: Vec<Value> = ids
                .iter()
                .filter_map(|id| cache.item(id).ok())
                .map(|v| json!({ "id": v.id, "kind": v.kind, "title": v.title, "date": v.date, "lang": v.lang }))
                .collect();
            Ok(Value::Array(views))
        }
        "history_clear" | "quick_exit" => {
            args::<NoArgs>(command, arguments)?;
            cache.clear_history()?;
            Ok(json!({ "cleared": true }))
        }
        "settings_get" => {
            args::<NoArgs>(command, arguments)?;
            to_json(settings(cache)?)
        }
        "settings_set" => {
            let SettingArgs { key, value } = args(command, arguments)?;
            if !valid_setting(cache, &key, &value) {
                return Err(EngineError::BadArguments {
                    command: command.to_string(),
                    reason: format!("{value:?} is not a valid value for the setting {key:?}"),
                });
            }
            cache.set_setting(&key, &value)?;
            to_json(settings(cache)?)
        }
        "sync_status" => {
            args::<NoArgs>(command, arguments)?;
            sync_status(cache, now)
        }
        "whats_new_dismiss" => {
            args::<NoArgs>(command, arguments)?;
            cache.dismiss_whats_new()?;
            Ok(json!({ "dismissed": true }))
        }
        "updates" => {
            args::<NoArgs>(command, arguments)?;
            to_json(cache.updates()?)
        }
        "mirrors" => {
            args::<NoArgs>(command, arguments)?;
            to_json(cache.mirrors()?)
        }
        "mirror_add" => {
            let MirrorArgs { url } = args(command, arguments)?;
            cache.add_mirror(&url)?;
            to_json(cache.mirrors()?)
        }
        "mirror_remove" => {
            let MirrorArgs { url } = args(command, arguments)?;
            cache.remove_mirror(&url)?;
            to_json(cache.mirrors()?)
        }
        SYNC_COMMAND => Err(EngineError::BadArguments {
            command: command.to_string(),
            reason: "sync runs in the shell, not through dispatch".into(),
        }),
        other => Err(EngineError::UnknownCommand(other.to_string())),
    }
}

/// What the settings screen shows about updates.
fn sync_status(cache: &Cache, now: OffsetDateTime) -> Result<Value, EngineError> {
    let home = cache.home(now, Lang::En)?;
    let meta = |key: &str| cache.meta_value(key);
    Ok(json!({
        "version": home.content_version,
        "published": home.published,
        "reviewed": home.reviewed,
        "expires": home.expires,
        "age_days": home.age_days,
        "stale": home.stale,
        "built_in": home.built_in,
        "last_sync": meta("last_sync")?,
        "last_sync_attempt": meta("last_sync_attempt")?,
        "last_sync_outcome": meta("last_sync_outcome")?,
        "source": cache.setting("sync_source")?.unwrap_or_default(),
        // Where the content on the device came from: the publisher or a nearby device.
        "last_source": meta("source")?,
        // Sources the last sync could not use, each with why (csec_sync::Refusal).
        "last_sync_refused": meta("last_sync_refused")?
            .and_then(|text| serde_json::from_str::<Value>(&text).ok())
            .unwrap_or(json!([])),
        "mirrors": cache.mirrors()?,
        "app_version": env!("CARGO_PKG_VERSION"),
    }))
}

/// Every known setting with its stored value or its default.
fn settings(cache: &Cache) -> Result<BTreeMap<String, String>, EngineError> {
    let mut all = BTreeMap::new();
    for (key, values) in SETTINGS {
        let default = values.and_then(|v| v.first()).copied().unwrap_or("");
        let default = if *key == "history" { "on" } else { default };
        let stored = cache.setting(key)?.unwrap_or_else(|| default.to_string());
        all.insert(key.to_string(), stored);
    }
    Ok(all)
}

fn valid_setting(cache: &Cache, key: &str, value: &str) -> bool {
    match SETTINGS.iter().find(|(k, _)| *k == key) {
        None => false,
        Some((_, Some(values))) => values.contains(&value),
        Some(("county", None)) => {
            value.is_empty()
                || cache
                    .county(value)
                    .is_ok_and(|c| c.id == format!("counties/{value}"))
        }
        // The sync source: an https address, or http on this machine (for testing).
        Some((_, None)) => value.is_empty() || is_allowed_source(value),
    }
}

/// An https address, or plain http only to this machine (design rule 7).
fn is_allowed_source(url: &str) -> bool {
    crate::update_address(url).is_ok()
}
