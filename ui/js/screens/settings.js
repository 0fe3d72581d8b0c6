// @ts-check
/**
 * Settings: reading (language, text size, theme), updates (when to sync, from where,
 * sync now with progress), privacy (recently viewed). Every choice is saved as soon as
 * it is made and applies at once.
 */
import { call, ApiError } from '../api.js';
import { h, uid } from '../dom.js';
import { announce } from '../announce.js';
import { currentSettings, saveSetting } from '../settings.js';
import { forgetOfflineCopy } from '../offline.js';
import { tauri } from '../tauri.js';
import { dateElement } from '../format.js';
import { inlineError, pageHeading } from './common.js';

/** @typedef {import('../types.js').Settings} Settings */

/** Sync error kinds the engine reports (crates/sync/src/error.rs), with what to tell the person. */
const SYNC_ERRORS = /** @type {Record<string, string>} */ ({
  'no-source': 'sync.error.no-source',
  'insecure-source': 'sync.error.insecure-source',
  'bad-source': 'sync.error.bad-source',
  network: 'sync.error.network',
  timeout: 'sync.error.timeout',
  'server-error': 'sync.error.server-error',
  redirect: 'sync.error.redirect',
  'manifest-too-large': 'sync.error.invalid',
  'manifest-invalid': 'sync.error.invalid',
  untrusted: 'sync.error.untrusted',
  rollback: 'sync.error.rollback',
  expired: 'sync.error.expired',
  'object-too-large': 'sync.error.invalid',
  'object-corrupt': 'sync.error.invalid',
  'object-invalid': 'sync.error.invalid',
  'attachment-corrupt': 'sync.error.invalid',
  'mirror-behind': 'sync.error.mirror-behind',
  'mirror-not-local': 'mirror.not_local',
  cache: 'sync.error.cache',
});

const PHASES = /** @type {Record<string, string>} */ ({
  checking: 'sync.phase.checking',
  downloading: 'sync.phase.downloading',
  applying: 'sync.phase.applying',
});

/** True while "Update now" runs, so the app-wide notice of a finished update stays quiet. */
let manualSync = false;
export function manualSyncRunning() {
  return manualSync;
}

/** @type {import('../router.js').Screen} */
export async function render(view) {
  const settings = currentSettings();
  /** @type {import('../types.js').SyncStatus | null} */
  const status = await call('sync_status').catch(() => null);
  /** @type {import('../types.js').CountySummary[]} */
  const counties = await call('counties').catch(() => []);

  view.append(
    pageHeading('settings.title'),
    section('settings.reading', 'reading', [
      choice('language', 'settings.language', settings.language, [
        { value: 'system', i18n: 'settings.language_system' },
        { value: 'en', i18n: 'settings.language_en', lang: 'en' },
        { value: 'es', i18n: 'settings.language_es', lang: 'es' },
      ]),
      choice(
        'text_size',
        'settings.text_size',
        settings.text_size,
        ['100', '125', '150', '175', '200'].map((size) => ({ value: size, i18n: 'settings.text_size_value', args: { size } })),
        'settings.text_size_hint',
      ),
      choice('theme', 'settings.theme', settings.theme, [
        { value: 'system', i18n: 'settings.theme_system' },
        { value: 'light', i18n: 'settings.theme_light' },
        { value: 'dark', i18n: 'settings.theme_dark' },
      ]),
    ]),
    section('settings.my_county', 'county', [countyField(settings.county, counties)]),
    section('settings.updates', 'sync', [
      choice(
        'sync',
        'settings.sync',
        settings.sync,
        [
          { value: 'always', i18n: 'settings.sync_always' },
          { value: 'wifi', i18n: 'settings.sync_wifi' },
          { value: 'manual', i18n: 'settings.sync_manual' },
        ],
        'settings.sync_hint',
      ),
      choice(
        'attachments',
        'settings.attachments_label',
        settings.attachments,
        [
          { value: 'auto', i18n: 'settings.attachments_auto' },
          { value: 'with-updates', i18n: 'settings.attachments_with_updates' },
          { value: 'when-opened', i18n: 'settings.attachments_when_opened' },
        ],
        'settings.attachments_hint',
      ),
      sourceField(settings.sync_source),
      mirrorField(status?.mirrors ?? []),
      syncPanel(status),
    ]),
    section('settings.privacy', 'privacy', [
      choice(
        'history',
        'settings.history',
        settings.history,
        [
          { value: 'on', i18n: 'settings.history_on' },
          { value: 'off', i18n: 'settings.history_off' },
        ],
        'settings.history_hint',
      ),
      clearHistory(),
    ]),
  );
}

/**
 * @param {string} titleKey
 * @param {string} id the anchor other screens link to (`#/settings?h=sync`)
 * @param {(Node | null)[]} children
 */
