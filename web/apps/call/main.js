// The /call page: renders what CallController emits and turns clicks into controller calls.
import { SignalingClient } from '/sdk/signaling.js';
import { listDevices, canChooseSpeaker } from '/sdk/media.js';
import { CallController } from './call.js';
import { describeReason, formatDuration, parseCallOptions } from './call-state.js';
import { tokenFromPage } from '/sdk/join-token.js';
import { e2eeSupport, passphraseFromFragment, randomPassphrase } from '/sdk/e2ee.js';

const $ = (id) => document.getElementById(id);
const options = { ...parseCallOptions(location.search), token: tokenFromPage() };
// The name is optional and remembered (the same key as the room and transfer apps); with a join
// token the token says who this is, so there is nothing to type.
if (!options.token) options.name ??= localStorage.getItem('parley.name')?.trim().slice(0, 40) || null;
const signaling = new SignalingClient();
const call = new CallController(signaling, options);
window.parleyCall = call; // for debugging and the browser tests

const TITLES = {
  preview: 'Starting your camera…',
  joining: 'Joining the call…',
  waiting: 'Waiting for the other person',
  connecting: 'Connecting…',
  connected: 'In the call',
  reconnecting: 'Reconnecting…',
  failed: 'The call could not be connected',
  ended: 'Call ended',
};
const BUSY = new Set(['preview', 'joining', 'connecting', 'reconnecting']);
/** States whose screen offers the name field (before the call is up). */
const ASK_NAME = new Set(['preview', 'joining', 'waiting', 'connecting']);

const remoteVideo = $('remote-video');
const localVideo = $('local-video');
// A video element given a stream with no tracks holds back the page's load event; attach streams
// once they carry something.
call.media.addEventListener('previewchange', ({ detail: { track } }) => {
  localVideo.srcObject = track ? call.media.preview : null;
});

// ---- state screens ----------------------------------------------------------------------------

call.addEventListener('state', ({ detail: { state, reason } }) => {
  $('stage').dataset.state = state;
  document.body.dataset.callState = state;
  const overlay = $('overlay');
  overlay.hidden = state === 'connected';
  $('overlay-title').textContent = state === 'ended' && call.connectedAt
    ? `Call ended after ${formatDuration(call.duration)}` : TITLES[state];
  $('overlay-reason').textContent = describeReason(reason);
  $('spinner').hidden = !BUSY.has(state);
  $('share').hidden = state !== 'waiting';
  // A refused link (expired, invalid, …): retrying or starting another call cannot help.
  const refused = state === 'failed' && call.tokenRefused;
  $('retry').hidden = state !== 'failed' || refused;
  $('rejoin').hidden = state !== 'ended';
  $('new-call').hidden = !(state === 'ended' || state === 'failed') || refused;
  $('home').hidden = !refused;
  $('name-row').hidden = Boolean(options.token) || !ASK_NAME.has(state);
  const inCall = state !== 'ended' && !refused;
  for (const id of ['mic', 'camera', 'switch-camera', 'screen', 'devices', 'hangup']) $(id).disabled = !inCall;
  $('screen').disabled = !inCall || !(state === 'connected' || state === 'reconnecting' || state === 'connecting');
  renderWith();
  if (state === 'ended') {
    remoteVideo.srcObject = null; // else the last remote frame stays frozen behind the ended screen
    $('duration').hidden = true;
    $('quality').hidden = true;
    $('remote-badges').hidden = true;
    $('remote-off').hidden = true;
  }
  if (state === 'connected') playRemote();
});

call.addEventListener('room', ({ detail: { room, link } }) => {
  $('share-link').value = link;
  const url = new URL(location.href);
  const hash = new URL(link).hash;
  if (url.searchParams.get('room') !== room || url.hash !== hash) {
    url.searchParams.set('room', room);
    url.hash = hash; // the passphrase stays in the fragment: browsers never send it to the server
    history.replaceState(null, '', url);
  }
});

// ---- end-to-end encryption ----------------------------------------------------------------------

let e2eeDetail = { enabled: false };
call.addEventListener('e2ee', ({ detail }) => {
  e2eeDetail = detail;
  renderE2ee();
});

