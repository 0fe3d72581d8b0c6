// Checks on the UI's files that need no browser: everything is local and works under
// the Content Security Policy (no inline script or style, no remote resource), every
// JS file is type-checked, engine HTML is inserted in one reviewed place, and the
// offline copy (sw.js) keeps every file of the UI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { UI, typecheck } from './helpers.js';

/** @param {string} dir */
function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const all = files(UI).map((path) => relative(UI, path).split('\\').join('/'));
/** @param {string} path */
const read = (path) => readFileSync(join(UI, path), 'utf8');

test('tsc -p ui/tsconfig.json passes (flow 7)', () => {
  const result = typecheck();
  assert.equal(result.status, 0, `tsc failed:\n${result.stdout}${result.stderr}`);
});

test('every JS file starts with // @ts-check', () => {
  for (const path of all.filter((p) => p.endsWith('.js'))) {
    assert.ok(read(path).startsWith('// @ts-check\n'), path);
  }
});

test('HTML has no inline script, inline style or event-handler attribute', () => {
  for (const path of all.filter((p) => p.endsWith('.html'))) {
    const html = read(path);
    for (const script of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
      assert.match(script[1], /\bsrc="[^"]+"/, `${path}: a script without src`);
      assert.equal(script[2].trim(), '', `${path}: inline script`);
    }
    assert.doesNotMatch(html, /<style\b/, `${path}: <style> element`);
    assert.doesNotMatch(html, /\sstyle=/, `${path}: style attribute`);
    assert.doesNotMatch(html, /\son[a-z]+=/, `${path}: event-handler attribute`);
  }
});

test('nothing is loaded from another host', () => {
  for (const path of all.filter((p) => /\.(html|css)$/.test(p))) {
    assert.doesNotMatch(read(path), /(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/i, `${path} names a remote address`);
  }
  for (const path of all.filter((p) => p.endsWith('.js'))) {
    const code = read(path);
    assert.doesNotMatch(code, /import\s[^;]*from\s+['"]https?:/, `${path}: remote import`);
    assert.doesNotMatch(code, /fetch\(\s*['"`]https?:/, `${path}: remote fetch`);
    // The only web addresses in code are links a person may follow (About's sources).
    if (path !== 'js/screens/about.js') assert.doesNotMatch(code, /['"`]https?:\/\//, `${path} names a web address`);
  }
});

test('HTML from the engine enters the page in one place only', () => {
  for (const path of all.filter((p) => p.endsWith('.js'))) {
    const code = read(path);
    const count = (code.match(/\.innerHTML\s*=|insertAdjacentHTML|outerHTML\s*=|document\.write/g) ?? []).length;
    assert.equal(count, path === 'js/dom.js' ? 1 : 0, `${path} writes HTML`);
  }
});

test('the offline copy keeps every file of the UI', () => {
  const listed = [...read('sw.js').matchAll(/^\s+'([^']+)',$/gm)].map((m) => m[1]).filter((p) => p !== './');
  const expected = all.filter((p) => p !== 'sw.js' && p !== 'tsconfig.json').sort();
  assert.deepEqual([...listed].sort(), expected);
});
