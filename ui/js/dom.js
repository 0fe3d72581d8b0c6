// @ts-check
/**
 * A small element builder. Text enters the page in exactly two ways, both with
 * textContent: a UI string by key (`i18n`), or content from the engine (`text`), which
 * is marked `data-content` and `lang="en"` (the content is written in English, so a
 * screen reader reading the Spanish UI pronounces it right). Children are nodes only,
 * so no literal text can slip in untranslated.
 */
import { translate, t } from './i18n.js';

/**
 * @typedef {object} Props
 * @property {string} [class]
 * @property {string} [i18n] key of the UI string to show
 * @property {import('./i18n.js').Args} [args] its arguments
 * @property {string} [label] key of the UI string for aria-label
 * @property {string} [placeholder] key of the UI string for the placeholder
 * @property {string | null} [text] content text (English, from the engine)
 * @property {Record<string, string | number | boolean | null | undefined>} [attrs]
 * @property {Record<string, string>} [data]
 * @property {Record<string, (event: any) => void>} [on]
 */

/** @typedef {Node | null | undefined | false} Child */

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Props} [props]
 * @param {...(Child | Child[])} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  if (props.class) element.className = props.class;
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const [name, value] of Object.entries(props.data ?? {})) element.dataset[name] = value;
  for (const [name, listener] of Object.entries(props.on ?? {})) element.addEventListener(name, listener);
  if (props.i18n) translate(element, props.i18n, props.args);
  if (props.label) {
    element.dataset.i18nLabel = props.label;
    if (props.args && !props.i18n) element.dataset.i18nArgs = JSON.stringify(props.args);
    element.setAttribute('aria-label', t(props.label, props.args));
  }
  if (props.placeholder) {
    element.dataset.i18nPlaceholder = props.placeholder;
    element.setAttribute('placeholder', t(props.placeholder));
  }
  if (props.text !== undefined && props.text !== null) {
    element.textContent = props.text;
    markContent(element);
  }
  for (const child of children.flat()) {
    if (child) element.append(child);
  }
  return element;
}

/**
 * Marks an element as showing content rather than UI text: it keeps the language
 * it was published in when the UI's changes.
 * @param {HTMLElement} element
 */
export function markContent(element) {
  element.dataset.content = '';
  // Content is English unless the element already says otherwise (a translation).
  if (!element.hasAttribute('lang')) element.lang = 'en';
  return element;
}

/**
 * Puts HTML that the engine produced into an element. Only for fields the engine
 * sanitised (item bodies, through ammonia) or escaped (search snippets, whose only
 * tags are `<mark>`).
 * @param {HTMLElement} element
 * @param {string} html
 */
export function setEngineHtml(element, html) {
  element.innerHTML = html;
  markContent(element);
  return element;
}

/**
 * Moves focus to an element that is not normally focusable (headings, panels).
 * @param {HTMLElement | null} element
 */
export function focusElement(element) {
  if (!element) return;
  if (!element.hasAttribute('tabindex')) element.setAttribute('tabindex', '-1');
  element.focus({ preventScroll: true });
}

/** A unique id for label/aria wiring. */
let counter = 0;
/** @param {string} prefix */
export function uid(prefix) {
  counter += 1;
  return `ui-${prefix}-${counter}`;
}

/**
 * `parent.append` that skips the parts a screen left out (null, false).
 * @param {HTMLElement} parent
 * @param {...(Child | Child[])} children
 */
export function append(parent, ...children) {
  for (const child of children.flat()) {
    if (child) parent.append(child);
  }
  return parent;
}
