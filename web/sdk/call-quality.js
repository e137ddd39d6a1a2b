// Connection quality of a call from RTCPeerConnection.getStats(): a pure summariser (stats → one
// sample with rates computed against the previous sample), a pure classifier (sample → good / fair
// / poor with the reasons) and a small monitor that polls a connection and emits both.

/** Thresholds for {@link classifyQuality}; "fair" past the first value, "poor" past the second. */
export const DEFAULT_THRESHOLDS = Object.freeze({
  rttMs: [250, 500],
  lossPct: [2, 8],
  jitterMs: [30, 80],
  // Only judged while remote video is expected (the other side's camera or screen is on).
  videoKbps: [150, 50],
});

/**
 * Reduces one getStats() report to the figures a call needs. Counters are kept raw in `counters`
 * so the next call can turn them into rates and per-interval loss.
 * @param {Iterable<object>} stats the report's values (`report.values()`) or any iterable of stats
 * @param {object|null} previous the sample returned last time, or null
 * @param {number} now timestamp in ms (stats timestamps are used when present)
 */
export function summarizeStats(stats, previous = null, now = Date.now()) {
  const byId = new Map();
  for (const s of stats) byId.set(s.id, s);
  let pair = null;
  const counters = {
    at: now, audioPacketsReceived: 0, audioPacketsLost: 0, videoPacketsReceived: 0, videoPacketsLost: 0,
    audioBytesReceived: 0, videoBytesReceived: 0, bytesSent: 0, framesDecoded: 0, audioEnergy: 0,
  };
  let jitterMs = null;
  let videoFps = null;
  let frameWidth = null;
  let frameHeight = null;
  let audioLevel = null;
  for (const s of byId.values()) {
    if (s.type === 'transport' && s.selectedCandidatePairId) pair = byId.get(s.selectedCandidatePairId) ?? pair;
    if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded' && !pair) pair = s;
    if (s.type === 'inbound-rtp' && s.kind === 'audio') {
      counters.audioPacketsReceived += s.packetsReceived ?? 0;
      counters.audioPacketsLost += Math.max(0, s.packetsLost ?? 0);
      counters.audioBytesReceived += s.bytesReceived ?? 0;
      counters.audioEnergy += s.totalAudioEnergy ?? 0;
      if (typeof s.jitter === 'number') jitterMs = Math.max(jitterMs ?? 0, s.jitter * 1000);
      if (typeof s.audioLevel === 'number') audioLevel = s.audioLevel;
    }
    if (s.type === 'inbound-rtp' && s.kind === 'video') {
      counters.videoPacketsReceived += s.packetsReceived ?? 0;
      counters.videoPacketsLost += Math.max(0, s.packetsLost ?? 0);
      counters.videoBytesReceived += s.bytesReceived ?? 0;
      counters.framesDecoded += s.framesDecoded ?? 0;
      if (typeof s.framesPerSecond === 'number') videoFps = s.framesPerSecond;
      if (s.frameWidth) { frameWidth = s.frameWidth; frameHeight = s.frameHeight; }
    }
    if (s.type === 'outbound-rtp') counters.bytesSent += s.bytesSent ?? 0;
  }
  const sample = {
    at: now,
    rttMs: pair && typeof pair.currentRoundTripTime === 'number' ? pair.currentRoundTripTime * 1000 : null,
    availableOutgoingKbps: pair && pair.availableOutgoingBitrate ? pair.availableOutgoingBitrate / 1000 : null,
    candidateType: pair ? candidateTypes(byId, pair) : null,
    jitterMs,
    audioLevel,
    videoFps,
    frameWidth,
    frameHeight,
    lossPct: null,
    inboundVideoKbps: null,
    inboundAudioKbps: null,
    outboundKbps: null,
    counters,
  };
  const before = previous?.counters;
  if (before && counters.at > before.at) {
    const seconds = (counters.at - before.at) / 1000;
    const kbps = (now_, then_) => Math.max(0, ((now_ - then_) * 8) / 1000 / seconds);
    sample.inboundVideoKbps = kbps(counters.videoBytesReceived, before.videoBytesReceived);
    sample.inboundAudioKbps = kbps(counters.audioBytesReceived, before.audioBytesReceived);
    sample.outboundKbps = kbps(counters.bytesSent, before.bytesSent);
    const received = (counters.audioPacketsReceived + counters.videoPacketsReceived)
      - (before.audioPacketsReceived + before.videoPacketsReceived);
    const lost = (counters.audioPacketsLost + counters.videoPacketsLost)
      - (before.audioPacketsLost + before.videoPacketsLost);
    if (received + lost > 0) sample.lossPct = (100 * Math.max(0, lost)) / (received + Math.max(0, lost));
  }
  return sample;
}

