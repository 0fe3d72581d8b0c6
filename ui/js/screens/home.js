// @ts-check
/**
 * Home and search, one screen: the search box comes first, and typing turns the
 * screen into search results in place (the address becomes `#/search?q=`), so the
 * keyboard never closes and reopens on a phone. Clearing the box brings home back.
 */
import { call } from '../api.js';
import { h, setEngineHtml, uid } from '../dom.js';
import { language, translate } from '../i18n.js';
import { setRouteQuietly } from '../router.js';
import { contactCard } from '../contact.js';
import { countyPanel } from '../my-county.js';
import { currentSettings } from '../settings.js';
import { dateElement, itemHref, KIND_GROUP } from '../format.js';
import { itemCard, pageHeading } from './common.js';

/** Wait this long after the last keystroke before searching. */
const DEBOUNCE_MS = 150;
const RESULT_LIMIT = 50;

/** Sections on the home screen: route, name and the count's UI string. */
const SECTIONS = [
  { href: '#/guides', name: 'nav.guides', count: 'home.count.guides', kind: 'guide' },
  { href: '#/timeline', name: 'nav.timeline', count: 'home.count.timeline', kind: 'timeline' },
  { href: '#/guidance', name: 'nav.guidance', count: 'home.count.guidance', kind: 'guidance' },
  { href: '#/reports', name: 'nav.reports', count: 'home.count.reports', kind: 'report' },
  { href: '#/counties', name: 'nav.counties', count: 'home.count.counties', kind: 'county' },
  { href: '#/bookmarks', name: 'nav.bookmarks', count: 'home.count.bookmarks', kind: 'bookmarks' },
];

/** @type {import('../router.js').Screen} */
export async function render(view, route) {
  const initialQuery = route.name === 'search' ? route.params.get('q') ?? '' : '';
  const lang = language();
  const [home, resources, bookmarks, guides] = await Promise.all([
    /** @type {Promise<import('../types.js').Home>} */ (call('home', { lang })),
    /** @type {Promise<import('../types.js').ResourceView[]>} */ (call('resources', { lang }).catch(() => [])),
    /** @type {Promise<import('../types.js').Bookmark[]>} */ (call('bookmarks').catch(() => [])),
    /** @type {Promise<import('../types.js').ItemList>} */ (call('list', { kind: 'guide', lang }).catch(() => ({ items: [], years: [] }))),
  ]);

  const heading = pageHeading(initialQuery.trim() ? 'search.title' : 'home.title');
  const search = searchBox(initialQuery, (query) => {
    const searching = query.trim() !== '';
    translate(heading, searching ? 'search.title' : 'home.title');
    homeParts.hidden = searching;
  });
  const homeParts = h(
    'div',
    { class: 'home-parts' },
    freshness(home),
    whatsNew(home),
    countyPanel({ home: true }),
    whatToDo(guides.items),
    hotline(resources),
    sections(home, bookmarks.length),
    recentlyUpdated(home),
  );
  homeParts.hidden = initialQuery.trim() !== '';
  view.append(heading, search.element, homeParts);
  if (initialQuery.trim()) await search.runNow();
  return search.dispose;
}

/**
 * How fresh the content is, whether the device is offline, and a clear warning when
 * the content is stale: an old letter shown as current can hurt a child.
 * @param {import('../types.js').Home} home
 */
function freshness(home) {
  // Shown by CSS while <html data-online="false"> (app.js follows the connection).
  const offline = h('p', { class: 'badge badge-offline', i18n: 'home.offline' });

  const line = h('p', { class: 'freshness' });
  if (home.age_days !== null && home.age_days !== undefined) {
    const days = Math.max(0, home.age_days);
    // The age is the age of the publisher's last review of the whole edition.
    if (home.reviewed) {
      line.append(h('span', { class: 'reviewed', i18n: days === 0 ? 'home.reviewed_today' : 'home.reviewed_days', args: { count: days } }));
    } else {
      line.append(h('span', { i18n: days === 0 ? 'home.updated_today' : 'home.updated_days', args: { count: days } }));
    }
  }
  if (home.content_version) {
    line.append(h('span', { i18n: 'home.content_version', args: { version: home.content_version } }));
  }
  if (home.built_in) line.append(h('span', { i18n: 'home.built_in' }));

  const box = h('div', { class: 'status-row' }, offline, line);
  if (home.stale) {
    box.append(
      h(
        'div',
        { class: 'notice notice-warning stale-warning' },
        h('h2', { i18n: 'home.stale_title' }),
        h('p', { i18n: 'home.stale_body' }),
        h('p', {}, h('a', { i18n: 'home.stale_action', attrs: { href: '#/settings?h=sync' } })),
      ),
    );
  }
  return box;
}

