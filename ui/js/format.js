// @ts-check
/**
 * Dates and labels. Content dates keep their precision ("2016", "May 2015",
 * "May 23, 2016"): a year is never padded into a made-up day.
 */
import { locale, onApply } from './i18n.js';
import { h, markContent } from './dom.js';

/**
 * @param {string} value `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or an RFC 3339 timestamp
 * @returns {string} the date in the current language, or the value itself when it is
 *   not a date
 */
export function formatDate(value) {
  const match = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(value);
  if (!match) return value;
  const [, year, month, day] = match;
  if (!month) return year;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, day ? Number(day) : 1));
  /** @type {Intl.DateTimeFormatOptions} */
  const options = day
    ? { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }
    : { year: 'numeric', month: 'long', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(locale(), options).format(date);
}

/**
 * A moment (RFC 3339) with its time of day, in the reader's time zone.
 * @param {string} value
 */
export function formatDateTime(value) {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/**
 * A `<time>` element for a date; it re-formats itself when the language changes.
 * @param {string} value a content date, or an RFC 3339 moment
 * @param {{ time?: boolean }} [options] show the time of day too (sync times)
 */
export function dateElement(value, options = {}) {
  const element = h('time', { attrs: { datetime: options.time ? value : value.slice(0, 10) }, data: { date: value } });
  if (options.time) element.dataset.withTime = '';
  element.textContent = options.time ? formatDateTime(value) : formatDate(value);
  markContent(element);
  return element;
}

onApply((root) => {
  for (const element of root.querySelectorAll('[data-date]')) {
    const el = /** @type {HTMLElement} */ (element);
    const value = el.dataset.date ?? '';
    el.textContent = el.dataset.withTime !== undefined ? formatDateTime(value) : formatDate(value);
  }
});

/**
 * A file's size as people read it: "850 KB", "2.4 MB".
 * @param {number} bytes
 */
export function fileSize(bytes) {
  const [value, unit] = bytes >= 1e6 ? [bytes / 1e6, 'megabyte'] : [Math.max(1, Math.round(bytes / 1e3)), 'kilobyte'];
  return new Intl.NumberFormat(locale(), { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(value);
}

/** UI string keys for item kinds (singular, as a label on one item). */
export const KIND_LABEL = /** @type {Record<string, string>} */ ({
  timeline: 'kind.timeline',
  guidance: 'kind.guidance',
  report: 'kind.report',
  county: 'kind.county',
  resource: 'kind.resource',
  guide: 'kind.guide',
});

/** UI string keys for groups of search results. */
export const KIND_GROUP = /** @type {Record<string, string>} */ ({
  guidance: 'search.group.guidance',
  timeline: 'search.group.timeline',
  report: 'search.group.report',
  county: 'search.group.county',
  resource: 'search.group.resource',
  guide: 'search.group.guide',
});

export const STATUS_LABEL = /** @type {Record<string, string>} */ ({
  current: 'status.current',
  'partly-superseded': 'status.partly-superseded',
  superseded: 'status.superseded',
  rescinded: 'status.rescinded',
});

export const EVENT_TYPE_LABEL = /** @type {Record<string, string>} */ ({
  legislation: 'event_type.legislation',
  'federal-law': 'event_type.federal-law',
  guidance: 'event_type.guidance',
  report: 'event_type.report',
  program: 'event_type.program',
  event: 'event_type.event',
});

/** Multidisciplinary-team roles (WIC 16524.8), in the engine's order. */
export const ROLE_LABEL = /** @type {Record<string, string>} */ ({
  'child-welfare': 'role.child-welfare',
  probation: 'role.probation',
  'mental-health': 'role.mental-health',
  'public-health': 'role.public-health',
  'juvenile-court': 'role.juvenile-court',
  'county-office-of-education': 'role.county-office-of-education',
  sheriff: 'role.sheriff',
  'local-education-agency': 'role.local-education-agency',
  'law-enforcement': 'role.law-enforcement',
  'survivor-advocate': 'role.survivor-advocate',
  'community-provider': 'role.community-provider',
  other: 'role.other',
});

export const PHONE_TYPE_LABEL = /** @type {Record<string, string>} */ ({
  voice: 'phone.voice',
  text: 'phone.text',
  fax: 'phone.fax',
  hotline: 'phone.hotline',
  'after-hours': 'phone.after-hours',
  tty: 'phone.tty',
});

/** Who a practice guide is written for. */
export const AUDIENCE_LABEL = /** @type {Record<string, string>} */ ({
  'foster-parents': 'audience.foster-parents',
  'field-staff': 'audience.field-staff',
  advocates: 'audience.advocates',
});

export const PROGRAM_LABEL = /** @type {Record<string, string>} */ ({
  participating: 'program.participating',
  'not-participating': 'program.not-participating',
  unknown: 'program.unknown',
});

/**
 * The route of an item: counties have their own screen.
 * @param {string} id like `guidance/acl-16-49` or `counties/fresno`
 */
export function itemHref(id) {
  if (id.startsWith('counties/')) return `#/county/${id.slice('counties/'.length)}`;
  return `#/item/${id}`;
}

/**
 * Digits a dialer understands, in E.164 for North American numbers; short codes
 * (text lines like 233733) stay as they are.
 * @param {string} number as written, e.g. "(559) 555-0100" or "1-888-373-7888"
 */
export function dialable(number) {
  const digits = number.replace(/[^\d+]/g, '');
  const bare = digits.replace(/^\+/, '');
  if (digits.startsWith('+')) return digits;
  if (bare.length === 10) return `+1${bare}`;
  if (bare.length === 11 && bare.startsWith('1')) return `+${bare}`;
  return bare;
}

/**
 * A `tel:` URL. An extension is dialled after a pause (","), which the dialers on
 * Android and iOS both honour; RFC 3966's ";ext=" is ignored by several of them.
 * @param {import('./types.js').Phone} phone
 */
export function telHref(phone) {
  const extension = phone.extension ? `,${phone.extension.replace(/\D/g, '')}` : '';
  return `tel:${dialable(phone.number)}${extension}`;
}

/** @param {import('./types.js').Phone} phone */
export function smsHref(phone) {
  return `sms:${dialable(phone.number)}`;
}
