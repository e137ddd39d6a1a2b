import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyOpusSettings, applyVideoBitrateHints, restartEncoding } from '../sdk/media.js';

const SDP = [
  'v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9', 'a=rtpmap:111 opus/48000/2', 'a=rtcp-fb:111 transport-cc',
  'a=fmtp:111 minptime=10;useinbandfec=1', 'a=rtpmap:63 red/48000/2', 'a=fmtp:63 111/111', 'a=rtpmap:9 G722/8000',
  'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=rtpmap:96 VP8/90000', '',
].join('\r\n');

test('adds DTX and keeps FEC and the existing parameters on the Opus fmtp line only', () => {
  const out = applyOpusSettings(SDP, { fec: true, dtx: true });
  assert.match(out, /a=fmtp:111 minptime=10;useinbandfec=1;usedtx=1\r\n/);
  assert.match(out, /a=fmtp:63 111\/111\r\n/);
  assert.ok(out.endsWith('\r\n'));
  assert.equal(out.split('\r\n').length, SDP.split('\r\n').length);
});

test('turns options off and sets an average bitrate', () => {
  const out = applyOpusSettings(SDP, { fec: false, dtx: false, maxAverageBitrate: 32000 });
  assert.match(out, /a=fmtp:111 minptime=10;useinbandfec=0;usedtx=0;maxaveragebitrate=32000\r\n/);
});

test('an Opus payload without fmtp gets one; SDP without Opus is unchanged', () => {
  const bare = SDP.replace('a=fmtp:111 minptime=10;useinbandfec=1\r\n', '');
  assert.match(applyOpusSettings(bare), /a=rtpmap:111 opus\/48000\/2\r\na=fmtp:111 useinbandfec=1;usedtx=1\r\n/);
  const noOpus = 'v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=rtpmap:96 VP8/90000\r\n';
  assert.equal(applyOpusSettings(noOpus), noOpus);
});

test('applying twice changes nothing more', () => {
  const once = applyOpusSettings(SDP);
  assert.equal(applyOpusSettings(once), once);
});

const VIDEO = [
  'v=0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=rtpmap:111 opus/48000/2', 'a=fmtp:111 minptime=10',
  'm=video 9 UDP/TLS/RTP/SAVPF 96 97 98', 'a=rtpmap:96 VP8/90000', 'a=rtpmap:97 rtx/90000', 'a=fmtp:97 apt=96',
  'a=rtpmap:98 H264/90000', 'a=fmtp:98 level-asymmetry-allowed=1;packetization-mode=1', '',
].join('\r\n');

test('video bitrate hints go on every video codec, not on RTX or audio', () => {
  const out = applyVideoBitrateHints(VIDEO, { startKbps: 1000, maxKbps: 1500 });
  assert.match(out, /a=rtpmap:96 VP8\/90000\r\na=fmtp:96 x-google-start-bitrate=1000;x-google-max-bitrate=1500\r\n/);
  assert.match(out, /a=fmtp:98 level-asymmetry-allowed=1;packetization-mode=1;x-google-start-bitrate=1000;x-google-max-bitrate=1500\r\n/);
  assert.match(out, /a=fmtp:97 apt=96\r\n/);
  assert.match(out, /a=fmtp:111 minptime=10\r\n/);
  assert.equal(applyVideoBitrateHints(out, { startKbps: 1000, maxKbps: 1500 }), out);
  assert.equal(applyVideoBitrateHints(VIDEO, {}), VIDEO);
});

test('restartEncoding pauses then resumes every encoding, reading parameters again when they went stale', async () => {
  const applied = [];
  let stale = 1;
  const sender = {
    encodings: [{ active: true }, { active: true }],
    getParameters() { return { encodings: this.encodings.map((e) => ({ ...e })) }; },
    async setParameters(params) {
      if (stale-- > 0) throw Object.assign(new Error('stale'), { name: 'InvalidModificationError' });
      applied.push(params.encodings.map((e) => e.active));
      this.encodings = params.encodings;
    },
  };
  assert.equal(await restartEncoding(sender), true);
  assert.deepEqual(applied, [[false, false], [true, true]]);
  assert.equal(await restartEncoding({ getParameters: () => ({ encodings: [] }) }), false);
});