/** Items listed on home before "and N more". */
const WHATS_NEW_SHOWN = 8;

const CHANGE_LABEL = /** @type {Record<string, string>} */ ({
  added: 'whats_new.added',
  changed: 'whats_new.changed',
  removed: 'whats_new.removed',
});

/**
 * "New since your last update": what the last update added, changed and removed,
 * letters and guides first, until the reader dismisses it. A new All County Letter
 * matters more than anything else on the screen.
 * @param {import('../types.js').Home} home
 */
function whatsNew(home) {
  const update = home.whats_new;
  if (!update || !update.items.length) return null;
  const id = uid('whats-new');
  const shown = update.items.slice(0, WHATS_NEW_SHOWN);
  const more = update.items.length - shown.length;
  const dismiss = h('button', { class: 'button secondary', i18n: 'whats_new.dismiss', attrs: { type: 'button' } });
  const box = h(
    'section',
    { class: 'notice notice-info whats-new', attrs: { 'aria-labelledby': id } },
    h('h2', { i18n: 'whats_new.heading', attrs: { id } }),
    h(
      'p',
      { class: 'meta' },
      h('span', { i18n: 'whats_new.summary', args: { version: update.version, added: update.added, changed: update.changed, removed: update.removed } }),
      dateElement(update.applied_at, { time: true }),
    ),
    h(
      'ul',
      { class: 'link-list whats-new-list' },
      ...shown.map((item) =>
        h(
          'li',
          {},
          h('span', { class: `badge badge-${item.change}`, i18n: CHANGE_LABEL[item.change] }),
          document.createTextNode(' '),
          item.change === 'removed'
            ? h('span', { class: 'removed-title', text: item.title, attrs: { lang: item.lang } })
            : h('a', { text: item.title, attrs: { href: itemHref(item.id), lang: item.lang } }),
          item.date ? h('span', { class: 'meta-inline' }, dateElement(item.date)) : null,
        ),
      ),
    ),
    more > 0 ? h('p', { i18n: 'whats_new.more', args: { count: more } }) : null,
    h('p', { class: 'actions' }, dismiss),
  );
  dismiss.addEventListener('click', async () => {
    await call('whats_new_dismiss').catch(() => undefined);
    box.remove();
  });
  return box;
}

/**
 * The statewide and national lines, one tap from home: each with its call and text
 * buttons, lines with a hotline number first.
 * @param {import('../types.js').ResourceView[]} resources
 */
function hotline(resources) {
  if (!resources.length) return null;
  const hasHotline = (/** @type {import('../types.js').ResourceView} */ r) => (r.phones ?? []).some((p) => p.type === 'hotline');
  const ordered = [...resources].sort((a, b) => Number(hasHotline(b)) - Number(hasHotline(a)));
  const id = uid('hotline');
  return h(
    'section',
    { class: 'hotline', attrs: { 'aria-labelledby': id } },
    h('h2', { i18n: 'home.hotline_heading', attrs: { id } }),
    ...ordered.map((line) =>
      h('div', { class: 'hotline-line' }, contactCard(line, { compact: true, headingLevel: 'h3' }), line.summary ? h('p', { class: 'summary', text: line.summary, attrs: { lang: line.lang } }) : null),
    ),
  );
}

/**
 * @param {import('../types.js').Home} home
 * @param {number} bookmarkCount
 */
