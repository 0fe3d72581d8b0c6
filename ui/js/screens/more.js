// @ts-check
/**
 * More: on a phone, the screens that are not in the tab bar (timeline, reports,
 * settings, about). Wider screens show them in the top row, but the address works
 * there too.
 */
import { h } from '../dom.js';
import { pageHeading } from './common.js';

/** The screens, each with what it holds. */
const MORE = [
  { href: '#/timeline', name: 'nav.timeline', about: 'more.timeline' },
  { href: '#/reports', name: 'nav.reports', about: 'more.reports' },
  { href: '#/settings', name: 'nav.settings', about: 'more.settings' },
  { href: '#/about', name: 'nav.about', about: 'more.about' },
];

/** @type {import('../router.js').Screen} */
export async function render(view) {
  view.append(
    pageHeading('more.title'),
    h(
      'ul',
      { class: 'section-links more-links' },
      ...MORE.map((entry) =>
        h(
          'li',
          {},
          h(
            'a',
            { class: 'section-link', attrs: { href: entry.href } },
            h('span', { class: 'section-name', i18n: entry.name }),
            h('span', { class: 'section-count', i18n: entry.about }),
          ),
        ),
      ),
    ),
  );
}
