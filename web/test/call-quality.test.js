import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeStats, classifyQuality } from '../sdk/call-quality.js';

/** A getStats() report as Chromium shapes it, for one moment of a call. */
function report({ at, rtt = 0.02, audioPackets, audioLost = 0, videoPackets, videoLost = 0, videoBytes, audioBytes = 0, jitter = 0.005, frames = 0, relay = false }) {
  return [
    { id: 'T1', type: 'transport', selectedCandidatePairId: 'CP1' },
    { id: 'CP1', type: 'candidate-pair', localCandidateId: 'L1', remoteCandidateId: 'R1', currentRoundTripTime: rtt, availableOutgoingBitrate: 2_000_000, nominated: true, state: 'succeeded' },
    { id: 'L1', type: 'local-candidate', candidateType: relay ? 'relay' : 'host', protocol: 'udp' },
    { id: 'R1', type: 'remote-candidate', candidateType: 'host', protocol: 'udp' },
    { id: 'IA', type: 'inbound-rtp', kind: 'audio', packetsReceived: audioPackets, packetsLost: audioLost, bytesReceived: audioBytes, jitter, totalAudioEnergy: 1, audioLevel: 0.2 },
    { id: 'IV', type: 'inbound-rtp', kind: 'video', packetsReceived: videoPackets, packetsLost: videoLost, bytesReceived: videoBytes, framesDecoded: frames, framesPerSecond: 30, frameWidth: 1280, frameHeight: 720 },
    { id: 'OV', type: 'outbound-rtp', kind: 'video', bytesSent: 0 },
  ].map((s) => ({ ...s, timestamp: at }));
}

test('first sample has figures but no rates; the second computes bitrate and loss over the interval', () => {
  const first = summarizeStats(report({ at: 0, audioPackets: 100, videoPackets: 900, videoBytes: 1_000_000 }), null, 0);
  assert.equal(first.rttMs, 20);
  assert.equal(first.inboundVideoKbps, null);
  assert.equal(first.lossPct, null);
  assert.deepEqual(first.candidateType, { local: 'host', remote: 'host', protocol: 'udp', relayed: false });
  const second = summarizeStats(report({ at: 2000, audioPackets: 200, videoPackets: 1800, videoLost: 100, videoBytes: 1_250_000 }), first, 2000);
  assert.equal(second.inboundVideoKbps, 1000); // 250 kB in 2 s
  assert.equal(second.lossPct, (100 * 100) / (1000 + 100));
  assert.equal(second.jitterMs, 5);
  assert.equal(second.frameWidth, 1280);
});

test('a relayed pair is reported as relayed', () => {
  const s = summarizeStats(report({ at: 0, audioPackets: 1, videoPackets: 1, videoBytes: 1, relay: true }));
  assert.equal(s.candidateType.relayed, true);
});

test('counters that went backwards (a rebuilt connection) give no negative rates', () => {
  const before = summarizeStats(report({ at: 0, audioPackets: 5000, videoPackets: 5000, videoBytes: 9_000_000 }), null, 0);
  const after = summarizeStats(report({ at: 1000, audioPackets: 10, videoPackets: 10, videoBytes: 1000 }), before, 1000);
  assert.equal(after.inboundVideoKbps, 0);
  assert.equal(after.lossPct, null);
});

test('classifier: good, fair and poor with the reasons named', () => {
  const base = { rttMs: 40, lossPct: 0, jitterMs: 5, inboundVideoKbps: 1200 };
  assert.deepEqual(classifyQuality(base), { level: 'good', reasons: [] });
  assert.equal(classifyQuality({ ...base, rttMs: 300 }).level, 'fair');
  assert.equal(classifyQuality({ ...base, lossPct: 3 }).level, 'fair');
  assert.equal(classifyQuality({ ...base, jitterMs: 100 }).level, 'poor');
  assert.equal(classifyQuality({ ...base, lossPct: 12, rttMs: 300 }).level, 'poor');
  assert.deepEqual(classifyQuality({ ...base, lossPct: 12 }).reasons, ['packet loss % 12']);
  assert.equal(classifyQuality({ ...base, inboundVideoKbps: 100 }).level, 'fair');
  assert.equal(classifyQuality({ ...base, inboundVideoKbps: 20 }).level, 'poor');
});

test('classifier ignores video bitrate when no video is expected, and unknown figures', () => {
  assert.equal(classifyQuality({ rttMs: 40, lossPct: null, jitterMs: null, inboundVideoKbps: 0 }, { expectVideo: false }).level, 'good');
  assert.equal(classifyQuality({ rttMs: null, lossPct: null, jitterMs: null, inboundVideoKbps: null }).level, 'unknown');
});
