// The Send files app: a sender shares files under a short code (the signaling room id); each
// receiver that opens the link gets its own P2PSession and FileSender. This module owns the DOM;
// the transfer logic is in /sdk/file-transfer.js.
import qrcode from 'qrcode-generator';
import { SignalingClient } from '/sdk/signaling.js';
import { P2PSession } from '/sdk/p2p-session.js';
import { OfferedFile, FileSender, FileReceiver, newKeyPrefix } from '/sdk/file-transfer.js';
import { CHANNEL, newTransferId } from '/sdk/transfer-protocol.js';
import { tokenFromPage, describeTokenError } from '/sdk/join-token.js';
import { openStorage, cleanStorage, holdKeyPrefix } from '/sdk/transfer-storage.js';
import { RateMeter, formatBytes, formatEta } from '/sdk/transfer-rate.js';
import { newShortCode, normalizeShortCode } from '/sdk/short-code.js';
import { sanitizePath, baseName } from '/sdk/file-names.js';

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};
const LEDGER_PREFIX = 'parley.transfer.ledger.';
const LEDGER_KEY = (code) => LEDGER_PREFIX + code;
const debug = { sessions: new Map(), senders: new Map(), receiver: null, client: null, cleanup: null };
window.parleyTransfer = debug; // for tests and the curious: counters, sessions

// ---- shared: name, signaling --------------------------------------------------------------

const nameInput = $('my-name');
nameInput.value = localStorage.getItem('parley.name') || '';
nameInput.placeholder = 'Anonymous';
nameInput.addEventListener('change', () => localStorage.setItem('parley.name', nameInput.value.trim()));
const myName = () => nameInput.value.trim() || 'Anonymous';

const client = new SignalingClient();
debug.client = client;
client.on('statechange', ({ state }) => {
  const line = $('connection');
  line.dataset.state = state;
  line.textContent = {
    connecting: 'Connecting to the server…', open: 'Connected to the server.',
    reconnecting: 'Lost the server, reconnecting… (transfers in progress continue)', closed: 'Disconnected from the server.',
  }[state] ?? state;
});
client.on('session-lost', () => { $('connection').textContent = 'The server forgot this session; rejoining…'; });

/**
 * One negotiated data channel per connection; setup runs again after a full reconnect.
 * Only the impolite side creates its half before negotiating, so only it offers: the polite
 * side creates its half once the offer is in. (When both offered at once, Chrome 156 sometimes
 * left the polite side's ICE gathering stuck after the rollback, with no candidates ever.)
 * A transfer channel that closes while the transfer is unfinished means the SCTP association is
 * gone (the peer's connection was closed or torn down): ICE restart cannot bring that back, so
 * the impolite side asks for a brand-new connection at once (the polite side follows its offer,
 * or asks itself if none came); the transfer resumes on the new channel.
 */
function openSession(peerId, onChannel, unfinished) {
  // ?relay=1 forces every byte through TURN (what a user behind a strict firewall gets).
  const relayOnly = new URLSearchParams(location.search).get('relay') === '1';
  const session = new P2PSession(client, peerId, {
    rtcConfig: relayOnly ? { iceServers: client.iceServers, iceTransportPolicy: 'relay' } : undefined,
    setup: (pc) => {
      let created = false;
      const create = () => {
        if (created) return;
        created = true;
        const channel = pc.createDataChannel(CHANNEL.label, { negotiated: true, id: CHANNEL.id, ordered: true });
        channel.addEventListener('close', () => {
          if (session.pc !== pc || session.state === 'closed' || !unfinished()) return;
          if (!session.polite) session.restart();
          else setTimeout(() => { if (session.pc === pc && session.state !== 'closed' && unfinished()) session.restart(); }, 4000);
        });
        onChannel(channel, pc);
      };
      if (!session.polite) create();
      else pc.addEventListener('signalingstatechange', () => { if (pc.remoteDescription) create(); });
    },
  });
  debug.sessions.set(peerId, session);
  return session;
}

