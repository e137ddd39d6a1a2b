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
 */
export function tokenFromPage(location = globalThis.location) {
  const fromQuery = new URLSearchParams(location.search ?? '').get('token');
  if (fromQuery) return fromQuery;
  const hash = (location.hash ?? '').replace(/^#/, '');
  const fromHash = hash.includes('token=') ? new URLSearchParams(hash).get('token') : null;
  return fromHash || undefined;
}

/** True if the error is the server refusing a join token (or its grant). */
export function isTokenError(error) {
  return Object.hasOwn(MESSAGES, error?.code ?? '');
}

/** What to show for a refused token, or null if `error` is something else. */
export function describeTokenError(error) {
  return isTokenError(error) ? MESSAGES[error.code] : null;
}
