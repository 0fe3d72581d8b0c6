// @ts-check
/**
 * Timeline, Guidance, Reports and practice guides: lists the engine filters (`list`),
 * each item in the reader's language where a translation exists. Filters live in
 * the address (`#/guidance?type=ACL&year=2016`), replaced as they change, so Back
 * leaves the screen rather than stepping through every filter.
 */
import { call } from '../api.js';
import { h, uid } from '../dom.js';
import { setRouteQuietly } from '../router.js';
import { language } from '../i18n.js';
import { EVENT_TYPE_LABEL, STATUS_LABEL } from '../format.js';
import { emptyState, itemCard, pageHeading, selectField } from './common.js';

/**
 * @typedef {object} Filter
 * @property {string} param address and `list` argument name
 * @property {string} label UI string
 * @property {(all: import('../types.js').ItemList) => { value: string, i18n?: string, text?: string }[]} options
 *   the choices besides "all"
 * @property {string} [allLabel] UI string for "all"; none means the filter always has a value
 * @property {string} [fallback] the value when the address has none
 */

/**
 * @typedef {object} ListSpec
 * @property {string} route
 * @property {'timeline' | 'guidance' | 'report' | 'guide'} kind
 * @property {string} title UI string
 * @property {string} intro UI string
 * @property {string} count UI string with {count}, plural
 * @property {string} empty UI string
 * @property {Filter[]} filters
 * @property {boolean} byYear group under year headings
 */

/** @type {ListSpec} */
const TIMELINE = {
  route: 'timeline',
  kind: 'timeline',
  title: 'timeline.title',
  intro: 'timeline.intro',
  count: 'timeline.count',
  empty: 'timeline.empty',
  byYear: true,
  filters: [
    {
      param: 'type',
      label: 'timeline.filter_type',
      allLabel: 'timeline.all_types',
      options: () => Object.entries(EVENT_TYPE_LABEL).map(([value, i18n]) => ({ value, i18n })),
    },
  ],
};

/** @type {ListSpec} */
const GUIDANCE = {
  route: 'guidance',
  kind: 'guidance',
  title: 'guidance.title',
  intro: 'guidance.intro',
  count: 'guidance.count',
  empty: 'guidance.empty',
  byYear: false,
  filters: [
    {
      param: 'type',
      label: 'guidance.filter_type',
      allLabel: 'guidance.all_types',
      // ACL and ACIN are the letters' own names; they are not translated.
      options: () => [
        { value: 'ACL', text: 'ACL' },
        { value: 'ACIN', text: 'ACIN' },
        { value: 'CFL', text: 'CFL' },
      ],
    },
    {
      param: 'year',
      label: 'guidance.filter_year',
      allLabel: 'guidance.all_years',
      options: (all) => years(all).map((year) => ({ value: String(year), text: String(year) })),
    },
    {
      param: 'status',
      label: 'guidance.filter_status',
      allLabel: 'guidance.all_statuses',
      options: () => Object.entries(STATUS_LABEL).map(([value, i18n]) => ({ value, i18n })),
    },
    {
      param: 'sort',
      label: 'guidance.sort',
      fallback: 'date',
      options: () => [
        { value: 'date', i18n: 'guidance.sort_date' },
        { value: 'number', i18n: 'guidance.sort_number' },
      ],
    },
  ],
};

/** @type {ListSpec} */
const REPORTS = {
  route: 'reports',
  kind: 'report',
  title: 'reports.title',
  intro: 'reports.intro',
  count: 'reports.count',
  empty: 'reports.empty',
  byYear: false,
  filters: [],
};

/** @type {ListSpec} */
const GUIDES = {
  route: 'guides',
  kind: 'guide',
  title: 'guides.title',
  intro: 'guides.intro',
  count: 'guides.count',
  empty: 'guides.empty',
  byYear: false,
  filters: [],
};