const FINAL = ['done', 'declined', 'cancelled', 'failed'];
/** Once a transfer is over, its connection is released, after the last queued messages are out. */
function closeWhenFinished(transfer, session) {
  transfer.addEventListener('statechange', async () => {
    if (!FINAL.includes(transfer.state)) return;
    const deadline = performance.now() + 15_000;
    while (transfer.channel?.readyState === 'open' && transfer.channel.bufferedAmount > 0 && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    setTimeout(() => session.close('transfer finished'), 1000);
  });
}

/**
 * Cancel travels on the data channel (behind up to HIGH_WATER bytes of data) and, so that it is
 * seen at once, also as a signaling app message.
 */
function signalCancel(peerId, transferId, reason) {
  client.sendTo(peerId, 'message', { data: { app: 'transfer', type: 'cancel', transferId, reason } });
}
function onSignalledCancel(peerId, transferId, handler) {
  client.on('message', (m) => {
    if (m.from === peerId && m.data?.app === 'transfer' && m.data.type === 'cancel' && m.data.transferId === transferId()) handler(String(m.data.reason ?? ''));
  });
}

function percent(done, total) {
  return total === 0 ? 100 : Math.floor((done / total) * 1000) / 10;
}

function fileRow(file, { withProgress }) {
  const row = el('tr', { className: 'file' });
  row.dataset.index = file.index;
  row.append(el('td', { className: 'name', textContent: file.name, title: file.name }),
    el('td', { className: 'num', textContent: formatBytes(file.size) }));
  if (withProgress) {
    const bar = el('div', { className: 'bar' }, el('div', { className: 'fill' }));
    row.append(el('td', {}, bar), el('td', { className: 'num' }, el('span', { className: 'file-state', textContent: '' })));
  }
  return row;
}

function setRowProgress(row, done, size, state, label) {
  row.dataset.state = state;
  row.querySelector('.fill').style.width = `${percent(done, size)}%`;
  const cell = row.querySelector('.file-state');
  cell.dataset.state = state;
  cell.dataset.percent = String(percent(done, size));
  if (cell.firstChild?.nodeName !== 'A' || state !== 'verified') cell.textContent = label;
}

// ---- sender -------------------------------------------------------------------------------

let picked = []; // {blob, path}

function showSender() {
  $('pick').hidden = false;
  const drop = $('drop-zone');
  $('file-input').addEventListener('change', (e) => { addFiles([...e.target.files].map((f) => ({ blob: f, path: f.name }))); e.target.value = ''; });
  $('folder-input').addEventListener('change', (e) => { addFiles([...e.target.files].map((f) => ({ blob: f, path: f.webkitRelativePath || f.name }))); e.target.value = ''; });
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', async (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const entries = [...e.dataTransfer.items].map((item) => item.webkitGetAsEntry?.()).filter(Boolean);
    if (entries.length) addFiles((await Promise.all(entries.map((entry) => walkEntry(entry, '')))).flat());
    else addFiles([...e.dataTransfer.files].map((f) => ({ blob: f, path: f.name })));
  });
  $('clear-selection').addEventListener('click', () => { picked = []; renderSelection(); });
  $('share').addEventListener('click', () => share().catch((error) => {
    $('selection-summary').textContent = describeTokenError(error) ?? `Could not create a link: ${error.message}`;
  }));
  $('code-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const code = normalizeShortCode($('code-input').value);
    if (!code) { $('code-error').textContent = 'A code has 10 letters and digits, like 7K2QD-M9XAB.'; return; }
    location.hash = code; // hashchange reloads into receiver mode
  });
}

/** Files of a dropped folder, with paths relative to the drop. */
async function walkEntry(entry, prefix) {
  if (entry.isFile) {
    const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
    return [{ blob: file, path: prefix + file.name }];
  }
  const reader = entry.createReader();
  const children = [];
  for (;;) {
    const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
    if (!batch.length) break;
    children.push(...batch);
  }
  const nested = await Promise.all(children.map((child) => walkEntry(child, `${prefix}${entry.name}/`)));
  return nested.flat();
}

function addFiles(files) {
  picked.push(...files.map((f) => ({ blob: f.blob, path: sanitizePath(f.path) })));
  renderSelection();
}

