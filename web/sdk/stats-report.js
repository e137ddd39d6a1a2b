// Periodic `stats` reports to the server (docs/protocol.md): a small getStats summary of each of
// this client's connections, shown to operators on the admin page. One reporter per signaling
// client; P2P and SFU sessions register their connections with it. Summaries come from
// call-quality.js, so the admin page and the apps' own quality indicators agree.
import { summarizeStats, classifyQuality } from './call-quality.js';

/** How often a report is sent, in ms. */
export const STATS_INTERVAL = 5000;
/** Limits the server enforces (StatsReport.java): larger reports are refused. */
export const MAX_REPORT_BYTES = 2048;
export const MAX_CONNECTIONS = 4;

const CANDIDATE_TYPES = new Set(['host', 'srflx', 'prflx', 'relay']);
const CONNECTION_STATES = new Set(['new', 'connecting', 'connected', 'disconnected', 'failed', 'closed']);

/** A figure as the wire carries it: one decimal, within 0..1e6, or null when unknown. */
function figure(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  return Math.round(Math.min(1e6, Math.max(0, value)) * 10) / 10;
}

/**
 * One connection's entry of a report, from a call-quality sample.
 * @param {{kind: 'p2p'|'sfu-publish'|'sfu-subscribe', peer?: string, state?: string}} info
 * @param {object} sample from summarizeStats
 * @param {{level: string}} quality from classifyQuality
 */
export function connectionEntry({ kind, peer, state }, sample, quality) {
  const entry = { kind };
  if (peer) entry.peer = peer;
  if (CONNECTION_STATES.has(state)) entry.state = state;
  const types = sample.candidateType;
  if (types) {
    if (CANDIDATE_TYPES.has(types.local)) entry.local = types.local;
    if (CANDIDATE_TYPES.has(types.remote)) entry.remote = types.remote;
    if (types.protocol === 'udp' || types.protocol === 'tcp') entry.protocol = types.protocol;
    if (['udp', 'tcp', 'tls'].includes(types.relayProtocol)) entry.relayProtocol = types.relayProtocol;
  }
  const inKbps = sample.inboundVideoKbps === null && sample.inboundAudioKbps === null ? null
    : (sample.inboundVideoKbps ?? 0) + (sample.inboundAudioKbps ?? 0);
  const figures = {
    rttMs: sample.rttMs, jitterMs: sample.jitterMs, lossPct: sample.lossPct, inKbps, outKbps: sample.outboundKbps,
    availableOutKbps: sample.availableOutgoingKbps, fps: sample.videoFps, width: sample.frameWidth, height: sample.frameHeight,
  };
  for (const [name, value] of Object.entries(figures)) {
    const v = figure(value);
    if (v !== null) entry[name] = v;
  }
  entry.quality = quality?.level ?? 'unknown';
  return entry;
}

/**
 * The `stats` message body: at most MAX_CONNECTIONS entries, and entries dropped from the end
 * until its JSON fits MAX_REPORT_BYTES (it always does with the fields above; this is a guard).
 */
export function buildReport(app, entries) {
  const report = { connections: entries.slice(0, MAX_CONNECTIONS) };
  if (app && /^[a-z0-9-]{1,32}$/.test(app)) report.app = app;
  const size = () => new TextEncoder().encode(JSON.stringify({ type: 'stats', ...report })).length;
  while (report.connections.length > 0 && size() > MAX_REPORT_BYTES) report.connections.pop();
  return report;
}

/** Bytes sent and received over the connection's transports (media, RTCP and data channels alike). */
export function transportBytes(stats) {
  let sent = 0;
  let received = 0;
  for (const s of stats) {
    if (s.type !== 'transport') continue;
    sent += s.bytesSent ?? 0;
    received += s.bytesReceived ?? 0;
  }
  return { sent, received };
}

/** The app's name from the page path (/call → "call"), or undefined. */
function appName() {
  const first = globalThis.location?.pathname?.split('/').filter(Boolean)[0];
  return first ? first.toLowerCase() : undefined;
}

/** Collects every registered connection's stats and sends one `stats` message per interval. */
export class StatsReporter {
  /**
   * @param {import('./signaling.js').SignalingClient} signaling
   * @param {{interval?: number, app?: string}} [options]
   */
  constructor(signaling, { interval = STATS_INTERVAL, app = appName() } = {}) {
    this.signaling = signaling;
    this.interval = interval;
    this.app = app;
    this._sources = new Set();
    this._timer = null;
    /** The last report sent (for debugging and tests). */
    this.lastReport = null;
  }

  /**
   * Reports a connection until the returned function is called.
   * @param {{kind: string, peer?: string, getPc: () => RTCPeerConnection|null, expectVideo?: () => boolean}} source
   */
  add(source) {
    const entry = { ...source, previous: null, pc: null };
    this._sources.add(entry);
    if (!this._timer) this._timer = setInterval(() => this.report().catch(() => {}), this.interval);
    return () => {
      this._sources.delete(entry);
      if (this._sources.size === 0) {
        clearInterval(this._timer);
        this._timer = null;
      }
    };
  }

  /** Summarises every connection now and sends the report (only while the socket is up: stale figures are not queued). */
  async report() {
    const entries = [];
    for (const source of this._sources) {
      const pc = source.getPc();
      if (!pc || pc.connectionState === 'closed') continue;
      const stats = await pc.getStats();
      const now = performance.now();
      const same = pc === source.pc;
      const sample = summarizeStats(stats.values(), same ? source.previous : null, now);
      const bytes = { ...transportBytes(stats.values()), at: now };
      // Transport bytes count everything the connection carries (a file transfer has no RTP at all).
      if (same && source.bytes && now > source.bytes.at) {
        const seconds = (now - source.bytes.at) / 1000;
        sample.inboundAudioKbps = null;
        sample.inboundVideoKbps = (Math.max(0, bytes.received - source.bytes.received) * 8) / 1000 / seconds;
        sample.outboundKbps = (Math.max(0, bytes.sent - source.bytes.sent) * 8) / 1000 / seconds;
      }
      const quality = classifyQuality(sample, { expectVideo: source.expectVideo ? source.expectVideo() : false });
      source.previous = sample;
      source.bytes = bytes;
      source.pc = pc;
      entries.push(connectionEntry({ kind: source.kind, peer: source.peer, state: pc.connectionState }, sample, quality));
    }
    if (entries.length === 0 || this.signaling.state !== 'open' || !this.signaling.peerId) return null;
    this.lastReport = buildReport(this.app, entries);
    this.signaling.send('stats', this.lastReport);
    return this.lastReport;
  }
}

const reporters = new WeakMap();

/**
 * The one reporter of a signaling client (created on first use). Its interval is STATS_INTERVAL,
 * or `statsInterval` (ms) from the options the SignalingClient was created with.
 */
export function statsReporterFor(signaling) {
  let reporter = reporters.get(signaling);
  if (!reporter) {
    reporter = new StatsReporter(signaling, signaling.options?.statsInterval ? { interval: signaling.options.statsInterval } : {});
    reporters.set(signaling, reporter);
  }
  return reporter;
}
