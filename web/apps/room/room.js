// Group call page through Parley's SFU: join by link with a name after a camera preview, a grid
// of up to 16 video tiles (everyone else audio-only), active speaker highlight and a spotlight
// view, pinning, per-tile quality asked from the SFU by tile size, mute / camera / screen share,
// a participant list with mute state and network quality, and reconnection without leaving.
//
// Room state travels between participants as signaling `message`s (broadcast to the room):
// {app: 'room', kind: 'state', micOn, cameraOn, screenSharing, screenTrackId, quality}
// sent on every change, when someone joins, and every few seconds.
import { SignalingClient } from '/sdk/signaling.js';
import { SfuSession } from '/sdk/sfu-session.js';
import { QualityMonitor } from '/sdk/call-quality.js';
import { chooseTiles, constraintsFor, fitGrid, MAX_TILES } from '/apps/room/layout.js';
import { roomLabel, roomStatus } from '/apps/room/room-label.js';
import { tokenFromPage, describeTokenError } from '/sdk/join-token.js';
import { E2EE, e2eeSupport, fragmentWithPassphrase, passphraseFromFragment, randomPassphrase, roomFromFragment } from '/sdk/e2ee.js';

const $ = (id) => document.getElementById(id);
const STATE_INTERVAL_MS = 5000;

const state = {
  signaling: null,
  sfu: null,
  local: null,
  screen: null,
  me: { micOn: true, cameraOn: true, screenSharing: false, screenTrackId: null, quality: 'unknown' },
  people: new Map(), // peerId -> person
  joinOrder: [],
  speakerOrder: [],
  dominant: null,
  pinned: null, // tile key: peerId (camera) or `${peerId}:screen`
  layout: 'grid',
  tiles: new Map(), // tile key -> {div, video, caption, trackId}
  audio: new Map(), // trackId -> <audio>
  monitor: null,
  lastConstraints: '',
  /** Ask the SFU for layers by tile size (tests switch it off to drive sfu-constraints themselves). */
  autoQuality: true,
  restartedAt: -Infinity,
  /** End-to-end encryption (web/sdk/e2ee.js) when the person joined with a passphrase, else null. */
  e2ee: null,
  passphrase: null,
  encryptedNotice: null, // banner text once a peer encrypts and this page has no passphrase
  undecryptable: '', // peer ids whose media fails to decrypt, joined (to re-render only on change)
};
window.room = state; // for tests and debugging

const params = new URLSearchParams(location.search);
$('name').value = params.get('name') ?? localStorage.getItem('parley.name') ?? '';
startPreview();
{
  const linkPassphrase = passphraseFromFragment(location.hash);
  $('e2ee-option').hidden = !e2eeSupport() && !linkPassphrase;
  $('e2ee-toggle').checked = Boolean(linkPassphrase);
  $('e2ee-passphrase').value = linkPassphrase ?? '';
  $('e2ee-fields').hidden = !linkPassphrase;
  $('e2ee-toggle').addEventListener('change', (event) => {
    $('e2ee-fields').hidden = !event.target.checked;
    if (event.target.checked && !$('e2ee-passphrase').value) $('e2ee-passphrase').value = randomPassphrase();
  });
}

$('join-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('join').disabled = true;
  try {
    await join($('name').value.trim() || 'Guest');
  } catch (error) {
    setStatus(describeTokenError(error) ?? `could not join: ${error.message}`);
    $('join').disabled = false;
  }
});
$('leave').addEventListener('click', leave);
$('rejoin').addEventListener('click', () => location.reload());
$('mic').addEventListener('click', () => setMic(!state.me.micOn));
$('camera').addEventListener('click', () => setCamera(!state.me.cameraOn));
$('screen').addEventListener('click', () => (state.me.screenSharing ? stopScreen() : startScreen()).catch((e) => banner(`screen share: ${e.message}`)));
$('layout').addEventListener('click', () => {
  state.layout = state.layout === 'grid' ? 'spotlight' : 'grid';
  render();
});
$('copy-link').addEventListener('click', copyLink);
window.addEventListener('pagehide', leave);
window.addEventListener('resize', () => fitTiles());
new ResizeObserver(() => scheduleConstraints()).observe($('grid'));

