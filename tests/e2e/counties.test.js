// Flow 2: Counties → type "Fres" → Fresno. The county's own child abuse hotline comes
// first and can be called with one tap (tel:); every number is the sourced one, with
// its source and the day it was checked; a required role with no verified contact says
// so and what to do, with no Call button; a county with no sourced hotline says that
// and offers the statewide and national lines. "Copy" and "Add to contacts" (a vCard
// 3.0 download) work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { DESKTOP, PHONE, api, openApp, previewAndBrowser } from './helpers.js';

const shared = previewAndBrowser();

for (const device of [
  { name: 'phone', options: PHONE },
  { name: 'desktop', options: DESKTOP },
]) {
  test(`find Fresno and reach its hotline: ${device.name}`, async () => {
    const context = await shared.browser.newContext({ ...device.options, locale: 'en-US', acceptDownloads: true });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(shared.preview.url).origin });
    try {
      const page = await context.newPage();
      await openApp(page, shared.preview.url);
      const countiesLink = page.locator('nav a[data-nav="counties"]');
      await (device.options.hasTouch ? countiesLink.tap() : countiesLink.click());
      await page.waitForSelector('#main[data-screen="counties"] .county-link');
      assert.equal(await page.locator('.county-link:visible').count(), 58);

      await page.getByLabel('Find a county').fill('Fres');
      await page.waitForFunction(() => document.querySelectorAll('.county-link:not([hidden])').length > 0
        && [...document.querySelectorAll('.county-list li')].filter((li) => !li.hidden).length === 1);
      assert.equal(await page.locator('.list-count').innerText(), '1 county');
      const fresno = page.locator('.county-list li:not([hidden]) a.county-link');
      assert.equal(await fresno.getAttribute('href'), '#/county/fresno');
      await (device.options.hasTouch ? fresno.tap() : fresno.click());
      await page.waitForSelector('#main[data-screen="county"] .contact');
      assert.equal(await page.locator('#main h1').innerText(), 'Fresno');

      // The hotline is the first thing under the name, with its hours, source and date.
      const county = await api(shared.preview.url, 'county', { name: 'fresno' });
      const [agency] = county.roles.find((role) => role.role === 'child-welfare').agencies;
      assert.equal(agency.verified, true);
      const hotline = page.locator('.county-hotline .contact');
      assert.equal(await hotline.count(), 1);
      assert.equal(await hotline.locator('.contact-name').innerText(), agency.name);
      const calls = await hotline.locator('a.call').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      assert.deepEqual(calls, ['tel:+15596008320'], 'the hotline can be called; the fax cannot');
      assert.match(await hotline.innerText(), /\(559\) 266-2463/, 'the fax number is shown');
      assert.match(await hotline.locator('.way').first().innerText(), /24 hours, 7 days/);
      assert.equal(await hotline.locator(`a[href="${agency.source.url}"]`).count(), 1, 'the source page is one tap away');
      assert.match(await hotline.locator('.insecure-source').innerText(), /not served securely/, 'an http source is marked');
      assert.match(await hotline.locator('.contact-details').innerText(), /Checked on\s+December 1, 2026/);
      assert.equal(await page.locator('.badge-unverified').count(), 0, 'the built-in content has no placeholder');

      // Probation has no verified contact: the role is listed, says what to do, and
      // offers nothing to call.
      const probation = page.locator('.role-group[data-role="probation"]');
      assert.equal(await probation.locator('h3').innerText(), 'Probation');
      assert.match(await probation.innerText(), /No verified contact yet/);
      assert.match(await probation.innerText(), /Call the Fresno County hotline above and ask for the county's CSEC coordinator/);
      assert.equal(await probation.locator('a.call, a[href^="tel:"]').count(), 0, 'no Call button for a role without a contact');
      for (const role of ['mental-health', 'public-health', 'juvenile-court', 'county-office-of-education', 'sheriff']) {
        assert.equal(await page.locator(`.role-group[data-role="${role}"] .no-contact`).count(), 1, role);
      }

      // Copy puts the details on the clipboard and says so.
      await hotline.getByRole('button', { name: /^Copy/ }).click();
      await page.waitForSelector('#toast:has-text("Contact details copied")');
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      assert.ok(copied.startsWith(`${agency.name}\n`), copied);
      assert.match(copied, /Hotline: \(559\) 600-8320 \(24 hours, 7 days\)/);
      assert.doesNotMatch(copied, /Not verified/);

      // Add to contacts downloads a vCard 3.0.
      const [download] = await Promise.all([page.waitForEvent('download'), hotline.getByRole('button', { name: /^Add to contacts: / }).click()]);
      assert.equal(download.suggestedFilename(), 'fresno-county-cps-hotline.vcf');
      const card = await readFile(await download.path(), 'utf8');
      assert.match(card, /^BEGIN:VCARD\r\nVERSION:3\.0\r\n/);
      assert.match(card, /\r\nFN:Fresno County CPS Hotline\r\n/);
      assert.match(card, /\r\nTEL;TYPE=[A-Z,]+:\+15596008320\r\n/);
      assert.match(card, /END:VCARD\r\n$/);
      for (const line of card.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, `folded: ${line}`);
    } finally {
      await context.close();
    }
  });
}

test('a county with no sourced hotline says so and offers the statewide and national lines', async () => {
  const context = await shared.browser.newContext({ ...PHONE, locale: 'en-US' });
  try {
    const page = await context.newPage();
    const county = await api(shared.preview.url, 'county', { name: 'alpine' });
    assert.ok(county.roles.every((role) => role.agencies.length === 0), 'Alpine has no sourced number in the hotline data');
    await openApp(page, shared.preview.url, '#/county/alpine');
    await page.waitForSelector('#main[data-screen="county"] .county-hotline');
    const missing = page.locator('.county-hotline.missing');
    assert.match(await missing.locator('.notice').innerText(), /We have no checked hotline number for Alpine County yet/);
    assert.match(await missing.locator('.notice').innerText(), /call 911/);
    const lines = await missing.locator('a.call').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    assert.ok(lines.includes('tel:+18883737888'), `the trafficking hotline: ${lines}`);
    assert.ok(lines.includes('tel:+18008435678'), `NCMEC: ${lines}`);
    assert.equal(await page.locator('.role-group .contact').count(), 0);
    assert.match(await page.locator('.role-group[data-role="probation"]').innerText(), /county's official website/);
  } finally {
    await context.close();
  }
});
