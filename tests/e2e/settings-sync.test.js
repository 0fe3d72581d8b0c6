// Settings → Updates: an update source is checked before it is saved, "Update now"
// explains what to do when it cannot run, applies a signed bundle from a real
// `csec serve`, and then says the content is up to date.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PHONE, api, csec, launchBrowser, openApp, problems, startPreview, startServer, watchForProblems } from './helpers.js';

/** @type {string} */
let dir;
/** @type {Awaited<ReturnType<typeof startServer>>} */
let host;
/** @type {Awaited<ReturnType<typeof startPreview>>} */
let preview;
/** @type {import('playwright-core').Browser} */
let browser;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'csec-e2e-bundle-'));
  csec(['keygen', '--out', join(dir, 'keys')]);
  csec(['build', 'content', '--key', join(dir, 'keys/signing.key'), '--out', join(dir, 'bundle'), '--version', '5', '--expires', '2099-01-01T00:00:00Z']);
  [host, browser] = await Promise.all([startServer(['serve', join(dir, 'bundle'), '--addr', '127.0.0.1:0']), launchBrowser()]);
  preview = await startPreview({ trust: join(dir, 'keys/signing.pub') });
});

after(async () => {
  await browser?.close();
  await preview?.stop();
  await host?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('update source and Update now', async () => {
  const context = await browser.newContext({ ...PHONE, locale: 'en-US' });
  await watchForProblems(context);
  try {
    const page = await context.newPage();
    await openApp(page, preview.url, '#/settings');
    const facts = page.locator('.sync-facts');
    assert.match(await facts.innerText(), /Last update\s+Never/);
    assert.match(await facts.innerText(), /No update source set/);
    const updateNow = page.getByRole('button', { name: 'Update now' });

    // Without a source, it says what to do, and that nothing changed.
    await updateNow.click();
    await page.waitForSelector('.sync-panel .notice-error');
    assert.match(await page.locator('.sync-panel .notice-error').innerText(), /Set an update source above first\./);
    assert.match(await page.locator('.sync-message').innerText(), /The content you had is unchanged/);

    // Addresses that are not https (or http on this machine) are refused with a reason.
    const source = page.getByLabel('Update source');
    for (const bad of ['ftp://example.org/bundle/', 'http://example.org/bundle/']) {
      await source.fill(bad);
      await page.getByRole('button', { name: 'Save address' }).click();
      await page.waitForSelector('.source-field .notice-error');
      assert.match(await page.locator('.source-field .notice-error').innerText(), /That address cannot be used/);
      assert.equal((await api(preview.url, 'settings_get')).sync_source, '');
    }

    await source.fill(host.url);
    await page.getByRole('button', { name: 'Save address' }).click();
    await page.waitForSelector('#toast:has-text("Saved")');
    assert.equal(await page.locator('.source-field .notice-error').count(), 0, 'the earlier error is gone');
    assert.equal((await api(preview.url, 'settings_get')).sync_source, host.url);

    await updateNow.click();
    await page.waitForSelector('.sync-message:has-text("Updated to version 5")');
    assert.match(await page.locator('.sync-message').innerText(), /^Updated to version 5: \d+ new, \d+ changed, \d+ removed\.$/);
    // The facts are read again once the update has finished.
    await page.waitForFunction(() =>
      [...document.querySelectorAll('.sync-facts .fact')].some((fact) => fact.querySelector('dt')?.textContent === 'Content version' && fact.querySelector('dd')?.textContent === '5'),
    );
    assert.doesNotMatch(await facts.innerText(), /Last update\s+Never/);
    assert.equal((await api(preview.url, 'sync_status')).version, 5);

    await updateNow.click();
    await page.waitForSelector('.sync-message:has-text("Already up to date (version 5).")');

    await page.locator('nav a[data-nav="home"]').click();
    await page.waitForSelector('#main[data-screen="home"] .freshness');
    assert.match(await page.locator('.freshness').innerText(), /Version 5/);
    assert.doesNotMatch(await page.locator('.freshness').innerText(), /came with the app/);
    assert.deepEqual(await problems(page), []);
  } finally {
    await context.close();
  }
});
