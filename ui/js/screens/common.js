// @ts-check
/** Pieces several screens share: headings, item lines, error and empty states. */
import { append, h } from '../dom.js';
import { ApiError } from '../api.js';
import { refresh } from '../router.js';
import { language } from '../i18n.js';
import { dateElement, itemHref, KIND_LABEL, STATUS_LABEL, EVENT_TYPE_LABEL } from '../format.js';

/**
 * The screen's heading: the target of focus after navigation.
 * @param {string} key UI string
 * @param {import('../i18n.js').Args} [args]
 */
export function pageHeading(key, args) {
  return h('h1', { i18n: key, args, attrs: { tabindex: -1 } });
}

/**
 * A heading whose text is content (an item's title, a county's name).
 * @param {string} text
 * @param {string} [lang] the content's language, when it may differ from the UI's
 */
export function contentHeading(text, lang = undefined) {
  return h('h1', { text, attrs: { tabindex: -1, lang } });
}

/**
 * Wraps a screen so that a failure shows an error screen rather than nothing.
 * @param {import('../router.js').Screen} screen
 * @returns {import('../router.js').Screen}
 */
export function guarded(screen) {
  return async (view, route) => {
    try {
      return await screen(view, route);
    } catch (error) {
      console.error(error);
      view.replaceChildren();
      append(view, ...errorPanel(error));
      return undefined;
    }
  };
}

/**
 * What a person needs when a screen cannot load: what happened in their language, the
 * engine's own words as a detail, and a way to try again.
 * @param {unknown} error
 */
export function errorPanel(error) {
  const api = error instanceof ApiError ? error : null;
  const headingKey = api?.notFound ? 'error.not_found_title' : 'error.title';
  const messageKey = api?.offline ? 'error.offline' : api?.notFound ? 'error.not_found' : 'error.generic';
  const detail = error instanceof Error ? error.message : '';
  return [
    pageHeading(headingKey),
    h('p', { i18n: messageKey }),
    detail && !api?.offline ? h('p', { class: 'error-detail', text: detail }) : null,
    h(
      'p',
      { class: 'actions' },
      h('button', { class: 'button', i18n: 'common.retry', attrs: { type: 'button' }, on: { click: () => refresh({ focus: true }) } }),
      h('a', { class: 'button secondary', i18n: 'common.go_home', attrs: { href: '#/' } }),
    ),
  ];
}

/**
 * An inline error inside a screen that otherwise works (a failed save).
 * @param {unknown} error
 * @param {string} key UI string saying what failed
 */
export function inlineError(error, key) {
  const api = error instanceof ApiError ? error : null;
  return h(
    'div',
    { class: 'notice notice-error', attrs: { role: 'alert' } },
    h('p', { i18n: api?.offline ? 'error.offline_change' : key }),
    error instanceof Error && !api?.offline ? h('p', { class: 'error-detail', text: error.message }) : null,
  );
}

/** "English only": the badge on an item that is not in the reader's language. */
export const ONLY_IN = /** @type {Record<string, string>} */ ({ en: 'lang.only_en', es: 'lang.only_es' });

/**
 * "English only" next to an item's title, when it is not in the reader's language.
 * @param {string | undefined} lang
 */
export function languageBadge(lang) {
  return lang && lang !== language() && ONLY_IN[lang] ? h('span', { class: 'badge badge-language', i18n: ONLY_IN[lang] }) : null;
}

/** "This page is only in English", above such an item's text. */
const NOTICE_ONLY_IN = /** @type {Record<string, string>} */ ({ en: 'lang.notice_only_en', es: 'lang.notice_only_es' });

/** A link to another language version, written in that language. */
const READ_IN = /** @type {Record<string, string>} */ ({ en: 'lang.read_in_en', es: 'lang.read_in_es' });

/**
 * Which language an item is in, when that is not the reader's, and links to its
 * other language versions.
 * @param {import('../types.js').ItemView} item
 */
export function languageNotice(item) {
  const reader = language();
  const link = (/** @type {import('../types.js').Translation} */ version) =>
    h('a', { i18n: READ_IN[version.lang] ?? 'lang.read_in_en', attrs: { href: `#/item/${version.id}?lang=${version.lang}`, hreflang: version.lang, lang: version.lang } });
  if (item.lang !== reader) {
    const mine = item.translations.find((t) => t.lang === reader);
    return h(
      'div',
      { class: 'notice notice-info language-notice' },
      h('p', { i18n: NOTICE_ONLY_IN[item.lang] ?? 'lang.notice_only_en' }),
      mine ? h('p', {}, link(mine)) : null,
    );
  }
  const versions = item.translations.filter((t) => t.lang !== reader);
  if (!versions.length) return null;
  return h('p', { class: 'other-languages' }, ...versions.map(link));
}

/**
 * A line of metadata about an item: kind, number, status, event type, date, and its
 * language when that is not the reader's.
 * @param {{ kind: string, title?: string, date?: string | null, number?: string, status?: string, event_type?: string, lang?: string }} item
 * @param {{ kind?: boolean }} [options]
 */
export function itemMeta(item, options = {}) {
  const parts = [];
  if (options.kind !== false && KIND_LABEL[item.kind]) parts.push(h('span', { i18n: KIND_LABEL[item.kind] }));
  // Letter titles usually start with their number; say it once.
  if (item.number && !(item.title ?? '').startsWith(item.number)) parts.push(h('span', { text: item.number }));
  if (item.event_type && EVENT_TYPE_LABEL[item.event_type]) parts.push(h('span', { i18n: EVENT_TYPE_LABEL[item.event_type] }));
  if (item.status && STATUS_LABEL[item.status]) {
    parts.push(h('span', { class: `status status-${item.status}`, i18n: STATUS_LABEL[item.status] }));
  }
  if (item.date) parts.push(dateElement(item.date));
  // A Spanish reader sees which items exist only in English.
  const badge = languageBadge(item.lang);
  if (badge) parts.push(badge);
  return h('p', { class: 'meta' }, ...parts);
}

/**
 * One item in a list: its title as the link, then its metadata and summary.
 * @param {import('../types.js').ItemSummary} item
 * @param {{ kind?: boolean, headingLevel?: 'h2' | 'h3' }} [options]
 */
export function itemCard(item, options = {}) {
  const title = h(options.headingLevel ?? 'h3', { class: 'card-title' }, h('a', { text: item.title, attrs: { href: itemHref(item.id), lang: item.lang } }));
  return h(
    'li',
    { class: 'card' },
    title,
    itemMeta(item, { kind: options.kind }),
    item.summary ? h('p', { class: 'summary', text: item.summary, attrs: { lang: item.lang } }) : null,
  );
}

/**
 * @param {string} key UI string
 * @param {import('../i18n.js').Args} [args]
 */
export function emptyState(key, args) {
  return h('p', { class: 'empty', i18n: key, args });
}

/**
 * A labelled select whose options are UI strings or content values.
 * @param {{ id: string, label: string, value: string, options: { value: string, i18n?: string, text?: string }[], onChange: (value: string) => void }} spec
 */
export function selectField(spec) {
  const select = h(
    'select',
    { attrs: { id: spec.id }, on: { change: (event) => spec.onChange(/** @type {HTMLSelectElement} */ (event.target).value) } },
    ...spec.options.map((option) =>
      h('option', { i18n: option.i18n, text: option.text, attrs: { value: option.value, selected: option.value === spec.value } }),
    ),
  );
  return h('div', { class: 'field' }, h('label', { i18n: spec.label, attrs: { for: spec.id } }), select);
}
