import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatsReporter, buildReport, connectionEntry, MAX_REPORT_BYTES, MAX_CONNECTIONS } from '../sdk/stats-report.js';

const pairStats = (bytesSent, bytesReceived) => [
  { id: 'T1', type: 'transport', selectedCandidatePairId: 'P1', bytesSent, bytesReceived },
  { id: 'P1', type: 'candidate-pair', localCandidateId: 'L1', remoteCandidateId: 'R1', nominated: true,
    state: 'succeeded', currentRoundTripTime: 0.0421 },
  { id: 'L1', type: 'local-candidate', candidateType: 'relay', protocol: 'udp', relayProtocol: 'tls' },
  { id: 'R1', type: 'remote-candidate', candidateType: 'host', protocol: 'udp' },
];

function fakePc(stats) {
  return { connectionState: 'connected', getStats: async () => new Map(stats().map((s) => [s.id, s])) };
}

test('a connection entry carries candidate types, the relay protocol and rounded figures', () => {
  const sample = { candidateType: { local: 'relay', remote: 'srflx', protocol: 'udp', relayProtocol: 'tls' },
    rttMs: 42.123, jitterMs: null, lossPct: 1.26, inboundVideoKbps: 500, inboundAudioKbps: 32.04, outboundKbps: 0,
    availableOutgoingKbps: null, videoFps: 20, frameWidth: 640, frameHeight: 480 };
  const entry = connectionEntry({ kind: 'p2p', peer: 'abc', state: 'connected' }, sample, { level: 'good' });
  assert.deepEqual(entry, { kind: 'p2p', peer: 'abc', state: 'connected', local: 'relay', remote: 'srflx', protocol: 'udp',
    relayProtocol: 'tls', rttMs: 42.1, lossPct: 1.3, inKbps: 532, outKbps: 0, fps: 20, width: 640, height: 480, quality: 'good' });
});

test('figures the server would refuse are left out', () => {
  const sample = { candidateType: { local: 'weird', remote: 'host', protocol: 'sctp' }, rttMs: Number.NaN,
    jitterMs: -3, lossPct: Infinity, inboundVideoKbps: null, inboundAudioKbps: null, outboundKbps: 5e9 };
  const entry = connectionEntry({ kind: 'sfu-publish', state: 'odd' }, sample, null);
  assert.deepEqual(entry, { kind: 'sfu-publish', remote: 'host', jitterMs: 0, outKbps: 1e6, quality: 'unknown' });
});

test('a report keeps at most the connection limit and always fits the byte limit', () => {
  const big = { kind: 'p2p', peer: 'x'.repeat(64), state: 'connected', local: 'host', remote: 'host', protocol: 'udp',
    rttMs: 999999.9, jitterMs: 999999.9, lossPct: 99.9, inKbps: 999999.9, outKbps: 999999.9, availableOutKbps: 999999.9,
    fps: 999999.9, width: 999999, height: 999999, quality: 'unknown' };
  const report = buildReport('call', Array(10).fill(big));
  assert.ok(report.connections.length <= MAX_CONNECTIONS);
  assert.ok(new TextEncoder().encode(JSON.stringify({ type: 'stats', ...report })).length <= MAX_REPORT_BYTES);
  assert.equal(report.app, 'call');
  assert.equal(buildReport('Not An App!', []).app, undefined);
});

test('the reporter sends one stats message with transport rates, and nothing while disconnected', async () => {
  const sent = [];
  const signaling = { state: 'open', peerId: 'me', send: (type, body) => sent.push({ type, ...body }) };
  let bytes = 0;
  const pc = fakePc(() => pairStats(bytes, 2 * bytes));
  const reporter = new StatsReporter(signaling, { interval: 3_600_000, app: 'call' });
  const remove = reporter.add({ kind: 'p2p', peer: 'them', getPc: () => pc });
  try {
    await reporter.report();
    bytes = 125_000;
    await new Promise((r) => setTimeout(r, 20));
    await reporter.report();
    assert.equal(sent.length, 2);
    const [connection] = sent[1].connections;
    assert.equal(sent[1].type, 'stats');
    assert.equal(connection.local, 'relay');
    assert.equal(connection.relayProtocol, 'tls');
    assert.equal(connection.rttMs, 42.1);
    assert.ok(connection.outKbps > 0 && connection.inKbps > connection.outKbps, JSON.stringify(connection));
    signaling.state = 'reconnecting';
    assert.equal(await reporter.report(), null);
    assert.equal(sent.length, 2);
  } finally {
    remove();
  }
});
