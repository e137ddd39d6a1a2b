// Pure formatting for the admin page: user agents, durations, rates, candidate paths, quality.
// No DOM here, so node --test covers it (web/test/admin-format.test.js).

/** "Chrome 156 · Linux" from a User-Agent header; the raw string's start when nothing matches. */
export function browserName(userAgent) {
  if (!userAgent) return 'unknown';
  const ua = String(userAgent);
  const version = (re) => re.exec(ua)?.[1];
  let browser;
  if (version(/Edg\/(\d+)/)) browser = `Edge ${version(/Edg\/(\d+)/)}`;
  else if (version(/Firefox\/(\d+)/)) browser = `Firefox ${version(/Firefox\/(\d+)/)}`;
  else if (version(/HeadlessChrome\/(\d+)/)) browser = `Chrome ${version(/HeadlessChrome\/(\d+)/)} (headless)`;
  else if (version(/Chrom(?:e|ium)\/(\d+)/)) browser = `Chrome ${version(/Chrom(?:e|ium)\/(\d+)/)}`;
  else if (version(/Version\/(\d+)[\d.]* .*Safari/)) browser = `Safari ${version(/Version\/(\d+)/)}`;
  else return ua.slice(0, 40);
  const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Windows/.test(ua) ? 'Windows'
    : /Mac OS X/.test(ua) ? 'macOS' : /CrOS/.test(ua) ? 'ChromeOS' : /Linux/.test(ua) ? 'Linux' : null;
  return os ? `${browser} · ${os}` : browser;
}

/** "45 s", "3 min 5 s", "2 h 10 min", "3 d 4 h" from milliseconds. */
export function duration(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** "12:03:04" (local time) from epoch milliseconds. */
export function clock(ms) {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** A figure for a table cell: "—" when unknown, else rounded to `digits`. */
export function num(value, digits = 0) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** "1.5 Mbps" / "640 kbps" from bits per second; "—" when unknown (negative). */
export function bitrate(bps) {
  if (typeof bps !== 'number' || bps < 0) return '—';
  if (bps >= 1e6) return `${(bps / 1e6).toFixed(1)} Mbps`;
  return `${Math.round(bps / 1000)} kbps`;
}

/** "relay (tls) → host · udp": the selected candidate pair, local side first. */
export function candidatePath(connection) {
  if (!connection?.local && !connection?.remote) return '—';
  const local = connection.local === 'relay' && connection.relayProtocol
    ? `relay (${connection.relayProtocol})` : connection.local ?? '?';
  return `${local} → ${connection.remote ?? '?'}${connection.protocol ? ` · ${connection.protocol}` : ''}`;
}

/** How a connection is labelled: "P2P with Bob", "SFU publish", "SFU subscribe". */
export function connectionLabel(connection, names) {
  if (connection.kind === 'p2p') return `P2P with ${names.get(connection.peer) ?? connection.peer ?? 'a peer'}`;
  return connection.kind === 'sfu-publish' ? 'SFU publish (up)' : 'SFU subscribe (down)';
}

/** "640×480 @ 20 fps", "640×480", "— " from a connection's video figures. */
export function videoSize(connection) {
  const size = connection.width && connection.height ? `${connection.width}×${connection.height}` : null;
  const fps = typeof connection.fps === 'number' ? `${Math.round(connection.fps)} fps` : null;
  if (size && fps) return `${size} @ ${fps}`;
  return size ?? fps ?? '—';
}

/** A report older than this is shown as stale: the browser stopped reporting (closed tab, lost network). */
export const STALE_AFTER_MS = 15_000;

/** The verdict shown in the quality column: the browser's own, or "stale" / "away" / "no stats". */
export function verdict(peer, connection, now) {
  if (peer.away) return 'away';
  if (!peer.stats || !connection) return 'no stats';
  if (now - peer.statsAt > STALE_AFTER_MS) return 'stale';
  return connection.quality ?? 'unknown';
}
