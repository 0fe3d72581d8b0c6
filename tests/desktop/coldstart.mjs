// Cold start of the desktop app to a rendered home screen, offline.
//
//   cargo build --release -p csec-app --features custom-protocol
//   xvfb-run -a node tests/desktop/coldstart.mjs [--runs 10] [--app PATH] [--pixels]
//
// Not a test (node --test does not pick it up). Each run spawns the app with
// CSEC_APP_REPORT_READY=1 and a fresh HOME (so no state leaks between runs), and
// times, from spawn():
//
//   ready:  the app's "csec-app: home ready ..." line. The app prints it once the page
//           has an h1 with text and the search box and the next frame has been
//           produced (src-tauri/src/startup.rs). Includes process start, dynamic
//           linking, GTK/WebKit start-up, opening (or creating) the cache, the UI's
//           scripts and its first engine calls.
//   pixels: (with --pixels) the first screenshot of the window that matches the
//           settled home screen (fewer than 0.5 % of its pixels differ). Screenshots
//           are taken back to back with ImageMagick's `import` (about 50 ms each), so
//           this is an upper bound within one screenshot's time; it also costs CPU
//           while the app starts, so it reads a little slow.
//
// Two cases: first launch (no cache yet: it is created and filled from the built-in
// content) and relaunch (the same HOME again: cache present, WebKit and Mesa caches warm).

import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { appPath, freshHome } from './webdriver.mjs';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    app: { type: 'string', default: process.env.CSEC_APP || appPath('release') },
    timeout: { type: 'string', default: '20000' },
    pixels: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const app = values.app;
const timeout = Number(values.timeout);
if (!existsSync(app)) {
  console.error(`no app at ${app}: cargo build --release -p csec-app --features custom-protocol`);
  process.exit(1);
}
if (!process.env.DISPLAY) {
  console.error('no display: run under xvfb-run -a');
  process.exit(1);
}
const IMPORT = '/usr/bin/import';
if (values.pixels && !existsSync(IMPORT)) {
  console.error('--pixels needs ImageMagick (/usr/bin/import)');
  process.exit(1);
}

// The window's area: no window manager under Xvfb, so it sits at the origin.
const WINDOW = { width: 1024, height: 768 };
const now = () => Number(process.hrtime.bigint()) / 1e6;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The window's pixels, RGB, or null if the grab failed. */
function grab() {
  return new Promise((resolve) => {
    const chunks = [];
    const child = spawn(IMPORT, ['-window', 'root', '-crop', `${WINDOW.width}x${WINDOW.height}+0+0`, '-depth', '8', 'rgb:-'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    child.stdout.on('data', (d) => chunks.push(d));
    child.once('close', (code) => resolve(code === 0 ? Buffer.concat(chunks) : null));
  });
}

/** Share of pixels that differ between two grabs. */
function difference(a, b) {
  if (!a || !b || a.length !== b.length) return 1;
  let differing = 0;
  for (let i = 0; i < a.length; i += 3) {
    if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2]) differing++;
  }
  return differing / (a.length / 3);
}

/** Starts the app; resolves with its ready time, and with its pixel time if `reference` is given. */
function launch(env, { reference = null, settle = false } = {}) {
  return new Promise((resolve, reject) => {
    const started = now();
    // Its own process group, so that WebKit's helper processes are stopped with it.
    const child = spawn(app, [], {
      env: { ...process.env, ...env, CSEC_APP_REPORT_READY: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const stop = (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    let out = '';
    let err = '';
    let ready = null;
    let line = '';
    let pixels = reference ? null : undefined;
    let shot = null;
    let finished = false;
    const finish = (error) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      child.once('exit', () => (error ? reject(error) : resolve({ ready, pixels, line, shot })));
      stop('SIGTERM');
    };
    const timer = setTimeout(() => {
      finish(new Error(`not ready within ${timeout} ms\nstdout: ${out}\nstderr: ${err}`));
    }, timeout);
    const maybeDone = async () => {
      if (ready === null || pixels === null) return;
      if (settle) {
        // The reference: wait until two grabs half a second apart are the same.
        let previous = await grab();
        for (let i = 0; i < 20; i++) {
          await sleep(500);
          const next = await grab();
          if (difference(previous, next) === 0) break;
          previous = next;
        }
        shot = previous;
      }
      finish();
    };
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      const found = out.split('\n').find((l) => l.startsWith('csec-app: home ready'));
      if (!found || ready !== null) return;
      ready = now() - started;
      line = found;
      maybeDone();
    });
    child.once('error', reject);
    if (reference) {
      (async () => {
        while (!finished && pixels === null) {
          const picture = await grab();
          const at = now() - started;
          const differing = difference(picture, reference);
          if (process.env.COLDSTART_DEBUG) console.error(`${at.toFixed(0)} ms: ${(differing * 100).toFixed(2)} % of pixels differ`);
          if (differing < 0.005) {
            pixels = at;
            maybeDone();
          }
        }
      })();
    }
  });
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return `median ${q(0.5).toFixed(0)} ms, min ${s[0].toFixed(0)} ms, max ${s[s.length - 1].toFixed(0)} ms (n=${s.length})`;
};

let reference = null;
if (values.pixels) {
  const home = freshHome('csec-coldstart-');
  try {
    reference = (await launch(home.env, { settle: true })).shot;
  } finally {
    home.remove();
  }
}

const results = { first: { ready: [], pixels: [] }, again: { ready: [], pixels: [] } };
let sample = '';
for (let i = 0; i < runs; i++) {
  const home = freshHome('csec-coldstart-');
  try {
    const a = await launch(home.env, { reference });
    if (!existsSync(home.cacheFile)) throw new Error(`no cache at ${home.cacheFile}`);
    const b = await launch(home.env, { reference });
    for (const [key, run] of [['first', a], ['again', b]]) {
      results[key].ready.push(run.ready);
      if (run.pixels !== undefined) results[key].pixels.push(run.pixels);
    }
    sample = a.line;
  } finally {
    home.remove();
  }
}
const load = spawnSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).stdout.trim();
console.log(`app: ${app}`);
console.log(`load average after the runs: ${load}`);
console.log(`sample: ${sample}`);
for (const [key, label] of [['first', 'first launch (new cache)'], ['again', 'relaunch (existing cache)']]) {
  console.log(`${label}, ready line: ${stats(results[key].ready)}`);
  if (values.pixels) console.log(`${label}, pixels:     ${stats(results[key].pixels)}`);
}
