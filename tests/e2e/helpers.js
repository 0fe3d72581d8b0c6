// Shared set-up for the browser tests: a fresh `csec preview` per test file, Debian's
// Chromium through playwright-core, and the screens of the app with what to wait for.
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

export const require = createRequire(import.meta.url);
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const UI = join(ROOT, 'ui');

export const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };
export const DESKTOP = { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, isMobile: false, hasTouch: false };

/** Every screen, the address that shows it, and an element that is there once it has rendered. */
export const SCREENS = [
  // The county panel fills in after the screen (it asks the engine): wait for it.
  { name: 'home', hash: '#/', screen: 'home', ready: '.my-county[data-ready]' },
  { name: 'search', hash: '#/search?q=acl%2016', screen: 'search', ready: '.result-link' },
  { name: 'item', hash: '#/item/guidance/acl-16-49', screen: 'item', ready: '.prose' },
  { name: 'timeline', hash: '#/timeline', screen: 'timeline', ready: '.year' },
  { name: 'guidance', hash: '#/guidance', screen: 'guidance', ready: '.card' },
  { name: 'reports', hash: '#/reports', screen: 'reports', ready: '.card' },
  { name: 'guides', hash: '#/guides', screen: 'guides', ready: '.card' },
  { name: 'guide', hash: '#/item/guides/youth-missing', screen: 'item', ready: '.my-county input' },
  { name: 'counties', hash: '#/counties', screen: 'counties', ready: '.county-link' },
  { name: 'county', hash: '#/county/fresno', screen: 'county', ready: '.contact' },
  { name: 'bookmarks', hash: '#/bookmarks', screen: 'bookmarks', ready: '.recent' },
  { name: 'settings', hash: '#/settings', screen: 'settings', ready: '.sync-panel' },
  { name: 'about', hash: '#/about', screen: 'about', ready: '#about-quick-exit' },
  { name: 'more', hash: '#/more', screen: 'more', ready: '.more-links' },
  { name: 'not-found', hash: '#/no-such-screen', screen: 'no-such-screen', ready: 'h1' },
];

/** The UI strings, as the app loads them. */
export function dictionaries() {
  return {
    en: JSON.parse(readFileSync(join(UI, 'i18n/en.json'), 'utf8')),
    es: JSON.parse(readFileSync(join(UI, 'i18n/es.json'), 'utf8')),
  };
}

/** The csec binary: target/debug/csec, or $CSEC_BIN. */
export function csecBinary() {
  const binary = process.env.CSEC_BIN ?? join(ROOT, 'target/debug/csec');
  if (!existsSync(binary)) throw new Error(`${binary} does not exist: run "cargo build -p csec" first, or set CSEC_BIN`);
  return binary;
}

/**
 * Runs a csec command to completion.
 * @param {string[]} args
 */