function section(titleKey, id, children) {
  return h('section', { class: 'settings-section', attrs: { 'aria-labelledby': id } }, h('h2', { i18n: titleKey, attrs: { id } }), ...children);
}

/**
 * A group of radio buttons that saves on change.
 * @param {keyof Settings} key
 * @param {string} legend UI string
 * @param {string} value the current value
 * @param {{ value: string, i18n: string, args?: import('../i18n.js').Args, lang?: string }[]} options
 * @param {string} [hint] UI string
 */
function choice(key, legend, value, options, hint) {
  const name = uid(key);
  const hintId = hint ? uid(`${key}-hint`) : undefined;
  const errors = h('div', {});
  const fieldset = h(
    'fieldset',
    { class: 'choice', attrs: { 'aria-describedby': hintId } },
    h('legend', { i18n: legend }),
    hint ? h('p', { class: 'hint', i18n: hint, attrs: { id: hintId } }) : null,
    h(
      'div',
      { class: 'options' },
      ...options.map((option) => {
        const input = h('input', { attrs: { type: 'radio', name, value: option.value, checked: option.value === value } });
        input.addEventListener('change', async () => {
          errors.replaceChildren();
          try {
            await saveSetting(key, option.value);
            announce('settings.saved');
          } catch (error) {
            errors.replaceChildren(inlineError(error, 'settings.save_failed'));
          }
        });
        const text = h('span', { i18n: option.i18n, args: option.args });
        // Language names are written in their own language, so each one is readable by
        // the person who needs it.
        if (option.lang) text.lang = option.lang;
        return h('label', { class: 'option' }, input, text);
      }),
    ),
    errors,
  );
  return fieldset;
}

/**
 * The reader's own county: its hotline heads every practice guide. Kept on this
 * device only; "None" removes it.
 * @param {string} current
 * @param {import('../types.js').CountySummary[]} counties
 */
function countyField(current, counties) {
  const id = uid('county');
  const hintId = uid('county-hint');
  const errors = h('div', {});
  const select = h(
    'select',
    { attrs: { id, 'aria-describedby': hintId } },
    h('option', { i18n: 'settings.county_none', attrs: { value: '', selected: !current } }),
    ...counties.map((county) => h('option', { text: county.name, attrs: { value: county.slug, selected: county.slug === current } })),
  );
  select.addEventListener('change', async () => {
    errors.replaceChildren();
    try {
      await saveSetting('county', select.value);
      announce(select.value ? 'settings.saved' : 'settings.county_removed');
    } catch (error) {
      errors.replaceChildren(inlineError(error, 'settings.save_failed'));
    }
  });
  return h(
    'div',
    { class: 'field' },
    h('label', { i18n: 'settings.county', attrs: { for: id } }),
    h('p', { class: 'hint', i18n: 'settings.county_hint', attrs: { id: hintId } }),
    select,
    errors,
  );
}

/** @param {string} current */
function sourceField(current) {
  const id = uid('source');
  const hintId = uid('source-hint');
  const input = h('input', {
    attrs: { id, type: 'url', inputmode: 'url', autocomplete: 'off', autocapitalize: 'off', spellcheck: 'false', 'aria-describedby': hintId },
  });
  input.value = current;
  const errors = h('div', {});
  const save = h('button', { class: 'button secondary', i18n: 'settings.source_save', attrs: { type: 'submit' } });
  return h(
    'form',
    {
      class: 'field source-field',
      on: {
        submit: async (event) => {
          event.preventDefault();
          errors.replaceChildren();
          try {
            await saveSetting('sync_source', input.value.trim());
            announce('settings.saved');
          } catch (error) {
            errors.replaceChildren(inlineError(error, 'settings.source_invalid'));
          }
        },
      },
    },
    h('label', { i18n: 'settings.source', attrs: { for: id } }),
    h('p', { class: 'hint', i18n: 'settings.source_hint', attrs: { id: hintId } }),
    h('div', { class: 'inline-field' }, input, save),
    errors,
  );
}

/**
 * "Update from a nearby device": the addresses of laptops serving a copy of the
 * library (`csec serve --lan`), tried before the publisher. Typing is enough; the
 * signature, not the address, protects the content, and the hint says so.
 * @param {import('../types.js').Mirror[]} initial
 */
