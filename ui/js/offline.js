// @ts-check
/**
 * The web edition's offline copy. In a browser the app talks to `csec preview` over
 * HTTP, so when the browser is offline (or the server has stopped) it would go blank.
 * A service worker (sw.js) keeps the app's files and the answers to the screens
 * already opened, so they still open. Inside the Tauri app none of this is needed: the
 * engine is in the same process and always there.
 */
import { inApp } from './tauri.js';

/** Must match API_CACHE in sw.js: the answers kept for offline use. */
export const API_CACHE = 'csec-api-v1';

/**
 * Registers the service worker in a browser, and marks the document
 * `data-offline-ready` once it controls the page (from then on, what is opened is kept).
 */
export async function enableOfflineCopy() {
  if (inApp() || !('serviceWorker' in navigator) || !window.isSecureContext) return;
  const root = document.documentElement;
  const markReady = () => {
    if (navigator.serviceWorker.controller) root.dataset.offlineReady = 'true';
  };
  navigator.serviceWorker.addEventListener('controllerchange', markReady);
  try {
    await navigator.serviceWorker.register(new URL('../sw.js', import.meta.url), { scope: new URL('../', import.meta.url).pathname });
    await navigator.serviceWorker.ready;
    markReady();
  } catch (error) {
    // Without it the app still works online; only the offline copy is missing.
    console.warn('offline copy unavailable', error);
  }
}

/** Deletes every kept answer (item pages, bookmarks, recently viewed). */
export async function forgetOfflineCopy() {
  if (!('caches' in window)) return;
  try {
    await caches.delete(API_CACHE);
  } catch {
    // Nothing stored, or storage is unavailable: nothing to forget.
  }
}
