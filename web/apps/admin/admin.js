// The admin page: polls GET /admin/api/state every 2 s and shows server totals, then every room
// with a table of its peers (one row per connection the browser reports, and in SFU rooms a row
// with the SFU's own view). Asks for the admin token when the API answers 401. Everything shown
// comes from the server as data and is put in the page as text, never as HTML.
import {
  browserName, duration, clock, num, bitrate, candidatePath, connectionLabel, videoSize, verdict,
} from './format.js';

const POLL_MS = 2000;
const TOKEN_KEY = 'parley-admin-token';
const $ = (id) => document.getElementById(id);

const state = { token: sessionStorage.getItem(TOKEN_KEY), timer: null, last: null };

/** A DOM element with attributes and children (strings become text nodes). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null) continue;
    if (name === 'class') node.className = value;
    else node.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function setStatus(text, kind) {
  const status = $('status');
  status.textContent = text;
  status.className = `tag ${kind ?? ''}`;
}

async function poll() {
  clearTimeout(state.timer);
  let response;
  try {
    response = await fetch('/admin/api/state', {
      headers: state.token ? { Authorization: `Bearer ${state.token}` } : {}, cache: 'no-store',
    });
  } catch {
    setStatus('server unreachable, retrying…', 'down');
    state.timer = setTimeout(poll, POLL_MS);
    return;
  }
  const body = await response.json().catch(() => ({}));
  if (response.status === 401) {
    askForToken(state.token ? 'That token was refused; try again.' : 'This server asks for its admin token.');
    return;
  }
  if (!response.ok) {
    showProblem(body.message ?? `The server answered ${response.status}.`);
    setStatus(response.status === 403 ? 'not allowed' : 'error, retrying…', 'down');
    if (response.status !== 403) state.timer = setTimeout(poll, POLL_MS);
    return;
  }
  $('problem').hidden = true;
  $('token-form').hidden = true;
  state.last = body;
  if (selectingInTables()) {
    setStatus('paused while text is selected', 'live');
  } else {
    render(body);
    setStatus(`live · updated ${clock(body.time)}`, 'live');
  }
  state.timer = setTimeout(poll, POLL_MS);
}

/** True while the operator has text selected in the tables (e.g. copying a peer id): a redraw would drop it. */
function selectingInTables() {
  const selection = document.getSelection();
  return Boolean(selection && !selection.isCollapsed && $('rooms').contains(selection.anchorNode));
}

function askForToken(reason) {
  sessionStorage.removeItem(TOKEN_KEY);
  state.token = null;
  $('token-reason').textContent = reason;
  $('token-form').hidden = false;
  $('totals').hidden = true;
  $('rooms').replaceChildren();
  setStatus('admin token needed', 'down');
  $('token').focus();
}

function showProblem(message) {
  $('problem').textContent = message;
  $('problem').hidden = false;
}

$('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  state.token = $('token').value.trim();
  sessionStorage.setItem(TOKEN_KEY, state.token);
  $('token').value = '';
  $('token-form').hidden = true;
  setStatus('loading…');
  poll();
});

// ---- rendering --------------------------------------------------------------------------------

function render(snapshot) {
  renderTotals(snapshot);
  const rooms = $('rooms');
  if (snapshot.rooms.length === 0) {
    rooms.replaceChildren(el('p', { class: 'empty', id: 'no-rooms' }, 'No rooms right now.'));
    return;
  }
  // Oldest first, so a room keeps its place from one refresh to the next.
  const ordered = [...snapshot.rooms].sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  rooms.replaceChildren(...ordered.map((room) => renderRoom(room, snapshot.time)));
}

function renderTotals({ server, time }) {
  const total = (label, value, id) => el('div', { class: 'total', 'data-total': id },
    el('span', { class: 'value' }, value), el('span', { class: 'label' }, label));
  const items = [
    total('sessions', num(server.sessions), 'sessions'),
    total('rooms', num(server.rooms), 'rooms'),
    total('sockets', num(server.sockets), 'sockets'),
    total('TURN allocations', num(server.turnAllocations), 'turn-allocations'),
  ];
  if (server.sfu) {
    items.push(
      total('SFU packets/s out', num(server.sfu.forwardedPps), 'sfu-pps'),
      total('SFU participants', num(server.sfu.participants), 'sfu-participants'),
      total('SFU tracks in / out', `${num(server.sfu.producers)} / ${num(server.sfu.consumers)}`, 'sfu-tracks'),
    );
  }
  items.push(total('server up', duration(time - server.startedAt), 'uptime'));
  $('totals').replaceChildren(...items);
  $('totals').hidden = false;
}

/** Title, cell class and width (%): fixed, so the tables of all rooms line up. */
const COLUMNS = [
  ['Peer', '', 10], ['Connected', '', 7], ['Browser', '', 13], ['Connection', '', 12], ['Candidates', '', 12],
  ['Up kbps', 'n', 6], ['Down kbps', 'n', 6], ['Loss %', 'n', 6], ['RTT ms', 'n', 6], ['Jitter ms', 'n', 6],
  ['Video in', '', 9], ['Quality', '', 7],
];