function mirrorField(initial) {
  const id = uid('mirror');
  const hintId = uid('mirror-hint');
  const listId = uid('mirror-list');
  const input = h('input', {
    attrs: { id, type: 'url', inputmode: 'url', autocomplete: 'off', autocapitalize: 'off', spellcheck: 'false', 'aria-describedby': hintId },
  });
  const errors = h('div', {});
  const list = h('ul', { class: 'link-list mirror-list', label: 'mirror.list_label', attrs: { id: listId } });
  /** @param {import('../types.js').Mirror[]} mirrors */
  const show = (mirrors) => {
    list.replaceChildren(
      ...mirrors.map((mirror) => {
        const urlId = uid('mirror-url');
        // "Remove", described by the address it removes.
        const remove = h('button', { class: 'button secondary small', i18n: 'mirror.remove', attrs: { type: 'button', 'aria-describedby': urlId } });
        remove.addEventListener('click', async () => {
          errors.replaceChildren();
          try {
            show(await call('mirror_remove', { url: mirror.url }));
            announce('mirror.removed');
          } catch (error) {
            errors.replaceChildren(inlineError(error, 'mirror.failed'));
          }
        });
        return h('li', { class: 'mirror' }, h('span', { class: 'break', text: mirror.url, attrs: { id: urlId } }), document.createTextNode(' '), remove);
      }),
    );
    list.hidden = mirrors.length === 0;
  };
  show(initial);
  const add = h('button', { class: 'button secondary', i18n: 'mirror.add', attrs: { type: 'submit' } });
  return h(
    'form',
    {
      class: 'field mirror-field',
      on: {
        submit: async (event) => {
          event.preventDefault();
          errors.replaceChildren();
          const url = input.value.trim();
          if (!url) return;
          try {
            show(await call('mirror_add', { url }));
            input.value = '';
            announce('mirror.added');
          } catch (error) {
            errors.replaceChildren(inlineError(error, /not a nearby device/.test(String(error)) ? 'mirror.not_local' : 'mirror.invalid'));
          }
        },
      },
    },
    h('label', { i18n: 'mirror.label', attrs: { for: id } }),
    h('p', { class: 'hint', i18n: 'mirror.hint', attrs: { id: hintId } }),
    h('div', { class: 'inline-field' }, input, add),
    errors,
    list,
  );
}

/**
 * Where the content came from: the publisher, or a nearby device.
 * @param {import('../types.js').SyncStatus} status
 */
function lastSource(status) {
  const from = status.last_source;
  if (!from) return null;
  const nearby = (status.mirrors ?? []).some((m) => m.url === from) || (!!status.source && !sameAddress(from, status.source));
  return nearby
    ? h('span', {}, h('span', { i18n: 'sync.from_nearby' }), document.createTextNode(' '), h('span', { class: 'break', text: from }))
    : h('span', { i18n: 'sync.from_publisher' });
}

/**
 * @param {string} a
 * @param {string} b
 */
function sameAddress(a, b) {
  const slash = (/** @type {string} */ u) => (u.endsWith('/') ? u : `${u}/`);
  return slash(a.trim()) === slash(b.trim());
}

/**
 * What the library holds, when it was last updated, and "Sync now" with progress.
 * @param {import('../types.js').SyncStatus | null} initial
 */
