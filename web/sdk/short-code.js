// Share codes: the signaling room id a sender creates, short enough to type on a phone.
// Crockford base32 (no I, L, O, U), 10 symbols = 50 random bits, shown as XXXXX-XXXXX.

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newShortCode(random = (n) => crypto.getRandomValues(new Uint8Array(n))) {
  const bytes = random(10);
  let code = '';
  for (const b of bytes) code += ALPHABET[b & 31];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** A typed code, normalised (case, spaces, look-alike letters), or null if it cannot be one. */
export function normalizeShortCode(typed) {
  const cleaned = String(typed ?? '').toUpperCase().replace(/[\s-]+/g, '')
    .replace(/O/g, '0').replace(/[IL]/g, '1');
  if (cleaned.length !== 10 || [...cleaned].some((c) => !ALPHABET.includes(c))) return null;
  return `${cleaned.slice(0, 5)}-${cleaned.slice(5)}`;
}
