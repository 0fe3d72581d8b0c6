// @ts-check
/**
 * One item: what it is, when, where it comes from, whether it still applies, then its
 * text. Dates, sources and a superseded or rescinded status sit above the text so they
 * are seen before the text is trusted.
 */
import { call } from '../api.js';
import { tauri } from '../tauri.js';
import { append, h, setEngineHtml, uid } from '../dom.js';
import { announce } from '../announce.js';
import { contactCard } from '../contact.js';
import { AUDIENCE_LABEL, dateElement, fileSize, itemHref, KIND_LABEL, STATUS_LABEL, EVENT_TYPE_LABEL } from '../format.js';
import { language, translate } from '../i18n.js';
import { countyPanel } from '../my-county.js';
import { contentHeading, inlineError, languageNotice } from './common.js';
import * as county from './county.js';

/** @type {import('../router.js').Screen} */
export async function render(view, route) {
  const id = route.path.join('/');
  // Counties have their own screen; an internal link may still name them as items.
  if (id.startsWith('counties/')) {
    history.replaceState(null, '', `#/county/${id.slice('counties/'.length)}`);
    return county.render(view, { name: 'county', path: [id.slice('counties/'.length)], params: new URLSearchParams() });
  }
  // `?lang=en` asks for exactly this version; otherwise the reader's language wins
  // where a translation exists (a link to the English guide opens the Spanish one).
  const exact = route.params.has('lang');
  const [item, bookmarks] = await Promise.all([
    /** @type {Promise<import('../types.js').ItemView>} */ (call('item', exact ? { id } : { id, lang: language() })),
    /** @type {Promise<import('../types.js').Bookmark[]>} */ (call('bookmarks').catch(() => [])),
  ]);
  if (item.id !== id) {
    const query = route.params.toString();
    history.replaceState(null, '', `#/item/${item.id}${query ? `?${query}` : ''}`);
  }
  const published = item.item ?? {};

  append(
    view,
    statusBanner(item),
    h('p', { class: 'eyebrow', i18n: KIND_LABEL[item.kind] ?? 'kind.item' }),
    lastChange(item),
    contentHeading(item.title, item.lang),
    languageNotice(item),
    item.summary ? h('p', { class: 'lead', text: item.summary, attrs: { lang: item.lang } }) : null,
    item.kind === 'guide' ? countyPanel() : null,
    facts(item, published),
    bookmarkPanel(item, bookmarks),
  );
  if (item.kind === 'resource' && published.name) {
    view.append(contactCard(/** @type {import('../types.js').Contact} */ (/** @type {unknown} */ (published)), { headingLevel: 'h2' }));
  }
  if (item.attachments?.length) view.append(attachments(item));
  if (item.toc.length >= 2) view.append(tableOfContents(item));
  if (item.html.trim()) {
    const body = h('div', { class: 'prose', attrs: { lang: item.lang } });
    setEngineHtml(body, item.html);
    view.append(h('article', { class: 'item-body', label: 'item.body_label' }, body));
  }
  if (item.related.length) view.append(related(item));
}

/**
 * "New in the last update" or "Changed in the last update", with when.
 * @param {import('../types.js').ItemView} item
 */
function lastChange(item) {
  const change = item.last_change;
  if (!change) return null;
  return h(
    'p',
    { class: 'badge badge-changed last-change' },
    h('span', { i18n: change.change === 'added' ? 'item.added_in_last_update' : 'item.changed_in_last_update' }),
    document.createTextNode(' '),
    dateElement(change.applied_at),
  );
}

/**
 * The banner that stops a reader from acting on an old letter.
 * @param {import('../types.js').ItemView} item
 */
function statusBanner(item) {
  const status = item.item?.status;
  const note = item.item?.status_note;
  const noteLine = note ? h('p', { class: 'status-note', text: note }) : null;
  if (item.superseded_by) {
    return h(
      'div',
      { class: 'notice notice-warning banner' },
      h('p', { class: 'banner-title', i18n: 'item.superseded_title' }),
      h(
        'p',
        {},
        h('span', { i18n: 'item.superseded_by' }),
        h('a', { class: 'replacement', text: item.superseded_by.title, attrs: { href: itemHref(item.superseded_by.id) } }),
      ),
      noteLine,
    );
  }
  if (status === 'partly-superseded') {
    return h('div', { class: 'notice notice-warning banner' }, h('p', { class: 'banner-title', i18n: 'item.partly_superseded_title' }), noteLine);
  }
  if (status === 'superseded') {
    return h('div', { class: 'notice notice-warning banner' }, h('p', { class: 'banner-title', i18n: 'item.superseded_title' }), h('p', { i18n: 'item.superseded_unknown' }), noteLine);
  }
  if (status === 'rescinded') {
    return h('div', { class: 'notice notice-warning banner' }, h('p', { class: 'banner-title', i18n: 'item.rescinded_title' }), h('p', { i18n: 'item.rescinded_body' }), noteLine);
  }
  // A current letter may still carry a warning (an allocation for a past year).
  if (noteLine) return h('div', { class: 'notice notice-info banner' }, h('p', { class: 'banner-title', i18n: 'item.status_note_title' }), noteLine);
  return null;
}

