// @ts-check
/**
 * The user's settings, kept by the engine. Display settings (theme, text size,
 * language) also go to localStorage so boot.js can apply them before the first paint.
 */
import { call } from './api.js';
import { resolveLanguage, setLanguage } from './i18n.js';

/** @typedef {import('./types.js').Settings} Settings */

/** @type {Settings} */
const DEFAULTS = {
  language: 'system',
  theme: 'system',
  text_size: '100',
  sync: 'always',
  attachments: 'auto',
  history: 'on',
  sync_source: '',
  county: '',
  county_prompt: 'ask',
};

/** @type {Settings} */
let settings = { ...DEFAULTS };

/** @returns {Settings} */
export function currentSettings() {
  return settings;
}

/** Loads the settings from the engine and applies them. Falls back to the defaults. */
export async function loadSettings() {
  try {
    settings = { ...DEFAULTS, ...(await call('settings_get')) };
  } catch {
    // The engine is unreachable; the screens will say so. Use what boot.js applied.
  }
  await applySettings();
}

/**
 * Stores one setting and applies the result.
 * @param {keyof Settings} key
 * @param {string} value
 */
export async function saveSetting(key, value) {
  settings = { ...DEFAULTS, ...(await call('settings_set', { key, value })) };
  await applySettings();
  return settings;
}

async function applySettings() {
  const root = document.documentElement;
  if (settings.theme === 'light' || settings.theme === 'dark') root.dataset.theme = settings.theme;
  else delete root.dataset.theme;
  root.dataset.textSize = settings.text_size;
  const lang = resolveLanguage(settings.language);
  try {
    localStorage.setItem('csec.display', JSON.stringify({ theme: settings.theme, text_size: settings.text_size, lang }));
  } catch {
    // Private mode: the display settings still apply, only a bit later next time.
  }
  await setLanguage(lang);
}

// "System" language follows the device when its language changes while the app runs.
window.addEventListener('languagechange', () => {
  if (settings.language === 'system') void setLanguage(resolveLanguage('system'));
});
