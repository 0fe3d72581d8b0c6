// Optional end-to-end test of a real, signed update through the desktop app: the
// `sync` command with its progress events, then the launch sync. The normal build
// trusts only the publisher's key, so this needs an app built to trust a test key:
//
//   target/debug/csec keygen --out /tmp/csec-sync-key
//   CSEC_PUBLISHER_KEYS=/tmp/csec-sync-key/signing.pub CARGO_TARGET_DIR=/tmp/csec-sync-key/target \
//     cargo build -p csec-app
//   CSEC_SYNC_APP=/tmp/csec-sync-key/target/debug/csec-app CSEC_SYNC_KEY=/tmp/csec-sync-key/signing.key \
//     xvfb-run -a node --test tests/desktop/
//
// Skipped without CSEC_SYNC_APP and CSEC_SYNC_KEY. Uses the csec binary ($CSEC_BIN, or
// target/debug/csec) to build the bundle from content/ and to serve it.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { Driver, REPO, freshHome, missingPrerequisites, waitFor } from './webdriver.mjs';

const APP = process.env.CSEC_SYNC_APP ? resolve(process.env.CSEC_SYNC_APP) : '';
const KEY = process.env.CSEC_SYNC_KEY ? resolve(process.env.CSEC_SYNC_KEY) : '';
const CSEC = process.env.CSEC_BIN
  ? resolve(process.env.CSEC_BIN)
  : join(process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(REPO, 'target'), 'debug', 'csec');
const VERSION = 7;
const skip = !APP || !KEY ? 'set CSEC_SYNC_APP and CSEC_SYNC_KEY (see the top of this file)' : false;

describe('desktop app: a signed update', { skip }, () => {
  let driver;
  let session;
  let home;
  let bundle;
  let server;
  let source;

  before(async () => {
    const missing = missingPrerequisites(APP);
    if (!existsSync(CSEC)) missing.push(`no csec binary at ${CSEC}: cargo build -p csec (or set CSEC_BIN)`);
    if (missing.length) throw new Error(`cannot run the sync test:\n- ${missing.join('\n- ')}`);
    bundle = mkdtempSync(join(tmpdir(), 'csec-sync-bundle-'));
    const expires = new Date(Date.now() + 30 * 86400_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const built = spawnSync(
      CSEC,
      ['build', join(REPO, 'content'), '--key', KEY, '--out', join(bundle, 'b'), '--version', String(VERSION), '--expires', expires],
      { encoding: 'utf8' },
    );
    assert.equal(built.status, 0, built.stderr);
    server = spawn(CSEC, ['serve', join(bundle, 'b'), '--addr', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let printed = '';
    server.stdout.on('data', (d) => (printed += d));
    source = await waitFor('csec serve to say where it listens', () => printed.match(/https?:\/\/\S+/)?.[0]);
    home = freshHome();
    driver = await Driver.start(home.env);
    session = await driver.session(APP);
    await session.waitForHome();
  });

  after(async () => {
    if (session) await session.close();
    if (driver) await driver.stop();
    if (server) server.kill('SIGTERM');
    if (home) home.remove();
    if (bundle) rmSync(bundle, { recursive: true, force: true });
  });

  it('updates the library, reporting progress', async () => {
    const set = await session.invoke('call', { name: 'settings_set', args: { key: 'sync_source', value: source } });
    assert.ok(set.ok, set.error);
    const result = await session.executeAsync(`
      const { invoke } = window.__TAURI__.core;
      const { listen } = window.__TAURI__.event;
      const phases = [];
      let finished;
      const heard = new Promise((resolve) => { finished = resolve; });
      const stopProgress = await listen('sync-progress', (event) => phases.push(event.payload.phase));
      const stopFinished = await listen('sync-finished', (event) => finished(event.payload));
      const report = await invoke('sync');
      const event = await heard;
      stopProgress();
      stopFinished();
      return { report, event, phases };
    `);
    assert.ok(result.ok, result.error);
    const { report, event, phases } = result.value;
    assert.equal(report.status, 'updated');
    assert.equal(report.version, VERSION);
    assert.deepEqual({ ok: event.ok, kind: event.kind, version: event.report.version }, { ok: true, kind: 'updated', version: VERSION });
    for (const phase of ['checking', 'downloading', 'applying']) assert.ok(phases.includes(phase), `${phase} in ${phases}`);
    const homeAnswer = await session.invoke('call', { name: 'home', args: {} });
    assert.equal(homeAnswer.value.content_version, VERSION);
    assert.equal(homeAnswer.value.built_in, false);
  });

  it('checks again at launch and finds itself up to date', async () => {
    const before = (await session.invoke('call', { name: 'sync_status', args: {} })).value.last_sync_attempt;
    await session.close();
    session = await driver.session(APP);
    await session.waitForHome();
    const status = await waitFor('the launch sync to be recorded', async () => {
      const answer = await session.invoke('call', { name: 'sync_status', args: {} });
      return answer.ok && answer.value.last_sync_attempt !== before ? answer.value : null;
    });
    assert.equal(status.last_sync_outcome, 'up-to-date');
    assert.equal(status.version, VERSION);
  });
});
