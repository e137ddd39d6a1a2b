// Parley signaling client (docs/protocol.md): one WebSocket to /ws with request/response
// promises, heartbeats both ways, automatic reconnect with backoff and session resume.
import { backoffDelay } from './backoff.js';

/** An `error` answer from the server, or a request that could not complete. */
export class SignalingError extends Error {
  constructor(code, message, request, url) {
    super(message);
    this.name = 'SignalingError';
    this.code = code;
    this.request = request;
    if (url) this.url = url; // `redirect`: the base URL of the node that serves the room
  }
}

/**
 * The signaling socket URL of a node's base URL (`http://node1:8080` → `ws://node1:8080/ws`,
 * `https://…` → `wss://…/ws`), or null for anything but an http(s) URL.
 */
export function signalingUrlOf(baseUrl) {
  let url;
  try {
    url = new URL(baseUrl);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}${url.pathname.replace(/\/+$/, '')}/ws`;
}

/**
 * The socket URL a redirect to `baseUrl` may move to, or null: only http(s) base URLs, and never
 * from a secure page or socket to an insecure one (a redirect must not downgrade to ws://).
 */
export function redirectTarget(baseUrl, currentUrl, location = globalThis.location) {
  const target = signalingUrlOf(baseUrl);
  if (target === null) return null;
  const secure = String(currentUrl).startsWith('wss:') || location?.protocol === 'https:';
  return secure && !target.startsWith('wss:') ? null : target;
}

/** Redirects followed for one join before giving up (cluster mode; see docs/protocol.md). */
const MAX_REDIRECTS = 3;

/** The URL of the signaling socket of the server that served this page. */
export function defaultSignalingUrl(location = globalThis.location) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws`;
}

const RELAYED = new Set(['offer', 'answer', 'candidate', 'message']);
/** Acknowledge after this many events at once… */
const ACK_EVERY = 32;
/** …else this long after the first unacknowledged event (ms). */
const ACK_DELAY_MS = 500;
const EVENTS = new Set(['peer-joined', 'peer-left', 'peer-disconnected', 'peer-reconnected', 'sfu-offer', 'sfu-closed', 'sfu-speaker', 'sfu-forwarding', ...RELAYED]);

/**
 * States: idle → connecting → open ⇄ reconnecting → closed.
 * Events (CustomEvent, message in `detail`): statechange, joined, resumed, rejoined, session-lost,
 * peer-joined, peer-left, peer-disconnected, peer-reconnected, offer, answer, candidate, message,
 * server-error, shutdown, retry ({attempt, delay}: the next reconnect attempt and its delay in ms).
 */
export class SignalingClient extends EventTarget {
  /**
   * @param {string} [url] ws(s)://host/ws; defaults to the page's own server
   * @param {object} [options]
   * @param {typeof WebSocket} [options.WebSocket] WebSocket implementation (tests inject a fake)
   * @param {{initial?: number, max?: number, factor?: number}} [options.backoff]
   * @param {number} [options.requestTimeout] ms before a request fails with `timeout`
   * @param {number} [options.connectTimeout] ms before connect() rejects with `unreachable` (retries go on)
   * @param {boolean} [options.rejoin] join again (new peer id) if the session cannot be resumed
   * @param {number} [options.maxQueued] relays kept while reconnecting
   * @param {number} [options.homeAfter] cluster mode: failed reconnect attempts to a node this client
   *   was redirected to before it goes back to its own URL (`homeUrl`) and joins again there
   */
  constructor(url = defaultSignalingUrl(), options = {}) {
    super();
    this.url = url;
    /** The URL this client was made with (load balancer or home node); redirects move `url` only. */
    this.homeUrl = url;
    this.options = { requestTimeout: 10_000, connectTimeout: 10_000, rejoin: true, maxQueued: 1000, homeAfter: 3, backoff: {}, ...options };
    this.WebSocketImpl = options.WebSocket ?? globalThis.WebSocket;
    this.state = 'idle';
    this.socket = null;
    this.peerId = null;
    this.room = null;
    this.name = null;
    this.peers = new Map();
    this.iceServers = [];
    this.resumeToken = null;
    this.lastSeq = 0;
    this.heartbeat = { interval: 4000, timeout: 10_000 };
    this._joinParams = null;
    this._pending = new Map();
    this._nextId = 1;
    this._queue = [];
    this._attempt = 0;
    this._timers = { ping: null, watchdog: null, reconnect: null, ack: null };
    /** Highest seq acknowledged to the server (in an `ack`, `ping` or `pong`). */
    this._ackedSeq = 0;
    this._welcomed = null;
    /** Consecutive losses of the socket to a node other than home, since it last opened there. */
    this._failuresAway = 0;
    /** The session was given up (its node is gone): join again once the next socket is welcomed. */
    this._rejoinPending = false;
    /** The last socket closed before it opened (refused connection or refused upgrade). */
    this._closedBeforeOpen = false;
    /** The last node this client went home from: {url, refused}. */
    this._gaveUpOn = null;
  }

