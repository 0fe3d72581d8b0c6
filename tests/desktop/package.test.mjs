// The installable package: the .deb that scripts/package builds (path in $CSEC_DEB)
// installs with dpkg into this machine, puts its desktop entry and icon where a
// desktop finds them, and the installed binary opens offline to the home screen under
// Xvfb (its CSEC_APP_REPORT_READY line). The package is removed afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';

import { freshHome } from './webdriver.mjs';

const deb = process.env.CSEC_DEB ?? '';

/** @param {string} command @param {string[]} args */
function run(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  assert.equal(result.status, 0, `${command} ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/** Waits for the app's "home ready" line, or fails after `ms`. */
function homeReady(child, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "home ready" line within ${ms} ms`)), ms);
    createInterface({ input: child.stdout }).on('line', (line) => {
      const ready = /^csec-app: home ready (\d+) ms/.exec(line);
      if (ready) {
        clearTimeout(timer);
        resolve(Number(ready[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the app exited (${code}) before the home screen`));
    });
  });
}

test('the .deb installs, registers its desktop entry and icon, opens offline to home, and removes cleanly', async () => {
  assert.ok(deb && existsSync(deb), `scripts/package built a .deb (CSEC_DEB=${deb})`);
  const name = run('dpkg-deb', ['--field', deb, 'Package']).trim();
  // `-rwxr-xr-x root/root 9176944 2026-12-02 04:40 ./usr/bin/csec-app`: the name is
  // the rest of the line after the date and time (it may hold spaces).
  const files = run('dpkg-deb', ['--contents', deb])
    .split('\n')
    .map((line) => /^\S+\s+\S+\s+\d+\s+\S+\s+\S+\s+(.+)$/.exec(line)?.[1] ?? '')
    .filter((path) => path && !path.endsWith('/'))
    .map((path) => `/${path.replace(/^\.?\//, '')}`);
  const binary = files.find((f) => f.startsWith('/usr/bin/'));
  const entry = files.find((f) => f.startsWith('/usr/share/applications/') && f.endsWith('.desktop'));
  const icons = files.filter((f) => /^\/usr\/share\/icons\/hicolor\/[^/]+\/apps\/.+\.png$/.test(f));
  assert.ok(binary, `a program in /usr/bin: ${files.join(' ')}`);
  assert.ok(entry, 'a desktop entry');
  assert.ok(icons.length > 0, 'an icon in the hicolor theme');

  run('dpkg', ['-i', deb]);
  const home = freshHome('csec-package-');
  /** @type {import('node:child_process').ChildProcess | null} */
  let app = null;
  try {
    assert.match(run('dpkg-query', ['-W', '-f=${Status}', name]), /install ok installed/);
    for (const file of [binary, entry, ...icons]) assert.ok(existsSync(/** @type {string} */ (file)), `${file} is installed`);
    const desktop = readFileSync(/** @type {string} */ (entry), 'utf8');
    assert.match(desktop, /^Name=CSEC Field Guide$/m);
    const exec = /^Exec=(\S+)/m.exec(desktop)?.[1] ?? '';
    assert.ok(exec && (exec === binary || `/usr/bin/${exec}` === binary), `Exec= runs the installed program: ${exec}`);
    const icon = /^Icon=(.+)$/m.exec(desktop)?.[1] ?? '';
    assert.ok(icons.some((f) => f.endsWith(`/${icon}.png`)), `Icon=${icon} is installed`);

    // Offline, in a brand-new profile: no update address is set, so nothing is fetched.
    app = spawn(/** @type {string} */ (binary), [], {
      env: { ...process.env, ...home.env, CSEC_APP_REPORT_READY: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // WebKit's and Mesa's chatter is shown only if the app does not reach home.
    let chatter = '';
    app.stderr?.on('data', (chunk) => {
      chatter = (chatter + chunk).slice(-4000);
    });
    const ms = await homeReady(app, 60_000).catch((error) => {
      throw new Error(`${error.message}\n${chatter}`);
    });
    assert.ok(ms > 0);
    assert.ok(existsSync(home.cacheFile), 'the installed app made its cache from the built-in content');
    console.log(`# package ${statSync(deb).size} bytes; installed program ${statSync(/** @type {string} */ (binary)).size} bytes; home ready ${ms} ms`);
  } finally {
    if (app && app.exitCode === null) {
      const exited = new Promise((resolve) => app?.once('exit', resolve));
      app.kill('SIGKILL');
      await exited;
    }
    run('dpkg', ['-r', name]);
    home.remove();
  }
  assert.ok(!existsSync(/** @type {string} */ (binary)), 'removed with the package');
});
