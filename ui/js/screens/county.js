// @ts-check
/**
 * One county's CSEC contacts, grouped by multidisciplinary-team role. Roles the
 * statute requires are always listed, even without a contact, so a gap is visible.
 */
import { call } from '../api.js';
import { h, uid } from '../dom.js';
import { contactCard } from '../contact.js';
import { PROGRAM_LABEL, ROLE_LABEL } from '../format.js';
import { contentHeading } from './common.js';

/** @type {import('../router.js').Screen} */
export async function render(view, route) {
  const slug = route.path.join('/');
  /** @type {import('../types.js').CountyView} */
  const county = await call('county', { name: slug });
  const unverified = county.roles.some((role) => role.agencies.some((agency) => !agency.verified));

  view.append(
    h('p', { class: 'eyebrow', i18n: 'county.eyebrow' }),
    contentHeading(county.name),
    h('dl', { class: 'facts' },
      h('div', { class: 'fact' }, h('dt', { i18n: 'county.program' }), h('dd', {}, h('span', { i18n: PROGRAM_LABEL[county.csec_program] ?? 'program.unknown' }))),
      h('div', { class: 'fact' }, h('dt', { i18n: 'county.fips' }), h('dd', { text: county.fips })),
    ),
  );
  if (unverified) {
    view.append(
      h(
        'div',
        { class: 'notice notice-warning' },
        h('p', { class: 'banner-title', i18n: 'county.unverified_title' }),
        h('p', { i18n: 'county.unverified_body' }),
      ),
    );
  }
  for (const group of county.roles) {
    const id = uid('role');
    const roleLabel = ROLE_LABEL[group.role] ?? 'role.other';
    const section = h(
      'section',
      { class: 'role-group', attrs: { 'aria-labelledby': id } },
      h('h2', { i18n: roleLabel, attrs: { id } }),
    );
    if (group.agencies.length) {
      section.append(...group.agencies.map((agency) => contactCard(agency, { roleLabel, headingLevel: 'h3' })));
    } else {
      section.append(h('p', { class: 'empty', i18n: group.required ? 'county.required_missing' : 'county.none' }));
    }
    view.append(section);
  }
  view.append(h('p', { class: 'actions' }, h('a', { class: 'button secondary', i18n: 'county.all_counties', attrs: { href: '#/counties' } })));
}
