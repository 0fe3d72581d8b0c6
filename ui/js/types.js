// @ts-check
/**
 * The JSON shapes the engine's command table answers (crates/engine/src/commands.rs
 * and the structs it serialises). Types only: this module exports nothing at runtime.
 */

/**
 * One line of a list (lists.rs ItemSummary).
 * @typedef {object} ItemSummary
 * @property {string} id
 * @property {string} kind
 * @property {string} title
 * @property {string | null} date
 * @property {string} summary
 * @property {string} [number]
 * @property {string} [status]
 * @property {string} [event_type]
 * @property {string} [lang] the item's language: `en` or `es`
 */

/**
 * @typedef {object} Home
 * @property {Record<string, number>} counts
 * @property {ItemSummary[]} recently_updated
 * @property {number} content_version
 * @property {string} published
 * @property {string | null} [reviewed] when the publisher last reviewed the edition
 * @property {string | null} expires
 * @property {string | null} last_sync
 * @property {number | null} age_days days since that review
 * @property {boolean} stale
 * @property {boolean} built_in
 * @property {UpdateRecord | null} [whats_new] what the last update changed, until dismissed
 */

/**
 * @typedef {object} ItemChange
 * @property {string} id
 * @property {'added' | 'changed' | 'removed'} change
 * @property {string} kind
 * @property {string} title
 * @property {string | null} date
 * @property {string} lang
 */

/**
 * @typedef {object} UpdateRecord
 * @property {number} id
 * @property {number} version
 * @property {number} previous_version
 * @property {string} applied_at RFC 3339
 * @property {string} source the address the edition came from
 * @property {boolean} dismissed
 * @property {number} added
 * @property {number} changed
 * @property {number} removed
 * @property {ItemChange[]} items most important first
 */

/**
 * @typedef {object} LastChange
 * @property {'added' | 'changed'} change
 * @property {string} applied_at
 * @property {number} version
 */

/**
 * @typedef {object} Mirror
 * @property {string} url
 * @property {string} added_at
 */

/**
 * @typedef {object} Refusal
 * @property {string} source
 * @property {string} kind
 * @property {string} message
 */

/**
 * @typedef {object} YearGroup
 * @property {number | null} year
 * @property {ItemSummary[]} items
 */

/**
 * @typedef {object} ItemList
 * @property {ItemSummary[]} items
 * @property {YearGroup[]} years
 */

/**
 * One search hit; `snippet` is engine HTML whose only tags are `<mark>`.
 * @typedef {object} SearchHit
 * @property {string} id
 * @property {string} kind
 * @property {string} title
 * @property {string} snippet
 * @property {string} [date]
 * @property {string} [number]
 * @property {string} [status]
 * @property {string} [lang]
 */

/**
 * What `search` answers: the hits, and what was searched beyond the typed words.
 * @typedef {object} SearchResults
 * @property {SearchHit[]} hits
 * @property {string[]} also_searched synonyms searched too, as the publisher wrote them
 * @property {string[]} close_spellings close spellings searched for unknown words
 * @property {string} [did_you_mean] when nothing matched as typed
 */

/**
 * @typedef {object} Source
 * @property {string} title
 * @property {string} url
 */

/**
 * @typedef {object} Related
 * @property {string} id
 * @property {string} kind
 * @property {string} title
 */

/**
 * @typedef {object} Heading
 * @property {number} level
 * @property {string} id
 * @property {string} text
 */

/**
 * @typedef {object} Phone
 * @property {string} number
 * @property {'voice' | 'text' | 'fax' | 'hotline' | 'after-hours' | 'tty'} type
 * @property {string} [extension]
 * @property {string} [hours] when this line is answered
 */

/**
 * How to reach one organisation (bundle item.rs Contact, flattened into agencies and
 * resources).
 * @typedef {object} Contact
 * @property {string} name
 * @property {Phone[]} [phones]
 * @property {string} [email]
 * @property {string} [website]
 * @property {string} [address]
 * @property {string} [hours]
 * @property {string} [languages]
 * @property {boolean} verified
 * @property {Source} [source] may be an http:// page, which the card marks as not secure
 * @property {string} [checked] `YYYY-MM-DD`, when the contact was checked against its source
 */

/** @typedef {Contact & { role: string }} Agency */

/** @typedef {Contact & { id: string, title: string, summary: string, scope: string, lang?: string }} ResourceView */