/** @type {import('../router.js').Screen} */
export const renderGuides = (view, route) => renderList(GUIDES, view, route);
/** @type {import('../router.js').Screen} */
export const renderTimeline = (view, route) => renderList(TIMELINE, view, route);
/** @type {import('../router.js').Screen} */
export const renderGuidance = (view, route) => renderList(GUIDANCE, view, route);
/** @type {import('../router.js').Screen} */
export const renderReports = (view, route) => renderList(REPORTS, view, route);

/** @param {import('../types.js').ItemList} list */
function years(list) {
  const found = new Set();
  for (const item of list.items) {
    const year = Number((item.date ?? '').slice(0, 4));
    if (year) found.add(year);
  }
  return [...found].sort((a, b) => b - a);
}

/**
 * @param {ListSpec} spec
 * @param {HTMLElement} view
 * @param {import('../router.js').Route} route
 */
async function renderList(spec, view, route) {
  // Only choices that differ from the defaults: the unfiltered list is one call, and
  // the one the offline copy keeps.
  /** @type {Record<string, string>} */
  const chosen = {};
  for (const filter of spec.filters) {
    const value = route.params.get(filter.param) ?? '';
    if (value && value !== filter.fallback) chosen[filter.param] = value;
  }
  /** @type {import('../types.js').ItemList} */
  const all = await call('list', { kind: spec.kind, lang: language() });
  const status = h('p', { class: 'list-count', attrs: { role: 'status', 'aria-live': 'polite' } });
  const results = h('div', { class: 'list-results' });

  const show = async () => {
    /** @type {Record<string, unknown>} */
    const args = { kind: spec.kind, lang: language() };
    for (const [param, value] of Object.entries(chosen)) args[param] = param === 'year' ? Number(value) : value;
    /** @type {import('../types.js').ItemList} */
    const list = Object.keys(chosen).length ? await call('list', args) : all;
    status.replaceChildren(h('span', { i18n: spec.count, args: { count: list.items.length } }));
    results.replaceChildren(listBody(spec, list));
  };

  view.append(pageHeading(spec.title), h('p', { class: 'lead', i18n: spec.intro }));
  if (spec.filters.length) {
    const fields = spec.filters.map((filter) =>
      selectField({
        id: uid(`filter-${filter.param}`),
        label: filter.label,
        value: chosen[filter.param] ?? filter.fallback ?? '',
        options: [...(filter.allLabel ? [{ value: '', i18n: filter.allLabel }] : []), ...filter.options(all)],
        onChange: (value) => {
          if (value && value !== filter.fallback) chosen[filter.param] = value;
          else delete chosen[filter.param];
          const query = new URLSearchParams(chosen).toString();
          setRouteQuietly(`#/${spec.route}${query ? `?${query}` : ''}`);
          show().catch((error) => {
            console.error(error);
            results.replaceChildren(emptyState('error.generic'));
          });
        },
      }),
    );
    view.append(h('fieldset', { class: 'filters' }, h('legend', { i18n: 'common.filters' }), ...fields));
  }
  view.append(status, results);
  await show();
}

/**
 * @param {ListSpec} spec
 * @param {import('../types.js').ItemList} list
 */
function listBody(spec, list) {
  if (!list.items.length) return emptyState(spec.empty);
  if (!spec.byYear) return h('ul', { class: 'cards' }, ...list.items.map((item) => itemCard(item, { kind: false, headingLevel: 'h2' })));
  return h(
    'div',
    { class: 'years' },
    ...list.years.map((group) => {
      const id = uid('year');
      return h(
        'section',
        { class: 'year', attrs: { 'aria-labelledby': id } },
        group.year ? h('h2', { class: 'year-heading', text: String(group.year), attrs: { id } }) : h('h2', { class: 'year-heading', i18n: 'timeline.undated', attrs: { id } }),
        h('ul', { class: 'cards' }, ...group.items.map((item) => itemCard(item, { kind: false, headingLevel: 'h3' }))),
      );
    }),
  );
}