/** The lock pill, and what to say when only one side encrypts (the other opened the link without its #e2ee= part). */
function renderE2ee() {
  const detail = e2eeDetail;
  const peer = call.remote;
  const name = peer?.name || 'Guest';
  const pill = $('e2ee');
  // Only one side encrypts: the unencrypted side sees ciphertext decoded as noise, so hide the video.
  const theyOnly = !detail.enabled && peer?.e2ee === true;
  const weOnly = detail.enabled && peer && peer.e2ee === false;
  pill.hidden = !detail.enabled && !theyOnly;
  const failing = detail.enabled && detail.failing?.length > 0;
  pill.className = `pill ${failing || theyOnly ? 'bad' : 'good'}`;
  pill.textContent = theyOnly ? `${name} encrypts this call end to end — open the full link (with its #e2ee=… part) to see and hear them`
    : failing && weOnly ? `${name} is not encrypting — they need the full link`
    : failing ? 'Can’t decrypt: different passphrase?' : '🔒 End-to-end encrypted';
  remoteVideo.hidden = theyOnly;
  if (theyOnly) {
    $('remote-off').hidden = false;
    $('remote-off-text').textContent = `${name} encrypts this call end to end — open the full link (with its #e2ee=… part) to see and hear them`;
  }
  pill.title = detail.enabled
    ? `Media is encrypted in this browser; the server relays only ciphertext.\n${detail.sent ?? 0} frames sent, ${detail.received ?? 0} decrypted, ${detail.decryptFailures ?? 0} could not be decrypted`
    : '';
  document.body.dataset.e2ee = theyOnly ? 'remote-only' : !detail.enabled ? 'off' : failing ? 'failing' : 'on';
  $('e2ee-toggle').checked = detail.enabled;
  $('e2ee-fields').hidden = !detail.enabled;
}
$('e2ee-option').hidden = !e2eeSupport();
$('e2ee-toggle').addEventListener('change', async (event) => {
  const passphrase = event.target.checked ? randomPassphrase() : null;
  $('e2ee-passphrase').value = passphrase ?? '';
  await call.setPassphrase(passphrase).catch((error) => notice(`Encryption: ${error.message}`));
});
$('e2ee-passphrase').addEventListener('change', async (event) => {
  const passphrase = event.target.value.trim();
  if (passphrase) await call.setPassphrase(passphrase).catch((error) => notice(`Encryption: ${error.message}`));
});

$('copy-link').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText($('share-link').value);
    $('copy-link').textContent = 'Copied';
  } catch {
    $('share-link').select();
    $('copy-link').textContent = 'Press Ctrl+C';
  }
  setTimeout(() => { $('copy-link').textContent = 'Copy link'; }, 2000);
});
$('retry').addEventListener('click', () => call.retry());

// ---- your name ----------------------------------------------------------------------------------

const nameInputs = [...document.querySelectorAll('.my-name')];
$('settings-name-row').hidden = Boolean(options.token);
for (const input of nameInputs) {
  input.value = options.name ?? '';
  input.addEventListener('change', () => {
    const name = input.value.trim().slice(0, 40);
    for (const other of nameInputs) other.value = name;
    localStorage.setItem('parley.name', name);
    call.setName(name);
  });
}
$('rejoin').addEventListener('click', () => call.rejoin());

// ---- local controls -----------------------------------------------------------------------------

call.addEventListener('local', ({ detail: { micOn, cameraOn, screenSharing } }) => {
  setPressed('mic', !micOn, micOn ? 'Mute' : 'Unmute');
  setPressed('camera', !cameraOn, cameraOn ? 'Camera off' : 'Camera on');
  setPressed('screen', screenSharing, screenSharing ? 'Stop sharing' : 'Share screen');
  $('local-off').hidden = cameraOn || screenSharing;
  $('local-caption').textContent = screenSharing ? 'You (screen)' : micOn ? 'You' : 'You (muted)';
  $('stage').dataset.sharing = String(screenSharing);
  $('switch-camera').disabled = !cameraOn || screenSharing || call.state === 'ended';
});

$('mic').addEventListener('click', () => call.toggleMic());
$('camera').addEventListener('click', () => call.toggleCamera());
$('switch-camera').addEventListener('click', async () => {
  const label = await call.switchCamera();
  if (label) notice(`Camera: ${label}`);
  refreshDevices();
});
$('screen').addEventListener('click', () => call.toggleScreenShare());
// Phones and tablets cannot share their screen from a browser: no button that can only fail.
$('screen').hidden = typeof navigator.mediaDevices?.getDisplayMedia !== 'function';
$('hangup').addEventListener('click', () => call.hangUp());
$('devices').addEventListener('click', () => {
  const open = $('settings').hidden;
  $('settings').hidden = !open;
  $('devices').setAttribute('aria-expanded', String(open));
  if (open) {
    refreshDevices();
    $('settings').scrollIntoView({ block: 'nearest' });
  }
});

async function refreshDevices() {
  const { microphones, cameras, speakers } = await listDevices();
  fill($('mic-select'), microphones, call.media.audioDeviceId);
  fill($('camera-select'), cameras, call.media.videoDeviceId);
  const speakerOk = canChooseSpeaker() && speakers.length > 0;
  $('speaker-label').hidden = !speakerOk;
  $('speaker-unsupported').hidden = speakerOk;
  if (speakerOk) fill($('speaker-select'), speakers, remoteVideo.sinkId || 'default');
}

function fill(select, devices, selected) {
  select.replaceChildren(...devices.map((d, i) => {
    const option = new Option(d.label || `Device ${i + 1}`, d.deviceId);
    option.selected = d.deviceId === selected;
    return option;
  }));
}

$('mic-select').addEventListener('change', (e) => call.media.useMicrophone(e.target.value).catch(deviceError));
$('camera-select').addEventListener('change', (e) => call.media.useCamera(e.target.value).catch(deviceError));
$('speaker-select').addEventListener('change', (e) => remoteVideo.setSinkId(e.target.value).catch(deviceError));
navigator.mediaDevices?.addEventListener?.('devicechange', () => { if (!$('settings').hidden) refreshDevices(); });