async function startPreview() {
  try {
    state.local = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480 } });
  } catch (error) {
    try {
      state.local = await navigator.mediaDevices.getUserMedia({ audio: true });
      $('preview-note').textContent = `no camera (${error.name}): joining with audio only`;
    } catch (audioError) {
      $('preview-note').textContent = `no camera or microphone (${audioError.name}): you can still watch and listen`;
      state.local = new MediaStream();
    }
  }
  $('preview').srcObject = state.local;
}

async function join(name) {
  localStorage.setItem('parley.name', name);
  if (!state.local) await startPreview();
  setStatus('joining…');
  if ($('e2ee-toggle').checked && !state.e2ee) await startE2ee($('e2ee-passphrase').value.trim() || randomPassphrase());
  const signaling = new SignalingClient();
  state.signaling = signaling;
  // A #token=… fragment is the invitation, not a room id: the token then names the room.
  const hashRoom = roomFromFragment(location.hash);
  const joined = await signaling.join({ room: hashRoom || undefined, name, token: tokenFromPage(), meta: { e2ee: Boolean(state.e2ee) } });
  state.canPublish = joined.canPublish !== false;
  state.canSubscribe = joined.canSubscribe !== false;
  // The passphrase stays in the fragment (browsers never send it): the invite link carries it.
  history.replaceState(null, '', fragmentWithPassphrase(`#${joined.room}`, state.passphrase));
  // The link to share carries no token (docs/operations.md): with tokens on, invitations come from the backend.
  state.shareLink = location.href.replace(location.search, '');
  $('room-label').textContent = roomLabel(joined.room);
  $('room-label').title = `Room ${joined.room}`;
  $('copy-link').title = state.shareLink;
  $('room-name').hidden = false;
  if (!state.canPublish) {
    // A viewer link: the camera and microphone would only be on for nothing (and their light with them).
    state.local.getTracks().forEach((t) => t.stop());
    state.local = new MediaStream();
    state.me.micOn = false;
    state.me.cameraOn = false;
    for (const id of ['mic', 'camera', 'screen']) $(id).hidden = true;
  }
  for (const peer of signaling.peers.values()) addPerson(peer);
  signaling.on('peer-joined', ({ peer }) => {
    addPerson(peer);
    sendState();
    render();
  });
  signaling.on('peer-left', ({ peerId }) => removePerson(peerId));
  signaling.on('peer-disconnected', ({ peerId }) => setAway(peerId, true));
  signaling.on('peer-reconnected', ({ peerId }) => setAway(peerId, false));
  signaling.on('message', ({ from, data }) => onRoomMessage(from, data));
  signaling.on('statechange', ({ state: s }) => {
    if (s === 'reconnecting') banner('Connection to the server lost — reconnecting…');
    else if (s === 'open') banner(rightsBanner());
  });
  signaling.on('rejoined', () => {
    // The old session could not be resumed: we are a new peer in the same room; media starts over.
    state.people.clear();
    state.joinOrder = [];
    for (const peer of signaling.peers.values()) addPerson(peer);
    restartMedia('rejoined').catch((e) => banner(`media: ${e.message}`));
  });
  tile('local', { local: true }).video.srcObject = state.local;
  $('preview').srcObject = null;
  await startMedia();
  $('join-form').hidden = true;
  $('call').hidden = false;
  setStatus(roomStatus(state.people.size));
  sendState();
  state.stateTimer = setInterval(sendState, STATE_INTERVAL_MS);
  render();
}

// ---- media ------------------------------------------------------------------------------

