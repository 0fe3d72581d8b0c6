// End-to-end test of the real desktop app (src-tauri) through WebDriver.
//
//   cargo build -p csec-app
//   xvfb-run -a node --test tests/desktop/
//
// Needs tauri-driver (`cargo install tauri-driver --version ^2 --locked`),
// WebKitWebDriver (Debian: webkit2gtk-driver) and a display (xvfb-run). Installs
// nothing. The app runs with a fresh HOME, so it creates a new cache from the
// built-in content and has no update address: it is offline-only.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

import { Driver, Session, appPath, freshHome, missingPrerequisites, waitFor } from './webdriver.mjs';

const APP = appPath();
const LETTER = 'guidance/acl-16-49';
/** The app's own pages: tauri://localhost (Linux, macOS) or http(s)://tauri.localhost (Windows). */
const APP_ORIGIN = /^(tauri:\/\/localhost|https?:\/\/tauri\.localhost)([/?#]|$)/;

/** A content host with nothing on it (404 for everything), counting the requests. */
async function emptyHost() {
  const requests = [];
  const server = createServer((request, response) => {
    requests.push(request.url);
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/bundle/`,
    requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe('desktop app', () => {
  /** @type {Driver} */ let driver;
  /** @type {Session} */ let session;
  let home;
  let host;
  let launchMs;

  before(async () => {
    const missing = missingPrerequisites(APP);
    if (missing.length) throw new Error(`cannot run the desktop tests:\n- ${missing.join('\n- ')}`);
    home = freshHome();
    host = await emptyHost();
    driver = await Driver.start(home.env);
    const started = Date.now();
    session = await driver.session(APP);
    await session.waitForHome();
    launchMs = Date.now() - started;
  });

  after(async () => {
    if (session) await session.close();
    if (driver) await driver.stop();
    if (home) home.remove();
    if (host) await host.close();
    if (launchMs !== undefined) console.log(`# session start to home screen: ${launchMs} ms (includes WebDriver)`);
  });

  it('shows the home screen from a fresh cache in the app data directory', async () => {
    const heading = await session.text(await session.find('h1'));
    assert.ok(heading.trim().length > 0, 'the home screen has a heading');
    assert.ok(existsSync(home.cacheFile), `the cache was created at ${home.cacheFile}`);
    assert.match(await session.url(), APP_ORIGIN);
  });

  it('answers call("home") through window.__TAURI__.core.invoke', async () => {
    const answer = await session.invoke('call', { name: 'home', args: {} });
    assert.ok(answer.ok, answer.error);
    assert.equal(answer.value.content_version, 0, 'built-in content');
    assert.equal(answer.value.built_in, true);
    assert.ok(answer.value.counts.guidance > 0, JSON.stringify(answer.value.counts));

    const noArgs = await session.invoke('call', { name: 'counties' });
    assert.ok(noArgs.ok && Array.isArray(noArgs.value) && noArgs.value.length > 0, noArgs.error);

    const status = await session.invoke('call', { name: 'sync_status', args: {} });
    assert.ok(status.ok, status.error);
    assert.equal(status.value.source, '', 'no update address: offline-only');
  });

  it('refuses unknown commands and sync through call, with sentences', async () => {
    const unknown = await session.invoke('call', { name: 'drop_tables', args: {} });
    assert.equal(unknown.ok, false);
    assert.match(unknown.error, /does not know/);
    const viaCall = await session.invoke('call', { name: 'sync', args: {} });
    assert.equal(viaCall.ok, false);
    assert.match(viaCall.error, /sync command/);
    const badArgs = await session.invoke('call', { name: 'item', args: { nope: 1 } });
    assert.equal(badArgs.ok, false);
    assert.match(badArgs.error, /item/);
  });

  it('reports a sync with no update address as an error and a sync-finished event', async () => {
    const result = await session.executeAsync(`
      const { invoke } = window.__TAURI__.core;
      const { listen } = window.__TAURI__.event;
      let finished;
      const heard = new Promise((resolve) => { finished = resolve; });
      const unlisten = await listen('sync-finished', (event) => finished(event.payload));
      const outcome = await invoke('sync').then((r) => ({ ok: true, r }), (e) => ({ ok: false, e: String(e) }));
      const event = await heard;
      unlisten();
      return { outcome, event };
    `);
    assert.ok(result.ok, result.error);
    const { outcome, event } = result.value;
    assert.equal(outcome.ok, false);
    assert.match(outcome.e, /no update address/);
    assert.deepEqual(
      { ok: event.ok, kind: event.kind, error: event.error },
      { ok: false, kind: 'no-source', error: outcome.e },
    );
  });

  it('syncs from the update address, with sync-progress and sync-finished events', async () => {
    const set = await session.invoke('call', { name: 'settings_set', args: { key: 'sync_source', value: host.url } });
    assert.ok(set.ok, set.error);
    const result = await session.executeAsync(`
      const { invoke } = window.__TAURI__.core;
      const { listen } = window.__TAURI__.event;
      const progress = [];
      let finished;
      const heard = new Promise((resolve) => { finished = resolve; });
      const unlistenProgress = await listen('sync-progress', (event) => progress.push(event.payload));
      const unlistenFinished = await listen('sync-finished', (event) => finished(event.payload));
      const outcome = await invoke('sync').then((r) => ({ ok: true, r }), (e) => ({ ok: false, e: String(e) }));
      const event = await heard;
      unlistenProgress();
      unlistenFinished();
      return { outcome, event, progress };
    `);
    assert.ok(result.ok, result.error);
    const { outcome, event, progress } = result.value;
    assert.equal(outcome.ok, false, 'the host has no bundle');
    assert.match(outcome.e, /answered 404/);
    assert.deepEqual(progress[0], { phase: 'checking' });
    assert.deepEqual({ ok: event.ok, kind: event.kind }, { ok: false, kind: 'server-error' });
    assert.ok(host.requests.includes('/bundle/manifest.json'), JSON.stringify(host.requests));
    const status = await session.invoke('call', { name: 'sync_status', args: {} });
    assert.equal(status.value.last_sync_outcome, 'server-error');
    assert.equal(status.value.version, 0, 'the library is unchanged');
  });

  it('finds ACL 16-49 by search and opens it', async () => {
    const input = await session.find('input[type=search]');
    await session.click(input);
    await session.type(input, 'ACL 16-49');
    const findResult = () =>
      session
        .execute(
          `return [...document.querySelectorAll('a[href^="#/item/"]')]
             .find((a) => decodeURIComponent(a.getAttribute('href')).endsWith(arguments[0])) || null;`,
          [LETTER],
        )
        .then(Session.element);
    let link;
    try {
      link = await waitFor('a search result for ACL 16-49', findResult, { timeout: 5000 });
    } catch {
      // A search that runs on submit rather than as one types.
      await session.type(input, '\uE007');
      link = await waitFor('a search result for ACL 16-49 after Enter', findResult);
    }
    await session.click(link);

    const expected = await session.invoke('call', { name: 'search', args: { query: 'ACL 16-49', limit: 5 } });
    assert.ok(expected.ok, expected.error);
    const title = expected.value.hits.find((hit) => hit.id === LETTER)?.title;
    assert.ok(title, `search returns ${LETTER}`);
    const heading = await waitFor('the item page heading', async () => {
      const h1 = await session.find('h1');
      const text = h1 && (await session.text(h1));
      return text && (text.includes('16-49') || text.includes(title)) ? text : null;
    });
    assert.ok(heading.includes('16-49') || heading.includes(title), heading);
  });

  it('blocks inline script with the content security policy', async () => {
    const result = await session.executeAsync(`
      const violation = new Promise((resolve) => {
        document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true });
        setTimeout(() => resolve(null), 3000);
      });
      const script = document.createElement('script');
      script.textContent = 'window.__injected = 1';
      document.head.appendChild(script);
      return { directive: await violation, injected: typeof window.__injected };
    `);
    assert.ok(result.ok, result.error);
    assert.equal(result.value.injected, 'undefined', 'the inline script did not run');
    assert.match(String(result.value.directive), /^script-src/, 'a CSP violation was reported');
  });

  it('keeps the webview on the app origin', async () => {
    assert.match(await session.url(), APP_ORIGIN);
    // http is neither the app nor a scheme handed to the system: simply refused, in
    // the page and as a new window.
    await session.execute(`location.href = 'http://example.invalid/'; return null;`);
    await session.execute(`window.open('http://example.invalid/', '_blank'); return null;`);
    // A refused navigation leaves no trace to wait for, so watch for a bounded time
    // that neither the page's address nor the set of windows changes.
    const until = Date.now() + 1500;
    while (Date.now() < until) {
      assert.match(await session.url(), APP_ORIGIN);
      assert.equal((await session.cmd('GET', '/window/handles')).length, 1, 'no second window');
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(await session.find('h1'), 'the page is still there');
  });

  it('saves a file the app made (a vCard from a blob: URL) into Downloads', async () => {
    const card = 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Test Agency\r\nEND:VCARD\r\n';
    await session.execute(
      `const url = URL.createObjectURL(new Blob([arguments[0]], { type: 'text/vcard' }));
       const link = Object.assign(document.createElement('a'), { href: url, download: 'test-agency.vcf', hidden: true });
       document.body.append(link);
       link.click();
       link.remove();
       return null;`,
      [card],
    );
    const saved = join(home.home, 'Downloads', 'test-agency.vcf');
    await waitFor(`${saved} to be written`, () => existsSync(saved) && readFileSync(saved, 'utf8') === card);
    assert.match(await session.url(), APP_ORIGIN, 'the page stayed');
  });

  it('grants the opener for links, and nothing outside its scope', async () => {
    const api = await session.execute('return typeof window.__TAURI__.opener?.openUrl;');
    assert.equal(api, 'function', 'window.__TAURI__.opener.openUrl for the UI\'s external links');
    const file = await session.invoke('plugin:opener|open_url', { url: 'file:///etc/passwd' });
    assert.equal(file.ok, false, 'file: URLs are outside the scope');
    const path = await session.invoke('plugin:opener|open_path', { path: '/etc' });
    assert.equal(path.ok, false, 'open_path is not granted');
  });

  it('syncs at launch when an update address is set, and not when updates are manual', async () => {
    // The previous test left sync_source set (and sync at its default, always).
    const relaunch = async () => {
      await session.close();
      session = await driver.session(APP);
      await session.waitForHome();
    };
    host.requests.length = 0;
    await relaunch();
    await waitFor('a launch sync to ask for the manifest', () => host.requests.includes('/bundle/manifest.json'));
    const status = await waitFor('the launch sync to be recorded', async () => {
      const answer = await session.invoke('call', { name: 'sync_status', args: {} });
      return answer.ok && answer.value.last_sync_outcome === 'server-error' ? answer.value : null;
    });
    assert.equal(status.version, 0);

    const manual = await session.invoke('call', { name: 'settings_set', args: { key: 'sync', value: 'manual' } });
    assert.ok(manual.ok, manual.error);
    host.requests.length = 0;
    await relaunch();
    const answer = await session.invoke('call', { name: 'sync_status', args: {} });
    assert.ok(answer.ok, answer.error);
    // Nothing to wait for when nothing happens: watch the host for a bounded time (a
    // launch sync asks for the manifest within milliseconds of the cache opening).
    const until = Date.now() + 1000;
    while (Date.now() < until) {
      assert.deepEqual(host.requests, [], 'no request at launch with sync = manual');
      await new Promise((r) => setTimeout(r, 100));
    }
  });
});
