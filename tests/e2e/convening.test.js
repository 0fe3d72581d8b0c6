// Convening mode in the browser: Settings → "Update from a nearby device" takes the
// address a laptop shows (`csec mirror`, then `csec serve --lan`, reached here on
// 127.0.0.2), "Update now" brings the new edition from it while the publisher still
// has the old one, and home lists "New since your last update" with the changed
// letter until it is dismissed; the letter's page says it changed. Then the same in
// Spanish, with the next edition.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PHONE, ROOT, api, csec, csecBinary, launchBrowser, openApp, problems, startPreview, startServer, watchForProblems } from './helpers.js';

const run = promisify(execFile);
const LETTER = 'guidance/acl-16-49';
const LETTER_TITLE = 'ACL 16-49: permanent CSEC documentation changes in CWS/CMS';
const GUIDE_ES = 'guides/how-to-report-es';
const GUIDE_ES_TITLE = 'Cree que un menor está siendo explotado: cómo reportarlo';

/** @type {string} */
let dir;
/** @type {Awaited<ReturnType<typeof startServer>>} */
let publisher;
/** @type {Awaited<ReturnType<typeof startServer>>} */
let laptop;
/** @type {Awaited<ReturnType<typeof startPreview>>} */
let preview;
/** @type {import('playwright-core').Browser} */
let browser;
/** The laptop as a phone in the room types its address. */
let mirrorUrl = '';

/**
 * The real content with one more line in `file`, built as `version`, and copied to
 * the laptop with `csec mirror` from a publisher that has it.
 * @param {string} file
 * @param {number} version
 */
async function publishToLaptop(file, version) {
  const content = join(dir, `content-${version}`);
  cpSync(join(ROOT, 'content'), content, { recursive: true });
  appendFileSync(join(content, file), `\nEdited for edition ${version}.\n`);
  const bundle = join(dir, `bundle-${version}`);
  csec(['build', content, '--key', join(dir, 'keys/signing.key'), '--out', bundle, '--version', String(version), '--expires', '2099-01-01T00:00:00Z']);
  const source = await startServer(['serve', bundle, '--addr', '127.0.0.1:0']);
  try {
    // Not spawnSync: the servers' logs are read by this process, which must keep running.
    await run(csecBinary(), ['mirror', source.url, '--out', join(dir, 'laptop'), '--trust', join(dir, 'keys/signing.pub')]);
  } finally {
    await source.stop();
  }
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'csec-e2e-convening-'));
  csec(['keygen', '--out', join(dir, 'keys')]);
  csec(['build', 'content', '--key', join(dir, 'keys/signing.key'), '--out', join(dir, 'published'), '--version', '5', '--expires', '2099-01-01T00:00:00Z']);
  await publishToLaptop('guidance/acl-16-49.md', 6);
  [publisher, laptop, browser] = await Promise.all([
    startServer(['serve', join(dir, 'published'), '--addr', '127.0.0.1:0']),
    startServer(['serve', join(dir, 'laptop'), '--lan', '--addr', '0.0.0.0:0']),
    launchBrowser(),
  ]);
  mirrorUrl = `http://127.0.0.2:${new URL(laptop.url).port}/`;
  preview = await startPreview({ trust: join(dir, 'keys/signing.pub') });
  await api(preview.url, 'settings_set', { key: 'sync_source', value: publisher.url });
  // The publisher's edition 5 is the built-in content: nothing is new.
  assert.equal((await api(preview.url, 'sync', {})).version, 5);
  assert.equal((await api(preview.url, 'home', { lang: 'en' })).whats_new, null);
});

