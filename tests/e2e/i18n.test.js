// Flow 6: en.json and es.json have the same keys, no empty values, the same
// placeholders, complete plural groups; every key the UI uses exists, and every key
// exists because the UI uses it. (The browser test in language.test.js checks what is
// actually on screen.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { UI, dictionaries } from './helpers.js';

const PLURAL = /\.(zero|one|two|few|many|other)$/;

/** @param {string} dir */
function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** @param {string} text */
const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('en.json and es.json have exactly the same keys', () => {
  const { en, es } = dictionaries();
  assert.deepEqual(Object.keys(es).sort(), Object.keys(en).sort());
});

test('no value is empty, and each holds the same placeholders in both languages', () => {
  const { en, es } = dictionaries();
  for (const [key, value] of Object.entries(en)) {
    assert.equal(typeof value, 'string', `en ${key}`);
    assert.equal(typeof es[key], 'string', `es ${key}`);
    assert.notEqual(value.trim(), '', `en ${key} is empty`);
    assert.notEqual(es[key].trim(), '', `es ${key} is empty`);
    assert.equal(value, value.trim(), `en ${key} has spaces at an end`);
    assert.equal(es[key], es[key].trim(), `es ${key} has spaces at an end`);
    assert.deepEqual(placeholders(es[key]), placeholders(value), `${key}: placeholders differ`);
  }
});

test('plural groups are complete', () => {
  const { en } = dictionaries();
  for (const key of Object.keys(en).filter((k) => PLURAL.test(k))) {
    const base = key.replace(PLURAL, '');
    assert.ok(`${base}.other` in en, `${base} has no .other form`);
    assert.ok(!(base in en), `${base} is both a string and a plural group`);
  }
});

/** Every string literal in the UI's code and markup that names a UI string. */
function usedKeys() {
  const { en } = dictionaries();
  const namespaces = new Set(Object.keys(en).map((key) => key.split('.')[0]));
  const used = new Map();
  for (const path of files(UI).filter((p) => /\.(js|html)$/.test(p))) {
    const text = readFileSync(path, 'utf8');
    for (const match of text.matchAll(/['"`]([a-z_]+(?:\.[a-z0-9_-]+)+)['"`]/g)) {
      const literal = match[1];
      if (/\.(js|json|html|css|svg|png)$/.test(literal)) continue;
      if (!namespaces.has(literal.split('.')[0])) continue;
      used.set(literal, relative(UI, path));
    }
  }
  return used;
}

test('every key the UI uses exists', () => {
  const { en } = dictionaries();
  const missing = [...usedKeys()].filter(([key]) => !(key in en) && !(`${key}.other` in en)).map(([key, file]) => `${key} (${file})`);
  assert.deepEqual(missing, []);
});

test('every key is used by the UI', () => {
  const { en } = dictionaries();
  const used = usedKeys();
  const unused = Object.keys(en).filter((key) => !used.has(key) && !used.has(key.replace(PLURAL, '')));
  assert.deepEqual(unused, []);
});
