// Thumb navigation: below 600 px a tab bar at the bottom (Home, Guides, Guidance,
// Counties, Saved, More) reaches every screen, and More reaches the rest (timeline,
// reports, settings, about); wider, one row at the top. At 200 % text nothing in the
// bar is clipped (checked by comparing element boxes), and the page's end is not
// hidden behind it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, PHONE, api, openApp, previewAndBrowser } from './helpers.js';

const shared = previewAndBrowser();

const TABS = [
  { nav: 'home', screen: 'home', label: 'Home' },
  { nav: 'guides', screen: 'guides', label: 'Guides' },
  { nav: 'guidance', screen: 'guidance', label: 'Guidance' },
  { nav: 'counties', screen: 'counties', label: 'Counties' },
  { nav: 'bookmarks', screen: 'bookmarks', label: 'Saved' },
  { nav: 'more', screen: 'more', label: 'More' },
];
const UNDER_MORE = [
  { href: '#/timeline', screen: 'timeline' },
  { href: '#/reports', screen: 'reports' },
  { href: '#/settings', screen: 'settings' },
  { href: '#/about', screen: 'about' },
];

/** @param {import('playwright-core').Page} page @param {string} screen */
const onScreen = (page, screen) => page.waitForSelector(`#main[data-screen="${screen}"]:not([aria-busy]) h1`);

/**
 * What in the bar is clipped, overlapping or off screen: a list of sentences.
 * @param {import('playwright-core').Page} page
 */
function barProblems(page) {
  return page.evaluate(() => {
    const problems = [];
    const width = document.documentElement.clientWidth;
    const tabs = [...document.querySelectorAll('.app-nav a')].filter((a) => a.checkVisibility());
    const boxes = tabs.map((a) => a.getBoundingClientRect());
    tabs.forEach((tab, index) => {
      const box = boxes[index];
      const label = /** @type {HTMLElement} */ (tab.querySelector('.nav-label'));
      const inner = label.getBoundingClientRect();
      const name = label.textContent;
      if (box.width < 44 || box.height < 44) problems.push(`${name}: ${Math.round(box.width)}×${Math.round(box.height)} px`);
      if (box.left < -0.5 || box.right > width + 0.5) problems.push(`${name}: off screen`);
      if (inner.left < box.left - 0.5 || inner.right > box.right + 0.5 || inner.top < box.top - 0.5 || inner.bottom > box.bottom + 0.5) problems.push(`${name}: label outside its tab`);
      if (label.scrollWidth > label.clientWidth + 1 || label.scrollHeight > label.clientHeight + 1) problems.push(`${name}: label clipped`);
      boxes.forEach((other, j) => {
        if (j > index && box.left < other.right - 0.5 && other.left < box.right - 0.5 && box.top < other.bottom - 0.5 && other.top < box.bottom - 0.5) problems.push(`${name} overlaps ${tabs[j].textContent}`);
      });
    });
    return problems;
  });
}

test('phone: the tab bar at the bottom reaches every screen, and More the rest', async () => {
  const context = await shared.browser.newContext({ ...PHONE, locale: 'en-US' });
  try {
    const page = await context.newPage();
    await openApp(page, shared.preview.url);
    const visible = await page.locator('.app-nav a').evaluateAll((links) => links.filter((a) => a.checkVisibility()).map((a) => a.getAttribute('data-nav')));
    assert.deepEqual(visible, TABS.map((t) => t.nav), 'six tabs, the rest under More');
    const bar = await page.locator('.app-nav').boundingBox();
    assert.ok(bar && Math.abs(bar.y + bar.height - 844) < 1, `the bar sits at the bottom: ${JSON.stringify(bar)}`);
    assert.equal(await page.locator('.app-header .quick-exit').isVisible(), true, 'quick exit stays in the header');
    for (const tab of TABS) {
      await page.locator(`.app-nav a[data-nav="${tab.nav}"]`).tap();
      await onScreen(page, tab.screen);
      assert.equal(await page.locator(`.app-nav a[data-nav="${tab.nav}"]`).getAttribute('aria-current'), 'page', tab.nav);
      assert.equal(await page.locator(`.app-nav a[data-nav="${tab.nav}"] .nav-label`).innerText(), tab.label);
      // The screen's name for assistive technology is its visible label.
      assert.equal(await page.getByRole('link', { name: tab.label, exact: true }).filter({ has: page.locator('.nav-label') }).count(), 1);
    }
    for (const entry of UNDER_MORE) {
      await page.locator('.app-nav a[data-nav="more"]').tap();
      await onScreen(page, 'more');
      await page.locator(`.more-links a[href="${entry.href}"]`).tap();
      await onScreen(page, entry.screen);
      assert.equal(await page.locator('.app-nav a[data-nav="more"]').getAttribute('aria-current'), 'page', `${entry.screen} is under More`);
    }
    assert.deepEqual(await barProblems(page), []);
  } finally {
    await context.close();
  }
});