async function startMedia() {
  const sfu = new SfuSession(state.signaling, { rtcConfig: { iceServers: state.signaling.iceServers }, subscribe: state.canSubscribe,
    e2ee: state.e2ee ?? undefined });
  state.sfu = sfu;
  sfu.addEventListener('track', ({ detail }) => addTrack(detail));
  sfu.addEventListener('trackended', ({ detail }) => removeTrack(detail));
  sfu.addEventListener('statechange', ({ detail }) => {
    $('media-status').textContent = `sending: ${detail.publish} · receiving: ${detail.subscribe}`;
  });
  sfu.addEventListener('speaker', ({ detail }) => onSpeaker(detail.peerId));
  sfu.addEventListener('forwarding', () => render()); // a video the SFU holds back shows the avatar, not a frozen frame
  sfu.addEventListener('closed', ({ detail }) => {
    // Both transports report their loss; the SFU's later events may reach the new session: one restart.
    if (state.sfu !== sfu || performance.now() - state.restartedAt < 3000) return;
    banner(`Media connection lost (${detail.reason}) — reconnecting…`);
    restartMedia(detail.reason).catch((e) => banner(`media: ${e.message}`));
  });
  await sfu.start();
  banner(rightsBanner());
  if (state.canPublish && state.local.getTracks().length) await sfu.publish(state.local, { simulcast: true });
  if (state.screen) await publishScreen();
  state.monitor?.stop();
  state.monitor = new QualityMonitor(() => state.sfu?.subscribePc ?? state.sfu?.publishPc, { expectVideo: () => false });
  state.monitor.addEventListener('sample', ({ detail }) => {
    if (detail.quality.level === state.me.quality) return;
    state.me.quality = detail.quality.level;
    sendState();
    renderPeople();
  });
  state.monitor.start();
  state.lastConstraints = '';
  scheduleConstraints();
}

/** Rebuilds both media connections in the same room (the SFU closed them, or we rejoined). */
async function restartMedia(reason) {
  console.info('parley room: restarting media:', reason);
  state.restartedAt = performance.now();
  const old = state.sfu;
  state.sfu = null;
  old?.close();
  state.e2ee?.forgetTransforms();
  for (const person of state.people.values()) person.videos.clear();
  for (const element of state.audio.values()) element.remove();
  state.audio.clear();
  await startMedia();
  render();
}

/** What a join token's media rights leave out, in plain words (null when it allows everything). */
function rightsBanner() {
  if (!state.canPublish && !state.canSubscribe) return 'Your link lets you be in the call; it does not allow sending or receiving video or sound.';
  if (!state.canPublish) return 'Your link lets you watch and listen; it does not allow sending video or sound.';
  if (!state.canSubscribe) return 'Your link lets you send video and sound; it does not allow seeing or hearing the others.';
  return null;
}

async function copyLink() {
  const button = $('copy-link');
  try {
    await navigator.clipboard.writeText(state.shareLink);
    button.textContent = 'Copied';
  } catch {
    window.prompt('Copy this link:', state.shareLink); // no clipboard access (http on another host)
  }
  setTimeout(() => { button.textContent = 'Copy link'; }, 2000);
}

function addTrack({ peerId, trackId, track }) {
  const person = state.people.get(peerId);
  if (track.kind === 'audio') {
    const element = document.createElement('audio');
    element.autoplay = true;
    element.srcObject = new MediaStream([track]);
    document.body.append(element);
    state.audio.set(trackId, element);
    return;
  }
  if (!person) return;
  person.videos.set(trackId, track);
  render();
}

function removeTrack({ peerId, trackId, track }) {
  if (track.kind === 'audio') {
    state.audio.get(trackId)?.remove();
    state.audio.delete(trackId);
    return;
  }
  state.people.get(peerId)?.videos.delete(trackId);
  render();
}

/** Mute / unmute the microphone or stop / start the camera: the track stays published, disabled. */
function setLocal(kind, on) {
  const audio = kind === 'audio';
  state.me[audio ? 'micOn' : 'cameraOn'] = on;
  (audio ? state.local.getAudioTracks() : state.local.getVideoTracks()).forEach((t) => { t.enabled = on; });
  const button = $(audio ? 'mic' : 'camera');
  button.textContent = audio ? (on ? 'Mute' : 'Unmute') : (on ? 'Stop camera' : 'Start camera');
  button.setAttribute('aria-pressed', String(on));
  sendState();
  render();
}

