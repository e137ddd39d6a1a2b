// Parley file transfer wire protocol (docs/transfer-protocol.md): JSON control messages as text
// frames on one ordered, reliable RTCDataChannel; file bytes as binary frames, each the next
// bytes of the file named by the last `file-start`.

export const PROTOCOL_VERSION = 1;
/** Data channel label and id; the channel is negotiated (both sides create it in P2PSession's setup). */
export const CHANNEL = Object.freeze({ label: 'parley-transfer', id: 1 });

/** Every control message type and the fields it must carry (name → type check). */
const SCHEMAS = {
  offer: { transferId: 'id', from: 'string', files: 'files' },
  accept: { transferId: 'id' },
  decline: { transferId: 'id', reason: 'string?' },
  'resume-from': { transferId: 'id', positions: 'positions' },
  'file-start': { transferId: 'id', index: 'index', offset: 'offset' },
  'file-end': { transferId: 'id', index: 'index', size: 'offset', sha256: 'hex' },
  ack: { transferId: 'id', index: 'index', offset: 'offset' },
  'file-done': { transferId: 'id', index: 'index', ok: 'boolean', sha256: 'hex?' },
  done: { transferId: 'id' },
  cancel: { transferId: 'id', reason: 'string?' },
  error: { transferId: 'id', code: 'string', message: 'string?' },
};

export const MESSAGE_TYPES = Object.freeze(Object.keys(SCHEMAS));
const MAX_FILES = 10_000;
const MAX_NAME = 1024;

/** A control message that failed validation. */
export class ProtocolError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/** Serialises a control message after checking it against its schema. */
export function encode(type, body) {
  const message = { type, ...body };
  validate(message);
  return JSON.stringify(message);
}

/** Parses and validates a text frame; throws ProtocolError on anything malformed. */
export function decode(text) {
  let message;
  try {
    message = JSON.parse(text);
  } catch {
    throw new ProtocolError('control message is not JSON');
  }
  validate(message);
  return message;
}

function validate(message) {
  if (!message || typeof message !== 'object' || Array.isArray(message)) throw new ProtocolError('control message is not an object');
  const schema = SCHEMAS[message.type];
  if (!schema) throw new ProtocolError(`unknown message type '${message.type}'`);
  for (const [field, kind] of Object.entries(schema)) {
    const optional = kind.endsWith('?');
    const value = message[field];
    if (value === undefined && optional) continue;
    if (!CHECKS[optional ? kind.slice(0, -1) : kind](value)) {
      throw new ProtocolError(`${message.type}: field '${field}' is missing or not a valid ${kind.replace('?', '')}`);
    }
  }
}

const isCount = (v) => Number.isSafeInteger(v) && v >= 0;
const CHECKS = {
  id: (v) => typeof v === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v),
  string: (v) => typeof v === 'string' && v.length <= MAX_NAME,
  boolean: (v) => typeof v === 'boolean',
  index: (v) => Number.isInteger(v) && v >= 0 && v < MAX_FILES,
  offset: isCount,
  hex: (v) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v),
  positions: (v) => Array.isArray(v) && v.length <= MAX_FILES
    && v.every((p) => p && CHECKS.index(p.index) && isCount(p.offset)),
  files: (v) => Array.isArray(v) && v.length >= 1 && v.length <= MAX_FILES && v.every((f, i) => f
    && f.index === i && typeof f.name === 'string' && f.name.length >= 1 && f.name.length <= MAX_NAME
    && isCount(f.size) && (f.type === undefined || typeof f.type === 'string')),
};

/** A transfer id: 128 random bits, base64url. */
export function newTransferId(random = (n) => crypto.getRandomValues(new Uint8Array(n))) {
  const bytes = random(16);
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
