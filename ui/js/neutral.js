// @ts-check
/**
 * The neutral page quick exit leaves on screen: an empty "Notes" page with nothing
 * that hints at the app (no app name, colours or icon). Used twice: drawn in place the
 * instant quick exit starts, and as notes.html, which the app navigates to after.
 */

/**
 * Replaces the whole document with the neutral page.
 * @param {Document} doc
 * @param {{ title: string, noteLabel: string, lang: string }} strings
 */
export function renderNeutral(doc, strings) {
  const root = doc.documentElement;
  for (const name of [...root.getAttributeNames()]) root.removeAttribute(name);
  root.lang = strings.lang;
  const head = doc.createElement('head');
  const charset = doc.createElement('meta');
  charset.setAttribute('charset', 'utf-8');
  const viewport = doc.createElement('meta');
  viewport.name = 'viewport';
  viewport.content = 'width=device-width, initial-scale=1';
  const title = doc.createElement('title');
  title.textContent = strings.title;
  const style = doc.createElement('link');
  style.rel = 'stylesheet';
  style.href = new URL('../css/notes.css', import.meta.url).href;
  const icon = doc.createElement('link');
  icon.rel = 'icon';
  icon.href = 'data:,';
  head.append(charset, viewport, title, style, icon);

  const body = doc.createElement('body');
  const main = doc.createElement('main');
  const heading = doc.createElement('h1');
  heading.textContent = strings.title;
  const note = doc.createElement('textarea');
  note.setAttribute('aria-label', strings.noteLabel);
  note.rows = 12;
  main.append(heading, note);
  body.append(main);
  root.replaceChildren(head, body);
}
