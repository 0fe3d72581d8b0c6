// @ts-check
/** An address the app does not know (an old link, a typo). */
import { h } from '../dom.js';
import { pageHeading } from './common.js';

/** @type {import('../router.js').Screen} */
export async function render(view) {
  view.append(
    pageHeading('not_found.title'),
    h('p', { i18n: 'not_found.body' }),
    h('p', { class: 'actions' }, h('a', { class: 'button', i18n: 'common.go_home', attrs: { href: '#/' } })),
  );
}