const setMic = (on) => setLocal('audio', on);
const setCamera = (on) => setLocal('video', on);

async function startScreen() {
  state.screen = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
  state.screen.getVideoTracks()[0].addEventListener('ended', () => stopScreen());
  await publishScreen();
  $('screen').textContent = 'Stop sharing';
  $('screen').setAttribute('aria-pressed', 'true');
}

async function publishScreen() {
  const track = state.screen.getVideoTracks()[0];
  await state.sfu.publish(state.screen);
  const mid = state.sfu.publishPc.getTransceivers().find((t) => t.sender.track === track)?.mid;
  // The SFU names a published track `${peerId}-${mid}` (docs/protocol.md).
  state.me.screenTrackId = `${state.signaling.peerId}-${mid}`;
  state.me.screenSharing = true;
  sendState();
  render();
}

async function stopScreen() {
  const screen = state.screen;
  if (!screen) return;
  state.screen = null;
  state.me.screenSharing = false;
  state.me.screenTrackId = null;
  $('screen').textContent = 'Share screen';
  $('screen').setAttribute('aria-pressed', 'false');
  sendState();
  for (const track of screen.getTracks()) {
    track.stop();
    await state.sfu?.unpublish(track);
  }
  render();
}

// ---- people -----------------------------------------------------------------------------

function addPerson(peer) {
  if (peer.id === state.signaling.peerId || state.people.has(peer.id)) return;
  state.people.set(peer.id, { id: peer.id, name: peer.name, micOn: true, cameraOn: true, screenSharing: false,
    screenTrackId: null, quality: 'unknown', away: Boolean(peer.away), videos: new Map(),
    // What the peer said in its join meta: true encrypts, false does not, undefined an older page.
    e2ee: typeof peer.meta?.e2ee === 'boolean' ? peer.meta.e2ee : undefined });
  if (!state.e2ee && peer.meta?.e2ee === true && !state.encryptedNotice) {
    state.encryptedNotice = `${peer.name || 'Someone'} encrypts this room end to end — open the full link (with its #e2ee=… part) to see and hear them`;
    banner(null);
  }
  state.joinOrder.push(peer.id);
  render();
}

function removePerson(peerId) {
  state.people.delete(peerId);
  state.joinOrder = state.joinOrder.filter((id) => id !== peerId);
  if (state.pinned?.startsWith(peerId)) state.pinned = null;
  render();
}

function setAway(peerId, away) {
  const person = state.people.get(peerId);
  if (!person) return;
  person.away = away;
  renderPeople();
}

function onRoomMessage(from, data) {
  const person = state.people.get(from);
  if (!person || data?.app !== 'room' || data.kind !== 'state') return;
  person.micOn = data.micOn !== false;
  person.cameraOn = data.cameraOn !== false;
  person.screenSharing = data.screenSharing === true;
  person.screenTrackId = typeof data.screenTrackId === 'string' ? data.screenTrackId : null;
  person.quality = ['good', 'fair', 'poor'].includes(data.quality) ? data.quality : 'unknown';
  render();
}

function sendState() {
  if (!state.signaling?.peerId) return;
  const { micOn, cameraOn, screenSharing, screenTrackId, quality } = state.me;
  state.signaling.send('message', { data: { app: 'room', kind: 'state', micOn, cameraOn, screenSharing, screenTrackId, quality } });
}

function onSpeaker(peerId) {
  state.dominant = peerId;
  state.speakerOrder = [peerId, ...state.speakerOrder.filter((id) => id !== peerId)];
  render();
}

// ---- rendering --------------------------------------------------------------------------

/** The camera and screen tracks of a person (the screen is the one its state names). */
function videosOf(person) {
  let camera = null;
  let screen = null;
  for (const [trackId, track] of person.videos) {
    if (person.screenSharing && trackId === person.screenTrackId) screen = { trackId, track };
    else camera = { trackId, track };
  }
  return { camera, screen };
}