function sections(home, bookmarkCount) {
  const id = uid('sections');
  return h(
    'section',
    { attrs: { 'aria-labelledby': id } },
    h('h2', { i18n: 'home.sections_heading', attrs: { id } }),
    h(
      'ul',
      { class: 'section-links' },
      ...SECTIONS.map((section) => {
        const count = section.kind === 'bookmarks' ? bookmarkCount : home.counts[section.kind] ?? 0;
        return h(
          'li',
          {},
          h(
            'a',
            { class: 'section-link', attrs: { href: section.href } },
            h('span', { class: 'section-name', i18n: section.name }),
            h('span', { class: 'section-count', i18n: section.count, args: { count } }),
          ),
        );
      }),
    ),
  );
}

/**
 * The practice guides, one tap from home: what a foster parent looks for at night.
 * @param {import('../types.js').ItemSummary[]} guides
 */
function whatToDo(guides) {
  if (!guides.length) return null;
  const id = uid('what-to-do');
  return h(
    'section',
    { class: 'what-to-do', attrs: { 'aria-labelledby': id } },
    h('h2', { i18n: 'home.what_to_do', attrs: { id } }),
    h(
      'ul',
      { class: 'link-list guide-links' },
      ...guides.map((guide) => h('li', {}, h('a', { text: guide.title, attrs: { href: itemHref(guide.id), lang: guide.lang } }))),
    ),
  );
}

/** @param {import('../types.js').Home} home */
function recentlyUpdated(home) {
  if (!home.recently_updated.length) return null;
  const id = uid('recent');
  return h(
    'section',
    { attrs: { 'aria-labelledby': id } },
    h('h2', { i18n: 'home.recently_updated', attrs: { id } }),
    h('ul', { class: 'cards' }, ...home.recently_updated.map((item) => itemCard(item))),
  );
}

/**
 * The search box with results grouped by kind. Arrow keys move between the box and
 * the results; Enter opens the focused result (results are links).
 * @param {string} initialQuery
 * @param {(query: string) => void} onQuery
 */
function searchBox(initialQuery, onQuery) {
  const inputId = uid('search');
  const hintId = uid('search-hint');
  const resultsId = uid('search-results');
  const input = h('input', {
    attrs: {
      id: inputId,
      type: 'search',
      autocomplete: 'off',
      autocapitalize: 'off',
      spellcheck: 'false',
      enterkeyhint: 'search',
      'aria-describedby': hintId,
      'aria-controls': resultsId,
    },
  });
  input.value = initialQuery;
  const status = h('p', { class: 'search-status', attrs: { role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' } });
  const results = h('div', { class: 'search-results', attrs: { id: resultsId } });
  const form = h(
    'form',
    { class: 'search-form', attrs: { role: 'search' }, on: { submit: (event) => (event.preventDefault(), void runNow()) } },
    h('label', { class: 'search-label', i18n: 'search.label', attrs: { for: inputId } }),
    input,
    h('p', { class: 'hint', i18n: 'search.hint', attrs: { id: hintId } }),
  );
  const element = h('div', { class: 'search' }, form, status, results);

  let sequence = 0;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  let searchedOnce = initialQuery.trim() !== '';

  async function runNow() {
    clearTimeout(timer);
    const query = input.value;
    const mine = ++sequence;
    onQuery(query);
    if (!query.trim()) {
      results.replaceChildren();
      status.replaceChildren();
      if (searchedOnce) setRouteQuietly('#/');
      searchedOnce = false;
      return;
    }
    // The first query gets its own history entry, so Back returns to home.
    setRouteQuietly(`#/search?q=${encodeURIComponent(query)}`, { push: !searchedOnce && !location.hash.startsWith('#/search') });
    searchedOnce = true;
    /** @type {import('../types.js').SearchResults} */
    let found;
    try {
      // The reader's own county page comes first when it matches ("hotline"); of a
      // guide and its translation, the one in the reader's language.
      const mineCounty = currentSettings().county;
      /** @type {Record<string, unknown>} */
      const args = { query, limit: RESULT_LIMIT, lang: language() };
      if (mineCounty) args.my_county = mineCounty;
      found = await call('search', args);
    } catch (error) {
      if (mine !== sequence) return;
      results.replaceChildren();
      status.replaceChildren(h('span', { i18n: 'search.failed' }));
      console.error(error);
      return;
    }
    if (mine !== sequence) return;
    const hits = found.hits;
    results.replaceChildren(...searchNotes(found, (suggestion) => {
      input.value = suggestion;
      void runNow();
      input.focus();
    }), ...groupedResults(hits));
    status.replaceChildren(
      h('span', { i18n: hits.length ? 'search.count' : 'search.none', args: { count: hits.length, query: query.trim() } }),
    );
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    if (!input.value.trim()) {
      void runNow();
      return;
    }
    timer = setTimeout(() => void runNow(), DEBOUNCE_MS);
  });

  element.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const links = /** @type {HTMLElement[]} */ ([...results.querySelectorAll('a.result-link')]);
    if (!links.length) return;
    const active = document.activeElement;
    const index = links.indexOf(/** @type {HTMLElement} */ (active));
    let next = null;
    if (active === input) next = event.key === 'ArrowDown' ? links[0] : null;
    else if (index >= 0) next = event.key === 'ArrowDown' ? links[Math.min(index + 1, links.length - 1)] : index === 0 ? input : links[index - 1];
    if (next) {
      event.preventDefault();
      next.focus();
    }
  });

  return { element, runNow, dispose: () => clearTimeout(timer) };
}