/**
 * @param {import('../types.js').ItemView} item
 * @param {import('../types.js').PublishedItem} published
 */
function facts(item, published) {
  const list = h('dl', { class: 'facts' });
  /**
   * @param {string} key
   * @param {Node} value
   */
  const add = (key, value) => list.append(h('div', { class: 'fact' }, h('dt', { i18n: key }), h('dd', {}, value)));
  // A guide's date is the day it was last checked against its sources.
  add(item.kind === 'guide' ? 'item.reviewed' : 'item.date', item.date ? dateElement(item.date) : h('span', { i18n: 'item.no_date' }));
  if (published.updated) add('item.updated', dateElement(published.updated));
  if (published.number) add('item.number', h('span', { text: published.number }));
  if (published.status && STATUS_LABEL[published.status]) {
    add('item.status', h('span', { class: `status status-${published.status}`, i18n: STATUS_LABEL[published.status] }));
  }
  if (published.event_type && EVENT_TYPE_LABEL[published.event_type]) add('item.event_type', h('span', { i18n: EVENT_TYPE_LABEL[published.event_type] }));
  if (published.publisher) add('item.publisher', h('span', { text: published.publisher }));
  if (published.audience?.length) {
    add('item.audience', h('ul', { class: 'inline-list' }, ...published.audience.map((audience) => h('li', { i18n: AUDIENCE_LABEL[audience] ?? 'audience.field-staff' }))));
  }
  const sources = published.sources ?? [];
  add(
    'item.sources',
    sources.length
      ? h(
          'ul',
          { class: 'sources' },
          ...sources.map((source) =>
            h('li', {}, h('a', { class: 'external', text: source.title, attrs: { href: source.url, target: '_blank', rel: 'noopener noreferrer' } })),
          ),
        )
      : h('span', { i18n: 'item.no_sources' }),
  );
  return list;
}

/**
 * Bookmark toggle and an optional note.
 * @param {import('../types.js').ItemView} item
 * @param {import('../types.js').Bookmark[]} bookmarks
 */
function bookmarkPanel(item, bookmarks) {
  let bookmark = bookmarks.find((b) => b.item_id === item.id) ?? null;
  const noteId = uid('note');
  const toggle = h('button', { class: 'button bookmark-toggle', i18n: 'bookmark.toggle', attrs: { type: 'button', 'aria-pressed': 'false' } });
  const state = h('p', { class: 'bookmark-state' });
  const note = h('textarea', { attrs: { id: noteId, rows: 3, maxlength: 2000 } });
  const save = h('button', { class: 'button secondary', i18n: 'bookmark.save_note', attrs: { type: 'button' } });
  const noteField = h(
    'div',
    { class: 'field note-field' },
    h('label', { i18n: 'bookmark.note_label', attrs: { for: noteId } }),
    h('p', { class: 'hint', i18n: 'bookmark.note_hint' }),
    note,
    h('p', { class: 'actions' }, save),
  );
  const errors = h('div', {});
  const panel = h('section', { class: 'bookmark-panel', label: 'bookmark.panel_label' }, h('div', { class: 'bookmark-row' }, toggle, state), noteField, errors);

  const show = () => {
    toggle.setAttribute('aria-pressed', bookmark ? 'true' : 'false');
    state.replaceChildren(h('span', { i18n: bookmark ? 'bookmark.saved_state' : 'bookmark.not_saved_state' }));
    noteField.hidden = !bookmark;
    if (bookmark) note.value = bookmark.note;
  };
  show();

  toggle.addEventListener('click', async () => {
    errors.replaceChildren();
    try {
      /** @type {import('../types.js').Bookmark[]} */
      const updated = bookmark ? await call('bookmark_remove', { id: item.id }) : await call('bookmark_add', { id: item.id, note: '' });
      const was = bookmark;
      bookmark = updated.find((b) => b.item_id === item.id) ?? null;
      show();
      announce(was ? 'bookmark.removed' : 'bookmark.added');
    } catch (error) {
      errors.replaceChildren(inlineError(error, 'bookmark.failed'));
    }
  });
  save.addEventListener('click', async () => {
    errors.replaceChildren();
    try {
      /** @type {import('../types.js').Bookmark[]} */
      const updated = await call('bookmark_add', { id: item.id, note: note.value.trim() });
      bookmark = updated.find((b) => b.item_id === item.id) ?? null;
      show();
      announce('bookmark.note_saved');
    } catch (error) {
      errors.replaceChildren(inlineError(error, 'bookmark.failed'));
    }
  });
  return panel;
}

