// @ts-check
/**
 * "Add to contacts": a vCard 3.0 file (RFC 2426), the version every phone's contacts
 * app imports, offered as a download from a Blob URL (no server involved).
 */
import { dialable } from './format.js';

/**
 * Escapes a text value (RFC 2426 section 4: backslash, comma, semicolon, newline).
 * @param {string} value
 */
function escapeValue(value) {
  return value.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/;/g, '\\;').replace(/\r?\n/g, '\\n');
}

/**
 * Folds a line at 75 octets, continuing with a space (RFC 2425 5.8.1), without
 * splitting a UTF-8 character.
 * @param {string} line
 */
function fold(line) {
  const encoder = new TextEncoder();
  const out = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    const limit = out.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

/** @type {Record<string, string>} */
const TEL_TYPE = {
  voice: 'WORK,VOICE',
  text: 'WORK,MSG',
  fax: 'WORK,FAX',
  hotline: 'WORK,VOICE,PREF',
  'after-hours': 'VOICE',
};

/**
 * @param {import('./types.js').Contact} contact
 * @param {{ note?: string }} [extra]
 * @returns {string} the vCard, CRLF line endings
 */
export function toVcard(contact, extra = {}) {
  const lines = ['BEGIN:VCARD', 'VERSION:3.0', `FN:${escapeValue(contact.name)}`, `N:${escapeValue(contact.name)};;;;`, `ORG:${escapeValue(contact.name)}`];
  for (const phone of contact.phones ?? []) {
    const extension = phone.extension ? `;ext=${phone.extension.replace(/\D/g, '')}` : '';
    lines.push(`TEL;TYPE=${TEL_TYPE[phone.type] ?? 'VOICE'}:${dialable(phone.number)}${extension}`);
  }
  if (contact.email) lines.push(`EMAIL;TYPE=INTERNET,WORK:${escapeValue(contact.email)}`);
  if (contact.address) lines.push(`ADR;TYPE=WORK:;;${escapeValue(contact.address)};;;;`);
  if (contact.website) lines.push(`URL:${contact.website}`);
  if (extra.note) lines.push(`NOTE:${escapeValue(extra.note)}`);
  lines.push('END:VCARD');
  return lines.map(fold).join('\r\n') + '\r\n';
}

/**
 * A file name from a contact's name: `fresno-county-probation-department.vcf`.
 * @param {string} name
 */
export function vcardFileName(name) {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${slug || 'contact'}.vcf`;
}

/**
 * Starts the download of a vCard.
 * @param {string} card
 * @param {string} fileName
 */
export function downloadVcard(card, fileName) {
  const url = URL.createObjectURL(new Blob([card], { type: 'text/vcard;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own reference by now; release ours a little later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
