// @ts-check
/**
 * Every string the UI shows comes from i18n/<lang>.json. Elements carry their key in
 * `data-i18n` (text), `data-i18n-label` (aria-label) or `data-i18n-placeholder`, with
 * arguments in `data-i18n-args`, so a language switch re-translates the page in place
 * without re-rendering it (focus and scroll stay where they are).
 *
 * Content (item titles, bodies, county names) is English only and is never looked up.
 */

/** @typedef {'en' | 'es'} Language */
/** @typedef {Record<string, string | number>} Args */

/** @type {readonly Language[]} */
export const LANGUAGES = ['en', 'es'];

/** @type {Map<Language, Record<string, string>>} */
const dictionaries = new Map();
/** @type {Language} */
let current = 'en';
/** @type {Set<(language: Language) => void>} */
const listeners = new Set();

/**
 * The language a setting stands for: `system` follows the device's first preferred
 * language when it is Spanish, else English.
 * @param {string} setting `system`, `en` or `es`
 * @returns {Language}
 */
export function resolveLanguage(setting) {
  if (setting === 'en' || setting === 'es') return setting;
  const preferred = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
  for (const tag of preferred) {
    const base = (tag || '').toLowerCase().split('-')[0];
    if (base === 'es') return 'es';
    if (base === 'en') return 'en';
  }
  return 'en';
}

/** @param {Language} language */
async function load(language) {
  const cached = dictionaries.get(language);
  if (cached) return cached;
  const url = new URL(`../i18n/${language}.json`, import.meta.url);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`i18n/${language}.json: ${response.status}`);
  /** @type {Record<string, string>} */
  const dictionary = await response.json();
  dictionaries.set(language, dictionary);
  return dictionary;
}

/**
 * Loads a language and makes it current: the document's `lang`, every marked element
 * and the window title follow.
 * @param {Language} language
 */
export async function setLanguage(language) {
  await load(language);
  // English fills any gap, so a missing Spanish string shows English rather than a key.
  if (language !== 'en') await load('en');
  current = language;
  document.documentElement.lang = language;
  applyI18n(document.documentElement);
  for (const listener of listeners) listener(language);
}

/** @returns {Language} */
export function language() {
  return current;
}

/** @param {(language: Language) => void} listener */
export function onLanguageChange(listener) {
  listeners.add(listener);
}

/** BCP 47 locale for Intl formatting: US English, or Spanish as used in the US. */
export function locale() {
  return current === 'es' ? 'es-US' : 'en-US';
}

/**
 * Looks up a string. With a numeric `count` argument, `key.one` / `key.other` (CLDR
 * plural categories of the current language) are tried first.
 * @param {string} key
 * @param {Args} [args]
 */
export function t(key, args) {
  const dictionary = dictionaries.get(current) ?? {};
  const english = dictionaries.get('en') ?? {};
  let text;
  if (args && typeof args.count === 'number') {
    const category = new Intl.PluralRules(locale()).select(args.count);
    text = dictionary[`${key}.${category}`] ?? dictionary[`${key}.other`] ?? english[`${key}.${category}`] ?? english[`${key}.other`];
  }
  text ??= dictionary[key] ?? english[key];
  if (text === undefined) {
    console.warn(`missing UI string: ${key}`);
    return key;
  }
  return args ? interpolate(text, args) : text;
}

/**
 * @param {string} text with `{name}` placeholders
 * @param {Args} args
 */
function interpolate(text, args) {
  return text.replace(/\{(\w+)\}/g, (whole, name) => {
    const value = args[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? value.toLocaleString(locale()) : value;
  });
}

/**
 * Marks an element as showing the UI string `key` and fills it in.
 * @param {HTMLElement} element
 * @param {string} key
 * @param {Args} [args]
 */
export function translate(element, key, args) {
  element.dataset.i18n = key;
  if (args) element.dataset.i18nArgs = JSON.stringify(args);
  else delete element.dataset.i18nArgs;
  element.textContent = t(key, args);
}

/**
 * Re-translates every marked element under `root`.
 * @param {ParentNode} root
 */
export function applyI18n(root) {
  /** @param {HTMLElement} element */
  const argsOf = (element) => (element.dataset.i18nArgs ? JSON.parse(element.dataset.i18nArgs) : undefined);
  for (const element of root.querySelectorAll('[data-i18n]')) {
    const el = /** @type {HTMLElement} */ (element);
    el.textContent = t(el.dataset.i18n ?? '', argsOf(el));
  }
  for (const element of root.querySelectorAll('[data-i18n-label]')) {
    const el = /** @type {HTMLElement} */ (element);
    el.setAttribute('aria-label', t(el.dataset.i18nLabel ?? '', argsOf(el)));
  }
  for (const element of root.querySelectorAll('[data-i18n-placeholder]')) {
    const el = /** @type {HTMLElement} */ (element);
    el.setAttribute('placeholder', t(el.dataset.i18nPlaceholder ?? ''));
  }
  for (const listener of reformatters) listener(root);
}

/** Things that are not strings but still follow the language (dates). */
/** @type {Set<(root: ParentNode) => void>} */
const reformatters = new Set();

/** @param {(root: ParentNode) => void} reformat */
export function onApply(reformat) {
  reformatters.add(reformat);
}
