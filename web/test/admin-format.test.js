import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserName, duration, bitrate, candidatePath, connectionLabel, videoSize, verdict, num } from '../apps/admin/format.js';

test('user agents become browser and system names', () => {
  assert.equal(browserName('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36'),
    'Chrome 156 (headless) · Linux');
  assert.equal(browserName('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:153.0) Gecko/20100101 Firefox/153.0'), 'Firefox 153 · Windows');
  assert.equal(browserName('Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1'),
    'Safari 18 · iOS');
  assert.equal(browserName('Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/130.0 Safari/537.36 Edg/130.0'), 'Edge 130 · Windows');
  assert.equal(browserName(null), 'unknown');
  assert.equal(browserName('curl/8.0'), 'curl/8.0');
});

test('durations, rates and figures read naturally', () => {
  assert.equal(duration(45_500), '45 s');
  assert.equal(duration(185_000), '3 min 5 s');
  assert.equal(duration(7_800_000), '2 h 10 min');
  assert.equal(bitrate(1_500_000), '1.5 Mbps');
  assert.equal(bitrate(640_000), '640 kbps');
  assert.equal(bitrate(-1), '—');
  assert.equal(num(undefined), '—');
  assert.equal(num(1234.56, 1), '1,234.6');
});

test('candidate paths name the relay protocol', () => {
  assert.equal(candidatePath({ local: 'host', remote: 'host', protocol: 'udp' }), 'host → host · udp');
  assert.equal(candidatePath({ local: 'relay', remote: 'srflx', protocol: 'udp', relayProtocol: 'tls' }), 'relay (tls) → srflx · udp');
  assert.equal(candidatePath({}), '—');
});

test('connections are labelled with the other peer\'s name', () => {
  assert.equal(connectionLabel({ kind: 'p2p', peer: 'b1' }, new Map([['b1', 'Bob']])), 'P2P with Bob');
  assert.equal(connectionLabel({ kind: 'sfu-publish' }, new Map()), 'SFU publish (up)');
  assert.equal(videoSize({ width: 640, height: 480, fps: 19.6 }), '640×480 @ 20 fps');
  assert.equal(videoSize({}), '—');
});

test('a verdict is stale when the browser stopped reporting', () => {
  const peer = { stats: { connections: [] }, statsAt: 1000 };
  assert.equal(verdict(peer, { quality: 'poor' }, 2000), 'poor');
  assert.equal(verdict(peer, { quality: 'good' }, 60_000), 'stale');
  assert.equal(verdict({ away: true }, null, 0), 'away');
  assert.equal(verdict({}, null, 0), 'no stats');
});