export function csec(args) {
  const result = spawnSync(csecBinary(), args, { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`csec ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/**
 * Starts a csec server (`preview` or `serve`) on a free port and returns its address,
 * read from the first line it prints.
 * @param {string[]} args
 * @param {string} [cleanup] a folder to delete when it stops
 */
export async function startServer(args, cleanup) {
  const child = spawn(csecBinary(), args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise((done) => child.once('exit', done));
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`csec ${args[0]} did not start within 20 s: ${stderr}`)), 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`csec ${args[0]} exited with ${code}: ${stderr}`));
    });
    lines.once('line', (line) => {
      clearTimeout(timer);
      const match = /(http:\/\/\S+?)\/?$/.exec(line.trim());
      if (match) resolvePromise(`${match[1]}/`);
      else reject(new Error(`unexpected first line from csec ${args[0]}: ${line}`));
    });
  });
  let stopped = false;
  return {
    url,
    /** Stops the server (once; later calls do nothing) and deletes what it used. */
    async stop() {
      if (stopped) return;
      stopped = true;
      lines.close();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      if (cleanup) rmSync(cleanup, { recursive: true, force: true });
    },
  };
}

/**
 * Starts `csec preview` on a free port with a fresh library.
 * @param {{ trust?: string }} [options] a publisher key file to trust for "Update now"
 */
export function startPreview(options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'csec-e2e-'));
  const args = ['preview', '--ui', UI, '--db', join(dir, 'library.sqlite'), '--addr', '127.0.0.1:0'];
  if (options.trust) args.push('--trust', options.trust);
  return startServer(args, dir);
}

/** Debian's Chromium, headless, never downloading anything. */
export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * One fresh `csec preview` and one browser for a test file: started before its tests,
 * stopped after them. Read `preview` and `browser` inside the tests. `setup` runs
 * once both are up (node:test may run a file's `before` hooks concurrently, so it
 * cannot be a hook of its own).
 * @param {(shared: { preview: Awaited<ReturnType<typeof startPreview>>, browser: import('playwright-core').Browser }) => Promise<void>} [setup]
 */
export function previewAndBrowser(setup) {
  const shared = /** @type {{ preview: Awaited<ReturnType<typeof startPreview>>, browser: import('playwright-core').Browser }} */ ({});
  before(async () => {
    [shared.preview, shared.browser] = await Promise.all([startPreview(), launchBrowser()]);
    await setup?.(shared);
  });
  after(async () => {
    await shared.browser?.close();
    await shared.preview?.stop();
  });
  return shared;
}

/**
 * Calls an engine command the way the web UI does.
 * @param {string} base the preview's address
 * @param {string} name
 * @param {object} [args]
 */
export async function api(base, name, args = {}) {
  const response = await fetch(new URL(`api/${name}`, base), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(args),
  });
  const body = await response.json();
  if (!response.ok) throw new Error(`${name}: ${response.status} ${body.error}`);
  return body;
}

/**
 * Opens the app at an address and waits until its first screen has rendered.
 * @param {import('playwright-core').Page} page
 * @param {string} base
 * @param {string} [hash]
 */
export async function openApp(page, base, hash = '#/') {
  await page.goto(new URL(hash, base).href);
  await page.waitForSelector('html[data-ready="true"]');
  await page.waitForSelector('#main:not([aria-busy]) h1');
}

/**
 * Shows a screen by changing the address, as a link would, and waits until it has
 * rendered.
 * @param {import('playwright-core').Page} page
 * @param {{ hash: string, screen: string, ready: string }} screen
 */
export async function showScreen(page, screen) {
  await page.evaluate((hash) => {
    if (location.hash === hash) return;
    location.hash = hash;
  }, screen.hash);
  await page.waitForSelector(`#main[data-screen="${screen.screen}"]:not([aria-busy]) ${screen.ready}`);
}

/**
 * Waits for a condition that depends on something outside the page (the engine),
 * checking it again each time it is false, up to a limit.
 * @template T
 * @param {() => Promise<T>} probe
 * @param {(value: T) => boolean} accept
 * @param {string} what for the failure message
 */
export async function eventually(probe, accept, what, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await probe();
    if (accept(last)) return last;
    // A short pause between probes so the engine is not flooded; not a wait for the answer.
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`${what}: still ${JSON.stringify(last)} after ${timeoutMs} ms`);
}

/** Runs tsc over ui/ and returns its result. */
export function typecheck() {
  return spawnSync('npx', ['--no-install', 'tsc', '-p', 'ui/tsconfig.json'], { cwd: ROOT, encoding: 'utf8' });
}

/**
 * Runs in the page: every piece of visible text outside content, with the UI string
 * it comes from. Text not inside an element marked `data-i18n` (and not content,
 * marked `data-content`) is reported as unmarked: hard-coded UI text.
 */
export function collectUiText() {
  /** @param {Element} element */
  const visible = (element) => element.checkVisibility({ checkOpacity: false, checkVisibilityCSS: true });
  /** @param {Element} element */
  const describe = (element) => `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${element.className ? `.${String(element.className).split(' ').join('.')}` : ''}`;
  const marked = [];
  const unmarked = [];
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = (node.textContent ?? '').trim();
    const parent = node.parentElement;
    if (!text || !parent || parent.closest('[data-content], script, style')) continue;
    // Options of a closed select are drawn by the select.
    const shown = parent.tagName === 'OPTION' ? visible(/** @type {Element} */ (parent.closest('select'))) : visible(parent);
    if (!shown) continue;
    const owner = /** @type {HTMLElement | null} */ (parent.closest('[data-i18n]'));
    if (!owner) {
      unmarked.push({ text, where: describe(parent) });
      continue;
    }
    if (seen.has(owner)) continue;
    seen.add(owner);
    marked.push({
      key: owner.dataset.i18n,
      args: owner.dataset.i18nArgs ? JSON.parse(owner.dataset.i18nArgs) : null,
      text: owner.textContent,
      where: describe(owner),
      // A confirmation that is still showing from an earlier action.
      passing: Boolean(owner.closest('#toast')),
    });
  }
  for (const element of document.querySelectorAll('[aria-label], [placeholder]')) {
    const el = /** @type {HTMLElement} */ (element);
    if (!visible(el) || el.closest('[data-content]')) continue;
    for (const [attribute, keyName] of [['aria-label', 'i18nLabel'], ['placeholder', 'i18nPlaceholder']]) {
      const value = el.getAttribute(attribute);
      if (value === null) continue;
      const key = el.dataset[keyName];
      if (!key) unmarked.push({ text: value, where: `${describe(el)}[${attribute}]` });
      else marked.push({ key, args: el.dataset.i18nArgs ? JSON.parse(el.dataset.i18nArgs) : null, text: value, where: `${describe(el)}[${attribute}]` });
    }
  }
  return { marked, unmarked };
}

/**
 * What the app shows for a UI string: the same plural and placeholder rules as
 * ui/js/i18n.js, without its English fallback.
 * @param {Record<string, string>} dictionary
 * @param {'en' | 'es'} lang
 * @param {string} key
 * @param {Record<string, string | number> | null} args
 */
export function expectedText(dictionary, lang, key, args) {
  const locale = lang === 'es' ? 'es-US' : 'en-US';
  let text;
  if (args && typeof args.count === 'number') {
    const category = new Intl.PluralRules(locale).select(args.count);
    text = dictionary[`${key}.${category}`] ?? dictionary[`${key}.other`];
  }
  text ??= dictionary[key];
  if (text === undefined) return undefined;
  return text.replace(/\{(\w+)\}/g, (whole, name) => {
    const value = args?.[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? value.toLocaleString(locale) : value;
  });
}

/**
 * Records every Content Security Policy refusal in the context's pages (the app must
 * work under the policy `csec preview` and the Tauri shell send), and every uncaught
 * error. Read them with `problems(page)`.
 * @param {import('playwright-core').BrowserContext} context
 */
export async function watchForProblems(context) {
  await context.addInitScript(() => {
    // @ts-ignore a test-only global
    window.__problems = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      // @ts-ignore
      window.__problems.push(`CSP refused ${event.blockedURI || 'inline'} (${event.violatedDirective})`);
    });
  });
  context.on('weberror', (error) => {
    // @ts-ignore collected per context
    (context.__errors ??= []).push(String(error.error()));
  });
}

/**
 * @param {import('playwright-core').Page} page
 * @returns {Promise<string[]>}
 */
export async function problems(page) {
  // @ts-ignore
  const inPage = await page.evaluate(() => window.__problems ?? []);
  // @ts-ignore
  return [...inPage, ...(page.context().__errors ?? [])];
}