function renderSelection() {
  const body = $('selected-files');
  body.replaceChildren(...picked.map((f, index) => {
    const row = fileRow({ index, name: f.path, size: f.blob.size }, { withProgress: false });
    const remove = el('button', { className: 'button secondary', textContent: 'Remove' });
    remove.addEventListener('click', () => { picked.splice(index, 1); renderSelection(); });
    row.append(el('td', { className: 'num' }, remove));
    return row;
  }));
  $('selection').hidden = picked.length === 0;
  const total = picked.reduce((n, f) => n + f.blob.size, 0);
  $('selection-summary').textContent = `${picked.length} file${picked.length === 1 ? '' : 's'}, ${formatBytes(total)}`;
}

async function share() {
  if (!picked.length) return;
  $('share').disabled = true;
  const files = picked.map((f, index) => new OfferedFile(f.blob, f.path, index));
  const transferId = newTransferId();
  let joined;
  // With an invitation token the token names the room (mint it for a share code, XXXXX-XXXXX).
  const token = tokenFromPage();
  for (let tries = 0; tries < 5; tries += 1) {
    joined = await client.join({ room: token ? undefined : newShortCode(), name: myName(), meta: { app: 'transfer', role: 'sender' }, token });
    if (joined.peers.length === 0 || token) break;
    await client.leave(); // the code is taken (1 in 2^50): draw another
  }
  const code = joined.room;
  const link = `${location.origin}/transfer#${code}`;
  $('pick').hidden = true;
  $('shared').hidden = false;
  $('share-link').value = link;
  $('share-code').textContent = code;
  $('share-origin').textContent = location.host;
  const total = files.reduce((n, f) => n + f.size, 0);
  $('shared-summary').textContent = `${files.length} file${files.length === 1 ? '' : 's'}, ${formatBytes(total)}`;
  const qr = qrcode(0, 'M');
  qr.addData(link);
  qr.make();
  $('qr').innerHTML = qr.createSvgTag({ cellSize: 4, margin: 2, scalable: true });
  $('copy-link').addEventListener('click', () => navigator.clipboard?.writeText(link));
  $('stop-sharing').addEventListener('click', () => {
    for (const [peerId, sender] of debug.senders) {
      if (FINAL.includes(sender.state)) continue;
      sender.cancel('the sender stopped sharing');
      signalCancel(peerId, transferId, 'the sender stopped sharing');
    }
    setTimeout(() => { client.leave().catch(() => {}); location.href = '/transfer'; }, 300);
  });
  window.addEventListener('beforeunload', (e) => {
    if ([...debug.senders.values()].some((s) => s.state === 'sending')) e.preventDefault();
  });
  const onPeer = (peer) => peer.meta?.role === 'receiver' && !debug.senders.has(peer.id) && serve(peer, files, transferId);
  client.on('peer-joined', ({ peer }) => onPeer(peer));
  client.on('peer-left', ({ peerId }) => debug.senders.get(peerId)?.peerGone('the receiver left'));
  client.on('peer-disconnected', ({ peerId }) => receiverCard(peerId)?.setAttribute('data-away', 'true'));
  client.on('peer-reconnected', ({ peerId }) => receiverCard(peerId)?.removeAttribute('data-away'));
  joined.peers.forEach(onPeer);
}

function receiverCard(peerId) {
  return document.querySelector(`.receiver[data-peer="${CSS.escape(peerId)}"]`);
}

/** Receiver key (sent in join meta, kept across a reload) → peer id serving it now. */
const receiverKeys = new Map();

/**
 * A receiver that reloaded its page comes back as a new peer with the same receiver key: the
 * earlier connection is dropped and the new one takes over its card.
 */
function retireEarlier(peer) {
  const key = peer.meta?.receiverKey;
  const earlierId = typeof key === 'string' ? receiverKeys.get(key) : undefined;
  if (key) receiverKeys.set(key, peer.id);
  const earlier = earlierId && debug.senders.get(earlierId);
  if (!earlier || FINAL.includes(earlier.state)) return null;
  debug.senders.delete(earlierId);
  debug.sessions.get(earlierId)?.close('the receiver reloaded its page');
  earlier.peerGone('the receiver reloaded its page');
  return receiverCard(earlierId);
}

