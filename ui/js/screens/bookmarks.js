// @ts-check
/** Bookmarks with their notes (edit, remove), and recently viewed. */
import { call } from '../api.js';
import { append, h, uid } from '../dom.js';
import { announce } from '../announce.js';
import { currentSettings } from '../settings.js';
import { forgetOfflineCopy } from '../offline.js';
import { dateElement, itemHref, KIND_LABEL } from '../format.js';
import { emptyState, inlineError, languageBadge, pageHeading } from './common.js';

/** @type {import('../router.js').Screen} */
export async function render(view) {
  const [bookmarks, recent] = await Promise.all([
    /** @type {Promise<import('../types.js').Bookmark[]>} */ (call('bookmarks')),
    /** @type {Promise<import('../types.js').RecentItem[]>} */ (call('recent', { limit: 20 }).catch(() => [])),
  ]);
  const list = h('ul', { class: 'cards bookmarks' });
  const empty = emptyState('bookmarks.empty');
  const refreshEmpty = () => {
    empty.hidden = list.childElementCount > 0;
  };
  for (const bookmark of bookmarks) list.append(bookmarkCard(bookmark, refreshEmpty));
  refreshEmpty();
  view.append(pageHeading('bookmarks.title'), h('p', { class: 'lead', i18n: 'bookmarks.intro' }), list, empty, recentSection(recent));
}

/**
 * Text the person wrote themselves: not a UI string, and not necessarily English.
 * @param {string} text
 */
function userText(text) {
  const element = h('p', { class: 'note', attrs: { dir: 'auto' } });
  element.textContent = text;
  element.dataset.content = '';
  return element;
}

/**
 * @param {import('../types.js').Bookmark} bookmark
 * @param {() => void} onRemoved
 */
function bookmarkCard(bookmark, onRemoved) {
  const card = h('li', { class: 'card bookmark' });
  const errors = h('div', {});
  const noteBox = h('div', { class: 'note-box' });
  let note = bookmark.note;

  const showNote = () => {
    noteBox.replaceChildren(note ? userText(note) : h('p', { class: 'note-empty', i18n: 'bookmarks.no_note' }));
  };
  const edit = () => {
    const id = uid('edit-note');
    const area = h('textarea', { attrs: { id, rows: 3, maxlength: 2000 } });
    area.value = note;
    const save = h('button', { class: 'button', i18n: 'bookmark.save_note', attrs: { type: 'button' } });
    const cancel = h('button', { class: 'button secondary', i18n: 'common.cancel', attrs: { type: 'button' } });
    save.addEventListener('click', async () => {
      errors.replaceChildren();
      try {
        await call('bookmark_add', { id: bookmark.item_id, note: area.value.trim() });
        note = area.value.trim();
        showNote();
        editButton.focus();
        announce('bookmark.note_saved');
      } catch (error) {
        errors.replaceChildren(inlineError(error, 'bookmark.failed'));
      }
    });
    cancel.addEventListener('click', () => {
      showNote();
      editButton.focus();
    });
    noteBox.replaceChildren(
      h('div', { class: 'field' }, h('label', { i18n: 'bookmark.note_label', attrs: { for: id } }), area, h('p', { class: 'actions' }, save, cancel)),
    );
    area.focus();
  };

  const title = bookmark.title
    ? h('h2', { class: 'card-title' }, h('a', { text: bookmark.title, attrs: { href: itemHref(bookmark.item_id), lang: bookmark.lang ?? undefined } }), languageBadge(bookmark.lang ?? undefined))
    : h('h2', { class: 'card-title' }, h('span', { i18n: 'bookmarks.missing' }));
  const args = { title: bookmark.title ?? bookmark.item_id };
  const editButton = h('button', { class: 'button secondary small', i18n: 'bookmarks.edit_note', label: 'bookmarks.edit_note_named', args, attrs: { type: 'button' }, on: { click: edit } });
  const removeButton = h('button', { class: 'button secondary small', i18n: 'bookmarks.remove', label: 'bookmarks.remove_named', args, attrs: { type: 'button' } });
  removeButton.addEventListener('click', async () => {
    errors.replaceChildren();
    try {
      await call('bookmark_remove', { id: bookmark.item_id });
      // Focus would be lost with the card; the heading is the nearest stable place.
      const heading = /** @type {HTMLElement | null} */ (document.querySelector('#main h1'));
      card.remove();
      onRemoved();
      heading?.focus();
      announce('bookmark.removed');
    } catch (error) {
      errors.replaceChildren(inlineError(error, 'bookmark.failed'));
    }
  });

  showNote();
  append(
    card,
    title,
    h('p', { class: 'meta' }, h('span', { i18n: 'bookmarks.saved_on' }), dateElement(bookmark.created_at)),
    !bookmark.title ? h('p', { class: 'meta', text: bookmark.item_id }) : null,
    noteBox,
    h('p', { class: 'actions' }, editButton, removeButton),
    errors,
  );
  return card;
}

/** @param {import('../types.js').RecentItem[]} recent */
function recentSection(recent) {
  const id = uid('recent');
  const section = h('section', { class: 'recent', attrs: { 'aria-labelledby': id } }, h('h2', { i18n: 'recent.title', attrs: { id } }));
  if (currentSettings().history === 'off') {
    section.append(h('p', { class: 'empty', i18n: 'recent.off' }), h('p', {}, h('a', { i18n: 'recent.settings_link', attrs: { href: '#/settings?h=privacy' } })));
  }
  if (!recent.length) {
    if (currentSettings().history !== 'off') section.append(emptyState('recent.empty'));
    return section;
  }
  const list = h(
    'ul',
    { class: 'link-list' },
    ...recent.map((item) =>
      h(
        'li',
        {},
        h('a', { text: item.title, attrs: { href: itemHref(item.id), lang: item.lang } }),
        h('span', { class: 'meta-inline', i18n: KIND_LABEL[item.kind] ?? 'kind.item' }),
        languageBadge(item.lang),
      ),
    ),
  );
  const errors = h('div', {});
  const clear = h('button', { class: 'button secondary', i18n: 'recent.clear', attrs: { type: 'button' } });
  clear.addEventListener('click', async () => {
    try {
      await call('history_clear');
      await forgetOfflineCopy();
      list.remove();
      clear.remove();
      section.append(emptyState('recent.empty'));
      /** @type {HTMLElement | null} */ (section.querySelector('h2'))?.setAttribute('tabindex', '-1');
      /** @type {HTMLElement | null} */ (section.querySelector('h2'))?.focus();
      announce('recent.cleared');
    } catch (error) {
      errors.replaceChildren(inlineError(error, 'recent.clear_failed'));
    }
  });
  section.append(list, h('p', { class: 'actions' }, clear), errors);
  return section;
}
