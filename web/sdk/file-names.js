// Names from a remote peer are untrusted: sanitise every path segment (no traversal, no
// separators, no control or reserved characters, no Windows device names) and make them unique.

const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f<>:"/\\|?*\u202a-\u202e\u2066-\u2069]/g;
const DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
const MAX_SEGMENT_BYTES = 200;

/** One safe file or folder name (never empty, never "." or "..", at most 200 UTF-8 bytes). */
export function sanitizeSegment(raw) {
  let name = String(raw ?? '').normalize('NFC').replace(FORBIDDEN, '_').replace(/^[\s.]+|[\s.]+$/g, '');
  if (DEVICE.test(name)) name = `_${name}`;
  name = truncateUtf8(name, MAX_SEGMENT_BYTES);
  return name.length ? name : 'file';
}

/** A relative path "a/b/c.txt" (either slash) made of safe segments; empty and dot segments dropped. */
export function sanitizePath(raw) {
  const segments = String(raw ?? '').split(/[/\\]+/)
    .filter((s) => s !== '' && s !== '.' && s !== '..')
    .map(sanitizeSegment);
  return segments.length ? segments.join('/') : 'file';
}

/** The last segment of a sanitised path. */
export function baseName(path) {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Makes paths unique, case-insensitively, as "name (1).ext", "name (2).ext" …, keeping order.
 * @param {string[]} paths already sanitised
 */
export function uniquePaths(paths) {
  const taken = new Set();
  return paths.map((path) => {
    let candidate = path;
    for (let n = 1; taken.has(candidate.toLowerCase()); n += 1) candidate = withSuffix(path, n);
    taken.add(candidate.toLowerCase());
    return candidate;
  });
}

function withSuffix(path, n) {
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  const hasExt = dot > slash + 1;
  return hasExt ? `${path.slice(0, dot)} (${n})${path.slice(dot)}` : `${path} (${n})`;
}

function truncateUtf8(text, maxBytes) {
  const encoder = new TextEncoder();
  if (encoder.encode(text).length <= maxBytes) return text;
  let out = '';
  let bytes = 0;
  for (const ch of text) { // by code point, so no surrogate pair is cut
    const size = encoder.encode(ch).length;
    if (bytes + size > maxBytes) break;
    out += ch;
    bytes += size;
  }
  return out;
}
