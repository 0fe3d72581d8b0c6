// Practice guides for foster parents and field staff, in the reader's language, with
// the reader's county hotline one tap away; and a first launch that tells the truth
// about how fresh the built-in content is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PHONE, ROOT, api, openApp, previewAndBrowser, watchForProblems, problems } from './helpers.js';

const shared = previewAndBrowser();

test('a Spanish reader opens "A youth in your care is missing" in Spanish and reaches the county hotline in one tap', async () => {
  const context = await shared.browser.newContext({ ...PHONE, locale: 'es-MX' });
  await watchForProblems(context);
  try {
    const page = await context.newPage();
    await openApp(page, shared.preview.url);
    assert.equal(await page.getAttribute('html', 'lang'), 'es');

    // Home lists the guides under "Qué hacer", in Spanish, the most urgent first.
    const guides = page.locator('.what-to-do a');
    assert.equal(await page.locator('.what-to-do h2').innerText(), 'Qué hacer');
    assert.equal(await guides.first().innerText(), 'Un joven bajo su cuidado ha desaparecido');
    assert.equal(await guides.first().getAttribute('href'), '#/item/guides/youth-missing-es');
    await guides.first().tap();
    await page.waitForSelector('#main[data-screen="item"] .my-county input');
    assert.equal(await page.locator('#main h1').innerText(), 'Un joven bajo su cuidado ha desaparecido');
    assert.equal(await page.locator('#main h1').getAttribute('lang'), 'es');
    const body = await page.locator('.prose').innerText();
    assert.match(body, /1-800-843-5678/, 'NCMEC is in the steps');
    assert.match(body, /24 horas/);
    assert.equal(await page.locator('.other-languages a').getAttribute('href'), '#/item/guides/youth-missing?lang=en');

    // The reader picks the county once (type, then tap); the hotline appears in place.
    await page.getByLabel('Su condado', { exact: true }).fill('fres');
    await page.locator('.my-county .county-choice', { hasText: 'Fresno' }).tap();
    const call = page.locator('.my-county a.call');
    await call.waitFor();
    assert.equal(await call.getAttribute('href'), 'tel:+15596008320');
    assert.equal(await call.getAttribute('aria-label'), 'Llamar a Fresno County CPS Hotline al (559) 600-8320');
    assert.equal(await page.locator('.my-county .my-county-name').innerText(), 'Condado de Fresno: reportar abuso infantil');
    const settings = await api(shared.preview.url, 'settings_get');
    assert.equal(settings.county, 'fresno', 'kept on the device');

    // Next time, the hotline is already there: one tap from the guide.
    await openApp(page, shared.preview.url, '#/item/guides/how-to-report');
    // Only the hash changed: wait for the new screen, not the old one's heading.
    await page.waitForFunction(() => location.hash === '#/item/guides/how-to-report-es');
    await page.waitForSelector('#main h1:has-text("Cree que un menor")');
    await page.waitForSelector('.my-county a.call');
    assert.equal(await page.locator('#main h1').innerText(), 'Cree que un menor está siendo explotado: cómo reportarlo');
    assert.equal(page.url().endsWith('#/item/guides/how-to-report-es'), true, `an English link opens the Spanish version: ${page.url()}`);
    assert.equal(await page.locator('.my-county a.call').getAttribute('href'), 'tel:+15596008320');

    // The county page is one tap further, and "Change county" brings the chooser back.
    await page.locator('.my-county').getByRole('button', { name: 'Cambiar de condado' }).tap();
    await page.waitForSelector('.my-county input');
    assert.equal((await api(shared.preview.url, 'settings_get')).county, '');
    assert.deepEqual(await problems(page), []);
  } finally {
    await api(shared.preview.url, 'settings_set', { key: 'county', value: '' });
    await context.close();
  }
});

test('a letter that exists only in English says so to a Spanish reader', async () => {
  const context = await shared.browser.newContext({ ...PHONE, locale: 'es-MX' });
  try {
    const page = await context.newPage();
    await openApp(page, shared.preview.url, '#/item/guidance/acl-25-67');
    await page.waitForSelector('.language-notice');
    assert.equal(await page.locator('.language-notice').innerText(), 'Esta página solo está disponible en inglés.');
    assert.equal(await page.locator('.prose').getAttribute('lang'), 'en');
    await openApp(page, shared.preview.url, '#/guidance');
    await page.waitForSelector('.card');
    assert.equal(await page.locator('.card .badge-language').first().innerText(), 'Solo en inglés');
  } finally {
    await context.close();
  }
});

test('a partly replaced letter says so, with its note, above its text', async () => {
  const context = await shared.browser.newContext({ ...PHONE, locale: 'en-US' });
  try {
    const page = await context.newPage();
    await openApp(page, shared.preview.url, '#/item/guidance/acl-15-49');
    const banner = page.locator('.banner');
    await banner.waitFor();
    assert.equal(await banner.locator('.banner-title').innerText(), 'Part of this letter has been replaced');
    assert.match(await banner.locator('.status-note').innerText(), /CSEC Grid/);
    assert.equal(await page.locator('.status-partly-superseded').innerText(), 'Partly replaced');
    const above = await page.evaluate(() => {
      const banner = document.querySelector('.banner');
      const body = document.querySelector('.prose');
      return Boolean(banner && body && banner.compareDocumentPosition(body) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    assert.ok(above, 'the status comes before the text');
  } finally {
    await context.close();
  }
});

test('first launch: the age shown is the age of the publisher\'s review, and no stale warning for fresh content', async () => {
  const context = await shared.browser.newContext({ ...PHONE, locale: 'en-US' });
  try {
    const page = await context.newPage();
    await openApp(page, shared.preview.url);
    const reviewed = /reviewed = "(\d{4}-\d{2}-\d{2})"/.exec(readFileSync(join(ROOT, 'content/edition.toml'), 'utf8'))?.[1];
    assert.ok(reviewed, 'content/edition.toml names the review date');
    const today = new Date().toISOString().slice(0, 10);
    const age = Math.max(0, Math.floor((Date.parse(today) - Date.parse(reviewed)) / 86_400_000));
    const home = await api(shared.preview.url, 'home');
    assert.equal(home.reviewed, reviewed);
    assert.equal(home.built_in, true);
    const line = await page.locator('.freshness .reviewed').innerText();
    assert.match(line, age === 0 ? /^Reviewed by the publisher today/ : new RegExp(`^Reviewed by the publisher ${age} days? ago`), line);
    // Built-in content is out of date only once its review is more than 90 days old.
    assert.equal(await page.locator('.stale-warning').count(), age > 90 ? 1 : 0, `reviewed ${reviewed}, ${age} days ago`);
  } finally {
    await context.close();
  }
});