/** Serves one receiver: its own connection, sender and progress card. */
function serve(peer, files, transferId) {
  $('no-receivers').hidden = true;
  const replaced = retireEarlier(peer);
  // The name the server admitted us with: with a join token that is the token's name, not what was typed.
  const sender = new FileSender(files, { transferId, from: client.name || myName() });
  debug.senders.set(peer.id, sender);
  const session = openSession(peer.id, (channel, pc) => sender.attach(channel, pc), () => !FINAL.includes(sender.state));
  closeWhenFinished(sender, session);
  const card = el('div', { className: 'receiver' });
  card.dataset.peer = peer.id;
  const state = el('span', { className: 'state' });
  const cancel = el('button', { className: 'button danger cancel-receiver', textContent: 'Cancel' });
  cancel.addEventListener('click', () => {
    sender.cancel('the sender cancelled');
    signalCancel(peer.id, transferId, 'the sender cancelled');
  });
  onSignalledCancel(peer.id, () => transferId, (reason) => sender.remoteCancelled(reason || 'cancelled by the receiver'));
  const body = el('tbody');
  const rows = files.map((f) => fileRow({ index: f.index, name: f.path, size: f.size }, { withProgress: true }));
  body.append(...rows);
  const totalBar = el('div', { className: 'fill' });
  const figures = el('p', { className: 'figures' });
  card.append(el('h4', {}, el('span', { className: 'peer-name', textContent: peer.name }), state),
    el('table', { className: 'files' }, body), el('div', { className: 'bar' }, totalBar), figures, el('p', { className: 'buttons' }, cancel));
  if (replaced) replaced.replaceWith(card);
  else $('receivers').append(card);
  const meter = new RateMeter();
  const render = () => {
    card.dataset.state = sender.state;
    const labels = { waiting: 'Connecting…', offered: 'Waiting for them to accept', sending: 'Sending', done: 'Delivered and verified', declined: 'Declined', cancelled: 'Cancelled', failed: 'Failed' };
    const explained = sender.reason && !['sending', 'offered', 'done'].includes(sender.state);
    state.textContent = `${labels[sender.state] ?? sender.state}${explained ? ` — ${sender.reason}` : ''}`;
    if (sender.state === 'done' && sender.progress.some((p) => !p.ok)) state.textContent = `Finished with errors — ${sender.reason}`;
    sender.progress.forEach((p, i) => {
      const fileState = p.done ? (p.ok ? 'verified' : 'corrupt') : (p.acked > 0 ? 'receiving' : 'pending');
      const label = p.done ? (p.ok ? 'Verified ✓' : 'Integrity check failed') : `${percent(p.acked, p.size)} %`;
      setRowProgress(rows[i], p.done ? p.size : p.acked, p.size, fileState, label);
    });
    const done = sender.totalAcked;
    meter.update(done);
    totalBar.style.width = `${percent(done, sender.totalSize)}%`;
    const moving = sender.state === 'sending' ? ` · ${formatBytes(meter.bytesPerSecond())}/s · ${formatEta(meter.eta(sender.totalSize - done))} left` : '';
    figures.textContent = `${percent(done, sender.totalSize)} % · ${formatBytes(done)} of ${formatBytes(sender.totalSize)}${moving}`;
    figures.dataset.percent = String(percent(done, sender.totalSize));
    cancel.parentElement.hidden = FINAL.includes(sender.state);
  };
  sender.addEventListener('statechange', render);
  sender.addEventListener('progress', throttle(render, 500));
  sender.addEventListener('file-done', render);
  session.addEventListener('statechange', ({ detail }) => {
    if (detail.state === 'failed' || (detail.state === 'closed' && detail.reason !== 'transfer finished')) sender.peerGone(detail.state === 'failed' ? `connection failed: ${detail.reason}` : 'the receiver left');
  });
  setInterval(render, 1000);
  session.start();
  render();
}

// ---- receiver -----------------------------------------------------------------------------

