// A report's attached file: the item page lists it with its kind and size and says
// whether it is on this device; opening it downloads it from the update host once
// (checked against the signed listing) and then it is on the device. The same page
// in Spanish.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PHONE, ROOT, api, csec, eventually, launchBrowser, openApp, problems, startPreview, startServer, watchForProblems } from './helpers.js';

const REPORT = 'reports/2013-call-for-multi-system-collaboration';

/** A one-page PDF, generated: no file a source provides is shipped. */
function generatedPdf() {
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>'];
  let pdf = '%PDF-1.4\n';
  const offsets = objects.map((body, i) => {
    const offset = pdf.length;
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return offset;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

/** @type {string} */
let dir;
/** @type {Buffer} */
let pdf;
/** @type {Awaited<ReturnType<typeof startServer>>} */
let host;
/** @type {Awaited<ReturnType<typeof startPreview>>} */
let preview;
/** @type {import('playwright-core').Browser} */
let browser;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'csec-e2e-attachment-'));
  const content = join(dir, 'content');
  cpSync(join(ROOT, 'content'), content, { recursive: true });
  pdf = generatedPdf();
  writeFileSync(join(content, 'reports/full-report.pdf'), pdf);
  const report = join(content, `${REPORT}.md`);
  const text = readFileSync(report, 'utf8');
  const end = text.indexOf('\n+++\n', 4) + 1;
  writeFileSync(report, `${text.slice(0, end)}[[attachments]]\nfile = "full-report.pdf"\ntitle = "Full report (PDF)"\n${text.slice(end)}`);
  csec(['keygen', '--out', join(dir, 'keys')]);
  csec(['build', content, '--key', join(dir, 'keys/signing.key'), '--out', join(dir, 'bundle'), '--version', '5', '--expires', '2099-01-01T00:00:00Z']);
  [host, browser] = await Promise.all([startServer(['serve', join(dir, 'bundle'), '--addr', '127.0.0.1:0']), launchBrowser()]);
  preview = await startPreview({ trust: join(dir, 'keys/signing.pub') });
  await api(preview.url, 'settings_set', { key: 'sync_source', value: host.url });
  // A desktop browser does not say what the connection is: by default the update
  // leaves the file to be downloaded when it is opened.
  const report5 = await api(preview.url, 'sync', {});
  assert.equal(report5.version, 5);
});

after(async () => {
  await browser?.close();
  await preview?.stop();
  await host?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('an attachment is listed with its size, opens, and is then on the device; in Spanish too', async () => {
  const context = await browser.newContext({ ...PHONE, locale: 'en-US', acceptDownloads: true });
  await watchForProblems(context);
  try {
    const page = await context.newPage();
    await openApp(page, preview.url, `#/item/${REPORT}`);
    const files = page.getByRole('region', { name: 'Files' });
    const link = files.getByRole('link', { name: 'Full report (PDF)' });
    await link.waitFor();
    const size = new Intl.NumberFormat('en-US', { style: 'unit', unit: 'kilobyte', unitDisplay: 'short' }).format(Math.max(1, Math.round(pdf.length / 1e3)));
    assert.equal((await files.locator('.attachment-meta').innerText()).trim(), `PDF, ${size} · Downloads when you open it`);

    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.equal(download.suggestedFilename(), 'full-report.pdf');
    const saved = join(dir, 'downloaded.pdf');
    await download.saveAs(saved);
    assert.deepEqual(readFileSync(saved), pdf, 'the bytes the publisher attached');

    await page.reload();
    await page.waitForSelector('#main:not([aria-busy]) h1');
    assert.match(await page.locator('.attachment-meta').innerText(), /On this device/);

    await api(preview.url, 'settings_set', { key: 'language', value: 'es' });
    await page.reload();
    await page.waitForSelector('#main:not([aria-busy]) h1');
    const archivos = page.getByRole('region', { name: 'Archivos' });
    await archivos.waitFor();
    assert.match(await archivos.locator('.attachment-meta').innerText(), /^PDF, .* · En este dispositivo$/);
    assert.deepEqual(await problems(page), []);
  } finally {
    await api(preview.url, 'settings_set', { key: 'language', value: 'system' });
    await context.close();
  }
});

test('the settings choose when attachments download', async () => {
  const context = await browser.newContext({ ...PHONE, locale: 'en-US' });
  await watchForProblems(context);
  try {
    const page = await context.newPage();
    await openApp(page, preview.url, '#/settings');
    const group = page.getByRole('group', { name: 'Files attached to reports' });
    assert.equal(await group.getByLabel('With updates on Wi-Fi, otherwise when I open one').isChecked(), true, 'the default');
    await group.getByLabel('Only when I open one').check();
    await eventually(() => api(preview.url, 'settings_get'), (settings) => settings.attachments === 'when-opened', 'the setting is saved');
    assert.deepEqual(await problems(page), []);
  } finally {
    await context.close();
  }
});