after(async () => {
  await browser?.close();
  await preview?.stop();
  await laptop?.stop();
  await publisher?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('update from a nearby device, see what is new, open it, dismiss it; then in Spanish', async () => {
  const context = await browser.newContext({ ...PHONE, locale: 'en-US' });
  await watchForProblems(context);
  try {
    const page = await context.newPage();
    await openApp(page, preview.url, '#/settings');
    await page.getByLabel('Update from a nearby device').fill(mirrorUrl);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const devices = page.getByRole('list', { name: 'Nearby devices' });
    await devices.getByText(mirrorUrl, { exact: true }).waitFor();

    // An address on the internet over plain http is refused, and says why.
    await page.getByLabel('Update from a nearby device').fill('http://93.184.215.14:8787/');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('alert').getByText(/same local network/).waitFor();
    assert.equal(await devices.getByRole('listitem').count(), 1);

    await page.getByRole('button', { name: 'Update now' }).click();
    await page.getByText('Updated to version 6: 0 new, 1 changed, 0 removed.').waitFor();
    const came = page.locator('.fact', { hasText: 'Content came from' });
    await came.getByText(mirrorUrl).waitFor();

    await openApp(page, preview.url, '#/');
    const news = page.getByRole('region', { name: 'New since your last update' });
    await news.waitFor();
    const item = news.getByRole('listitem').first();
    assert.match(await item.innerText(), /^Changed\s+ACL 16-49/);
    await news.getByRole('link', { name: LETTER_TITLE }).click();
    await page.waitForSelector('#main:not([aria-busy]) h1');
    assert.equal(new URL(page.url()).hash, `#/item/${LETTER}`);
    await page.locator('.last-change').getByText('Changed in the last update').waitFor();

    // The About screen shows the key a laptop's `csec serve --lan` prints.
    const raw = Buffer.from(readFileSync(join(dir, 'keys/signing.pub'), 'utf8').trim().replace('csec-ed25519:', ''), 'base64');
    const fingerprint = createHash('sha256').update(raw).digest('hex').slice(0, 16).match(/.{4}/g)?.join(' ') ?? '';
    await openApp(page, preview.url, '#/about');
    await page.locator('.fact', { hasText: 'Publisher key' }).getByText(fingerprint).waitFor();

    await openApp(page, preview.url, '#/');
    await page.getByRole('button', { name: 'Hide this list' }).click();
    await news.waitFor({ state: 'detached' });
    await page.reload();
    await page.waitForSelector('#main:not([aria-busy]) h1');
    assert.equal(await page.getByRole('region', { name: 'New since your last update' }).count(), 0, 'dismissed stays dismissed');
    assert.deepEqual(await problems(page), []);

    // The next edition, in Spanish: a Spanish guide changed. The laptop's copy is
    // brought up to date while it is being served.
    await publishToLaptop('guides/how-to-report-es.md', 7);
    await api(preview.url, 'settings_set', { key: 'language', value: 'es' });
    await openApp(page, preview.url, '#/settings');
    await page.reload();
    await page.waitForSelector('#main:not([aria-busy]) h1');
    await page.getByRole('button', { name: 'Actualizar ahora' }).click();
    await page.getByText(/^Actualizado a la versión 7/).waitFor();
    await page.locator('.fact', { hasText: 'El contenido vino de' }).getByText(mirrorUrl).waitFor();
    await openApp(page, preview.url, '#/');
    const novedades = page.getByRole('region', { name: 'Novedades desde su última actualización' });
    await novedades.waitFor();
    assert.match(await novedades.getByRole('listitem').filter({ hasText: GUIDE_ES_TITLE }).innerText(), /^Cambiado\s/);
    await novedades.getByRole('link', { name: GUIDE_ES_TITLE }).click();
    await page.waitForSelector('#main:not([aria-busy]) h1');
    assert.equal(new URL(page.url()).hash, `#/item/${GUIDE_ES}`);
    await page.getByText('Cambiado en la última actualización').waitFor();
    await openApp(page, preview.url, '#/');
    await page.getByRole('button', { name: 'Ocultar esta lista' }).click();
    await novedades.waitFor({ state: 'detached' });
    assert.deepEqual(await problems(page), []);
  } finally {
    await api(preview.url, 'settings_set', { key: 'language', value: 'system' });
    await context.close();
  }
});
