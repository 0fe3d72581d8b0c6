// @ts-check
/**
 * The one door to the engine. Inside the Tauri app every command goes through the
 * `call` Tauri command (and `sync` through the shell's `sync` command); in a browser
 * (`csec preview`, the web edition) through `POST /api/<name>`. Both answer the same
 * JSON, so screens never know which it is.
 */
import { tauri } from './tauri.js';

/** An engine refusal or an unreachable engine, with a message a person can read. */
export class ApiError extends Error {
  /**
   * @param {string} message as the engine wrote it (English)
   * @param {{ status?: number, kind?: string, offline?: boolean }} [details]
   */
  constructor(message, details = {}) {
    super(message);
    this.name = 'ApiError';
    /** HTTP status in a browser; 0 inside the app or when nothing answered. */
    this.status = details.status ?? 0;
    /** A stable error kind when the engine gives one (sync errors do). */
    this.kind = details.kind ?? '';
    /** True when the request never reached the engine (browser offline, server gone). */
    this.offline = details.offline ?? false;
  }

  /** True when the engine said the thing asked for does not exist. */
  get notFound() {
    return this.status === 404 || /not found/i.test(this.message);
  }
}

/**
 * Runs one engine command.
 * @param {string} name a command from COMMANDS in crates/engine/src/commands.rs
 * @param {Record<string, unknown>} [args]
 * @param {{ keepalive?: boolean }} [options] keepalive lets the request outlive the
 *   page (quick exit navigates away right after asking the engine to forget).
 * @returns {Promise<any>} the command's JSON result
 */
export async function call(name, args, options = {}) {
  const app = tauri();
  if (app) {
    try {
      // The shell runs updates through its own `sync` command (so it can send
      // progress events); every other command goes through `call`.
      if (name === 'sync') return await app.core.invoke('sync', { connection: connection() });
      return await app.core.invoke('call', { name, args: args ?? {} });
    } catch (error) {
      // The shell rejects with the engine's message; it may also send the
      // `{"error", "kind"}` object that `csec preview` answers with.
      if (error && typeof error === 'object') {
        const { error: text, message, kind } = /** @type {{ error?: unknown, message?: unknown, kind?: unknown }} */ (error);
        const said = typeof text === 'string' ? text : typeof message === 'string' ? message : JSON.stringify(error);
        throw new ApiError(said, { kind: typeof kind === 'string' ? kind : '' });
      }
      throw new ApiError(String(error));
    }
  }
  let response;
  try {
    response = await fetch('/api/' + encodeURIComponent(name), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(name === 'sync' ? { connection: connection(), ...args } : (args ?? {})),
      keepalive: options.keepalive ?? false,
    });
  } catch {
    // fetch only throws when nothing answered at all.
    markServed('kept');
    throw new ApiError('The library could not be reached.', { offline: true });
  }
  // The web edition's service worker marks answers from its offline copy.
  markServed(response.headers.get('x-csec-kept') ? 'kept' : 'live');
  /** @type {any} */
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (response.ok) return body;
  const message = body && typeof body.error === 'string' ? body.error : response.statusText;
  throw new ApiError(message, {
    status: response.status,
    kind: body && typeof body.kind === 'string' ? body.kind : '',
    offline: Boolean(body && body.offline),
  });
}

/**
 * What the platform says of the network, for the `attachments` setting: "unmetered"
 * (Wi-Fi, wired), "metered" (mobile data, or data saver on) or "unknown" (WebKit and
 * desktop browsers do not say, and then attachments wait until they are opened).
 * @returns {'unmetered' | 'metered' | 'unknown'}
 */
export function connection() {
  const info = /** @type {{ connection?: { type?: string, saveData?: boolean } }} */ (/** @type {unknown} */ (navigator)).connection;
  if (!info) return 'unknown';
  if (info.saveData || info.type === 'cellular') return 'metered';
  if (info.type === 'wifi' || info.type === 'ethernet') return 'unmetered';
  return 'unknown';
}

/**
 * Records on <html data-served> whether the last answer came from the engine ("live")
 * or from the offline copy ("kept"), which the offline badge follows: a browser can
 * believe it is online while nothing gets through.
 * @param {'live' | 'kept'} how
 */
function markServed(how) {
  document.documentElement.dataset.served = how;
}