function render() {
  if (!state.signaling || !state.tiles.has('local')) return; // not in the call yet
  const sharing = new Set([...state.people.values()].filter((p) => p.screenSharing).map((p) => p.id));
  const { tiles: shown, audioOnly } = chooseTiles(state.joinOrder, {
    pinned: state.pinned?.split(':')[0] ?? null, speakerOrder: state.speakerOrder, sharing, max: MAX_TILES - sharing.size,
  });
  const wanted = new Set(['local']);
  for (const id of shown) {
    const person = state.people.get(id);
    const { camera, screen } = videosOf(person);
    wanted.add(id);
    fill(tile(id), person, camera, person.cameraOn, false);
    if (screen) {
      wanted.add(`${id}:screen`);
      fill(tile(`${id}:screen`), person, screen, true, true);
    }
  }
  for (const [key, entry] of state.tiles) {
    if (!wanted.has(key)) {
      entry.div.remove();
      state.tiles.delete(key);
    }
  }
  const local = state.tiles.get('local');
  local.caption.textContent = `${state.signaling.name ?? 'You'} (you)`;
  local.caption.classList.toggle('mic-off', !state.me.micOn);
  local.muted.hidden = state.me.micOn;
  local.avatar.textContent = (state.signaling.name || 'You').slice(0, 1).toUpperCase(); // shown when the camera is off
  local.div.classList.toggle('video-on', state.me.cameraOn && state.local.getVideoTracks().length > 0);
  local.div.classList.toggle('speaking', state.dominant === state.signaling.peerId);
  // spotlight: the pinned tile, else a screen share, else the dominant speaker
  const spotKey = state.layout === 'spotlight' || state.pinned
    ? [state.pinned, [...wanted].find((k) => k.endsWith(':screen')), state.dominant, shown[0]]
      .find((k) => k && state.tiles.has(k) && k !== 'local') ?? null
    : null;
  $('spotlight').hidden = !spotKey;
  $('grid').parentElement.classList.toggle('spotlit', Boolean(spotKey));
  for (const [key, entry] of state.tiles) {
    const parent = key === spotKey ? $('spotlight') : $('grid');
    if (entry.div.parentElement !== parent) parent.append(entry.div);
    entry.div.classList.toggle('pinned', key === state.pinned);
  }
  fitTiles();
  if (!$('call').hidden) setStatus(roomStatus(state.people.size));
  $('layout').textContent = state.layout === 'grid' ? 'Spotlight view' : 'Grid view';
  $('audio-only-title').hidden = audioOnly.length === 0;
  $('audio-only').replaceChildren(...audioOnly.map((id) => personRow(state.people.get(id))));
  renderPeople();
  scheduleConstraints();
}

/** Sizes the grid so all its tiles fit between its top and the bottom of the window (no scrolling). */
function fitTiles() {
  const grid = $('grid');
  if (grid.parentElement.classList.contains('spotlit') || !grid.children.length) {
    grid.style.removeProperty('--tile-width');
    return;
  }
  const bottomMargin = 16; // the page's own padding below the grid
  const height = window.innerHeight - grid.getBoundingClientRect().top - bottomMargin;
  const { columns, tileWidth } = fitGrid(grid.children.length, grid.clientWidth, height, { gap: 8, aspect: 4 / 3 });
  grid.style.setProperty('--columns', columns);
  grid.style.setProperty('--tile-width', `${tileWidth}px`);
}

