// @ts-check
/** What the app is, where its content comes from, its versions, privacy, and quick exit. */
import { call } from '../api.js';
import { append, h } from '../dom.js';
import { tauri } from '../tauri.js';
import { dateElement } from '../format.js';
import { pageHeading } from './common.js';

/** The public pages most items are drawn from (their own sources are on each item). */
const MAIN_SOURCES = [
  { i18n: 'about.source_cdss', url: 'https://www.cdss.ca.gov/inforesources/child-welfare-protection/child-trafficking-response/csec-funding' },
  { i18n: 'about.source_ucdavis', url: 'https://humanservices.ucdavis.edu/toolkits/csec/legislation-and-guidance' },
  { i18n: 'about.source_calswec', url: 'https://calswec.berkeley.edu/toolkits/commercially-sexually-exploited-children-csec-toolkit/rules-road' },
];

/** The quick-exit limits, said plainly. */
const QUICK_EXIT_LIMITS = ['about.qe_limit_seen', 'about.qe_limit_history', 'about.qe_limit_installed', 'about.qe_limit_switcher', 'about.qe_limit_bookmarks'];

/** @type {import('../router.js').Screen} */
export async function render(view) {
  /** @type {import('../types.js').SyncStatus | null} */
  const status = await call('sync_status').catch(() => null);
  const app = tauri();

  const versions = h('dl', { class: 'facts' });
  /**
   * @param {string} key
   * @param {Node} value
   */
  const fact = (key, value) => versions.append(h('div', { class: 'fact' }, h('dt', { i18n: key }), h('dd', {}, value)));
  // The engine's version is the app's: both shells are built from the same workspace.
  // In a browser, say that this is the web preview too.
  const appVersion = h('span', {}, h('span', { text: status?.app_version ?? '' }));
  if (!app) appVersion.append(h('span', { class: 'aside', i18n: 'about.web_edition' }));
  fact('about.app_version', appVersion);
  if (status?.version !== null && status?.version !== undefined) fact('sync.version', h('span', { text: String(status.version) }));
  if (status?.published) fact('sync.published', dateElement(status.published));
  // Compared with what a convening laptop prints (`csec serve --lan`).
  const keys = status?.publisher_keys ?? [];
  if (keys.length) fact('about.publisher_key', h('span', { class: 'fingerprint', text: keys.join(', ') }));

  append(
    view,
    pageHeading('about.title'),
    h('p', { class: 'lead', i18n: 'about.what' }),
    h('p', { i18n: 'about.not_advice' }),
    h('h2', { i18n: 'about.sources_title' }),
    h('p', { i18n: 'about.sources' }),
    h(
      'ul',
      { class: 'link-list' },
      ...MAIN_SOURCES.map((source) =>
        h('li', {}, h('a', { class: 'external', i18n: source.i18n, attrs: { href: source.url, target: '_blank', rel: 'noopener noreferrer' } })),
      ),
    ),
    h('h2', { i18n: 'about.versions_title' }),
    versions,
    h('h2', { i18n: 'about.privacy_title' }),
    h('p', { i18n: 'about.privacy_network' }),
    h('p', { i18n: 'about.privacy_device' }),
    app ? null : h('p', { i18n: 'about.privacy_web' }),
    h('h2', { i18n: 'about.qe_title', attrs: { id: 'about-quick-exit', tabindex: -1 } }),
    h('p', { i18n: 'about.qe_what' }),
    h('p', { i18n: 'about.qe_limits_intro' }),
    h('ul', { class: 'plain-list' }, ...QUICK_EXIT_LIMITS.map((key) => h('li', { i18n: key }))),
    h('p', { i18n: 'about.qe_return' }),
  );
}
