// Flow 5: axe-core finds no violations on any screen, in the light and the dark theme
// (the system's, and the one chosen in Settings), at phone and desktop sizes. Also:
// touch targets are at least 44 px, and text can grow to 200 % without sideways
// scrolling.
//
// axe is injected as a script, which the app's Content Security Policy rightly
// refuses, so these contexts bypass CSP; the other tests run under it and check that
// nothing was refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, PHONE, SCREENS, api, openApp, previewAndBrowser, require, showScreen } from './helpers.js';

const AXE = require.resolve('axe-core/axe.min.js');

const shared = previewAndBrowser(async () => {
  await api(shared.preview.url, 'bookmark_add', { id: 'guidance/acl-16-49', note: 'Ask the CWS/CMS lead' });
  await api(shared.preview.url, 'item', { id: 'timeline/2014-sb-855' });
});

/**
 * @param {import('playwright-core').Page} page
 * @param {string} where
 */
async function assertNoViolations(page, where) {
  const violations = await page.evaluate(async () => {
    // @ts-ignore axe is injected by the test
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`) }));
  });
  assert.deepEqual(violations, [], `${where}: axe violations`);
}

for (const run of [
  { name: 'phone, light (system)', device: PHONE, colorScheme: 'light', theme: 'system' },
  { name: 'phone, dark (system)', device: PHONE, colorScheme: 'dark', theme: 'system' },
  { name: 'phone, dark (chosen in Settings) on a light system', device: PHONE, colorScheme: 'light', theme: 'dark' },
  { name: 'desktop, light (chosen in Settings) on a dark system', device: DESKTOP, colorScheme: 'dark', theme: 'light' },
]) {
  test(`axe finds nothing: ${run.name}`, async () => {
    await api(shared.preview.url, 'settings_set', { key: 'theme', value: run.theme });
    const context = await shared.browser.newContext({ ...run.device, colorScheme: run.colorScheme, locale: 'en-US', bypassCSP: true });
    try {
      const page = await context.newPage();
      await openApp(page, shared.preview.url);
      await page.addScriptTag({ path: AXE });
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const dark = run.theme === 'dark' || (run.theme === 'system' && run.colorScheme === 'dark');
      assert.equal(background, dark ? 'rgb(17, 19, 21)' : 'rgb(246, 245, 242)', 'the theme applies');
      for (const screen of SCREENS) {
        await showScreen(page, screen);
        await assertNoViolations(page, `${run.name}, ${screen.name}`);
      }
    } finally {
      await context.close();
      await api(shared.preview.url, 'settings_set', { key: 'theme', value: 'system' });
    }
  });
}

test('Spanish screens pass axe too (phone, dark)', async () => {
  await api(shared.preview.url, 'settings_set', { key: 'language', value: 'es' });
  const context = await shared.browser.newContext({ ...PHONE, colorScheme: 'dark', locale: 'es-US', bypassCSP: true });
  try {
    const page = await context.newPage();
    await openApp(page, shared.preview.url);
    await page.addScriptTag({ path: AXE });
    for (const screen of SCREENS) {
      await showScreen(page, screen);
      await assertNoViolations(page, `es, ${screen.name}`);
    }
  } finally {
    await context.close();
    await api(shared.preview.url, 'settings_set', { key: 'language', value: 'system' });
  }
});

test('touch targets are at least 44 px, and 200 % text does not scroll sideways (320 px wide)', async () => {
  await api(shared.preview.url, 'settings_set', { key: 'text_size', value: '200' });
  const context = await shared.browser.newContext({ ...PHONE, viewport: { width: 320, height: 640 }, locale: 'en-US' });
  try {
    const page = await context.newPage();
    await openApp(page, shared.preview.url);
    assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize), '32px', 'the text size setting scales the root');
    for (const screen of SCREENS) {
      await showScreen(page, screen);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${screen.name}: ${overflow} px of sideways scrolling at 200 %`);
    }
  } finally {
    await context.close();
    await api(shared.preview.url, 'settings_set', { key: 'text_size', value: '100' });
  }

  const phone = await shared.browser.newContext({ ...PHONE, locale: 'en-US' });
  try {
    const page = await phone.newPage();
    await openApp(page, shared.preview.url);
    for (const screen of SCREENS) {
      await showScreen(page, screen);
      const small = await page.evaluate(() =>
        // Radio buttons are tapped through their whole label (label.option).
        [...document.querySelectorAll('button, .button, input:not([type="radio"]), select, textarea, label.option, .app-nav a, .card-title a, .result-link, .county-link, .section-link, .link-list a, .sources a, .toc a')]
          .filter((el) => el.checkVisibility())
          .map((el) => ({ el, box: el.getBoundingClientRect() }))
          .filter(({ box }) => box.height < 44 || box.width < 44)
          .map(({ el, box }) => `${el.tagName.toLowerCase()}.${el.className} "${(el.textContent ?? '').trim().slice(0, 30)}" ${Math.round(box.width)}×${Math.round(box.height)}`),
      );
      assert.deepEqual(small, [], `${screen.name}: targets under 44 px`);
    }
  } finally {
    await phone.close();
  }
});
