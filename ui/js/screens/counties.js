// @ts-check
/** The 58 counties, filtered as you type (in the page: the list is small). */
import { call } from '../api.js';
import { h, uid } from '../dom.js';
import { setRouteQuietly } from '../router.js';
import { PROGRAM_LABEL } from '../format.js';
import { fold } from '../my-county.js';
import { emptyState, pageHeading } from './common.js';

/** @type {import('../router.js').Screen} */
export async function render(view, route) {
  /** @type {import('../types.js').CountySummary[]} */
  const counties = await call('counties');
  const inputId = uid('county-filter');
  const input = h('input', { attrs: { id: inputId, type: 'search', autocomplete: 'off', autocapitalize: 'words', spellcheck: 'false', enterkeyhint: 'search' } });
  input.value = route.params.get('q') ?? '';
  const status = h('p', { class: 'list-count', attrs: { role: 'status', 'aria-live': 'polite' } });
  const list = h('ul', { class: 'county-list' });
  const rows = counties.map((county) => ({ county, key: fold(county.name), row: countyRow(county) }));
  list.append(...rows.map((r) => r.row));
  const empty = emptyState('counties.none');

  const apply = () => {
    const query = fold(input.value);
    let shown = 0;
    for (const { key, row } of rows) {
      const match = !query || key.includes(query);
      row.hidden = !match;
      if (match) shown += 1;
    }
    empty.hidden = shown > 0;
    status.replaceChildren(h('span', { i18n: 'counties.count', args: { count: shown } }));
  };
  input.addEventListener('input', () => {
    apply();
    const q = input.value.trim();
    setRouteQuietly(q ? `#/counties?q=${encodeURIComponent(q)}` : '#/counties');
  });
  apply();

  view.append(
    pageHeading('counties.title'),
    h('p', { class: 'lead', i18n: 'counties.intro' }),
    h(
      'form',
      { class: 'search-form', attrs: { role: 'search' }, on: { submit: (event) => event.preventDefault() } },
      h('label', { class: 'search-label', i18n: 'counties.filter_label', attrs: { for: inputId } }),
      input,
    ),
    status,
    list,
    empty,
  );
}

/** @param {import('../types.js').CountySummary} county */
function countyRow(county) {
  const meta = h('span', { class: 'county-meta' }, h('span', { i18n: PROGRAM_LABEL[county.csec_program] ?? 'program.unknown' }));
  if (county.unverified) meta.append(h('span', { class: 'unverified-count', i18n: 'counties.unverified_count', args: { count: county.unverified } }));
  return h(
    'li',
    {},
    h('a', { class: 'county-link', attrs: { href: `#/county/${county.slug}` } }, h('span', { class: 'county-name', text: county.name }), meta),
  );
}