function fill(entry, person, video, videoOn, isScreen) {
  entry.caption.textContent = isScreen ? `${person.name} (screen)` : person.name;
  entry.caption.classList.toggle('mic-off', !isScreen && !person.micOn);
  entry.muted.hidden = isScreen || person.micOn;
  entry.div.classList.toggle('screen', isScreen);
  entry.div.classList.toggle('speaking', !isScreen && state.dominant === person.id);
  const forwarded = state.sfu?.forwarding?.forwarded;
  const held = Boolean(video && forwarded) && !forwarded.includes(video.trackId);
  entry.div.classList.toggle('video-on', Boolean(video) && videoOn && !held);
  entry.div.classList.toggle('held', held);
  entry.avatar.textContent = (person.name || '?').slice(0, 1).toUpperCase();
  const undecryptable = !isScreen && state.undecryptable.split(' ').includes(person.id);
  entry.div.classList.toggle('undecryptable', undecryptable);
  if (undecryptable) entry.caption.textContent += person.e2ee === false ? ' — not encrypting: they need the full link' : ' — can’t decrypt: different passphrase?';
  // They encrypt and this page does not: their frames would decode as noise, so show the avatar.
  const encryptedOnly = !state.e2ee && person.e2ee === true;
  entry.div.classList.toggle('encrypted-only', encryptedOnly);
  if (encryptedOnly) {
    entry.div.classList.remove('video-on');
    entry.caption.textContent += ' — encrypted — open the full link';
  }
  entry.trackId = video?.trackId ?? null;
  const current = entry.video.srcObject?.getVideoTracks?.()[0] ?? null;
  if ((video?.track ?? null) !== current) {
    entry.video.srcObject = video ? new MediaStream([video.track]) : null;
    entry.video.play().catch(() => {});
  }
}

function tile(key, { local = false } = {}) {
  let entry = state.tiles.get(key);
  if (entry) return entry;
  const div = document.createElement('div');
  div.className = `tile${local ? ' local' : ''}`;
  div.dataset.key = key;
  if (!local) div.dataset.peer = key.split(':')[0];
  const video = document.createElement('video');
  video.autoplay = true;
  video.playsInline = true;
  video.muted = true; // sound plays from the <audio> elements, also for people without a tile
  const avatar = document.createElement('div');
  avatar.className = 'avatar';
  const caption = document.createElement('span');
  caption.className = 'name';
  const muted = document.createElement('span');
  muted.className = 'muted-badge';
  muted.hidden = true;
  muted.innerHTML = MIC_OFF_ICON;
  muted.append('Muted');
  div.append(video, avatar, caption, muted);
  if (!local) {
    const pin = document.createElement('button');
    pin.type = 'button';
    pin.className = 'pin';
    pin.textContent = 'Pin';
    pin.addEventListener('click', () => {
      state.pinned = state.pinned === key ? null : key;
      pin.textContent = state.pinned === key ? 'Unpin' : 'Pin';
      render();
    });
    div.append(pin);
  }
  $('grid').append(div);
  entry = { div, video, avatar, caption, muted, trackId: null };
  state.tiles.set(key, entry);
  return entry;
}

/** A crossed-out microphone (decorative; the badge says "Muted" in words). */
const MIC_OFF_ICON = '<svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2.2" '
  + 'stroke-linecap="round"><rect x="9" y="3" width="6" height="11" rx="3"/><path d="M5 11a7 7 0 0 0 14 0M12 18v3M4 4l16 16"/></svg>';

function renderPeople() {
  const me = { id: state.signaling.peerId, name: `${state.signaling.name ?? 'You'} (you)`, ...state.me, away: false };
  const rows = [me, ...state.joinOrder.map((id) => state.people.get(id))].map(personRow);
  $('people').replaceChildren(...rows);
  $('people-count').textContent = `(${rows.length})`;
}

function personRow(person) {
  const li = document.createElement('li');
  li.dataset.peer = person.id;
  li.classList.toggle('speaking', state.dominant === person.id);
  const quality = document.createElement('span');
  quality.className = `quality ${person.quality}`;
  quality.title = `network: ${person.quality}`;
  const who = document.createElement('span');
  who.className = 'who';
  who.textContent = person.name;
  const status = document.createElement('span');
  status.className = 'state';
  const parts = [person.micOn ? 'mic on' : 'muted'];
  if (!person.cameraOn) parts.push('camera off');
  if (person.screenSharing) parts.push('sharing');
  if (person.away) parts.push('reconnecting');
  status.textContent = parts.join(' · ');
  li.dataset.muted = String(!person.micOn);
  li.append(quality, who, status);
  return li;
}

