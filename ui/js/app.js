// @ts-check
/**
 * Starts the app: quick exit first (it must work even if nothing else loads), then
 * settings and language, then the screens.
 */
import { installQuickExit } from './quick-exit.js';
import { installLinkHandling } from './links.js';
import { loadSettings } from './settings.js';
import { refresh, startRouter, updateTitle } from './router.js';
import { announce } from './announce.js';
import { tauri } from './tauri.js';
import { language, onLanguageChange } from './i18n.js';
import { enableOfflineCopy } from './offline.js';
import { guarded } from './screens/common.js';
import * as home from './screens/home.js';
import * as item from './screens/item.js';
import * as lists from './screens/lists.js';
import * as counties from './screens/counties.js';
import * as county from './screens/county.js';
import * as bookmarks from './screens/bookmarks.js';
import * as settings from './screens/settings.js';
import * as about from './screens/about.js';
import * as more from './screens/more.js';
import * as notFound from './screens/not-found.js';

const quickExitButton = document.getElementById('quick-exit');
if (quickExitButton) installQuickExit(quickExitButton);
installLinkHandling();

/** @type {Record<string, import('./router.js').Screen>} */
const SCREENS = {
  home: home.render,
  search: home.render,
  item: item.render,
  timeline: lists.renderTimeline,
  guidance: lists.renderGuidance,
  reports: lists.renderReports,
  guides: lists.renderGuides,
  counties: counties.render,
  county: county.render,
  bookmarks: bookmarks.render,
  settings: settings.render,
  about: about.render,
  more: more.render,
};

/** Marks the section of the current screen in the navigation. */
const SECTION_OF = /** @type {Record<string, string>} */ ({ search: 'home', county: 'counties' });
/** Screens reached through More on a phone: More is marked too (only one of the two shows). */
const UNDER_MORE = new Set(['timeline', 'reports', 'settings', 'about']);

/** @param {import('./router.js').Route} route */
function markCurrentSection(route) {
  const section = SECTION_OF[route.name] ?? route.name;
  for (const link of document.querySelectorAll('[data-nav]')) {
    const anchor = /** @type {HTMLElement} */ (link);
    const current = anchor.dataset.nav === section || (anchor.dataset.nav === 'more' && UNDER_MORE.has(section));
    if (current) anchor.setAttribute('aria-current', 'page');
    else anchor.removeAttribute('aria-current');
  }
}

/**
 * The app syncs by itself at launch when the settings say so. When that brings new
 * content, say so, and redraw home (its counts and dates changed); other screens keep
 * what the person is reading.
 */
function watchBackgroundSync() {
  const events = tauri()?.event;
  if (!events) return;
  void events
    .listen('sync-finished', (event) => {
      const finished = /** @type {{ ok?: boolean, kind?: string }} */ (event.payload ?? {});
      if (!finished.ok || finished.kind !== 'updated' || settings.manualSyncRunning()) return;
      announce('sync.background_updated');
      if (document.getElementById('main')?.dataset.screen === 'home') void refresh();
    })
    .catch(() => undefined);
}

function watchConnection() {
  const root = document.documentElement;
  const update = () => {
    root.dataset.online = navigator.onLine ? 'true' : 'false';
  };
  update();
  window.addEventListener('online', update);
  window.addEventListener('offline', update);
}

async function start() {
  watchConnection();
  watchBackgroundSync();
  await loadSettings();
  // Content follows the language too (a guide has a Spanish version): redraw.
  let shownLanguage = language();
  onLanguageChange((next) => {
    updateTitle();
    // Settings, where the language is chosen, stays as it is (and keeps focus).
    const screen = document.getElementById('main')?.dataset.screen;
    if (next !== shownLanguage && screen !== 'settings') void refresh();
    shownLanguage = next;
  });
  const main = /** @type {HTMLElement} */ (document.getElementById('main'));
  await startRouter({
    main,
    pick: (route) => guarded(SCREENS[route.name] ?? notFound.render),
    afterRender: markCurrentSection,
  });
  document.documentElement.dataset.ready = 'true';
  void enableOfflineCopy();
}

// boot.js is already replacing this page with the neutral one (Back after a quick
// exit): draw nothing and ask the engine nothing (opening an item would record a view).
if (!document.documentElement.dataset.leaving) void start();