function renderRoom(room, now) {
  const names = new Map(room.peers.map((p) => [p.id, p.name]));
  const kind = room.kind === 'sfu' ? 'SFU' : 'P2P';
  const table = el('table', { class: 'peers' },
    el('colgroup', {}, COLUMNS.map(([, , width]) => el('col', { style: `width: ${width}%` }))),
    el('thead', {}, el('tr', {}, COLUMNS.map(([title, cls]) => el('th', { class: cls }, title)))),
    room.peers.map((peer) => renderPeer(peer, names, now)));
  return el('article', { class: 'room', 'data-room': room.id },
    el('h2', {},
      el('span', { class: `kind ${room.kind}` }, kind),
      el('span', { class: 'room-id' }, room.id),
      el('span', { class: 'meta' }, `${room.peers.length} of ${room.capacity} ${room.peers.length === 1 ? 'peer' : 'peers'}`),
      el('span', { class: 'meta' }, `created ${clock(room.createdAt)} (${duration(now - room.createdAt)} ago)`)),
    table);
}

/** One tbody per peer: a row per reported connection (peer cells span them), then the SFU's view. */
function renderPeer(peer, names, now) {
  const connections = peer.stats?.connections?.length ? peer.stats.connections : [null];
  const span = String(connections.length + (peer.sfu ? 1 : 0));
  const rows = connections.map((connection, index) => {
    const quality = verdict(peer, connection, now);
    const cells = [];
    if (index === 0) {
      cells.push(
        el('td', { rowspan: span, 'data-col': 'peer' }, el('span', { class: 'peer-name' }, peer.name),
          el('span', { class: 'sub mono' }, peer.id)),
        el('td', { rowspan: span, 'data-col': 'since' }, clock(peer.joinedAt),
          el('span', { class: 'sub' }, peer.away ? 'away (may resume)' : duration(now - peer.joinedAt))),
        el('td', { rowspan: span, 'data-col': 'browser', title: peer.userAgent ?? '' }, browserName(peer.userAgent),
          el('span', { class: 'sub' }, [peer.stats?.app ? `/${peer.stats.app}` : null, peer.remote].filter(Boolean).join(' · '))),
      );
    }
    const c = connection ?? {};
    cells.push(
      el('td', { 'data-col': 'connection' }, connection ? connectionLabel(connection, names) : 'no stats reported yet',
        connection?.state ? el('span', { class: 'sub' }, connection.state) : null),
      el('td', { 'data-col': 'candidates', 'data-local': c.local, 'data-remote': c.remote }, candidatePath(connection)),
      el('td', { class: 'n', 'data-col': 'up' }, num(c.outKbps)),
      el('td', { class: 'n', 'data-col': 'down' }, num(c.inKbps)),
      el('td', { class: 'n', 'data-col': 'loss' }, num(c.lossPct, 1)),
      el('td', { class: 'n', 'data-col': 'rtt' }, num(c.rttMs)),
      el('td', { class: 'n', 'data-col': 'jitter' }, num(c.jitterMs)),
      el('td', { 'data-col': 'video' }, connection ? videoSize(c) : '—'),
      el('td', { 'data-col': 'quality' }, el('span', { class: `quality ${quality.replace(' ', '-')}` }, quality)),
    );
    return el('tr', { 'data-peer': peer.id, 'data-kind': c.kind }, cells);
  });
  if (peer.sfu) rows.push(renderServerView(peer));
  return el('tbody', { 'data-peer': peer.id }, rows);
}

/** The SFU's side of a participant: its transports, what it sends in, and what is forwarded to it. */
function renderServerView(peer) {
  const s = peer.sfu;
  const transport = (name, t) => (t
    ? [`${name} `, el('b', {}, `${t.protocol ?? '—'}${t.connected ? '' : ' (not connected)'}`), t.remote ? ` from ${t.remote}` : '']
    : [`${name} —`]);
  const parts = [
    'SFU sees: ', ...transport('publish', s.publish), ' · ', ...transport('subscribe', s.subscribe),
    ' · in ', el('b', {}, bitrate(s.inboundBps)),
    s.videoWidth > 0 ? ` (${s.videoWidth}×${s.videoHeight})` : '',
    ` · ${s.producers} tracks published, ${s.consumers} forwarded to it`,
    ' · estimate ', el('b', {}, bitrate(s.estimateBps)),
    s.lossFraction >= 0 ? ` · loss ${num(s.lossFraction * 100, 1)} %` : '',
    s.rttMillis >= 0 ? ` · RTT ${s.rttMillis} ms` : '',
  ];
  return el('tr', { class: 'server-view', 'data-peer': peer.id },
    el('td', { colspan: String(COLUMNS.length - 3), 'data-col': 'sfu' }, parts));
}

poll();