// ---- what to ask the SFU for ------------------------------------------------------------

let constraintsTimer = null;

/** Sends sfu-constraints for the tiles on screen (debounced; only when something changed). */
function scheduleConstraints() {
  clearTimeout(constraintsTimer);
  constraintsTimer = setTimeout(sendConstraints, 250);
}

function sendConstraints() {
  const sfu = state.sfu;
  if (!sfu || !state.autoQuality || !state.canSubscribe) return; // publish-only: the SFU sends us nothing
  const heights = new Map();
  for (const person of state.people.values()) {
    for (const trackId of person.videos.keys()) heights.set(trackId, 0);
  }
  for (const entry of state.tiles.values()) {
    if (entry.trackId) heights.set(entry.trackId, Math.round(entry.div.clientHeight * (window.devicePixelRatio || 1)));
  }
  const stage = state.pinned ? [state.pinned.endsWith(':screen')
    ? state.tiles.get(state.pinned)?.trackId : state.pinned.split(':')[0]].filter(Boolean) : [];
  const body = constraintsFor(heights, stage);
  const text = JSON.stringify(body);
  if (text === state.lastConstraints) return;
  state.lastConstraints = text;
  sfu.setConstraints(body).catch((error) => console.warn('parley room: sfu-constraints failed', error));
}

// ---- leaving ----------------------------------------------------------------------------

function leave() {
  clearInterval(state.stateTimer);
  state.e2ee?.close();
  state.e2ee = null;
  state.monitor?.stop();
  state.sfu?.close();
  state.local?.getTracks().forEach((t) => t.stop());
  state.screen?.getTracks().forEach((t) => t.stop());
  state.signaling?.leave().catch(() => {});
  state.signaling?.close();
  state.sfu = null;
  state.signaling = null;
  setStatus('left');
  // Nothing of the call stays on screen: no frozen tiles, no live-looking controls.
  $('call').hidden = true;
  for (const id of ['grid', 'spotlight', 'people', 'audio-only']) $(id).replaceChildren();
  $('media-status').textContent = '';
  $('room-name').hidden = true;
  $('left').hidden = false;
}

// ---- end-to-end encryption ----------------------------------------------------------------------

async function startE2ee(passphrase) {
  const e2ee = new E2EE(); // throws in a browser without encoded transforms: better than joining in the clear
  await e2ee.setPassphrase(passphrase);
  state.e2ee = e2ee;
  state.passphrase = passphrase;
  e2ee.addEventListener('status', ({ detail }) => showE2ee(detail));
  showE2ee(e2ee.status());
}

function showE2ee({ failing, sent, received, decryptFailures }) {
  const pill = $('e2ee');
  pill.hidden = false;
  const names = failing.map((id) => state.people.get(id)?.name ?? 'someone');
  const clear = failing.filter((id) => state.people.get(id)?.e2ee === false);
  pill.classList.toggle('bad', failing.length > 0);
  pill.textContent = !failing.length ? '🔒 End-to-end encrypted'
    : clear.length === failing.length ? `${names.join(', ')} not encrypting — they need the full link`
    : `Can’t decrypt ${names.join(', ')}: different passphrase?`;
  pill.title = `Media is encrypted in this browser; the server relays only ciphertext.\n${sent} frames sent, ${received} decrypted, ${decryptFailures} could not be decrypted`;
  document.body.dataset.e2ee = failing.length ? 'failing' : 'on';
  const undecryptable = failing.join(' ');
  if (undecryptable !== state.undecryptable) {
    state.undecryptable = undecryptable;
    render();
  }
}

function setStatus(text) {
  $('status').textContent = text;
}

function banner(text) {
  text = text || state.encryptedNotice; // set once a peer encrypts and this page cannot decrypt
  $('banner').hidden = !text;
  $('banner').textContent = text ?? '';
}
