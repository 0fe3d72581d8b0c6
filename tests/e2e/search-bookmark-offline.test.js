// Flow 1: search "ACL 16-49", open it, bookmark it with a note, go offline and reload:
// the bookmark is still listed and the item still opens. Phone (touch) and desktop
// (keyboard: arrow keys through the results, Enter to open).
//
// "Offline" is made certain twice: the browser is set offline, and the preview server
// is stopped. Chromium forgets its emulated offline state when a reload is answered by
// the service worker (navigator.onLine is true again and requests get through), so
// the emulation alone would not prove that nothing was reached.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, PHONE, api, launchBrowser, openApp, problems, startPreview, watchForProblems } from './helpers.js';

/** @type {import('playwright-core').Browser} */
let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

for (const device of [
  { name: 'phone', options: PHONE, keyboard: false },
  { name: 'desktop', options: DESKTOP, keyboard: true },
]) {
  test(`search, bookmark, then offline: ${device.name}`, async () => {
    const preview = await startPreview();
    const context = await browser.newContext({ ...device.options, locale: 'en-US' });
    await watchForProblems(context);
    try {
      const page = await context.newPage();
      await openApp(page, preview.url);
      // The offline copy keeps what is opened from the moment it controls the page.
      await page.waitForSelector('html[data-offline-ready="true"]');
      // The hotline is one tap from home.
      assert.equal(await page.locator('.hotline a.call[href="tel:+18883737888"]').count(), 1);
      assert.equal(await page.locator('.hotline a[href="sms:233733"]').count(), 1);

      const input = page.getByLabel('Search the guide');
      await input.fill('ACL 16-49');
      const result = page.locator('a.result-link[href="#/item/guidance/acl-16-49"]');
      await result.waitFor();
      assert.equal(await page.locator('.result-link').first().getAttribute('href'), '#/item/guidance/acl-16-49', 'the letter itself is the first result');
      assert.match(await page.locator('.search-status').innerText(), /results? for “ACL 16-49”/);
      assert.equal(await page.locator('.snippet mark, .snippet').count() > 0, true);

      if (device.keyboard) {
        await input.press('ArrowDown');
        assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('href')), '#/item/guidance/acl-16-49', 'ArrowDown moves to the first result');
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('ArrowUp');
        assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('href')), '#/item/guidance/acl-16-49', 'ArrowUp comes back');
        await page.keyboard.press('Enter');
      } else {
        await result.tap();
      }
      await page.waitForSelector('#main[data-screen="item"] h1:has-text("ACL 16-49")');
      assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1', 'focus moves to the new screen heading');
      // Date, sources and status are on screen before the text.
      assert.match(await page.locator('.facts').innerText(), /May 23, 2016/);
      assert.equal(await page.locator('.facts a.external[target="_blank"]').count() >= 1, true);
      // A web link in the text (no target) opens in a new tab, without a handle on the app.
      await context.route('https://**/*', (route) => route.fulfill({ body: 'outside' }));
      const [tab] = await Promise.all([context.waitForEvent('page'), page.locator('.prose a[href^="https:"]').first().click()]);
      assert.equal(await tab.evaluate(() => window.opener), null);
      await tab.close();
      assert.match(page.url(), /#\/item\/guidance\/acl-16-49$/);

      const toggle = page.locator('button.bookmark-toggle');
      assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
      await (device.keyboard ? toggle.click() : toggle.tap());
      await page.waitForSelector('button.bookmark-toggle[aria-pressed="true"]');
      await page.getByLabel('Your note (optional)').fill('Check with the CWS/CMS lead');
      await page.getByRole('button', { name: 'Save note' }).click();
      await page.waitForSelector('#toast:has-text("Note saved")');
      const saved = await api(preview.url, 'bookmarks');
      assert.deepEqual(
        saved.map((b) => [b.item_id, b.note]),
        [['guidance/acl-16-49', 'Check with the CWS/CMS lead']],
      );

      await context.setOffline(true);
      assert.equal(await page.evaluate(() => navigator.onLine), false, 'the browser reports offline');
      await preview.stop();
      await page.reload();
      await page.waitForSelector('html[data-ready="true"]');
      await page.waitForSelector('#main[data-screen="item"] h1:has-text("ACL 16-49")');
      assert.equal(await page.evaluate(() => document.documentElement.dataset.served), 'kept', 'the item came from the offline copy');

      await page.locator('nav a[data-nav="bookmarks"]').click();
      await page.waitForSelector('#main[data-screen="bookmarks"] .bookmark');
      const bookmark = page.locator('.bookmark').first();
      assert.match(await bookmark.innerText(), /ACL 16-49: permanent CSEC/);
      assert.match(await bookmark.locator('.note').innerText(), /Check with the CWS\/CMS lead/);

      await bookmark.locator('a[href="#/item/guidance/acl-16-49"]').click();
      await page.waitForSelector('#main[data-screen="item"] .prose');
      assert.match(await page.locator('#main h1').innerText(), /ACL 16-49/);

      await page.locator('nav a[data-nav="home"]').click();
      await page.waitForSelector('#main[data-screen="home"] .section-links');
      assert.equal(await page.locator('.badge-offline').isVisible(), true, 'home shows that the device is offline');

      assert.deepEqual(await problems(page), [], 'no CSP refusals or errors');
    } finally {
      await context.close();
      await preview.stop();
    }
  });
}
