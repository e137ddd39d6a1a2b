// The states a 1-on-1 call can be in, each of which has its own screen, and the moves between them.
// Pure: the controller asks `canMove` before it changes state, so an impossible move is a bug
// that shows up in tests rather than a screen that lies.

/** Every state and what the person sees in it. */
export const CALL_STATES = Object.freeze({
  preview: 'starting camera and microphone',
  joining: 'joining the room',
  waiting: 'waiting for the other person to open the link',
  connecting: 'connecting to the other person',
  connected: 'in the call',
  reconnecting: 'connection interrupted, trying to restore it',
  failed: 'the call could not be connected',
  ended: 'the call has ended',
});

const MOVES = {
  preview: ['joining', 'failed', 'ended'],
  joining: ['waiting', 'connecting', 'failed', 'ended'],
  waiting: ['connecting', 'joining', 'failed', 'ended'],
  connecting: ['connected', 'reconnecting', 'waiting', 'failed', 'ended', 'joining'],
  connected: ['reconnecting', 'waiting', 'failed', 'ended', 'connecting', 'joining'],
  reconnecting: ['reconnecting', 'connected', 'waiting', 'failed', 'ended', 'connecting', 'joining'],
  failed: ['joining', 'connecting', 'reconnecting', 'waiting', 'ended', 'preview'],
  ended: ['preview'],
};

/** Whether a call may go from one state to another. */
export function canMove(from, to) {
  return (MOVES[from] ?? []).includes(to);
}

/** The state a call is in once its peer session reports `sessionState` (P2PSession states). */
export function stateForSession(sessionState) {
  switch (sessionState) {
    case 'new':
    case 'connecting': return 'connecting';
    case 'connected': return 'connected';
    case 'reconnecting': return 'reconnecting';
    case 'failed': return 'failed';
    default: return null; // closed: the controller decides (hung up, peer left, …)
  }
}

/**
 * What the screen says while the P2P session works on the connection, from its statechange
 * detail ({state, step, attempt, maxAttempts}); no protocol words.
 */
export function describeSessionStep({ step, attempt, maxAttempts } = {}) {
  switch (step) {
    case 'negotiating': return 'Setting up audio and video';
    case 'interrupted': return 'The connection dropped; waiting for it to come back';
    case 'ice-restart': return `Looking for a working network path (try ${attempt} of ${maxAttempts})`;
    case 'rebuild': return 'Setting up a new connection to the other person';
    case 'gave-up': return 'The connection to the other person could not be restored. Check your network and retry.';
    default: return '';
  }
}

/** A reason as shown on screen: the app's own sentences, capitalised. */
export function describeReason(reason) {
  const text = reason ?? '';
  return text ? text[0].toUpperCase() + text.slice(1) : '';
}

/** "1:05", "1:02:03": the call duration shown on screen. */
export function formatDuration(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

/** Call options from the page's query string (room, name, bitrate caps, codec, relay-only). */
export function parseCallOptions(search) {
  const q = new URLSearchParams(search);
  const number = (key) => {
    const v = Number(q.get(key));
    return q.has(key) && Number.isFinite(v) && v > 0 ? v : null;
  };
  const room = q.get('room');
  return {
    room: room && /^[A-Za-z0-9_-]{1,64}$/.test(room) ? room : null,
    name: (q.get('name') ?? '').trim().slice(0, 40) || null,
    maxVideoKbps: number('maxVideoKbps') ?? 1500,
    maxAudioKbps: number('maxAudioKbps') ?? 64,
    // Where the peer's bandwidth estimate starts (Chromium); 0 keeps the browser's default.
    videoStartKbps: q.get('videoStartKbps') === '0' ? null : number('videoStartKbps') ?? 800,
    videoCodec: q.get('videoCodec') || null,
    // Which encoded-transform API end-to-end encryption uses (tests force the older one); default: the best there is.
    e2eeApi: ['script-transform', 'encoded-streams'].includes(q.get('e2eeApi')) ? q.get('e2eeApi') : null,
    relayOnly: q.get('relay') === '1',
    dtx: q.get('dtx') !== '0',
    fec: q.get('fec') !== '0',
    // Recovery timing (P2PSession options); defaults suit real networks, tests shorten them.
    session: stripNulls({
      disconnectGrace: number('iceGrace'),
      restartTimeout: number('iceRestartTimeout'),
      maxIceRestarts: number('iceRestarts'),
    }),
  };
}

function stripNulls(object) {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== null));
}
