// Join tokens in the browser (docs/protocol.md "Join tokens"): where a page finds the token its
// link carries, and what to tell a person whose token the server refused. The token itself is
// opaque here: the server checks it.

/** Error codes of a refused token, in the words shown to the person holding the link. */
const MESSAGES = Object.freeze({
  'token-required': 'This meeting needs an invitation link — open the link you were sent.',
  'token-invalid': 'This link is not valid — ask for a new one.',
  'token-expired': 'This link has expired — ask for a new one.',
  'token-not-yet-valid': 'This link is not valid yet — try again later, or check your device’s clock.',
  'token-room-mismatch': 'This link is for another room — open the link you were sent.',
  forbidden: 'Your link does not allow this — ask for a new one.',
});

/**
 * The join token in a page address: `?token=…`, or `#token=…` (a fragment never reaches server
 * logs). Undefined when there is none, so it can go straight into `join({ token })`.
 *
 * A token found in the query string is taken out of the address bar (history.replaceState), so it
 * does not stay in the browser's history or get copied along with the address, and kept for this
 * tab (sessionStorage) so that a reload still joins.
 */
export function tokenFromPage(location = globalThis.location, { history = globalThis.history, storage = sessionStore() } = {}) {
  const params = new URLSearchParams(location.search ?? '');
  const fromQuery = params.get('token');
  const key = `parley.token:${location.pathname ?? ''}`;
  if (fromQuery) {
    try { storage?.setItem(key, fromQuery); } catch { /* storage full or denied: a reload then needs the link again */ }
    if (history?.replaceState) {
      params.delete('token');
      const query = params.toString();
      history.replaceState(history.state, '', `${location.pathname ?? ''}${query ? `?${query}` : ''}${location.hash ?? ''}`);
    }
    return fromQuery;
  }
  const hash = (location.hash ?? '').replace(/^#/, '');
  const fromHash = hash.includes('token=') ? new URLSearchParams(hash).get('token') : null;
  if (fromHash) return fromHash;
  try { return storage?.getItem(key) || undefined; } catch { return undefined; }
}

function sessionStore() {
  try { return globalThis.sessionStorage; } catch { return undefined; } // opaque origins throw
}

/** True if the error is the server refusing a join token (or its grant). */
export function isTokenError(error) {
  return Object.hasOwn(MESSAGES, error?.code ?? '');
}

/** What to show for a refused token, or null if `error` is something else. */
export function describeTokenError(error) {
  return isTokenError(error) ? MESSAGES[error.code] : null;
}
