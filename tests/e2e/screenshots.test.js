// Flow 8: a screenshot of every screen at phone size, in English and Spanish, light
// and dark, for review: target/e2e-screenshots/<screen>-<lang>-<theme>.png (or the
// folder in $E2E_SCREENSHOTS). Full pages, one image pixel per CSS pixel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PHONE, ROOT, SCREENS, api, openApp, previewAndBrowser, showScreen } from './helpers.js';

const DIR = process.env.E2E_SCREENSHOTS ?? join(ROOT, 'target/e2e-screenshots');

const shared = previewAndBrowser(async () => {
  mkdirSync(DIR, { recursive: true });
  await api(shared.preview.url, 'bookmark_add', { id: 'guidance/acl-16-49', note: 'Ask the CWS/CMS lead which codes our county uses.' });
  await api(shared.preview.url, 'bookmark_add', { id: 'timeline/2014-sb-855', note: '' });
  await api(shared.preview.url, 'item', { id: 'timeline/2014-sb-855' });
  await api(shared.preview.url, 'item', { id: 'guidance/acl-16-49' });
});

for (const lang of ['en', 'es']) {
  for (const theme of ['light', 'dark']) {
    test(`screenshots: ${lang}, ${theme}`, async () => {
      await api(shared.preview.url, 'settings_set', { key: 'language', value: lang });
      await api(shared.preview.url, 'settings_set', { key: 'theme', value: theme });
      const context = await shared.browser.newContext({ ...PHONE, locale: lang === 'es' ? 'es-US' : 'en-US' });
      try {
        const page = await context.newPage();
        await openApp(page, shared.preview.url);
        assert.equal(await page.getAttribute('html', 'lang'), lang);
        for (const screen of SCREENS) {
          await showScreen(page, screen);
          // No caret or focus ring in the pictures.
          await page.evaluate(() => /** @type {HTMLElement | null} */ (document.activeElement)?.blur());
          const path = join(DIR, `${screen.name}-${lang}-${theme}.png`);
          await page.screenshot({ path, fullPage: true, scale: 'css', animations: 'disabled' });
          assert.ok(statSync(path).size > 5_000, `${path} has a picture`);
        }
      } finally {
        await context.close();
      }
    });
  }
}