/**
 * The published item as stored: its fields depend on its kind.
 * @typedef {object} PublishedItem
 * @property {string} [kind]
 * @property {Source[]} [sources]
 * @property {string} [number]
 * @property {string} [type]
 * @property {string} [status]
 * @property {string} [status_note]
 * @property {string} [superseded_by]
 * @property {string[]} [audience]
 * @property {string} [lang]
 * @property {string} [translation_of]
 * @property {string} [event_type]
 * @property {string} [publisher]
 * @property {string} [updated]
 * @property {Phone[]} [phones]
 * @property {string} [email]
 * @property {string} [website]
 * @property {string} [address]
 * @property {string} [hours]
 * @property {string} [languages]
 * @property {boolean} [verified]
 * @property {Source} [source]
 * @property {string} [checked]
 * @property {string} [name]
 * @property {string} [scope]
 */

/**
 * @typedef {object} ItemView
 * @property {string} id
 * @property {string} kind
 * @property {string} title
 * @property {string | null} date
 * @property {string} summary
 * @property {string} html sanitised by the engine (ammonia)
 * @property {Heading[]} toc
 * @property {Related[]} related
 * @property {Related | null} superseded_by
 * @property {string} lang the language of this version
 * @property {Translation[]} translations the other language versions
 * @property {AttachmentView[]} attachments files the item lists
 * @property {LastChange | null} [last_change] set when the last update added or changed it
 * @property {PublishedItem} item
 */

/**
 * @typedef {object} AttachmentView
 * @property {string} title
 * @property {string} file_name
 * @property {string} media_type
 * @property {string} sha256
 * @property {number} size bytes
 * @property {boolean} on_device
 */

/**
 * @typedef {object} Translation
 * @property {string} id
 * @property {string} lang
 * @property {string} title
 */

/**
 * @typedef {object} CountySummary
 * @property {string} id
 * @property {string} slug
 * @property {string} name
 * @property {string} fips
 * @property {string} csec_program
 * @property {number} unverified
 * @property {number} agencies
 */

/**
 * @typedef {object} RoleGroup
 * @property {string} role
 * @property {boolean} required
 * @property {Agency[]} agencies
 */

/**
 * @typedef {object} CountyView
 * @property {string} id
 * @property {string} name
 * @property {string} fips
 * @property {string} csec_program
 * @property {RoleGroup[]} roles
 */

/**
 * @typedef {object} Bookmark
 * @property {string} item_id
 * @property {string} note
 * @property {string} created_at
 * @property {string | null} title null when an update removed the item
 * @property {string | null} [lang] the item's language, while it is there
 */

/**
 * @typedef {object} RecentItem
 * @property {string} id
 * @property {string} kind
 * @property {string} title
 * @property {string | null} date
 * @property {string} [lang]
 */

/**
 * @typedef {object} Settings
 * @property {'system' | 'en' | 'es'} language
 * @property {'system' | 'light' | 'dark'} theme
 * @property {'100' | '125' | '150' | '175' | '200'} text_size
 * @property {'always' | 'wifi' | 'manual'} sync
 * @property {'auto' | 'with-updates' | 'when-opened'} attachments whether updates bring attached files
 * @property {'on' | 'off'} history
 * @property {string} sync_source
 * @property {string} county the reader's own county (a slug), or empty
 * @property {'ask' | 'later'} county_prompt whether home still asks for the county
 */

/**
 * @typedef {object} SyncStatus
 * @property {number | null} version
 * @property {string | null} published
 * @property {string | null} expires
 * @property {string | null} last_sync
 * @property {string | null} last_sync_attempt
 * @property {string | null} last_sync_outcome
 * @property {string | null} source
 * @property {string | null} [last_source] where the content on the device came from
 * @property {Refusal[]} [last_sync_refused] sources the last update could not use
 * @property {Mirror[]} [mirrors] nearby devices tried before the publisher
 * @property {string[]} [publisher_keys] fingerprints of the keys the app trusts
 * @property {number | null} age_days
 * @property {boolean | null} stale
 * @property {boolean} [built_in]
 * @property {string} [app_version]
 */

/**
 * @typedef {object} SyncReport
 * @property {'updated' | 'up-to-date'} status
 * @property {number} version
 * @property {string} [source] where it came from
 * @property {Refusal[]} [refused]
 * @property {number} added
 * @property {number} changed
 * @property {number} removed
 * @property {number} bytes
 */

/**
 * @typedef {object} SyncProgress
 * @property {'checking' | 'downloading' | 'applying'} phase
 * @property {number} [bytes_done]
 * @property {number} [bytes_total]
 * @property {number} [items_done]
 * @property {number} [items_total]
 */

export {};
