// @ts-check
/*
 * Runs before the page paints (a classic script in <head>, so it blocks):
 * 1. After a quick exit, going Back must not bring the app back into view. Quick exit
 *    leaves a flag in this tab's sessionStorage; if this page was reached through the
 *    history (Back/Forward, or restored from the back-forward cache) while the flag is
 *    set, it swaps itself for the neutral page before anything is drawn. Opening the
 *    app afresh clears the flag: that person came back on purpose.
 * 2. Applies the remembered theme, text size and language, so a dark-theme reader at
 *    night never sees a white flash while the settings load from the engine.
 */
(function () {
  var LEFT = 'csec.left';
  var DISPLAY = 'csec.display';

  function leave() {
    document.documentElement.hidden = true;
    document.documentElement.dataset.leaving = 'true';
    var lang = document.documentElement.lang === 'es' ? 'es' : 'en';
    location.replace('notes.html?hl=' + lang);
  }

  try {
    var saved = JSON.parse(localStorage.getItem(DISPLAY) || '{}');
    var root = document.documentElement;
    if (saved.theme === 'light' || saved.theme === 'dark') root.dataset.theme = saved.theme;
    if (/^(100|125|150|175|200)$/.test(saved.text_size || '')) root.dataset.textSize = saved.text_size;
    if (saved.lang === 'en' || saved.lang === 'es') root.lang = saved.lang;
  } catch (e) {
    // Nothing remembered yet: the system theme and 100 % apply until settings load.
  }

  try {
    if (sessionStorage.getItem(LEFT)) {
      var entries = performance.getEntriesByType('navigation');
      var entry = /** @type {PerformanceNavigationTiming | undefined} */ (entries[0]);
      if (entry && entry.type === 'back_forward') leave();
      else sessionStorage.removeItem(LEFT);
    }
  } catch (e) {
    // Storage can be unavailable (private modes); then there is nothing to guard.
  }

  window.addEventListener('pageshow', function (event) {
    try {
      if (event.persisted && sessionStorage.getItem(LEFT)) leave();
    } catch (e) {
      // As above.
    }
  });
})();
