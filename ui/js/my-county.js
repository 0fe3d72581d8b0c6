// @ts-check
/**
 * "Your county": the reader's own county hotline, on home and above every practice
 * guide. The county is chosen once (type to filter, offline), kept on this device
 * only (the `county` setting; nothing else uses it, and quick exit leaves it unseen),
 * and can be changed here or in Settings. Choosing one redraws the panel in place; it
 * does not take the reader elsewhere.
 */
import { call } from './api.js';
import { h, uid } from './dom.js';
import { announce } from './announce.js';
import { translate } from './i18n.js';
import { contactCard } from './contact.js';
import { currentSettings, saveSetting } from './settings.js';

/** Matches shown while typing: enough to see the one wanted, few enough to reach. */
const MATCHES_SHOWN = 8;

/**
 * The lines the county publishes for reporting child abuse: its child welfare
 * agencies' contacts that have a phone.
 * @param {import('./types.js').CountyView} county
 */
export function hotlineAgencies(county) {
  const childWelfare = county.roles.find((group) => group.role === 'child-welfare');
  return (childWelfare?.agencies ?? []).filter((agency) => agency.verified && (agency.phones ?? []).length);
}

/**
 * Lower case without accents or punctuation, so "san luis", "San Luís" and
 * "san-luis" all find San Luis Obispo.
 * @param {string} text
 */
export function fold(text) {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * The panel: the chosen county's hotline, or a way to choose one.
 * @param {{ home?: boolean }} [options] on home, a first-launch question that can be
 *   put off ("Not now" folds it into one button, remembered)
 */
export function countyPanel(options = {}) {
  const headingId = uid('my-county');
  const heading = h('h2', { i18n: 'my_county.heading', attrs: { id: headingId } });
  const body = h('div', { class: 'my-county-body' });
  const panel = h('section', { class: 'my-county', attrs: { 'aria-labelledby': headingId } }, heading, body);
  /** @param {{ expand?: boolean }} [how] */
  const draw = async (how = {}) => {
    const { county, county_prompt: prompt } = currentSettings();
    translate(heading, county || !options.home ? 'my_county.heading' : 'my_county.question');
    if (county) body.replaceChildren(await hotlineFor(county, draw));
    else if (options.home && prompt === 'later' && !how.expand) body.replaceChildren(folded(draw));
    else body.replaceChildren(await chooser(draw, Boolean(options.home)));
  };
  // `data-ready` once the body is drawn (it waits on the engine): what tests wait on.
  void draw()
    .catch(() => body.replaceChildren(h('p', { i18n: 'my_county.unavailable' })))
    .finally(() => panel.setAttribute('data-ready', 'true'));
  return panel;
}

/**
 * @param {string} slug
 * @param {(how?: { expand?: boolean }) => Promise<void>} redraw
 */
async function hotlineFor(slug, redraw) {
  /** @type {import('./types.js').CountyView} */
  const county = await call('county', { name: slug });
  const lines = hotlineAgencies(county);
  const change = h('button', {
    class: 'button secondary small',
    i18n: 'my_county.change',
    attrs: { type: 'button' },
    on: {
      click: async () => {
        await saveSetting('county', '');
        await redraw({ expand: true });
        /** @type {HTMLElement | null} */ (document.querySelector('.my-county input'))?.focus();
      },
    },
  });
  return h(
    'div',
    {},
    h('p', { class: 'my-county-name', i18n: lines.length ? 'my_county.hotline_of' : 'my_county.no_hotline', args: { county: county.name } }),
    ...lines.map((agency) => contactCard(agency, { compact: true, headingLevel: 'h3', roleLabel: 'role.child-welfare' })),
    h(
      'p',
      { class: 'actions' },
      h('a', { class: 'button small', i18n: 'my_county.open', args: { county: county.name }, attrs: { href: `#/county/${slug}` } }),
      change,
    ),
  );
}

/** @param {(how?: { expand?: boolean }) => Promise<void>} redraw */
function folded(redraw) {
  return h(
    'p',
    { class: 'actions' },
    h('button', {
      class: 'button secondary',
      i18n: 'my_county.choose',
      attrs: { type: 'button' },
      on: {
        click: async () => {
          await redraw({ expand: true });
          /** @type {HTMLElement | null} */ (document.querySelector('.my-county input'))?.focus();
        },
      },
    }),
  );
}

/**
 * Type part of a name, then tap the county.
 * @param {(how?: { expand?: boolean }) => Promise<void>} redraw
 * @param {boolean} canPutOff
 */
async function chooser(redraw, canPutOff) {
  /** @type {import('./types.js').CountySummary[]} */
  const counties = await call('counties');
  const inputId = uid('choose-county');
  const hintId = uid('choose-county-hint');
  const input = h('input', {
    attrs: { id: inputId, type: 'search', autocomplete: 'off', autocapitalize: 'words', spellcheck: 'false', enterkeyhint: 'done', 'aria-describedby': hintId },
  });
  const status = h('p', { class: 'hint my-county-status', attrs: { role: 'status', 'aria-live': 'polite' } });
  const matches = h('ul', { class: 'county-choices' });
  /** @param {import('./types.js').CountySummary} county */
  const choose = async (county) => {
    await saveSetting('county', county.slug);
    await redraw();
    announce('my_county.chosen', { county: county.name });
    /** @type {HTMLElement | null} */ (document.querySelector('.my-county a.call, .my-county a.button'))?.focus();
  };
  const show = () => {
    const query = fold(input.value);
    const found = query ? counties.filter((county) => fold(county.name).includes(query)) : [];
    matches.replaceChildren(
      ...found.slice(0, MATCHES_SHOWN).map((county) =>
        h('li', {}, h('button', { class: 'button secondary county-choice', text: county.name, attrs: { type: 'button' }, on: { click: () => void choose(county) } })),
      ),
    );
    status.replaceChildren(query ? h('span', { i18n: 'my_county.matches', args: { count: found.length } }) : h('span', { i18n: 'my_county.type_to_find' }));
  };
  input.addEventListener('input', show);
  show();
  const later = canPutOff
    ? h('button', {
        class: 'button secondary small',
        i18n: 'my_county.not_now',
        attrs: { type: 'button' },
        on: {
          click: async () => {
            await saveSetting('county_prompt', 'later');
            await redraw();
            /** @type {HTMLElement | null} */ (document.querySelector('.my-county button'))?.focus();
          },
        },
      })
    : null;
  return h(
    'div',
    { class: 'field' },
    h('label', { i18n: 'my_county.choose_label', attrs: { for: inputId } }),
    h('p', { class: 'hint', i18n: 'my_county.choose_hint', attrs: { id: hintId } }),
    input,
    status,
    matches,
    later ? h('p', { class: 'actions' }, later) : null,
  );
}
