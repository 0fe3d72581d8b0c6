// Search that forgives: a misspelling gets "Did you mean …?" and one tap searches the
// suggestion; a field word searched with its synonyms says so ("Also searched: …");
// a Spanish reader gets the Spanish guide first and the notes in Spanish. The terms
// named are the first of the group in content/synonyms/search-terms.toml.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, PHONE, openApp, previewAndBrowser, problems, watchForProblems } from './helpers.js';

const shared = previewAndBrowser();

test('a misspelling offers the right word, and tapping it searches it', async () => {
  const context = await shared.browser.newContext({ ...PHONE, locale: 'en-US' });
  await watchForProblems(context);
  try {
    const page = await context.newPage();
    await openApp(page, shared.preview.url);
    await page.getByLabel('Search the guide').fill('trafficing');
    const suggestion = page.locator('.search-note .link-button');
    await suggestion.waitFor();
    assert.equal(await suggestion.innerText(), 'trafficking');
    assert.match(await page.locator('.search-note').first().innerText(), /^Nothing matched as typed\. Did you mean:/);
    // The close spelling's results are shown already, best first.
    const first = await page.locator('a.result-link').first().getAttribute('href');
    assert.ok(['#/item/resources/national-human-trafficking-hotline', '#/item/resources/trafficking-and-crime-victims-assistance-program'].includes(first ?? ''), `first result ${first}`);
    await suggestion.tap();
    assert.equal(await page.getByLabel('Search the guide').inputValue(), 'trafficking');
    await page.locator('.search-status', { hasText: /results? for “trafficking”/ }).waitFor();
    assert.equal(await page.locator('.search-note .link-button').count(), 0, 'a word spelt right gets no suggestion');
    assert.deepEqual(await problems(page), []);
  } finally {
    await context.close();
  }
});

test('synonyms searched are named, and a Spanish reader sees the Spanish guide first', async () => {
  for (const [locale, label, note, guide] of [
    ['en-US', 'Search the guide', /^Also searched: missing, AWOL, absent from care, desaparecido and \d+ more\.$/, '#/item/guides/youth-missing'],
    ['es-US', 'Buscar en la guía', /^También se buscó: missing, AWOL, absent from care, desaparecido y \d+ más\.$/, '#/item/guides/youth-missing-es'],
  ]) {
    const context = await shared.browser.newContext({ ...DESKTOP, locale: String(locale) });
    await watchForProblems(context);
    try {
      const page = await context.newPage();
      await openApp(page, shared.preview.url);
      await page.getByLabel(String(label)).fill('runaway ');
      const also = page.locator('.search-note');
      await also.waitFor();
      assert.match(await also.innerText(), /** @type {RegExp} */ (note));
      const guides = page.locator('a.result-link[href^="#/item/guides/"]');
      assert.equal(await guides.first().getAttribute('href'), guide, `${locale}: the guide in the reader's language first`);
      assert.deepEqual(await problems(page), []);
    } finally {
      await context.close();
    }
  }
});
