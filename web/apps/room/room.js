// Minimal group call page: join by link, publish camera + microphone through the SFU, show a
// tile per remote participant.
import { SignalingClient } from '/sdk/signaling.js';
import { SfuSession } from '/sdk/sfu-session.js';

const $ = (id) => document.getElementById(id);
const state = { signaling: null, sfu: null, local: null, tiles: new Map() };
window.room = state; // for tests and debugging

const params = new URLSearchParams(location.search);
$('name').value = params.get('name') ?? localStorage.getItem('parley.name') ?? '';

$('join-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('join').disabled = true;
  try {
    await join($('name').value.trim() || 'Guest');
  } catch (error) {
    setStatus(`could not join: ${error.message}`);
    $('join').disabled = false;
  }
});
$('leave').addEventListener('click', leave);
window.addEventListener('pagehide', leave);

async function join(name) {
  localStorage.setItem('parley.name', name);
  setStatus('starting camera…');
  state.local = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480 } });
  setStatus('joining…');
  const signaling = new SignalingClient();
  state.signaling = signaling;
  const roomId = location.hash.slice(1) || undefined;
  const joined = await signaling.join({ room: roomId, name });
  history.replaceState(null, '', `#${joined.room}`);
  $('share-link').textContent = location.href.replace(location.search, '');
  $('share-link').href = $('share-link').textContent;
  const sfu = new SfuSession(signaling, { rtcConfig: { iceServers: joined.iceServers } });
  state.sfu = sfu;
  sfu.addEventListener('track', ({ detail }) => addRemote(detail));
  sfu.addEventListener('trackended', ({ detail }) => removeRemote(detail));
  sfu.addEventListener('statechange', ({ detail }) => {
    $('media-status').textContent = `sending: ${detail.publish} · receiving: ${detail.subscribe}`;
  });
  signaling.on('peer-left', ({ peerId }) => dropTile(peerId));
  await sfu.start();
  tile('local', `${name} (you)`, true).srcObject = state.local;
  await sfu.publish(state.local, { simulcast: true });
  $('join-form').hidden = true;
  $('call').hidden = false;
  setStatus(`in room ${joined.room}`);
}

function tile(peerId, label, local = false) {
  let entry = state.tiles.get(peerId);
  if (!entry) {
    const div = document.createElement('div');
    div.className = `tile${local ? ' local' : ''}`;
    div.dataset.peer = peerId;
    const video = document.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    video.muted = local;
    const caption = document.createElement('span');
    caption.className = 'name';
    div.append(video, caption);
    $('grid').append(div);
    entry = { div, video, caption, stream: new MediaStream() };
    video.srcObject = entry.stream;
    state.tiles.set(peerId, entry);
  }
  entry.caption.textContent = label;
  return entry.video;
}

function addRemote({ peerId, track }) {
  const name = state.signaling.peers.get(peerId)?.name ?? peerId;
  tile(peerId, name);
  const entry = state.tiles.get(peerId);
  entry.stream.addTrack(track);
  entry.video.play().catch(() => {});
}

function removeRemote({ peerId, track }) {
  const entry = state.tiles.get(peerId);
  if (!entry) return;
  entry.stream.removeTrack(track);
  if (entry.stream.getTracks().length === 0) dropTile(peerId);
}

function dropTile(peerId) {
  const entry = state.tiles.get(peerId);
  if (!entry) return;
  entry.div.remove();
  state.tiles.delete(peerId);
}

function leave() {
  state.sfu?.close();
  state.local?.getTracks().forEach((t) => t.stop());
  state.signaling?.leave().catch(() => {});
  state.signaling?.close();
  state.sfu = null;
  state.signaling = null;
  setStatus('left');
}

function setStatus(text) {
  $('status').textContent = text;
}