async function showReceiver(code) {
  $('receive').hidden = false;
  const status = $('status');
  const setStatus = (state, text) => { status.dataset.state = state; status.textContent = text; };
  const saved = readLedger(code);
  // Files this page writes carry its key prefix (the saved one after a reload): hold it before
  // clearing other pages' leftovers.
  const keyPrefix = saved?.keyPrefix ?? newKeyPrefix();
  holdKeyPrefix(keyPrefix);
  startCleanup();
  const storage = await openStorage();
  const receiver = new FileReceiver({
    storage, saved, keyPrefix,
    persist: (ledger) => (ledger ? localStorage.setItem(LEDGER_KEY(code), JSON.stringify(ledger)) : localStorage.removeItem(LEDGER_KEY(code))),
  });
  debug.receiver = receiver;
  debug.storage = storage;
  let joined;
  try {
    joined = await client.join({ room: code, name: myName(), meta: { app: 'transfer', role: 'receiver', receiverKey: keyPrefix },
      token: tokenFromPage() });
  } catch (error) {
    setStatus('failed', describeTokenError(error) ?? `Cannot reach the server: ${error.message}`);
    return;
  }
  const senderPeer = joined.peers.find((p) => p.meta?.role === 'sender');
  if (!senderPeer) {
    setStatus('not-found', `Nobody is sharing under the code ${code}. Check the code, or ask the sender for a new link (the sender's tab must stay open).`);
    $('offer-title').textContent = 'No files here';
    await client.leave().catch(() => {});
    return;
  }
  $('offer-title').textContent = `${senderPeer.name} wants to send you files`;
  setStatus('connecting', 'Connecting to the sender…');
  const session = openSession(senderPeer.id, (channel) => receiver.attach(channel), () => !FINAL.includes(receiver.state));
  closeWhenFinished(receiver, session);
  const meter = new RateMeter();
  let rows = [];
  const links = new Map();

  receiver.addEventListener('offer', () => {
    $('offer-table').hidden = false;
    rows = receiver.files.map((f) => fileRow(f, { withProgress: true }));
    $('offered-files').replaceChildren(...rows);
    const total = receiver.totalSize;
    $('offer-title').textContent = `${receiver.offer.from} wants to send you ${receiver.files.length} file${receiver.files.length === 1 ? '' : 's'} (${formatBytes(total)})`;
    if (receiver.state !== 'offered') { render(); return; }
    $('offer-actions').hidden = false;
    const note = $('storage-note');
    if (storage.kind === 'opfs') {
      note.textContent = `Files are streamed to this browser's storage on disk${storage.free !== null ? ` (${formatBytes(storage.free)} free)` : ''}, then you save them.`;
      if (storage.free !== null && storage.free < total) {
        note.textContent += ` Not enough space for ${formatBytes(total)}: free some disk space first.`;
        note.classList.add('bad');
      }
    } else {
      note.textContent = `This browser cannot stream to disk: files are kept in memory, at most ${formatBytes(storage.limit)} in total.`;
      if (total > storage.limit) {
        note.textContent += ` These files (${formatBytes(total)}) are too large to receive here; try a current Chrome, Edge or Firefox.`;
        note.classList.add('bad');
        $('accept').disabled = true;
      }
    }
    render();
  });
  $('accept').addEventListener('click', () => {
    $('offer-actions').hidden = true;
    $('total').hidden = false;
    receiver.accept();
  });
  $('decline').addEventListener('click', () => { $('offer-actions').hidden = true; receiver.decline(); });
  $('cancel').addEventListener('click', () => {
    receiver.cancel('cancelled by the receiver');
    if (receiver.offer) signalCancel(senderPeer.id, receiver.offer.transferId, 'cancelled by the receiver');
  });
  onSignalledCancel(senderPeer.id, () => receiver.offer?.transferId, (reason) => { receiver.remoteCancelled(reason || 'the sender cancelled'); render(); });
  $('save-all').addEventListener('click', () => links.forEach((a) => a.click()));

  receiver.addEventListener('file-done', ({ detail }) => {
    const row = rows[detail.index];
    const cell = row.querySelector('.file-state');
    if (detail.ok) {
      const a = el('a', { className: 'save-link', textContent: 'Save', href: URL.createObjectURL(detail.file), download: baseName(receiver.files[detail.index].name) });
      links.set(detail.index, a);
      cell.dataset.state = 'verified';
      cell.dataset.sha256 = detail.sha256;
      cell.replaceChildren('Verified ✓ ', a);
      row.querySelector('.fill').style.width = '100%';
    } else {
      cell.dataset.state = 'corrupt';
      cell.textContent = 'Integrity check failed — discarded';
    }
    render();
  });

  const labels = {
    connecting: 'Connecting to the sender…', offered: 'Accept to start the download.', receiving: 'Receiving…',
    reconnecting: 'Connection lost — reconnecting, the transfer will resume where it stopped…',
  };
  const render = () => {
    const { state, reason } = receiver;
    const one = receiver.files.length === 1;
    if (state === 'done') {
      setStatus('done', reason !== 'all files received and verified' ? `Done, but ${reason}.`
        : one ? 'The file was received and verified. Save it below.' : 'All files received and verified. Save them below.');
    }
    else if (state === 'declined') setStatus('declined', 'You declined these files.');
    else if (state === 'cancelled') setStatus('cancelled', `Transfer cancelled: ${reason}.`);
    else if (state === 'failed') setStatus('failed', `Transfer failed: ${reason}.`);
    else setStatus(state, labels[state] ?? state);
    if (['done', 'declined', 'cancelled', 'failed'].includes(state)) {
      $('cancel').hidden = true;
      $('offer-actions').hidden = true;
    }
    $('save-all').hidden = !(state === 'done' && links.size > 0);
    $('save-all').textContent = links.size > 1 ? `Save all ${links.size} files` : 'Save file';
    $('total').dataset.state = state;
    if (!receiver.ledger) return;
    $('total').hidden = false;
    receiver.ledger.files.forEach((f, i) => {
      if (!rows[i] || f.state === 'verified' || f.state === 'corrupt') return;
      const failed = ['cancelled', 'failed'].includes(state);
      setRowProgress(rows[i], f.received, f.size, failed ? 'failed' : f.state, failed ? 'Not received' : `${percent(f.received, f.size)} %`);
    });
    const { size, received } = receiver.ledger.totals();
    meter.update(received);
    $('total-bar').style.width = `${percent(received, size)}%`;
    $('total-progress').textContent = `${percent(received, size)} %`;
    $('total-progress').dataset.percent = String(percent(received, size));
    $('total-bytes').textContent = `${formatBytes(received)} of ${formatBytes(size)}`;
    $('rate').hidden = state !== 'receiving';
    $('speed').textContent = `${formatBytes(meter.bytesPerSecond())}/s`;
    $('eta').textContent = formatEta(meter.eta(size - received));
  };
  receiver.addEventListener('statechange', render);
  receiver.addEventListener('progress', throttle(render, 500));
  setInterval(render, 1000);
  client.on('peer-left', ({ peerId }) => { if (peerId === senderPeer.id) { receiver.peerGone('the sender left'); render(); } });
  session.addEventListener('statechange', ({ detail }) => {
    if (detail.state === 'failed') { receiver.peerGone(`the connection failed (${detail.reason})`); render(); }
    if (detail.state === 'reconnecting' && receiver.state === 'receiving') setStatus('reconnecting', labels.reconnecting);
  });
  window.addEventListener('beforeunload', (e) => { if (receiver.state === 'receiving') e.preventDefault(); });
  session.start();
}