function deviceError(error) {
  notice(`Could not switch device: ${error.message}`);
}

// ---- the other person -------------------------------------------------------------------------

call.addEventListener('remote', ({ detail: { peer } }) => {
  $('remote-badges').hidden = !peer;
  if (!peer) {
    renderWith();
    $('remote-off').hidden = true;
    renderE2ee();
    return;
  }
  const name = peer.name || 'Guest';
  $('remote-name').textContent = name;
  renderWith();
  $('remote-avatar').textContent = name.slice(0, 1).toUpperCase();
  $('remote-muted').hidden = peer.micOn;
  $('remote-camera-off').hidden = peer.cameraOn || peer.screenSharing;
  $('remote-screen').hidden = !peer.screenSharing;
  $('remote-away').hidden = !peer.away;
  $('remote-off').hidden = peer.cameraOn || peer.screenSharing;
  $('remote-off-text').textContent = `${name}'s camera is off`;
  document.body.dataset.remoteMic = peer.micOn ? 'on' : 'muted';
  document.body.dataset.remoteCamera = peer.cameraOn ? 'on' : 'off';
  renderE2ee();
});

call.addEventListener('remotetrack', ({ detail: { track } }) => {
  if (remoteVideo.srcObject !== call.remoteStream) remoteVideo.srcObject = call.remoteStream;
  if (track.kind === 'video' && 'requestVideoFrameCallback' in remoteVideo) {
    remoteVideo.requestVideoFrameCallback((now, metadata) => call.markFirstFrame(metadata));
  }
  playRemote();
});

/** The header says who you are talking to while the call is up. */
function renderWith() {
  const up = call.remote && (call.state === 'connected' || call.state === 'reconnecting');
  $('with').hidden = !up;
  $('with').textContent = up ? `In a call with ${call.remote.name || 'Guest'}` : '';
}

function playRemote() {
  remoteVideo.play().then(() => { $('unmute-audio').hidden = true; }).catch((error) => {
    if (error.name === 'NotAllowedError') $('unmute-audio').hidden = false; // autoplay with sound blocked
  });
}
$('enable-sound').addEventListener('click', () => playRemote());

// ---- quality, duration, server connection -------------------------------------------------------

call.addEventListener('quality', ({ detail: { sample, quality } }) => {
  const pill = $('quality');
  pill.hidden = call.state === 'ended';
  pill.dataset.level = quality.level;
  const label = { good: 'Good', fair: 'Fair', poor: 'Poor', unknown: 'Measuring' }[quality.level];
  pill.textContent = `Connection: ${label}`;
  const parts = [];
  if (sample.rttMs !== null) parts.push(`RTT ${Math.round(sample.rttMs)} ms`);
  if (sample.lossPct !== null) parts.push(`loss ${sample.lossPct.toFixed(1)} %`);
  if (sample.jitterMs !== null) parts.push(`jitter ${Math.round(sample.jitterMs)} ms`);
  if (sample.inboundVideoKbps !== null) parts.push(`in ${Math.round(sample.inboundVideoKbps + (sample.inboundAudioKbps ?? 0))} kbps`);
  if (sample.outboundKbps !== null) parts.push(`out ${Math.round(sample.outboundKbps)} kbps`);
  if (sample.frameWidth) parts.push(`${sample.frameWidth}×${sample.frameHeight}`);
  if (sample.candidateType) parts.push(sample.candidateType.relayed ? 'via TURN relay' : `direct (${sample.candidateType.local})`);
  pill.title = [parts.join(' · '), ...quality.reasons].filter(Boolean).join('\n');
  $('stats-line').textContent = parts.join(' · ');
});

setInterval(() => {
  const running = call.connectedAt && call.state !== 'ended';
  $('duration').hidden = !running;
  if (running) $('duration').textContent = formatDuration(call.duration);
}, 500);

call.addEventListener('signaling', ({ detail: { state } }) => {
  $('server-status').hidden = state !== 'reconnecting';
});

call.addEventListener('notice', ({ detail: { text } }) => notice(text));

function notice(text) {
  const item = document.createElement('div');
  item.textContent = text;
  $('notices').append(item);
  setTimeout(() => item.remove(), 6000);
}

function setPressed(id, pressed, label) {
  $(id).setAttribute('aria-pressed', String(pressed));
  $(id).textContent = label;
}

// Leaving the page ends the call for real: camera light off, connection closed, peer told.
window.addEventListener('pagehide', () => call.dispose());

const linkPassphrase = passphraseFromFragment(location.hash);
(async () => {
  if (linkPassphrase) {
    $('e2ee-passphrase').value = linkPassphrase;
    // An encrypted call's link never falls back to sending media in the clear.
    await call.setPassphrase(linkPassphrase);
  }
  await call.start();
})().catch((error) => {
  console.error('parley call: start failed', error);
  notice(`Could not start the call: ${error.message}`);
  $('overlay-reason').textContent = error.message;
});
