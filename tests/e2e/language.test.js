// Flow 3: switching to Spanish in Settings changes every visible UI string, on every
// screen, to its es.json value (and away from the English one); switching back
// restores English. Content (titles, bodies, names) stays English and is marked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PHONE, SCREENS, api, collectUiText, dictionaries, expectedText, openApp, previewAndBrowser, problems, showScreen, watchForProblems } from './helpers.js';

/** Language names, and links to a version in another language, are written in that language in both UIs. */
const SAME_IN_BOTH = new Set(['settings.language_en', 'settings.language_es', 'lang.read_in_en', 'lang.read_in_es']);

const shared = previewAndBrowser(async () => {
  // Something in every list: a bookmark with a note, a recently viewed item.
  await api(shared.preview.url, 'bookmark_add', { id: 'guidance/acl-16-49', note: 'Ask the CWS/CMS lead' });
  await api(shared.preview.url, 'item', { id: 'timeline/2014-sb-855' });
});

/**
 * @param {import('playwright-core').Page} page
 * @param {'en' | 'es'} lang
 * @param {string} where
 */
async function checkScreen(page, lang, where) {
  const { en, es } = dictionaries();
  const { marked, unmarked } = await page.evaluate(collectUiText);
  assert.deepEqual(unmarked, [], `${where}: text that is neither a UI string nor content`);
  assert.ok(marked.length > 0, `${where}: has UI strings`);
  for (const string of marked) {
    const wanted = expectedText(lang === 'es' ? es : en, lang, string.key, string.args);
    assert.notEqual(wanted, undefined, `${where}: ${string.key} is missing from ${lang}.json`);
    assert.equal(string.text, wanted, `${where}: ${string.where} shows ${string.key} in ${lang}`);
    if (lang === 'es' && !SAME_IN_BOTH.has(string.key)) {
      assert.notEqual(string.text, expectedText(en, 'en', string.key, string.args), `${where}: ${string.key} is still English`);
    }
  }
  // Language notes ("English only") appear only where content is not in the reader's
  // language, so they are counted apart.
  return marked.filter((string) => !string.passing && !string.key.startsWith('lang.')).length;
}

test('every UI string follows the language setting', async () => {
  const context = await shared.browser.newContext({ ...PHONE, locale: 'en-US' });
  await watchForProblems(context);
  try {
    const page = await context.newPage();
    await openApp(page, shared.preview.url, '#/settings');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');

    /** @type {Record<string, number>} */
    const englishCounts = {};
    for (const screen of SCREENS) {
      await showScreen(page, screen);
      englishCounts[screen.name] = await checkScreen(page, 'en', `${screen.name} (en)`);
    }

    await showScreen(page, SCREENS.find((s) => s.name === 'settings'));
    await page.locator('label.option', { hasText: 'Español' }).click();
    await page.waitForSelector('html[lang="es"]');
    // The settings screen is translated where it stands, focus included.
    await checkScreen(page, 'es', 'settings right after the switch');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('value')), 'es', 'focus stays on the choice');
    assert.match(await page.title(), /Ajustes · Guía de campo CSEC/);
    assert.equal((await api(shared.preview.url, 'settings_get')).language, 'es');

    for (const screen of SCREENS) {
      await showScreen(page, screen);
      const count = await checkScreen(page, 'es', `${screen.name} (es)`);
      // A guide opens in its Spanish version, whose related items differ (letters link
      // to the English original), and that version then joins recently viewed; on
      // those two screens only the strings' language is compared.
      if (screen.name !== 'guide' && screen.name !== 'bookmarks') assert.equal(count, englishCounts[screen.name], `${screen.name}: the same strings in both languages`);
      // Content says which language it is in, so a screen reader reads it right:
      // English, except where a Spanish version exists. (A person's own notes are in
      // whatever language they wrote.)
      const contentLanguages = await page
        .locator('#main [data-content]:not(.note)')
        .evaluateAll((elements) => [...new Set(elements.map((el) => el.closest('[lang]')?.getAttribute('lang')))]);
      for (const lang of contentLanguages) assert.ok(lang === 'en' || lang === 'es', `${screen.name}: content marked ${lang}`);
      if (screen.name === 'guide') assert.equal(await page.locator('#main h1').getAttribute('lang'), 'es', 'the guide opens in Spanish');
      const englishOnly = await page.locator('#main .card .badge-language').count();
      const englishItems = await page.locator('#main .card a[lang="en"]').count();
      assert.equal(englishOnly, englishItems, `${screen.name}: every English item in a list says so`);
    }

    // The choice is remembered across a reload.
    await page.reload();
    await page.waitForSelector('html[data-ready="true"][lang="es"]');

    await showScreen(page, SCREENS.find((s) => s.name === 'settings'));
    await page.locator('label.option', { hasText: 'English' }).click();
    await page.waitForSelector('html[lang="en"]');
    await checkScreen(page, 'en', 'settings after switching back');
    await showScreen(page, SCREENS.find((s) => s.name === 'home'));
    await checkScreen(page, 'en', 'home after switching back');
    assert.deepEqual(await problems(page), [], 'no CSP refusals or errors on any screen');
  } finally {
    await context.close();
  }
});

test('"Same as this device" follows the browser language', async () => {
  await api(shared.preview.url, 'settings_set', { key: 'language', value: 'system' });
  const context = await shared.browser.newContext({ ...PHONE, locale: 'es-MX' });
  try {
    const page = await context.newPage();
    await openApp(page, shared.preview.url);
    assert.equal(await page.getAttribute('html', 'lang'), 'es');
    await checkScreen(page, 'es', 'home with a Spanish browser');
  } finally {
    await context.close();
  }
});
