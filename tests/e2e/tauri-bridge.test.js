// The Tauri code path of the UI, in Chromium: a stand-in `window.__TAURI__` (the
// globals `withGlobalTauri` provides) forwards `invoke('call', {name, args})` to the
// preview's command table and records everything, so this checks what the UI asks of
// the shell: commands through `call`, updates through `sync` with progress events,
// links handed to plugin-opener, the app version, and no service worker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PHONE, SCREENS, api, openApp, previewAndBrowser, showScreen } from './helpers.js';

const shared = previewAndBrowser();

/** Runs in the page before the app: the shell's globals, recording every use. */
function fakeTauri() {
  /** @type {{ calls: unknown[], opened: string[], listening: string[] }} */
  const log = { calls: [], opened: [], listening: [] };
  /** @type {Map<string, ((event: { payload: unknown }) => void)[]>} */
  const handlers = new Map();
  const emit = (/** @type {string} */ name, /** @type {unknown} */ payload) => (handlers.get(name) ?? []).forEach((h) => h({ payload }));
  // @ts-ignore test globals
  window.__shell = log;
  // @ts-ignore
  window.__TAURI__ = {
    core: {
      async invoke(/** @type {string} */ command, /** @type {any} */ payload) {
        log.calls.push([command, payload]);
        if (command === 'sync') {
          // As the shell does: progress, then the finished event, then the answer.
          emit('sync-progress', { phase: 'checking' });
          emit('sync-finished', { ok: false, error: 'no update source is set', kind: 'no-source' });
          throw 'no update source is set';
        }
        if (command !== 'call') throw `unknown command ${command}`;
        const response = await fetch(`/api/${payload.name}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(payload.args ?? {}),
        });
        const body = await response.json();
        if (!response.ok) throw body.error;
        return body;
      },
    },
    event: {
      async listen(/** @type {string} */ name, /** @type {(event: { payload: unknown }) => void} */ handler) {
        log.listening.push(name);
        handlers.set(name, [...(handlers.get(name) ?? []), handler]);
        return () => handlers.set(name, (handlers.get(name) ?? []).filter((h) => h !== handler));
      },
    },
    opener: {
      async openUrl(/** @type {string} */ url) {
        log.opened.push(url);
      },
    },
  };
}

test('inside the app: commands, sync, links and version go through the shell', async () => {
  const context = await shared.browser.newContext({ ...PHONE, locale: 'en-US' });
  await context.addInitScript(fakeTauri);
  try {
    const page = await context.newPage();
    const popups = [];
    context.on('page', (p) => popups.push(p));
    await openApp(page, shared.preview.url);
    /** @returns {Promise<{ calls: [string, any][], opened: string[], listening: string[] }>} */
    // @ts-ignore
    const shell = () => page.evaluate(() => window.__shell);

    const first = await shell();
    assert.ok(first.calls.some(([command, payload]) => command === 'call' && payload.name === 'settings_get'), 'settings through call');
    assert.ok(first.calls.some(([command, payload]) => command === 'call' && payload.name === 'home' && JSON.stringify(payload.args) === '{"lang":"en"}'), 'home through call, in the reader\'s language');
    assert.ok(first.listening.includes('sync-finished'), 'the app hears background updates');
    assert.equal(await page.evaluate(() => navigator.serviceWorker.getRegistrations().then((r) => r.length)), 0, 'no service worker inside the app');

    // Links leave through the opener; the webview stays.
    await showScreen(page, SCREENS.find((s) => s.name === 'item'));
    const source = page.locator('.facts a.external').first();
    const href = await source.getAttribute('href');
    await source.click();
    // A web link in the text has no class or target: its href is enough.
    const bodyLink = page.locator('.prose a[href^="https:"]').first();
    const bodyHref = await bodyLink.getAttribute('href');
    await bodyLink.click();
    await showScreen(page, SCREENS.find((s) => s.name === 'county'));
    await page.locator('.contact a.call').first().click();
    const { opened } = await shell();
    assert.deepEqual(opened, [href, bodyHref, 'tel:+15596008320']);
    assert.equal(popups.length, 0, 'nothing opened inside the app');
    assert.match(page.url(), /#\/county\/fresno$/);

    await showScreen(page, SCREENS.find((s) => s.name === 'about'));
    // The engine reports the app's version (sync_status), the same in both shells;
    // inside the app it is not labelled as the web preview.
    const facts = await page.locator('.facts').innerText();
    assert.match(facts, /App version\s+\d+\.\d+\.\d+\n/);
    assert.doesNotMatch(facts, /web preview/i);

    // Update now: the shell's sync command, its progress, and the kind of failure from
    // its finished event (the rejection itself is only a sentence).
    await showScreen(page, SCREENS.find((s) => s.name === 'settings'));
    await page.getByRole('button', { name: 'Update now' }).click();
    await page.waitForSelector('.sync-panel .notice-error');
    assert.match(await page.locator('.sync-panel .notice-error').innerText(), /Set an update source above first\./);
    const after = await shell();
    // It says what the page knows of the connection: headless Chromium on a desktop
    // reports no connection type, so "unknown" (attachments then wait until opened).
    assert.ok(
      after.calls.some(([command, payload]) => command === 'sync' && payload?.connection === 'unknown'),
      `sync is its own command, with the connection: ${JSON.stringify(after.calls)}`,
    );
    assert.ok(after.listening.includes('sync-progress'));

    // Quick exit asks the engine to forget through call as well.
    await showScreen(page, SCREENS.find((s) => s.name === 'item'));
    assert.equal((await api(shared.preview.url, 'recent')).length, 1);
    await page.getByRole('button', { name: 'Quick exit' }).click();
    await page.waitForURL(/notes\.html/);
    assert.deepEqual(await api(shared.preview.url, 'recent'), []);
  } finally {
    await context.close();
  }
});