  /** Opens the socket; resolves once the server's welcome arrives. */
  connect() {
    if (this.state === 'open') return Promise.resolve();
    if (this._welcomed) return this._welcomed.promise;
    this._welcomed = deferred();
    const welcomed = this._welcomed;
    // Attempts go on in the background; the caller learns the server is unreachable meanwhile.
    const timer = setTimeout(() => {
      if (this._welcomed !== welcomed) return;
      this._welcomed = null;
      welcomed.reject(new SignalingError('unreachable', this._closedBeforeOpen
        // Browsers hide the HTTP status of a refused upgrade (e.g. 403 for an Origin the server does not allow).
        ? `${this.url} closed before it opened: the connection or the WebSocket upgrade was refused (a server that does not allow this page's origin answers 403)`
        : `no answer from ${this.url} in ${this.options.connectTimeout} ms`, 'connect'));
    }, this.options.connectTimeout);
    welcomed.promise.then(() => clearTimeout(timer), () => clearTimeout(timer));
    this._setState(this.state === 'reconnecting' ? 'reconnecting' : 'connecting');
    this._openSocket();
    return this._welcomed.promise;
  }

  /**
   * Joins a room (created when it does not exist, or with a server-made id when `room` is omitted).
   * `token` is the join token a server with an API key requires (then it decides room and name;
   * refusals reject with codes such as `token-expired`, see join-token.js).
   * @returns {Promise<{room: string, peerId: string, peers: object[], iceServers: object[], capacity: number}>}
   */
  async join({ room, name, capacity, meta, token } = {}, redirects = 0) {
    await this.connect();
    let result;
    try {
      result = await this.request('join', { room, name, capacity, meta, token });
    } catch (error) {
      // Cluster mode: the room's media lives on another node; join there instead.
      if (error.code !== 'redirect' || !error.url) throw error;
      const target = redirectTarget(error.url, this.url);
      if (target === null) throw error; // not followed: see redirectTarget
      if (redirects >= MAX_REDIRECTS) throw this._gaveUpOn?.url === target ? this._gaveUpError(this._gaveUpOn) : error;
      this._moveTo(target);
      return this.join({ room, name, capacity, meta, token }, redirects + 1);
    }
    this._joinParams = { room: result.room, name, capacity, meta, token };
    this._gaveUpOn = null;
    this._adoptSession(result);
    this._emit('joined', result);
    return result;
  }

  /**
   * Cluster mode: leaves the room here and joins it again on the node at `baseUrl` (the `url` of a
   * `redirect` error, e.g. from `sfu-join`). Resolves with the new join result.
   */
  async moveTo(baseUrl) {
    const target = redirectTarget(baseUrl, this.url);
    if (target === null) {
      throw new SignalingError('redirect', `not moving to ${baseUrl}: only http(s) URLs, and never from a secure page or socket to an insecure one`);
    }
    const params = this._joinParams;
    await this.leave().catch(() => { /* this node may already be gone */ });
    this._moveTo(target);
    return this.join(params ?? {});
  }

  /** Leaves the room; the socket stays open for another join. */
  async leave() {
    this._joinParams = null;
    if (!this.resumeToken) return;
    this.resumeToken = null;
    this.peers.clear();
    this.room = null;
    this.peerId = null;
    this._queue = [];
    if (this.state === 'open') await this.request('leave', {});
  }

