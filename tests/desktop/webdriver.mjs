// A small W3C WebDriver client for the desktop tests: global fetch only, no npm
// dependencies. It starts `tauri-driver` (which wraps WebKitGTK's `WebKitWebDriver`),
// opens a session on the real app, and stops the driver with SIGINT (tauri-driver
// ignores SIGTERM).
//
// Environment:
//   CSEC_APP              the app binary (default: $CARGO_TARGET_DIR or target/, debug/csec-app)
//   TAURI_DRIVER          the tauri-driver binary (default: on PATH, else ~/.cargo/bin)
//   CSEC_WEBDRIVER_PORT   tauri-driver's port (WebKitWebDriver gets port + 1). By default
//                         two free ports are picked, so test files may run in parallel.

import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir, homedir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const IDENTIFIER = 'org.csecfieldguide.app';
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

/** The app binary to test. */
export function appPath(profile = 'debug') {
  if (process.env.CSEC_APP) return resolve(process.env.CSEC_APP);
  const target = process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(REPO, 'target');
  return join(target, profile, 'csec-app');
}

function onPath(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
}

/** Every missing prerequisite, as sentences saying how to get it. */
export function missingPrerequisites(app) {
  const missing = [];
  if (!existsSync(app)) missing.push(`no app binary at ${app}: run \`cargo build -p csec-app\` (or set CSEC_APP)`);
  if (!tauriDriverPath()) missing.push('tauri-driver not found: `cargo install tauri-driver --version ^2 --locked`');
  if (!onPath('WebKitWebDriver')) missing.push('WebKitWebDriver not found: `apt-get install webkit2gtk-driver`');
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) missing.push('no display: run under `xvfb-run -a`');
  return missing;
}

function tauriDriverPath() {
  if (process.env.TAURI_DRIVER) return process.env.TAURI_DRIVER;
  const found = onPath('tauri-driver');
  if (found) return found;
  const cargo = join(process.env.CARGO_HOME || join(homedir(), '.cargo'), 'bin', 'tauri-driver');
  return existsSync(cargo) ? cargo : '';
}

/** A fresh HOME and XDG directories, so the app creates a new cache and has no sync source. */
export function freshHome(prefix = 'csec-desktop-') {
  const home = mkdtempSync(join(tmpdir(), prefix));
  const env = {
    HOME: home,
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_CACHE_HOME: join(home, 'cache'),
    XDG_STATE_HOME: join(home, 'state'),
  };
  for (const dir of Object.values(env)) mkdirSync(dir, { recursive: true });
  return {
    home,
    env,
    cacheFile: join(env.XDG_DATA_HOME, IDENTIFIER, 'cache.sqlite'),
    remove: () => removeSoon(home),
  };
}

/** `count` distinct ports that were free a moment ago. */
async function freePorts(count) {
  const servers = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
      servers.push(server);
    }
    return servers.map((server) => server.address().port);
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

/** Removes `dir`. WebKit's helper processes may still be writing (caches, local
 *  storage) for a moment after the app has exited, so it retries, and removes again
 *  what reappears shortly after. */
function removeSoon(dir) {
  const pause = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  const deadline = Date.now() + 10000;
  for (;;) {
    try {
      rmSync(dir, { recursive: true, force: true });
      pause(300);
      if (!existsSync(dir)) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      pause(200);
    }
    if (Date.now() > deadline) return;
  }
}