/** The ledger a page receiving under this code saved before a reload, if any. */
function readLedger(code) {
  try {
    return JSON.parse(localStorage.getItem(LEDGER_KEY(code)) ?? 'null');
  } catch {
    return null;
  }
}

/** Removes partial files nobody can resume and finished files of closed pages (debug.cleanup: their names). */
function startCleanup() {
  debug.cleanup = cleanStorage({ ledgerStore: localStorage, ledgerKeyPrefix: LEDGER_PREFIX }).catch((error) => {
    console.warn('transfer storage cleanup failed', error);
    return [];
  });
}

function throttle(fn, ms) {
  let last = 0;
  let timer = null;
  return () => {
    const now = performance.now();
    if (now - last >= ms) { last = now; fn(); return; }
    if (!timer) timer = setTimeout(() => { timer = null; last = performance.now(); fn(); }, ms - (now - last));
  };
}

// ---- start --------------------------------------------------------------------------------

const code = normalizeShortCode(decodeURIComponent(location.hash.slice(1)));
if (location.hash.length > 1 && !code) {
  showSender();
  $('code-error').textContent = 'That link has no valid code in it.';
} else if (code) {
  showReceiver(code);
} else {
  showSender();
  client.connect().catch(() => {});
}
if (!code) startCleanup();
// A code typed into the address bar (or a link opened in this tab) changes only the hash:
// start over in the right mode.
window.addEventListener('hashchange', () => location.reload());