  /** Sends a request and resolves with its result, or rejects with a SignalingError. */
  request(type, body = {}) {
    if (this.state !== 'open' && !(type === 'resume' || type === 'join') || !this._isSocketOpen()) {
      return Promise.reject(new SignalingError('disconnected', 'not connected to the server', type));
    }
    const id = this._nextId++;
    const pending = deferred();
    const timer = setTimeout(() => {
      this._pending.delete(id);
      pending.reject(new SignalingError('timeout', `no answer to ${type} in ${this.options.requestTimeout} ms`, type));
    }, this.options.requestTimeout);
    this._pending.set(id, { ...pending, timer, type });
    this._write({ ...stripUndefined(body), type, id });
    return pending.promise;
  }

  /** Relays `offer`/`answer`/`candidate`/`message` to one peer; queued while reconnecting. */
  sendTo(peerId, type, body = {}) {
    this.send(type, { ...body, to: peerId });
  }

  /** Sends an app message to every other peer in the room. */
  broadcast(data) {
    this.send('message', { data });
  }

  /** Fire-and-forget send; kept (bounded) while the socket is away and sent after resume. */
  send(type, body = {}) {
    const message = { ...stripUndefined(body), type };
    if (this.state === 'open' && this._isSocketOpen()) {
      this._write(message);
    } else if (this.state !== 'closed') {
      this._queue.push(message);
      if (this._queue.length > this.options.maxQueued) this._queue.shift();
    }
  }

  /** Subscribes to an event; returns a function that unsubscribes. */
  on(type, listener) {
    const wrapped = (event) => listener(event.detail, event);
    this.addEventListener(type, wrapped);
    return () => this.removeEventListener(type, wrapped);
  }

  /** Closes for good: no reconnect; the server keeps the session for its grace period. */
  close() {
    this._setState('closed');
    this._clearTimers();
    this._failPending('closed', 'client closed');
    if (this._welcomed) {
      this._welcomed.reject(new SignalingError('closed', 'client closed', 'connect'));
      this._welcomed = null;
    }
    if (this.socket) {
      this.socket.onclose = null;
      try { this.socket.close(1000, 'bye'); } catch { /* already closed */ }
    }
  }

  /** Drops the socket as a network failure would; the client reconnects and resumes (tests, debugging). */
  dropSocket() {
    if (this.socket) this.socket.close(4100, 'dropped by client');
  }

  // ---- internals --------------------------------------------------------------------------

  _openSocket() {
    const socket = new this.WebSocketImpl(this.url);
    this.socket = socket;
    // A socket that never delivers its welcome (a half-open connection, a proxy that swallows the
    // upgrade) is abandoned like a silent one, and the next attempt follows.
    this._armWatchdog(this.options.connectTimeout);
    let opened = false;
    socket.onopen = () => { opened = true; };
    socket.onmessage = (event) => { if (socket === this.socket) this._onMessage(event.data); };
    socket.onclose = () => {
      if (socket !== this.socket) return;
      this._closedBeforeOpen = !opened;
      this._onSocketGone();
    };
    socket.onerror = () => { /* onclose follows */ };
  }

  /** Points the client at another node's socket URL: the current socket closes without a reconnect. */
  _moveTo(socketUrl) {
    this.url = socketUrl;
    this._failuresAway = 0;
    this._rejoinPending = false;
    const old = this.socket;
    this.socket = null;
    this._clearTimers();
    this._failPending('disconnected', 'moved to another node');
    this._welcomed = null;
    if (old) {
      old.onclose = null;
      try { old.close(1000, 'redirected'); } catch { /* already closed */ }
    }
    this._setState('connecting');
  }

  _isSocketOpen() {
    return this.socket && this.socket.readyState === 1;
  }

  _write(message) {
    this.socket.send(JSON.stringify(message));
  }