function candidateTypes(byId, pair) {
  const local = byId.get(pair.localCandidateId);
  const remote = byId.get(pair.remoteCandidateId);
  if (!local || !remote) return null;
  return { local: local.candidateType, remote: remote.candidateType, protocol: local.protocol,
    ...(local.relayProtocol ? { relayProtocol: local.relayProtocol } : {}),
    relayed: local.candidateType === 'relay' || remote.candidateType === 'relay' };
}

/**
 * Good / fair / poor from one sample. Figures that are unknown are not judged; with nothing known
 * the level is "unknown".
 * @param {object} sample from {@link summarizeStats}
 * @param {{expectVideo?: boolean, thresholds?: object}} [options]
 * @returns {{level: 'good'|'fair'|'poor'|'unknown', reasons: string[]}}
 */
export function classifyQuality(sample, { expectVideo = true, thresholds = DEFAULT_THRESHOLDS } = {}) {
  const reasons = [];
  let level = 0; // 0 good, 1 fair, 2 poor
  let judged = 0;
  const higherIsWorse = (value, [fair, poor], what) => {
    if (value === null || value === undefined || Number.isNaN(value)) return;
    judged += 1;
    if (value >= poor) { level = Math.max(level, 2); reasons.push(`${what} ${Math.round(value)}`); }
    else if (value >= fair) { level = Math.max(level, 1); reasons.push(`${what} ${Math.round(value)}`); }
  };
  higherIsWorse(sample.rttMs, thresholds.rttMs, 'round trip ms');
  higherIsWorse(sample.lossPct, thresholds.lossPct, 'packet loss %');
  higherIsWorse(sample.jitterMs, thresholds.jitterMs, 'jitter ms');
  if (expectVideo && typeof sample.inboundVideoKbps === 'number') {
    judged += 1;
    const [fair, poor] = thresholds.videoKbps;
    if (sample.inboundVideoKbps <= poor) { level = Math.max(level, 2); reasons.push(`video kbps ${Math.round(sample.inboundVideoKbps)}`); }
    else if (sample.inboundVideoKbps <= fair) { level = Math.max(level, 1); reasons.push(`video kbps ${Math.round(sample.inboundVideoKbps)}`); }
  }
  if (judged === 0) return { level: 'unknown', reasons };
  return { level: ['good', 'fair', 'poor'][level], reasons };
}

/**
 * Polls `getPc()` every `interval` ms and emits `sample` events ({sample, quality}). The connection
 * may change between polls (a rebuilt connection): counters then restart without a bogus rate.
 */
export class QualityMonitor extends EventTarget {
  constructor(getPc, { interval = 2000, expectVideo = () => true, thresholds = DEFAULT_THRESHOLDS } = {}) {
    super();
    this.getPc = getPc;
    this.interval = interval;
    this.expectVideo = expectVideo;
    this.thresholds = thresholds;
    this.last = null;
    this._lastPc = null;
    this._timer = null;
  }

  start() {
    if (this._timer) return this;
    this._timer = setInterval(() => this.poll(), this.interval);
    return this;
  }

  stop() {
    clearInterval(this._timer);
    this._timer = null;
  }

  async poll() {
    const pc = this.getPc();
    if (!pc || pc.connectionState === 'closed') return null;
    const report = await pc.getStats();
    const previous = pc === this._lastPc ? this.last : null;
    const sample = summarizeStats(report.values(), previous, performance.now());
    this.last = sample;
    this._lastPc = pc;
    const quality = classifyQuality(sample, { expectVideo: this.expectVideo(), thresholds: this.thresholds });
    this.dispatchEvent(new CustomEvent('sample', { detail: { sample, quality } }));
    return { sample, quality };
  }
}
