// @ts-check
/**
 * notes.html: the neutral page after a quick exit. The only thing it takes from the
 * app is the language of two words, passed in the URL.
 */
import { renderNeutral } from './neutral.js';

const lang = new URLSearchParams(location.search).get('hl') === 'es' ? 'es' : 'en';

async function strings() {
  try {
    const response = await fetch(new URL(`../i18n/${lang}.json`, import.meta.url));
    const dictionary = await response.json();
    return { title: dictionary['neutral.title'], noteLabel: dictionary['neutral.note_label'], lang };
  } catch {
    return null;
  }
}

strings().then((found) => {
  if (found && found.title) renderNeutral(document, found);
});
