// @ts-check
/**
 * The web edition's offline copy (see js/offline.js). Only browsers load this; the
 * Tauri app never registers it.
 *
 * - App files: network first (the preview server is on this machine, so it is fast
 *   and always fresh), the kept copy when the network fails. All of them are kept at
 *   install, so every screen opens offline even if it was never opened online.
 * - Engine answers (`POST /api/<name>`): network first; the answers of read commands
 *   are kept under a GET key made of the command and its arguments, and served when
 *   the network fails. Writes that answer with the new state (bookmarks, settings)
 *   refresh the kept copy of that state. Search is not kept: every keystroke would
 *   be stored.
 */

/** @typedef {Event & { request: Request, respondWith(response: Promise<Response> | Response): void }} FetchEventLike */
/** @typedef {Event & { waitUntil(promise: Promise<unknown>): void }} ExtendableEventLike */

const worker = /** @type {EventTarget & { skipWaiting(): Promise<void>, clients: { claim(): Promise<void> }, registration: { scope: string } }} */ (
  /** @type {unknown} */ (self)
);

const SHELL_CACHE = 'csec-shell-v2';
/** Must match API_CACHE in js/offline.js (quick exit deletes it). */
const API_CACHE = 'csec-api-v1';

/** Every file of the UI; a test checks this list against ui/. */
const SHELL_FILES = [
  './',
  'index.html',
  'notes.html',
  'icon.svg',
  'icons.svg',
  'css/app.css',
  'css/notes.css',
  'i18n/en.json',
  'i18n/es.json',
  'js/announce.js',
  'js/api.js',
  'js/app.js',
  'js/boot.js',
  'js/clipboard.js',
  'js/contact.js',
  'js/dom.js',
  'js/format.js',
  'js/i18n.js',
  'js/links.js',
  'js/my-county.js',
  'js/neutral.js',
  'js/notes.js',
  'js/offline.js',
  'js/quick-exit.js',
  'js/router.js',
  'js/settings.js',
  'js/tauri.js',
  'js/types.js',
  'js/vcard.js',
  'js/screens/about.js',
  'js/screens/bookmarks.js',
  'js/screens/common.js',
  'js/screens/counties.js',
  'js/screens/county.js',
  'js/screens/home.js',
  'js/screens/item.js',
  'js/screens/lists.js',
  'js/screens/more.js',
  'js/screens/not-found.js',
  'js/screens/settings.js',
];

/** Commands whose answers are kept for offline reading. */
const KEPT = new Set(['home', 'list', 'item', 'counties', 'county', 'resources', 'bookmarks', 'recent', 'settings_get', 'sync_status']);
/** Writes whose answer is the new state of a kept read command. */
const ANSWERS_FOR = /** @type {Record<string, string>} */ ({
  bookmark_add: 'bookmarks',
  bookmark_remove: 'bookmarks',
  settings_set: 'settings_get',
});
/** Commands after which the kept recently-viewed list is wrong. */
const FORGETS_RECENT = new Set(['history_clear', 'quick_exit']);

worker.addEventListener('install', (event) => {
  const install = /** @type {ExtendableEventLike} */ (event);
  install.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll(SHELL_FILES))
      .then(() => worker.skipWaiting()),
  );
});

worker.addEventListener('activate', (event) => {
  const activate = /** @type {ExtendableEventLike} */ (event);
  activate.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith('csec-') && name !== SHELL_CACHE && name !== API_CACHE).map((name) => caches.delete(name))))
      .then(warm)
      .then(() => worker.clients.claim()),
  );
});

/**
 * Keeps the answers every screen but an item needs, so the lists, the counties and
 * the settings open offline even if they were never opened online. Items are not
 * fetched ahead: opening one records it in recently viewed. The arguments are written
 * exactly as the screens send them (the kept copy is found by them).
 */
async function warm() {
  /** @type {[string, Record<string, unknown>][]} */
  const reads = [
    ['counties', {}],
    ['bookmarks', {}],
    ['settings_get', {}],
    ['sync_status', {}],
  ];
  // The screens ask in the reader's language; keep both, a reader may switch.
  for (const lang of ['en', 'es']) {
    reads.push(['home', { lang }], ['resources', { lang }]);
    for (const kind of ['timeline', 'guidance', 'report', 'guide']) reads.push(['list', { kind, lang }]);
  }
  /**
   * @param {string} name
   * @param {Record<string, unknown>} args
   */
  const ask = async (name, args) => {
    const body = JSON.stringify(args);
    const response = await fetch(new URL(`api/${name}`, worker.registration.scope), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    if (response.ok) await remember(name, body, response.clone());
    return response;
  };
  try {
    await Promise.all(reads.map(([name, args]) => ask(name, args)));
    const counties = await (await caches.open(API_CACHE)).match(keyFor('counties', '{}'));
    /** @type {{ slug: string }[]} */
    const list = counties ? await counties.json() : [];
    await Promise.all(list.map((county) => ask('county', { name: county.slug })));
  } catch {
    // Offline while installing: the copy fills in as screens are opened.
  }
}

worker.addEventListener('fetch', (event) => {
  const fetchEvent = /** @type {FetchEventLike} */ (event);
  const url = new URL(fetchEvent.request.url);
  if (url.origin !== location.origin) return;
  const apiPrefix = new URL('api/', worker.registration.scope).pathname;
  if (url.pathname.startsWith(apiPrefix) && fetchEvent.request.method === 'POST') {
    fetchEvent.respondWith(engine(fetchEvent.request, url.pathname.slice(apiPrefix.length)));
  } else if (fetchEvent.request.method === 'GET') {
    fetchEvent.respondWith(shell(fetchEvent.request));
  }
});

/** @param {Request} request */
async function shell(request) {
  const cache = await caches.open(SHELL_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const kept = (await cache.match(request, { ignoreSearch: true })) ?? (request.mode === 'navigate' ? await cache.match('index.html') : undefined);
    if (kept) return kept;
    throw error;
  }
}

/**
 * @param {string} name
 * @param {string} body the JSON arguments as sent
 */
function keyFor(name, body) {
  return new URL(`api-kept/${encodeURIComponent(name)}?args=${encodeURIComponent(body || '{}')}`, worker.registration.scope).href;
}

/**
 * @param {Request} request
 * @param {string} name
 */
async function engine(request, name) {
  const body = await request.clone().text();
  try {
    const response = await fetch(request);
    if (response.ok) await remember(name, body, response.clone());
    return response;
  } catch {
    const kept = KEPT.has(name) ? await (await caches.open(API_CACHE)).match(keyFor(name, body)) : undefined;
    if (kept) {
      // Say that this answer is the kept copy, so the app can show that it is offline.
      const headers = new Headers(kept.headers);
      headers.set('x-csec-kept', '1');
      return new Response(kept.body, { status: kept.status, headers });
    }
    return new Response(JSON.stringify({ error: 'The library cannot be reached while offline.', offline: true }), {
      status: 503,
      headers: { 'content-type': 'application/json' },
    });
  }
}

/**
 * @param {string} name
 * @param {string} body
 * @param {Response} response
 */
async function remember(name, body, response) {
  const cache = await caches.open(API_CACHE);
  if (KEPT.has(name)) await cache.put(keyFor(name, body), response);
  else if (ANSWERS_FOR[name]) await cache.put(keyFor(ANSWERS_FOR[name], '{}'), response);
  else if (FORGETS_RECENT.has(name)) {
    const prefix = new URL(`api-kept/recent?`, worker.registration.scope).href;
    for (const request of await cache.keys()) {
      if (request.url.startsWith(prefix)) await cache.delete(request);
    }
  }
}