test('desktop: one row at the top with every screen, and no More', async () => {
  const context = await shared.browser.newContext({ ...DESKTOP, locale: 'en-US' });
  try {
    const page = await context.newPage();
    await openApp(page, shared.preview.url);
    const visible = await page.locator('.app-nav a').evaluateAll((links) => links.filter((a) => a.checkVisibility()).map((a) => a.getAttribute('data-nav')));
    assert.deepEqual(visible, ['home', 'guides', 'guidance', 'counties', 'bookmarks', 'timeline', 'reports', 'settings', 'about']);
    const bar = await page.locator('.app-nav').boundingBox();
    const header = await page.locator('.app-header').boundingBox();
    assert.ok(bar && header && bar.y <= header.y + header.height + 1, 'the row is under the header');
    assert.equal(await page.locator('.tab-icon').evaluateAll((icons) => icons.filter((i) => i.checkVisibility()).length), 0, 'labels only');
  } finally {
    await context.close();
  }
});

for (const size of [
  { width: 390, height: 844, lang: 'en-US' },
  { width: 320, height: 640, lang: 'es-MX' },
]) {
  test(`200 % text at ${size.width} px (${size.lang}): no tab label clipped, and the page's end clears the bar`, async () => {
    await api(shared.preview.url, 'settings_set', { key: 'text_size', value: '200' });
    const context = await shared.browser.newContext({ ...PHONE, viewport: { width: size.width, height: size.height }, locale: size.lang });
    try {
      const page = await context.newPage();
      for (const hash of ['#/', '#/guidance', '#/more']) {
        await openApp(page, shared.preview.url, hash);
        assert.deepEqual(await barProblems(page), [], hash);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `${hash}: ${overflow} px of sideways scrolling`);
        // Scrolled to the end, the last line of the page is above the bar.
        const clear = await page.evaluate(() => {
          window.scrollTo(0, document.documentElement.scrollHeight);
          const footer = document.querySelector('.app-footer')?.getBoundingClientRect();
          const bar = document.querySelector('.app-nav')?.getBoundingClientRect();
          return footer && bar ? bar.top - footer.bottom : -1;
        });
        assert.ok(clear >= 0, `${hash}: the footer ends ${-clear} px under the bar`);
      }
    } finally {
      await context.close();
      await api(shared.preview.url, 'settings_set', { key: 'text_size', value: '100' });
    }
  });
}

test('a long list keeps its place when the reader comes back from an item', async () => {
  const context = await shared.browser.newContext({ ...PHONE, locale: 'en-US' });
  try {
    const page = await context.newPage();
    await openApp(page, shared.preview.url, '#/timeline');
    await page.waitForSelector('#main[data-screen="timeline"] .year');
    // An entry far down the list.
    const link = page.locator('#main .card-title a').nth(30);
    await link.scrollIntoViewIfNeeded();
    const before = await page.evaluate(() => window.scrollY);
    assert.ok(before > 1500, `scrolled down the timeline: ${before}`);
    const href = await link.getAttribute('href');
    await link.tap();
    await onScreen(page, 'item');
    assert.equal(await page.evaluate(() => window.scrollY), 0, 'an item opens at its top');
    await page.goBack();
    await onScreen(page, 'timeline');
    const after = await page.evaluate(() => window.scrollY);
    assert.ok(Math.abs(after - before) < 2, `back at ${after}, was ${before}`);
    assert.ok(await page.locator(`#main a[href="${href}"]`).isVisible(), 'the entry is in view again');
    // A list opened anew starts at the top.
    await page.locator('.app-nav a[data-nav="guidance"]').tap();
    await onScreen(page, 'guidance');
    assert.equal(await page.evaluate(() => window.scrollY), 0);
  } finally {
    await context.close();
  }
});
