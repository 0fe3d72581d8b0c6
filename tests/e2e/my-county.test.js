// "My county" on home: on first launch home asks which county the reader works or
// lives in; the answer puts that county's hotline first on home with a tel: link,
// survives a relaunch, stays on the device, and Settings removes it. "Not now" folds
// the question into one button. At phone size (touch) and desktop size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, PHONE, api, openApp, previewAndBrowser, problems, watchForProblems } from './helpers.js';

const shared = previewAndBrowser();

for (const device of [
  { name: 'phone', options: PHONE },
  { name: 'desktop', options: DESKTOP },
]) {
  test(`first launch: choose Fresno, home shows its hotline, a relaunch keeps it, Settings removes it: ${device.name}`, async () => {
    const context = await shared.browser.newContext({ ...device.options, locale: 'en-US' });
    await watchForProblems(context);
    const press = (/** @type {import('playwright-core').Locator} */ target) => (device.options.hasTouch ? target.tap() : target.click());
    try {
      const page = await context.newPage();
      await openApp(page, shared.preview.url);
      const panel = page.locator('#main .my-county');
      assert.equal(await panel.locator('h2').innerText(), 'Which county do you work in or live in?');
      // Before a county is chosen, home still offers the statewide lines.
      assert.equal(await page.locator('.hotline a.call[href="tel:+18883737888"]').count(), 1);

      await page.getByLabel('Your county', { exact: true }).fill('fre');
      const choices = panel.locator('.county-choice');
      await choices.first().waitFor();
      assert.deepEqual(await choices.allInnerTexts(), ['Fresno']);
      assert.equal(await panel.locator('[role="status"]').innerText(), '1 county matches');
      await press(choices.first());

      const call = panel.locator('a.call');
      await call.waitFor();
      assert.equal(await call.getAttribute('href'), 'tel:+15596008320');
      assert.equal(await panel.locator('h2').innerText(), "Your county's hotline");
      const order = await page.evaluate(() => {
        const mine = document.querySelector('#main .my-county');
        const statewide = document.querySelector('#main .hotline');
        return Boolean(mine && statewide && mine.compareDocumentPosition(statewide) & Node.DOCUMENT_POSITION_FOLLOWING);
      });
      assert.ok(order, "the county's hotline comes before the statewide lines");
      assert.equal(await panel.locator('a[href="#/county/fresno"]').count(), 1, 'one tap to the county page');
      assert.equal((await api(shared.preview.url, 'settings_get')).county, 'fresno');

      // The search box ranks the reader's county first for county words.
      await page.getByLabel('Search the guide').fill('hotline');
      await page.locator('a.result-link').first().waitFor();
      await page.waitForFunction(() => document.querySelector('a.result-link')?.getAttribute('href') === '#/county/fresno');
      await page.getByLabel('Search the guide').fill('');

      // A relaunch keeps it.
      await page.close();
      const again = await context.newPage();
      await openApp(again, shared.preview.url);
      await again.locator('#main .my-county a.call').waitFor();
      assert.equal(await again.locator('#main .my-county a.call').getAttribute('href'), 'tel:+15596008320');

      // Settings removes it; home asks again.
      await openApp(again, shared.preview.url, '#/settings');
      await again.getByLabel('Your county', { exact: true }).selectOption('');
      await again.waitForSelector('#toast:has-text("County removed")');
      assert.equal((await api(shared.preview.url, 'settings_get')).county, '');
      await openApp(again, shared.preview.url);
      await again.locator('#main .my-county input').waitFor();
      assert.equal(await again.locator('#main .my-county a.call').count(), 0);
      assert.deepEqual(await problems(again), []);
    } finally {
      await api(shared.preview.url, 'settings_set', { key: 'county', value: '' });
      await context.close();
    }
  });
}

test('"Not now" folds the question into one button, remembered, that opens it again', async () => {
  const context = await shared.browser.newContext({ ...PHONE, locale: 'en-US' });
  try {
    const page = await context.newPage();
    await openApp(page, shared.preview.url);
    await page.locator('#main .my-county').getByRole('button', { name: 'Not now' }).tap();
    const choose = page.locator('#main .my-county').getByRole('button', { name: 'Choose your county' });
    await choose.waitFor();
    assert.equal(await page.locator('#main .my-county input').count(), 0);
    assert.equal((await api(shared.preview.url, 'settings_get')).county_prompt, 'later');
    await page.reload();
    await choose.waitFor();
    await choose.tap();
    await page.locator('#main .my-county input').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'INPUT', 'focus goes to the search field');
  } finally {
    await api(shared.preview.url, 'settings_set', { key: 'county_prompt', value: 'ask' });
    await context.close();
  }
});
