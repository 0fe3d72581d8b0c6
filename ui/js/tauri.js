// @ts-check
/**
 * The few parts of Tauri's global API the UI uses (`withGlobalTauri` is on in the app).
 * In a browser `window.__TAURI__` does not exist and every helper here says so.
 */

/**
 * @typedef {object} TauriGlobal
 * @property {{ invoke(command: string, args?: Record<string, unknown>): Promise<unknown> }} core
 * @property {{ listen(event: string, handler: (event: { payload: unknown }) => void): Promise<() => void> }} [event]
 * @property {{ openUrl(url: string): Promise<void> }} [opener]
 */

/** @returns {TauriGlobal | null} */
export function tauri() {
  const global = /** @type {{ __TAURI__?: TauriGlobal }} */ (/** @type {unknown} */ (window)).__TAURI__;
  return global && global.core ? global : null;
}

/** True inside the desktop or mobile app, false in a browser. */
export function inApp() {
  return tauri() !== null;
}