  _onMessage(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    this._armWatchdog();
    if (typeof message.seq === 'number') {
      if (message.seq <= this.lastSeq) return; // replayed twice across a resume
      this.lastSeq = message.seq;
      this._scheduleAck();
    }
    switch (message.type) {
      case 'welcome': return this._onWelcome(message);
      case 'ping': return this._write({ type: 'pong', t: message.t, ack: this._acknowledging() });
      case 'pong': return undefined;
      case 'response': return this._settle(message.id, (p) => p.resolve(message.result));
      case 'error':
        if (message.id !== undefined && this._pending.has(message.id)) {
          return this._settle(message.id, (p) => p.reject(new SignalingError(message.code, message.message, message.request, message.url)));
        }
        return this._emit('server-error', message);
      case 'shutdown':
        this._emit('shutdown', message);
        return undefined;
      default:
        this._trackPeers(message);
        if (EVENTS.has(message.type)) this._emit(message.type, message);
        return undefined;
    }
  }

  async _onWelcome(welcome) {
    this.heartbeat = { interval: welcome.heartbeatInterval, timeout: welcome.heartbeatTimeout };
    this._startHeartbeat();
    if (this.resumeToken) {
      try {
        const result = await this.request('resume', { token: this.resumeToken, lastSeq: this.lastSeq });
        this._adoptSession(result, true);
        this._opened();
        this._emit('resumed', result);
      } catch (error) {
        if (error.code === 'disconnected') return; // socket dropped again: the next attempt retries
        if (error.code !== 'resume-failed') {
          // timeout or a server fault: start over on a fresh socket rather than hang here
          this.dropSocket();
          return;
        }
        this._abandonSession(error.message);
        // A node this client was redirected to no longer knows it: the room is joined again from home,
        // where it may be placed on another node.
        if (this.url !== this.homeUrl) return this._switchNode(this.homeUrl);
        if (this._rejoinPending) await this._rejoin();
        else this._opened();
      }
    } else if (this._rejoinPending) {
      await this._rejoin();
    } else {
      this._opened();
    }
    return undefined;
  }

  /** Forgets a session that cannot be resumed; a rejoin follows when the client is in a room. */
  _abandonSession(reason) {
    this.resumeToken = null;
    this.lastSeq = 0;
    this._ackedSeq = 0;
    // Relays queued for the old session name peer ids of a room this client is no longer in.
    this._queue = [];
    this._rejoinPending = Boolean(this.options.rejoin && this._joinParams);
    if (this._joinParams || this.peerId) this._emit('session-lost', { reason });
  }

  /** Joins the room of the lost session again (new peer id); a redirect is followed to the room's node. */
  async _rejoin() {
    try {
      const result = await this.request('join', this._joinParams);
      this._rejoinPending = false;
      this._adoptSession(result);
      this._opened();
      this._emit('rejoined', result);
    } catch (joinError) {
      if (joinError.code === 'disconnected') return; // socket dropped again: the next attempt retries
      const target = joinError.code === 'redirect' && joinError.url ? redirectTarget(joinError.url, this.url) : null;
      if (target !== null) {
        this._switchNode(target);
        return;
      }
      this._rejoinPending = false;
      this._opened();
      this._emit('server-error', { code: joinError.code, message: joinError.message });
    }
  }

  /** Why a join redirected again and again to a node this client could not open a socket to failed. */
  _gaveUpError({ url, refused }) {
    const why = refused
      ? 'the connection or the WebSocket upgrade was refused (a node that does not allow this page\'s origin answers 403)'
      : 'no answer';
    return new SignalingError('unreachable', `the room is served by ${url}, which could not be reached ${this.options.homeAfter + 1} times in a row: ${why}`, 'join');
  }

  /** Cluster mode: leaves this socket for another node's socket URL and opens that one now. */
  _switchNode(socketUrl) {
    const old = this.socket;
    this.socket = null;
    this._clearTimers();
    this._failPending('disconnected', 'moved to another node');
    if (old) {
      old.onclose = null;
      try { old.close(1000, 'moving'); } catch { /* already closed */ }
    }
    this.url = socketUrl;
    this._failuresAway = 0;
    this._setState('reconnecting');
    this._openSocket();
  }

  _opened() {
    this._attempt = 0;
    this._failuresAway = 0;
    this._setState('open');
    const queued = this._queue;
    this._queue = [];
    for (const message of queued) this._write(message);
    if (this._welcomed) {
      this._welcomed.resolve();
      this._welcomed = null;
    }
  }

