// Flow 4: quick exit, by the button (phone, touch) and by Shift three times (desktop,
// keyboard). At once nothing of the app is on screen; then recently viewed is empty in
// the engine, sessionStorage is cleared, and Back never shows the app again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, PHONE, SCREENS, api, dictionaries, eventually, openApp, previewAndBrowser, showScreen } from './helpers.js';

const shared = previewAndBrowser();

/** Every UI string and the content titles the test opened: none may be on screen. */
function appTexts() {
  const { en, es } = dictionaries();
  const strings = [...Object.entries(en), ...Object.entries(es)]
    .filter(([key, value]) => !key.startsWith('neutral.') && value.length >= 5)
    .map(([, value]) => value.replace(/\{\w+\}.*$/, '').trim())
    .filter((value) => value.length >= 5);
  return [...new Set([...strings, 'ACL 16-49', 'Fresno', 'CSEC'])];
}

/**
 * Asserts that the page shows the neutral page and nothing of the app.
 * @param {import('playwright-core').Page} page
 * @param {string} when
 */
async function assertNeutral(page, when) {
  const state = await page.evaluate(() => ({
    text: document.body?.innerText ?? '',
    title: document.title,
    app: Boolean(document.querySelector('.app-header, #main, .quick-exit, [data-i18n]')),
    stylesheets: [...document.querySelectorAll('link[rel="stylesheet"]')].map((link) => link.getAttribute('href')),
  }));
  assert.equal(state.app, false, `${when}: no app element is in the document`);
  assert.ok(!state.stylesheets.some((href) => href?.includes('app.css')), `${when}: the app's styles are gone`);
  for (const text of appTexts()) {
    assert.ok(!state.text.includes(text), `${when}: "${text}" is still on screen`);
    assert.ok(!state.title.includes(text), `${when}: "${text}" is in the title`);
  }
}

/**
 * Visits some screens so there is something to hide, and returns the page.
 * @param {import('playwright-core').BrowserContext} context
 */
async function useTheApp(context) {
  const page = await context.newPage();
  await openApp(page, shared.preview.url);
  await showScreen(page, SCREENS.find((s) => s.name === 'item'));
  await showScreen(page, SCREENS.find((s) => s.name === 'county'));
  await page.evaluate(() => sessionStorage.setItem('probe', 'something from this session'));
  const recent = await api(shared.preview.url, 'recent');
  assert.deepEqual(recent.map((r) => r.id), ['guidance/acl-16-49'], 'the item is in recently viewed before');
  return page;
}

/**
 * @param {import('playwright-core').Page} page
 * @param {'en' | 'es'} lang
 */
async function assertExited(page, lang) {
  await page.waitForURL(new RegExp(`/notes\\.html\\?hl=${lang}$`));
  await page.waitForFunction(() => Boolean(document.querySelector('h1')?.textContent));
  await assertNeutral(page, 'on the neutral page');
  await eventually(() => api(shared.preview.url, 'recent'), (recent) => recent.length === 0, 'recently viewed after quick exit');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('probe')), null, 'sessionStorage is cleared');

  // Back, twice (the app had three history entries): never the app.
  for (const step of [1, 2]) {
    await page.evaluate(() => history.back());
    await page.waitForURL(/\/notes\.html\?hl=\w+$/);
    await page.waitForLoadState('load');
    await page.waitForFunction(() => Boolean(document.querySelector('h1')?.textContent));
    await assertNeutral(page, `after Back #${step}`);
  }
  assert.deepEqual(await api(shared.preview.url, 'recent'), [], 'going Back recorded no view');
}

test('quick exit button (phone)', async () => {
  const context = await shared.browser.newContext({ ...PHONE, locale: 'en-US' });
  try {
    const page = await useTheApp(context);
    const button = page.getByRole('button', { name: 'Quick exit' });
    assert.equal(await button.isVisible(), true);
    // The button stays in the top corner however far the screen is scrolled.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const box = await button.boundingBox();
    assert.ok(box && box.y < 60 && box.x + box.width > 300, `the button is in the top corner: ${JSON.stringify(box)}`);
    assert.ok(box.height >= 44, 'the button is a large target');

    await button.tap();
    await assertExited(page, 'en');
  } finally {
    await context.close();
  }
});

test('Shift three times (desktop), and not when other keys come between', async () => {
  const context = await shared.browser.newContext({ ...DESKTOP, locale: 'en-US' });
  try {
    const page = await useTheApp(context);
    // Shift, a letter, Shift, Shift: typing capitals must not trigger it.
    await page.keyboard.press('Shift');
    await page.keyboard.press('a');
    await page.keyboard.press('Shift');
    await page.keyboard.press('Shift');
    assert.equal(await page.locator('#main').count(), 1, 'still the app');
    await page.keyboard.press('Shift');
    await assertExited(page, 'en');
  } finally {
    await context.close();
  }
});

test('quick exit in Spanish leaves a Spanish neutral page', async () => {
  await api(shared.preview.url, 'settings_set', { key: 'language', value: 'es' });
  const context = await shared.browser.newContext({ ...PHONE, locale: 'en-US' });
  try {
    const page = await useTheApp(context);
    assert.equal(await page.getByRole('button', { name: 'Salida rápida' }).isVisible(), true);
    // In the same task as the click, before anything else can run, the app is gone.
    const during = await page.evaluate(() => {
      /** @type {HTMLElement} */ (document.querySelector('.quick-exit')).click();
      return {
        app: Boolean(document.querySelector('.app-header, #main, [data-i18n]')),
        text: document.body.innerText,
        title: document.title,
      };
    });
    assert.deepEqual(during, { app: false, text: 'Notas', title: 'Notas' });
    await assertExited(page, 'es');
    assert.equal(await page.title(), dictionaries().es['neutral.title']);
  } finally {
    await context.close();
    await api(shared.preview.url, 'settings_set', { key: 'language', value: 'system' });
  }
});