/** Polls `probe` until it returns a truthy value or the deadline passes. */
export async function waitFor(what, probe, { timeout = 15000, interval = 50 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

export class Driver {
  /** Starts tauri-driver with `env` added to the environment the app inherits. */
  static async start(env = {}) {
    const [port, nativePort] = process.env.CSEC_WEBDRIVER_PORT
      ? [Number(process.env.CSEC_WEBDRIVER_PORT), Number(process.env.CSEC_WEBDRIVER_PORT) + 1]
      : await freePorts(2);
    const base = `http://127.0.0.1:${port}`;
    // A driver left over from an earlier run would take our session: refuse.
    if (await fetch(`${base}/status`).then(() => true, () => false)) {
      throw new Error(`something already listens on ${base}; stop it or set CSEC_WEBDRIVER_PORT`);
    }
    const child = spawn(tauriDriverPath(), ['--port', String(port), '--native-port', String(nativePort)], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise((r) => child.once('exit', r));
    const driver = new Driver(base, child, exited, () => output);
    await waitFor('tauri-driver to listen', async () => {
      if (child.exitCode !== null) throw new Error(`tauri-driver exited: ${output}`);
      return (await fetch(`${base}/status`)).ok;
    }, { timeout: 20000 });
    return driver;
  }

  constructor(base, child, exited, output) {
    this.base = base;
    this.child = child;
    this.exited = exited;
    this.output = output;
  }

  async request(method, path, body) {
    const response = await fetch(this.base + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await response.json().catch(() => ({}));
    if (!response.ok) {
      const v = json.value || {};
      throw new Error(`${method} ${path}: ${response.status} ${v.error || ''} ${v.message || ''}`.trim());
    }
    return json.value;
  }

  /** Launches the app; resolves once its webview answers WebDriver. */
  async session(application) {
    const value = await this.request('POST', '/session', {
      capabilities: {
        alwaysMatch: { browserName: 'wry', 'tauri:options': { application } },
      },
    });
    return new Session(this, value.sessionId);
  }

  /** SIGINT (tauri-driver ignores SIGTERM), then SIGKILL if it does not exit. */
  async stop() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGINT');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }
}

export class Session {
  constructor(driver, id) {
    this.driver = driver;
    this.id = id;
  }

  cmd(method, path, body) {
    return this.driver.request(method, `/session/${this.id}${path}`, body);
  }

  /** The first element matching `css`, or null. */
  async find(css) {
    const found = await this.cmd('POST', '/elements', { using: 'css selector', value: css });
    return found.length ? found[0][ELEMENT] : null;
  }

  /** Waits for an element matching `css` to be in the DOM. */
  waitFor(css, options) {
    return waitFor(`an element matching ${css}`, () => this.find(css), options);
  }

  /** Waits for the home screen: a heading with text (the UI fills it in once its
   *  language is loaded) and the search box. Returns the heading's text. */
  waitForHome(options) {
    return waitFor('the home screen (an h1 with text and input[type=search])', () =>
      this.execute(`const h1 = document.querySelector('h1');
        return h1 && h1.textContent.trim() && document.querySelector('input[type=search]') ? h1.textContent : null;`),
      options);
  }

  text(element) {
    return this.cmd('GET', `/element/${element}/text`);
  }

  click(element) {
    return this.cmd('POST', `/element/${element}/click`, {});
  }

  type(element, text) {
    return this.cmd('POST', `/element/${element}/value`, { text });
  }

  url() {
    return this.cmd('GET', '/url');
  }

  execute(script, args = []) {
    return this.cmd('POST', '/execute/sync', { script, args });
  }

  /** Runs `script` as an async function body; its return value is the result. */
  executeAsync(script, args = []) {
    const wrapped = `const done = arguments[arguments.length - 1];
      (async (...args) => { ${script} })(...Array.prototype.slice.call(arguments, 0, -1))
        .then((value) => done({ ok: true, value }), (error) => done({ ok: false, error: String(error) }));`;
    return this.cmd('POST', '/execute/async', { script: wrapped, args });
  }

  /** `window.__TAURI__.core.invoke(command, args)` in the page: `{ok, value}` or `{ok: false, error}`. */
  invoke(command, args = {}) {
    return this.executeAsync('return await window.__TAURI__.core.invoke(args[0], args[1]);', [command, args]);
  }

  /** An element reference from a script's return value. */
  static element(value) {
    return value && value[ELEMENT];
  }

  async close() {
    await this.cmd('DELETE', '').catch(() => {});
  }
}
