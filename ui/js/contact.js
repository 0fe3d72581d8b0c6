// @ts-check
/**
 * A contact card: one organisation and every way to reach it, each one tap away:
 * call (tel:), text (sms:), email (mailto:), copy, and add to contacts (vCard).
 * Unverified contacts say so in words, not only colour, because a wrong number in a
 * crisis costs time a child may not have.
 */
import { h } from './dom.js';
import { t } from './i18n.js';
import { dateElement, PHONE_TYPE_LABEL, telHref, smsHref } from './format.js';
import { copyText } from './clipboard.js';
import { announce } from './announce.js';
import { toVcard, vcardFileName, downloadVcard } from './vcard.js';

/** Phone types one can call, and the ones worth offering a text message to. */
const CALLABLE = new Set(['voice', 'hotline', 'after-hours', 'tty']);
const TEXTABLE = new Set(['voice', 'text']);

/**
 * @param {import('./types.js').Contact} contact
 * @param {{ roleLabel?: string, headingLevel?: 'h2' | 'h3' | 'h4', compact?: boolean }} [options]
 *   roleLabel: UI string key of the MDT role, for copied text and the vCard note
 */
export function contactCard(contact, options = {}) {
  const heading = h(options.headingLevel ?? 'h3', { class: 'contact-name', text: contact.name });
  const card = h('article', { class: 'contact' + (contact.verified ? '' : ' unverified') }, heading);
  if (!contact.verified) {
    card.append(
      h(
        'div',
        { class: 'unverified-note' },
        h('p', { class: 'badge badge-unverified', i18n: 'contact.unverified' }),
        h('p', { class: 'unverified-explainer', i18n: 'contact.unverified_explainer' }),
      ),
    );
  }
  const ways = h('ul', { class: 'ways' });
  for (const phone of contact.phones ?? []) ways.append(phoneLine(contact, phone));
  if (contact.email) {
    ways.append(
      h(
        'li',
        { class: 'way' },
        h('span', { class: 'way-label', i18n: 'contact.email' }),
        h('span', { class: 'way-value', text: contact.email }),
        h(
          'span',
          { class: 'way-actions' },
          h('a', {
            class: 'button small',
            i18n: 'contact.send_email',
            label: 'contact.send_email_named',
            args: { name: contact.name },
            attrs: { href: `mailto:${contact.email}` },
          }),
        ),
      ),
    );
  }
  if (ways.childElementCount) card.append(ways);
  if (!options.compact) {
    const details = h('dl', { class: 'contact-details' });
    if (contact.address) details.append(h('dt', { i18n: 'contact.address' }), h('dd', { text: contact.address }));
    if (contact.hours) details.append(h('dt', { i18n: 'contact.hours' }), h('dd', { text: contact.hours }));
    if (contact.languages) details.append(h('dt', { i18n: 'contact.languages' }), h('dd', { text: contact.languages }));
    if (contact.website) {
      details.append(
        h('dt', { i18n: 'contact.website' }),
        h('dd', {}, h('a', { class: 'external', text: contact.website, attrs: { href: contact.website, target: '_blank', rel: 'noopener noreferrer' } })),
      );
    }
    if (contact.source) {
      // Some county pages are recorded only at a plain-http address. The link stays
      // (the reader can still check the number), but it says the page is not secure.
      const insecure = !contact.source.url.startsWith('https:');
      details.append(
        h('dt', { i18n: 'contact.source' }),
        h(
          'dd',
          {},
          h('a', { class: 'external', text: contact.source.title, attrs: { href: contact.source.url, target: '_blank', rel: 'noopener noreferrer' } }),
          insecure ? h('span', { class: 'insecure-source', i18n: 'contact.source_insecure' }) : null,
        ),
      );
    }
    if (contact.checked) details.append(h('dt', { i18n: 'contact.checked' }), h('dd', {}, dateElement(contact.checked)));
    if (details.childElementCount) card.append(details);
    card.append(
      h(
        'p',
        { class: 'actions' },
        h('button', {
          class: 'button secondary small',
          i18n: 'contact.copy',
          label: 'contact.copy_named',
          args: { name: contact.name },
          attrs: { type: 'button' },
          on: { click: () => copyContact(contact, options.roleLabel) },
        }),
        h('button', {
          class: 'button secondary small',
          i18n: 'contact.add_to_contacts',
          label: 'contact.add_to_contacts_named',
          args: { name: contact.name },
          attrs: { type: 'button' },
          on: { click: () => saveContact(contact, options.roleLabel) },
        }),
      ),
    );
  }
  return card;
}

/**
 * @param {import('./types.js').Contact} contact
 * @param {import('./types.js').Phone} phone
 */
function phoneLine(contact, phone) {
  const number = phone.extension ? `${phone.number} ${t('contact.extension', { extension: phone.extension })}` : phone.number;
  const actions = h('span', { class: 'way-actions' });
  const args = { name: contact.name, number: phone.number };
  if (CALLABLE.has(phone.type)) {
    actions.append(h('a', { class: 'button small call', i18n: 'contact.call', label: 'contact.call_named', args, attrs: { href: telHref(phone) } }));
  }
  if (TEXTABLE.has(phone.type)) {
    actions.append(
      h('a', {
        class: 'button small' + (phone.type === 'text' ? '' : ' secondary'),
        i18n: 'contact.text',
        label: 'contact.text_named',
        args,
        attrs: { href: smsHref(phone) },
      }),
    );
  }
  return h(
    'li',
    { class: 'way' },
    h('span', { class: 'way-label', i18n: PHONE_TYPE_LABEL[phone.type] ?? 'phone.voice' }),
    h('span', { class: 'way-value', text: number }),
    phone.hours ? h('span', { class: 'way-hours', text: phone.hours }) : null,
    actions,
  );
}

/**
 * The contact as plain text, labelled in the reader's language.
 * @param {import('./types.js').Contact} contact
 * @param {string} [roleLabel]
 */
export function contactText(contact, roleLabel) {
  const lines = [contact.name];
  if (roleLabel) lines.push(t(roleLabel));
  for (const phone of contact.phones ?? []) {
    const extension = phone.extension ? ` ${t('contact.extension', { extension: phone.extension })}` : '';
    const hours = phone.hours ? ` (${phone.hours})` : '';
    lines.push(`${t(PHONE_TYPE_LABEL[phone.type] ?? 'phone.voice')}: ${phone.number}${extension}${hours}`);
  }
  if (contact.email) lines.push(`${t('contact.email')}: ${contact.email}`);
  if (contact.address) lines.push(`${t('contact.address')}: ${contact.address}`);
  if (contact.hours) lines.push(`${t('contact.hours')}: ${contact.hours}`);
  if (contact.website) lines.push(`${t('contact.website')}: ${contact.website}`);
  if (!contact.verified) lines.push(t('contact.unverified_copy'));
  return lines.join('\n');
}

/**
 * @param {import('./types.js').Contact} contact
 * @param {string} [roleLabel]
 */
async function copyContact(contact, roleLabel) {
  const copied = await copyText(contactText(contact, roleLabel));
  announce(copied ? 'contact.copied' : 'contact.copy_failed');
}

/**
 * @param {import('./types.js').Contact} contact
 * @param {string} [roleLabel]
 */
function saveContact(contact, roleLabel) {
  const notes = [];
  if (roleLabel) notes.push(t(roleLabel));
  if (!contact.verified) notes.push(t('contact.unverified_copy'));
  downloadVcard(toVcard(contact, { note: notes.join('. ') }), vcardFileName(contact.name));
  announce('contact.vcard_ready');
}
