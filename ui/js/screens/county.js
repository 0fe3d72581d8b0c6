// @ts-check
/**
 * One county's CSEC contacts. The county's child abuse hotline comes first: it is
 * the number a worker or foster parent needs most. Then every role of the county's
 * multidisciplinary team (WIC 16524.8): roles the statute requires are always listed,
 * and a role without a verified contact says so and what to do instead, never a
 * made-up number.
 */
import { call } from '../api.js';
import { h, uid } from '../dom.js';
import { contactCard } from '../contact.js';
import { PROGRAM_LABEL, ROLE_LABEL } from '../format.js';
import { language } from '../i18n.js';
import { hotlineAgencies } from '../my-county.js';
import { contentHeading } from './common.js';

/** @type {import('../router.js').Screen} */
export async function render(view, route) {
  const slug = route.path.join('/');
  /** @type {import('../types.js').CountyView} */
  const county = await call('county', { name: slug });
  const unverified = county.roles.some((role) => role.agencies.some((agency) => !agency.verified));
  const hotlines = hotlineAgencies(county);

  view.append(
    h('p', { class: 'eyebrow', i18n: 'county.eyebrow' }),
    contentHeading(county.name),
    hotlines.length ? hotlineSection(county, hotlines) : await noHotline(county),
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
  const teamId = uid('team');
  const team = h(
    'section',
    { class: 'team', attrs: { 'aria-labelledby': teamId } },
    h('h2', { i18n: 'county.team_heading', attrs: { id: teamId } }),
    h('p', { class: 'hint', i18n: 'county.team_intro' }),
  );
  for (const group of county.roles) {
    const id = uid('role');
    const roleLabel = ROLE_LABEL[group.role] ?? 'role.other';
    const section = h(
      'section',
      { class: 'role-group', data: { role: group.role }, attrs: { 'aria-labelledby': id } },
      h('h3', { i18n: roleLabel, attrs: { id } }),
    );
    // The hotline is shown above; its role is not listed twice.
    const agencies = group.role === 'child-welfare' ? group.agencies.filter((a) => !hotlines.includes(a)) : group.agencies;
    if (agencies.length) {
      section.append(...agencies.map((agency) => contactCard(agency, { roleLabel, headingLevel: 'h4' })));
    } else if (group.role === 'child-welfare' && hotlines.length) {
      section.append(h('p', { class: 'empty', i18n: 'county.lead_is_hotline' }));
    } else {
      section.append(
        h(
          'div',
          { class: 'no-contact' },
          h('p', { class: 'no-contact-title', i18n: 'county.no_verified_contact' }),
          h('p', { i18n: hotlines.length ? 'county.no_contact_what_to_do' : 'county.no_contact_what_to_do_no_hotline', args: { county: county.name } }),
        ),
      );
    }
    team.append(section);
  }
  view.append(team);
  view.append(h('p', { class: 'actions' }, h('a', { class: 'button secondary', i18n: 'county.all_counties', attrs: { href: '#/counties' } })));
}

/**
 * @param {import('../types.js').CountyView} county
 * @param {import('../types.js').Agency[]} hotlines
 */
function hotlineSection(county, hotlines) {
  const id = uid('county-hotline');
  return h(
    'section',
    { class: 'county-hotline', attrs: { 'aria-labelledby': id } },
    h('h2', { i18n: 'county.hotline_heading', attrs: { id } }),
    h('p', { class: 'hint', i18n: 'county.hotline_intro', args: { county: county.name } }),
    ...hotlines.map((agency) => contactCard(agency, { roleLabel: 'role.child-welfare', headingLevel: 'h3' })),
  );
}

/**
 * No sourced hotline for this county yet: say so, and what to do instead.
 * @param {import('../types.js').CountyView} county
 */
async function noHotline(county) {
  /** @type {import('../types.js').ResourceView[]} */
  const resources = await call('resources', { lang: language() }).catch(() => []);
  const id = uid('county-hotline');
  return h(
    'section',
    { class: 'county-hotline missing', attrs: { 'aria-labelledby': id } },
    h('h2', { i18n: 'county.hotline_heading', attrs: { id } }),
    h(
      'div',
      { class: 'notice notice-warning' },
      h('p', { class: 'banner-title', i18n: 'county.no_hotline_title', args: { county: county.name } }),
      h('p', { i18n: 'county.no_hotline_body', args: { county: county.name } }),
    ),
    ...resources.map((line) => contactCard(line, { compact: true, headingLevel: 'h3' })),
  );
}