/** @param {import('../types.js').ItemView} item */
function tableOfContents(item) {
  const id = uid('toc');
  const top = Math.min(...item.toc.map((heading) => heading.level));
  return h(
    'nav',
    { class: 'toc', attrs: { 'aria-labelledby': id } },
    h('h2', { i18n: 'item.toc', attrs: { id } }),
    h(
      'ol',
      {},
      ...item.toc.map((heading) =>
        h(
          'li',
          { class: `toc-level-${Math.min(heading.level - top, 2)}` },
          h('a', { text: heading.text, attrs: { href: `#/item/${item.id}?h=${encodeURIComponent(heading.id)}` } }),
        ),
      ),
    ),
  );
}

/** @param {import('../types.js').ItemView} item */
function related(item) {
  const id = uid('related');
  return h(
    'section',
    { class: 'related', attrs: { 'aria-labelledby': id } },
    h('h2', { i18n: 'item.related', attrs: { id } }),
    h(
      'ul',
      { class: 'link-list' },
      ...item.related.map((other) =>
        h(
          'li',
          {},
          h('a', { attrs: { href: itemHref(other.id) } }, h('span', { text: other.title })),
          h('span', { class: 'meta-inline', i18n: KIND_LABEL[other.kind] ?? 'kind.item' }),
        ),
      ),
    ),
  );
}

/** UI string keys for what kind of file an attachment is. */
const MEDIA_LABEL = /** @type {Record<string, string>} */ ({
  'application/pdf': 'attachment.pdf',
  'image/png': 'attachment.image',
  'image/jpeg': 'attachment.image',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'attachment.slides',
});

/**
 * The files the item lists (a report's PDF), each with its kind, size and whether it
 * is on this device: opening one that is not needs the network and that many bytes.
 * In the app it opens in the system's viewer; in a browser it downloads.
 * @param {import('../types.js').ItemView} item
 */
function attachments(item) {
  const id = uid('files');
  return h(
    'section',
    { class: 'attachments', attrs: { 'aria-labelledby': id } },
    h('h2', { i18n: 'attachment.heading', attrs: { id } }),
    h('ul', { class: 'link-list attachment-list' }, ...item.attachments.map((file) => attachmentRow(item, file))),
  );
}

/**
 * @param {import('../types.js').ItemView} item
 * @param {import('../types.js').AttachmentView} file
 */
function attachmentRow(item, file) {
  const where = h('span', { class: 'attachment-where', i18n: file.on_device ? 'attachment.on_device' : 'attachment.when_opened' });
  const meta = h(
    'span',
    { class: 'meta-inline attachment-meta' },
    h('span', { i18n: MEDIA_LABEL[file.media_type] ?? 'attachment.file', args: { size: fileSize(file.size) } }),
    document.createTextNode(' · '),
    where,
  );
  const link = h('a', {
    class: 'attachment',
    text: file.title,
    attrs: { href: `/attachments/${file.sha256}/${item.id}`, download: file.file_name },
  });
  const status = h('div', { class: 'attachment-status', attrs: { 'aria-live': 'polite' } });
  const app = tauri();
  if (app) {
    link.addEventListener('click', async (event) => {
      event.preventDefault();
      status.replaceChildren(h('p', { i18n: file.on_device ? 'attachment.opening' : 'attachment.downloading', args: { size: fileSize(file.size) } }));
      try {
        await app.core.invoke('open_attachment', { id: item.id, sha256: file.sha256 });
        file.on_device = true;
        translate(where, 'attachment.on_device');
        status.replaceChildren();
      } catch (error) {
        const message = typeof error === 'string' ? error : error instanceof Error ? error.message : JSON.stringify(error);
        status.replaceChildren(inlineError(new Error(message), 'attachment.failed'));
      }
    });
  }
  return h('li', {}, link, meta, status);
}
