// @ts-check
/**
 * The hash router: `#/`, `#/search?q=`, `#/item/<kind>/<slug>?h=<heading>`,
 * `#/timeline`, `#/guidance`, `#/reports`, `#/counties`, `#/county/<slug>`,
 * `#/bookmarks`, `#/settings`, `#/about`.
 *
 * A screen renders into a detached element, which replaces the old screen in one step
 * (no half-drawn screens); then focus goes to the new screen's `<h1 tabindex="-1">`,
 * so keyboard and screen-reader users land where sighted users look.
 */
import { focusElement } from './dom.js';
import { hasExited } from './quick-exit.js';
import { scrollToAnchor } from './links.js';
import { t, translate } from './i18n.js';

/**
 * @typedef {object} Route
 * @property {string} name first path segment, `home` for `#/`
 * @property {string[]} path the segments after the name
 * @property {URLSearchParams} params
 */

/**
 * Renders a screen into `view`; may return a function that undoes its side effects
 * (event listeners) when the screen is left.
 * @typedef {(view: HTMLElement, route: Route) => Promise<void | (() => void)>} Screen
 */

/** Show a loading line only when a screen is slower than this. */
const LOADING_AFTER_MS = 250;

/**
 * @param {string} hash
 * @returns {Route}
 */
export function parseRoute(hash) {
  const text = hash.replace(/^#\/?/, '');
  const [pathText, query = ''] = text.split('?', 2);
  const segments = pathText.split('/').filter(Boolean).map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  });
  return { name: segments[0] ?? 'home', path: segments.slice(1), params: new URLSearchParams(query) };
}

/** @type {HTMLElement | null} */
let main = null;
/** @type {(route: Route) => Screen} */
let pick = () => async () => {};
/** @type {((route: Route) => void) | null} */
let afterRender = null;
let generation = 0;
let lastHref = '';
/** @type {(() => void) | void} */
let cleanup;
/** The item id on screen, so `?h=` links within it only scroll. */
let shownKey = '';

/**
 * Where the reader was on each screen, kept in its history entry: Back returns to the
 * same place in a long list, while a newly opened screen starts at the top. Saved a
 * moment after scrolling stops, and at once when a link is followed.
 */
function rememberScrollPositions() {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const save = () => {
    clearTimeout(timer);
    if (location.href !== lastHref) return;
    history.replaceState({ ...(history.state ?? {}), scroll: Math.round(window.scrollY) }, '');
  };
  window.addEventListener('scroll', () => {
    clearTimeout(timer);
    timer = setTimeout(save, 150);
  }, { passive: true });
  document.addEventListener('click', save, true);
}

/** @returns {number | null} the position saved in the current history entry */
function savedScroll() {
  const scroll = history.state?.scroll;
  return typeof scroll === 'number' ? scroll : null;
}

/**
 * @param {{ main: HTMLElement, pick: (route: Route) => Screen, afterRender?: (route: Route) => void }} options
 */
export function startRouter(options) {
  main = options.main;
  pick = options.pick;
  afterRender = options.afterRender ?? null;
  // The router restores positions itself, after the screen is rendered.
  history.scrollRestoration = 'manual';
  rememberScrollPositions();
  const onChange = () => {
    if (location.href === lastHref) return;
    const hash = location.hash;
    // A plain `#anchor` that reached the address bar is an in-page jump, not a route.
    if (hash && !hash.startsWith('#/')) {
      scrollToAnchor(decodeURIComponent(hash.slice(1)));
      return;
    }
    void render({ focus: true });
  };
  window.addEventListener('hashchange', onChange);
  window.addEventListener('popstate', onChange);
  return render({ focus: false });
}

/**
 * Re-renders the current screen (after data changed underneath it).
 * @param {{ focus?: boolean }} [options]
 */
export function refresh(options = {}) {
  return render({ focus: options.focus ?? false, force: true });
}

/**
 * Changes the address without rendering: for state a screen already shows (the search
 * query as it is typed, list filters). `push` adds a history entry so Back undoes it.
 * @param {string} href like `#/search?q=acl`
 * @param {{ push?: boolean }} [options]
 */
export function setRouteQuietly(href, options = {}) {
  if (options.push) history.pushState(null, '', href);
  else history.replaceState(null, '', href);
  lastHref = location.href;
}

/** @param {string} href */
export function navigate(href) {
  location.hash = href.replace(/^#/, '');
}

/** @param {Route} route */
function screenKey(route) {
  return [route.name, ...route.path].join('/');
}

/**
 * @param {{ focus: boolean, force?: boolean }} options
 */
async function render(options) {
  if (!main || hasExited()) return;
  const target = main;
  lastHref = location.href;
  // Read before anything is awaited: while the screen loads, the old one (or the
  // loading line) is shorter, the browser clamps the scroll, and the debounced save
  // would record that clamped position in this entry.
  const restoreScroll = savedScroll();
  const route = parseRoute(location.hash);
  const key = screenKey(route);
  const heading = route.params.get('h');
  if (!options.force && heading && key === shownKey && route.name === 'item') {
    scrollToAnchor(heading);
    return;
  }
  const mine = ++generation;
  const view = document.createElement('div');
  view.className = 'screen';
  const slow = setTimeout(() => {
    if (mine !== generation) return;
    const loading = document.createElement('p');
    loading.className = 'loading';
    loading.setAttribute('role', 'status');
    translate(loading, 'common.loading');
    target.setAttribute('aria-busy', 'true');
    target.replaceChildren(loading);
  }, LOADING_AFTER_MS);
  /** @type {(() => void) | void} */
  let nextCleanup;
  try {
    nextCleanup = await pick(route)(view, route);
  } finally {
    clearTimeout(slow);
  }
  if (mine !== generation || hasExited()) {
    if (nextCleanup) nextCleanup();
    return;
  }
  if (cleanup) cleanup();
  cleanup = nextCleanup;
  target.replaceChildren(view);
  target.removeAttribute('aria-busy');
  // Which screen is showing, for styling hooks and for tests to wait on.
  target.dataset.screen = route.name;
  shownKey = key;
  updateTitle();
  if (afterRender) afterRender(route);
  if (heading && document.getElementById(heading)) {
    scrollToAnchor(heading);
  } else if (options.focus) {
    window.scrollTo(0, restoreScroll ?? 0);
    focusElement(/** @type {HTMLElement | null} */ (view.querySelector('h1')));
  }
}

/** The window title names the screen, then the app. */
export function updateTitle() {
  const heading = main?.querySelector('h1');
  const name = t('app.name');
  const screen = heading?.textContent?.trim();
  document.title = screen && screen !== name ? `${screen} · ${name}` : name;
}
