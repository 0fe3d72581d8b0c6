// @ts-check
/**
 * Short confirmations ("Copied", "Bookmark removed") in one visible toast that is also
 * a polite live region, so sighted and screen-reader users hear the same thing.
 */
import { translate } from './i18n.js';

/** How long a confirmation stays on screen. */
const SHOW_MS = 4000;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let timer;

/**
 * @param {string} key UI string
 * @param {import('./i18n.js').Args} [args]
 */
export function announce(key, args) {
  const toast = document.getElementById('toast');
  if (!toast) return;
  const message = document.createElement('p');
  translate(message, key, args);
  toast.replaceChildren(message);
  clearTimeout(timer);
  timer = setTimeout(() => toast.replaceChildren(), SHOW_MS);
}