function syncPanel(initial) {
  const facts = h('dl', { class: 'facts sync-facts' });
  const statusId = uid('sync-status');
  const message = h('p', { class: 'sync-message', attrs: { id: statusId, role: 'status', 'aria-live': 'polite' } });
  const progress = h('progress', { attrs: { 'aria-labelledby': statusId } });
  progress.hidden = true;
  const result = h('div', {});
  const button = h('button', { class: 'button', i18n: 'sync.now', attrs: { type: 'button' } });
  let running = false;

  /** @param {import('../types.js').SyncStatus | null} status */
  const showFacts = (status) => {
    facts.replaceChildren();
    if (!status) return;
    /**
     * @param {string} key
     * @param {Node} value
     */
    const add = (key, value) => facts.append(h('div', { class: 'fact' }, h('dt', { i18n: key }), h('dd', {}, value)));
    if (status.version !== null && status.version !== undefined) add('sync.version', h('span', { text: String(status.version) }));
    if (status.published) add('sync.published', dateElement(status.published));
    if (status.expires) add('sync.expires', dateElement(status.expires));
    add('sync.last_sync', status.last_sync ? dateElement(status.last_sync, { time: true }) : h('span', { i18n: 'sync.never' }));
    if (status.last_sync_attempt && status.last_sync_attempt !== status.last_sync) {
      add('sync.last_attempt', dateElement(status.last_sync_attempt, { time: true }));
    }
    if (status.last_sync_outcome) add('sync.last_outcome', h('span', { text: status.last_sync_outcome }));
    add('sync.source', status.source ? h('span', { class: 'break', text: status.source }) : h('span', { i18n: 'sync.no_source' }));
    const came = lastSource(status);
    if (came) add('sync.came_from', came);
    for (const refusal of status.last_sync_refused ?? []) {
      facts.append(
        h(
          'div',
          { class: 'fact fact-warning refusal' },
          h('dt', { i18n: 'sync.not_used' }),
          h('dd', {}, h('span', { class: 'break', text: refusal.source }), document.createTextNode(' '), h('span', { i18n: SYNC_ERRORS[refusal.kind] ?? 'sync.error.generic' })),
        ),
      );
    }
    if (status.built_in) facts.append(h('div', { class: 'fact' }, h('dt', { i18n: 'sync.built_in_label' }), h('dd', {}, h('span', { i18n: 'sync.built_in' }))));
    if (status.stale) {
      facts.append(h('div', { class: 'fact fact-warning' }, h('dt', { i18n: 'sync.stale_label' }), h('dd', {}, h('span', { i18n: 'sync.stale' }))));
    }
  };
  showFacts(initial);

  /** @param {import('../types.js').SyncProgress} update */
  const showProgress = (update) => {
    const phase = PHASES[update.phase] ?? 'sync.phase.checking';
    const bytesTotal = update.bytes_total ?? 0;
    const itemsTotal = update.items_total ?? 0;
    if (update.phase === 'downloading' && bytesTotal > 0) {
      progress.max = bytesTotal;
      progress.value = Math.min(update.bytes_done ?? 0, bytesTotal);
      message.replaceChildren(h('span', { i18n: 'sync.phase.downloading_amount', args: { done: kilobytes(update.bytes_done ?? 0), total: kilobytes(bytesTotal) } }));
    } else if (update.phase === 'applying' && itemsTotal > 0) {
      progress.max = itemsTotal;
      progress.value = Math.min(update.items_done ?? 0, itemsTotal);
      message.replaceChildren(h('span', { i18n: 'sync.phase.applying_count', args: { done: update.items_done ?? 0, total: itemsTotal } }));
    } else {
      progress.removeAttribute('value');
      message.replaceChildren(h('span', { i18n: phase }));
    }
  };

  button.addEventListener('click', async () => {
    // aria-disabled rather than disabled: a disabled button drops keyboard focus.
    if (running) return;
    running = true;
    manualSync = true;
    button.setAttribute('aria-disabled', 'true');
    result.replaceChildren();
    progress.hidden = false;
    showProgress({ phase: 'checking' });
    /** @type {(() => void)[]} */
    const unlisten = [];
    /** The shell's own account of how the update ended, with the error's kind. */
    /** @type {{ ok?: boolean, kind?: string } | null} */
    let finished = null;
    const app = tauri();
    if (app?.event) {
      const events = app.event;
      const listen = async (/** @type {string} */ name, /** @type {(payload: any) => void} */ handler) => {
        const stop = await events.listen(name, (event) => handler(event.payload)).catch(() => undefined);
        if (stop) unlisten.push(stop);
      };
      await listen('sync-progress', (payload) => showProgress(payload));
      await listen('sync-finished', (payload) => {
        finished = payload;
      });
    }
    try {
      /** @type {import('../types.js').SyncReport} */
      const report = await call('sync');
      message.replaceChildren(
        report.status === 'updated'
          ? h('span', { i18n: 'sync.updated', args: { version: report.version, added: report.added, changed: report.changed, removed: report.removed } })
          : h('span', { i18n: 'sync.up_to_date', args: { version: report.version } }),
      );
    } catch (error) {
      message.replaceChildren(h('span', { i18n: 'sync.failed' }));
      const kind = (error instanceof ApiError && error.kind) || /** @type {{ kind?: string } | null} */ (finished)?.kind || '';
      result.replaceChildren(inlineError(error, SYNC_ERRORS[kind] ?? 'sync.error.generic'));
    } finally {
      for (const stop of unlisten) stop();
      progress.hidden = true;
      running = false;
      manualSync = false;
      button.removeAttribute('aria-disabled');
      showFacts(await call('sync_status').catch(() => null));
    }
  });

  return h(
    'div',
    { class: 'sync-panel' },
    h('h3', { i18n: 'sync.heading' }),
    facts,
    h('p', { class: 'actions' }, button),
    progress,
    message,
    result,
  );
}

/** @param {number} bytes */
function kilobytes(bytes) {
  return Math.max(1, Math.round(bytes / 1024));
}

function clearHistory() {
  const errors = h('div', {});
  const button = h('button', { class: 'button secondary', i18n: 'recent.clear', attrs: { type: 'button' } });
  button.addEventListener('click', async () => {
    errors.replaceChildren();
    try {
      await call('history_clear');
      await forgetOfflineCopy();
      announce('recent.cleared');
    } catch (error) {
      errors.replaceChildren(inlineError(error, 'recent.clear_failed'));
    }
  });
  return h('div', { class: 'field' }, h('p', { class: 'actions' }, button), errors);
}
