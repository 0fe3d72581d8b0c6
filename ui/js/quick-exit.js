// @ts-check
/**
 * Quick exit: one tap (the button in the header) or Shift pressed three times within
 * a second. The neutral page replaces the whole document at once, before anything
 * else happens, because the person may have only a moment. Then, out of sight:
 * recently viewed is cleared in the engine, this tab's sessionStorage is cleared, the
 * offline copy is deleted, and the page is replaced (location.replace) by notes.html
 * so that Back does not return to the screen that was showing. boot.js sends any
 * later Back into the app to the neutral page as well.
 *
 * What it cannot do is said plainly in About: it does not erase the browser's or the
 * system's history outside the app, the app switcher's snapshot, someone's memory of
 * what they saw, or the fact that the app is installed.
 */
import { call } from './api.js';
import { language, t } from './i18n.js';
import { renderNeutral } from './neutral.js';
import { forgetOfflineCopy } from './offline.js';

/** sessionStorage key boot.js looks for; holds no app data, only "left". */
const LEFT = 'csec.left';
/** The neutral page is already up; waiting longer for the engine only delays Back safety. */
const FORGET_DEADLINE_MS = 1500;
/** Shift presses that count as one gesture. */
const SHIFT_WINDOW_MS = 1000;

let exited = false;

/** True once quick exit has started: nothing may draw the app again. */
export function hasExited() {
  return exited;
}

export function quickExit() {
  if (exited) return;
  exited = true;
  const lang = language();
  renderNeutral(document, { title: t('neutral.title'), noteLabel: t('neutral.note_label'), lang });
  try {
    sessionStorage.clear();
    sessionStorage.setItem(LEFT, '1');
  } catch {
    // Storage unavailable: the engine's history is still cleared below.
  }
  const forgetting = Promise.allSettled([call('quick_exit', {}, { keepalive: true }), forgetOfflineCopy()]);
  const deadline = new Promise((resolve) => setTimeout(resolve, FORGET_DEADLINE_MS));
  Promise.race([forgetting, deadline]).then(() => location.replace(`notes.html?hl=${lang}`));
}

/**
 * Wires the button and the keyboard shortcut. Any other key between Shift presses
 * resets the count, so typing capital letters never triggers it.
 * @param {HTMLElement} button
 */
export function installQuickExit(button) {
  button.addEventListener('click', quickExit);
  /** @type {number[]} */
  let presses = [];
  document.addEventListener(
    'keydown',
    (event) => {
      if (event.key !== 'Shift') {
        presses = [];
        return;
      }
      if (event.repeat) return;
      const now = event.timeStamp;
      presses = presses.filter((time) => now - time < SHIFT_WINDOW_MS);
      presses.push(now);
      if (presses.length >= 3) quickExit();
    },
    true,
  );
}