/** Synonyms shown by name up to this many; the rest are counted. */
const SYNONYMS_SHOWN = 4;

/**
 * What the search did beyond the typed words, so that no result is a surprise:
 * "Did you mean …?", close spellings searched, synonyms searched.
 * @param {import('../types.js').SearchResults} found
 * @param {(suggestion: string) => void} searchFor
 */
function searchNotes(found, searchFor) {
  const notes = [];
  if (found.did_you_mean) {
    const suggestion = found.did_you_mean;
    notes.push(h('p', { class: 'search-note' },
      h('span', { i18n: 'search.did_you_mean' }),
      h('button', { class: 'link-button', text: suggestion, attrs: { type: 'button' }, on: { click: () => searchFor(suggestion) } })));
  } else if (found.close_spellings.length) {
    notes.push(h('p', { class: 'search-note', i18n: 'search.close_spellings', args: { words: found.close_spellings.join(', ') } }));
  }
  const also = found.also_searched;
  if (also.length) {
    const shown = also.slice(0, SYNONYMS_SHOWN).join(', ');
    const more = also.length - SYNONYMS_SHOWN;
    notes.push(more > 0
      ? h('p', { class: 'search-note', i18n: 'search.also_searched_more', args: { terms: shown, count: more } })
      : h('p', { class: 'search-note', i18n: 'search.also_searched', args: { terms: shown } }));
  }
  return notes;
}

/**
 * Results grouped by kind, groups in the order of their best hit, so the best match
 * stays on top.
 * @param {import('../types.js').SearchHit[]} hits
 */
function groupedResults(hits) {
  /** @type {Map<string, import('../types.js').SearchHit[]>} */
  const groups = new Map();
  for (const hit of hits) {
    const list = groups.get(hit.kind) ?? [];
    list.push(hit);
    groups.set(hit.kind, list);
  }
  return [...groups].map(([kind, list]) => {
    const id = uid('group');
    return h(
      'section',
      { class: 'result-group', attrs: { 'aria-labelledby': id } },
      h('h2', { i18n: KIND_GROUP[kind] ?? 'search.group.other', args: { count: list.length }, attrs: { id } }),
      h('ul', { class: 'results' }, ...list.map(resultLine)),
    );
  });
}

/** @param {import('../types.js').SearchHit} hit */
function resultLine(hit) {
  const meta = h('span', { class: 'result-meta' });
  if (hit.number && !hit.title.startsWith(hit.number)) meta.append(h('span', { text: hit.number }));
  if (hit.date) meta.append(dateElement(hit.date));
  const snippet = h('span', { class: 'snippet', attrs: { lang: hit.lang } });
  setEngineHtml(snippet, hit.snippet);
  return h(
    'li',
    {},
    h(
      'a',
      { class: 'result-link', attrs: { href: itemHref(hit.id) } },
      h('span', { class: 'result-title', text: hit.title, attrs: { lang: hit.lang } }),
      meta.childElementCount ? meta : null,
      snippet,
    ),
  );
}
