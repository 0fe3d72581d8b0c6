// @ts-check
/**
 * One click handler for every link on the page:
 * - in-page anchors (`#fn-1`, the skip link's `#main`) scroll and move focus instead of
 *   being taken for a route by the hash router;
 * - inside the app, web links and tel:/sms:/mailto: links go to the system
 *   (plugin-opener), because the webview must never navigate away from the app;
 * - in a browser, web links open in a new tab (the links in item bodies carry no
 *   target: what a link is, is read from its href).
 */
import { tauri } from './tauri.js';
import { focusElement } from './dom.js';
import { announce } from './announce.js';

const OUTSIDE = /^(https?|tel|sms|mailto):/i;
const WEB = /^https?:/i;

export function installLinkHandling() {
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const target = /** @type {Element | null} */ (event.target instanceof Element ? event.target : null);
    const link = /** @type {HTMLAnchorElement | null} */ (target?.closest('a[href]') ?? null);
    if (!link) return;
    const href = link.getAttribute('href') ?? '';
    if (href.startsWith('#') && !href.startsWith('#/')) {
      event.preventDefault();
      scrollToAnchor(decodeURIComponent(href.slice(1)));
      return;
    }
    const app = tauri();
    if (app && app.opener && OUTSIDE.test(href)) {
      event.preventDefault();
      app.opener.openUrl(link.href).catch(() => announce('error.open_link'));
    } else if (WEB.test(href) && !link.target) {
      event.preventDefault();
      window.open(link.href, '_blank', 'noopener,noreferrer');
    }
  });
}

/**
 * Brings an element of the current page into view and focus. `main` means the
 * screen's heading (the skip link).
 * @param {string} id
 */
export function scrollToAnchor(id) {
  if (id === 'main') {
    const heading = /** @type {HTMLElement | null} */ (document.querySelector('#main h1'));
    focusElement(heading ?? document.getElementById('main'));
    return;
  }
  const element = document.getElementById(id);
  if (!element) return;
  element.scrollIntoView({ block: 'start' });
  focusElement(element);
}
