// @ts-check
/**
 * "Your county": the reader's own county hotline, one tap from every practice guide.
 * The county is chosen once, kept on this device only (the `county` setting), and
 * can be changed here or in Settings. Choosing one updates this panel in place; it
 * does not move the reader elsewhere.
 */
import { call } from './api.js';
import { h, uid } from './dom.js';
import { announce } from './announce.js';
import { contactCard } from './contact.js';
import { currentSettings, saveSetting } from './settings.js';

/**
 * The lines the county publishes for reporting child abuse: its child welfare
 * agencies' contacts that have a phone.
 * @param {import('./types.js').CountyView} county
 */
export function hotlineAgencies(county) {
  const childWelfare = county.roles.find((group) => group.role === 'child-welfare');
  return (childWelfare?.agencies ?? []).filter((agency) => agency.verified && (agency.phones ?? []).length);
}

/** The panel, drawn for the county in the settings, or a chooser when there is none. */
export function countyPanel() {
  const headingId = uid('my-county');
  const body = h('div', { class: 'my-county-body' });
  const panel = h(
    'section',
    { class: 'my-county', attrs: { 'aria-labelledby': headingId } },
    h('h2', { i18n: 'my_county.heading', attrs: { id: headingId } }),
    body,
  );
  const draw = async () => {
    const slug = currentSettings().county;
    body.replaceChildren(slug ? await hotlineFor(slug, draw) : await chooser(draw));
  };
  void draw().catch(() => body.replaceChildren(h('p', { i18n: 'my_county.unavailable' })));
  return panel;
}

/**
 * @param {string} slug
 * @param {() => Promise<void>} redraw
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
        await redraw();
        /** @type {HTMLElement | null} */ (document.querySelector('.my-county select'))?.focus();
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

/** @param {() => Promise<void>} redraw */
async function chooser(redraw) {
  /** @type {import('./types.js').CountySummary[]} */
  const counties = await call('counties');
  const id = uid('choose-county');
  const select = h(
    'select',
    { attrs: { id } },
    h('option', { i18n: 'my_county.choose_prompt', attrs: { value: '' } }),
    ...counties.map((county) => h('option', { text: county.name, attrs: { value: county.slug } })),
  );
  select.addEventListener('change', async () => {
    if (!select.value) return;
    const name = select.selectedOptions[0]?.textContent ?? '';
    await saveSetting('county', select.value);
    await redraw();
    announce('my_county.chosen', { county: name });
    /** @type {HTMLElement | null} */ (document.querySelector('.my-county .call'))?.focus();
  });
  return h(
    'div',
    { class: 'field' },
    h('label', { i18n: 'my_county.choose_label', attrs: { for: id } }),
    h('p', { class: 'hint', i18n: 'my_county.choose_hint' }),
    select,
  );
}