  _adoptSession(result, resumed = false) {
    this.peerId = result.peerId;
    this.room = result.room;
    this.name = result.name;
    this.resumeToken = result.resumeToken;
    this.iceServers = result.iceServers ?? [];
    if (!resumed) {
      this.lastSeq = 0;
      this._ackedSeq = 0;
    }
    this.peers = new Map(result.peers.map((p) => [p.id, p]));
  }

  _trackPeers(message) {
    if (message.type === 'peer-joined') this.peers.set(message.peer.id, message.peer);
    else if (message.type === 'peer-left') this.peers.delete(message.peerId);
    else if (message.type === 'peer-disconnected' && this.peers.has(message.peerId)) this.peers.get(message.peerId).away = true;
    else if (message.type === 'peer-reconnected' && this.peers.has(message.peerId)) this.peers.get(message.peerId).away = false;
  }

  _settle(id, action) {
    const pending = this._pending.get(id);
    if (!pending) return;
    this._pending.delete(id);
    clearTimeout(pending.timer);
    action(pending);
  }

  _failPending(code, text) {
    for (const [id, pending] of this._pending) {
      clearTimeout(pending.timer);
      pending.reject(new SignalingError(code, text, pending.type));
      this._pending.delete(id);
    }
  }

  _startHeartbeat() {
    clearInterval(this._timers.ping);
    this._timers.ping = setInterval(() => {
      if (this._isSocketOpen()) this._write({ type: 'ping', t: Date.now(), ack: this._acknowledging() });
    }, this.heartbeat.interval);
    this._armWatchdog();
  }

  /**
   * Events stay queued on the server until acknowledged (for a resume), so they are acknowledged
   * soon rather than only with the next heartbeat: after ACK_EVERY events at once, else within
   * ACK_DELAY_MS of the first unacknowledged one. A busy room then never fills the server's queue.
   */
  _scheduleAck() {
    if (this.lastSeq - this._ackedSeq >= ACK_EVERY) {
      this._sendAck();
    } else if (!this._timers.ack) {
      this._timers.ack = setTimeout(() => this._sendAck(), ACK_DELAY_MS);
    }
  }

  _sendAck() {
    clearTimeout(this._timers.ack);
    this._timers.ack = null;
    if (this._isSocketOpen() && this.lastSeq > this._ackedSeq) this._write({ type: 'ack', ack: this._acknowledging() });
  }

  /** The seq to acknowledge now, remembered as acknowledged. */
  _acknowledging() {
    this._ackedSeq = this.lastSeq;
    return this.lastSeq;
  }

  /** A socket that hears nothing (not even the server's pings) for the timeout is dead. */
  _armWatchdog(timeout = this.heartbeat.timeout) {
    clearTimeout(this._timers.watchdog);
    this._timers.watchdog = setTimeout(() => {
      if (this.socket) {
        const dead = this.socket;
        this._onSocketGone();
        try { dead.close(4001, 'heartbeat timeout'); } catch { /* ignore */ }
      }
    }, timeout);
  }

  _clearTimers() {
    clearInterval(this._timers.ping);
    clearTimeout(this._timers.watchdog);
    clearTimeout(this._timers.reconnect);
    clearTimeout(this._timers.ack);
    this._timers.ack = null;
  }

  _onSocketGone() {
    this.socket = null;
    this._clearTimers();
    this._failPending('disconnected', 'connection to the server was lost');
    if (this.state === 'closed') return;
    this._setState('reconnecting');
    if (this.url !== this.homeUrl && ++this._failuresAway > this.options.homeAfter) {
      // Cluster mode: the node this client was redirected to is gone (its session with it). Back to
      // the home URL, which places the room on a live node; the next welcome there joins again.
      this._gaveUpOn = { url: this.url, refused: this._closedBeforeOpen };
      this.url = this.homeUrl;
      this._failuresAway = 0;
      this._attempt = 0;
      this._abandonSession(`${this.options.homeAfter} reconnect attempts to the room's node failed`);
    }
    const attempt = this._attempt++;
    const delay = backoffDelay(attempt, this.options.backoff);
    this._emit('retry', { attempt, delay });
    this._timers.reconnect = setTimeout(() => this._openSocket(), delay);
  }

  _setState(state) {
    if (this.state === state) return;
    this.state = state;
    this._emit('statechange', { state });
  }

  _emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

function stripUndefined(body) {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}
