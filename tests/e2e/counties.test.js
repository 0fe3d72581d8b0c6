// Flow 2: Counties → type "Fres" → Fresno. Every contact can be called with one tap
// (tel:), texted (sms:) and emailed (mailto:); unverified contacts say so in words;
// "Copy" and "Add to contacts" (a vCard 3.0 download) work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { DESKTOP, PHONE, api, openApp, previewAndBrowser } from './helpers.js';

const shared = previewAndBrowser();

for (const device of [
  { name: 'phone', options: PHONE },
  { name: 'desktop', options: DESKTOP },
]) {
  test(`find Fresno and reach its contacts: ${device.name}`, async () => {
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

      const county = await api(shared.preview.url, 'county', { name: 'fresno' });
      const agencies = county.roles.flatMap((role) => role.agencies);
      const contacts = page.locator('#main .contact');
      assert.equal(await contacts.count(), agencies.length, 'one card per agency');
      for (let index = 0; index < agencies.length; index += 1) {
        const agency = agencies[index];
        const card = contacts.nth(index);
        assert.equal(await card.locator('.contact-name').innerText(), agency.name);
        const calls = await card.locator('a.call').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
        const voices = agency.phones.filter((p) => ['voice', 'hotline', 'after-hours'].includes(p.type));
        assert.equal(calls.length, voices.length, `${agency.name}: one call link per callable number`);
        assert.ok(calls.length > 0, `${agency.name} can be called`);
        for (const href of calls) assert.match(href, /^tel:\+1\d{10}(,\d+)?$/, `${agency.name}: ${href}`);
        const texts = await card.locator('a[href^="sms:"]').count();
        assert.ok(texts > 0, `${agency.name} can be texted`);
        if (agency.email) assert.equal(await card.locator(`a[href="mailto:${agency.email}"]`).count(), 1);
        const label = card.locator('.badge-unverified');
        if (agency.verified) {
          assert.equal(await label.count(), 0, `${agency.name} is verified`);
        } else {
          assert.equal(await label.isVisible(), true, `${agency.name} shows its label`);
          assert.equal(await label.innerText(), 'Unverified');
          assert.match(await card.locator('.unverified-explainer').innerText(), /not yet checked/);
        }
      }
      assert.ok(agencies.some((agency) => !agency.verified), 'Fresno has unverified contacts to show');

      // Copy puts the details on the clipboard and says so.
      const first = contacts.first();
      await first.getByRole('button', { name: /^Copy/ }).click();
      await page.waitForSelector('#toast:has-text("Contact details copied")');
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      assert.ok(copied.startsWith(`${agencies[0].name}\n`), copied);
      assert.match(copied, /Phone: \(559\) 555-0100/);
      assert.match(copied, /Not verified/);

      // Add to contacts downloads a vCard 3.0.
      const [download] = await Promise.all([page.waitForEvent('download'), first.getByRole('button', { name: /^Add to contacts: / }).click()]);
      assert.match(download.suggestedFilename(), /^fresno-county-child-welfare-agency-csec-lead\.vcf$/);
      const card = await readFile(await download.path(), 'utf8');
      assert.match(card, /^BEGIN:VCARD\r\nVERSION:3\.0\r\n/);
      assert.match(card, /\r\nFN:Fresno County child welfare agency \(CSEC lead\)\r\n/);
      assert.match(card, /\r\nTEL;TYPE=WORK,VOICE:\+15595550100\r\n/);
      assert.match(card, /\r\nEMAIL;TYPE=INTERNET,WORK:child-welfare@fresno\.example\.org\r\n/);
      assert.match(card, /END:VCARD\r\n$/);
      for (const line of card.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, `folded: ${line}`);
    } finally {
      await context.close();
    }
  });
}
