import { SignalingClient } from '../sdk/signaling.js';

// A scriptable stand-in for the browser WebSocket: tests play the server's part.
export class FakeWebSocket {
  static instances = [];
  /** Socket URLs whose sockets close before they open (a dead node, a refused upgrade). */
  static refused = new Set();

  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    FakeWebSocket.instances.push(this);
    queueMicrotask(() => {
      if (FakeWebSocket.refused.has(url)) {
        // connection refused, or an upgrade the server answered with 403: no open, a 1006 close
        this.readyState = 3;
        this.onerror?.({});
        this.onclose?.({ code: 1006 });
        return;
      }
      this.readyState = 1;
      this.onopen?.({});
    });
  }

  static get last() {
    return FakeWebSocket.instances[FakeWebSocket.instances.length - 1];
  }

  static reset() {
    FakeWebSocket.instances = [];
    FakeWebSocket.refused = new Set();
  }

  send(text) {
    if (this.readyState !== 1) throw new Error('socket not open');
    this.sent.push(JSON.parse(text));
  }

  close() {
    if (this.readyState === 3) return;
    this.readyState = 3;
    queueMicrotask(() => this.onclose?.({ code: 1000 }));
  }

  /** The server sends a message. */
  receive(message) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }

  /** The network drops the socket. */
  drop() {
    this.readyState = 3;
    this.onclose?.({ code: 1006 });
  }

  welcome(overrides = {}) {
    this.receive({ type: 'welcome', heartbeatInterval: 50, heartbeatTimeout: 200, resumeGrace: 30000, maxMessageBytes: 65536, ...overrides });
  }

  lastSent(type) {
    return [...this.sent].reverse().find((m) => m.type === type);
  }
}

export const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

/** Waits until `predicate()` holds (polling), failing after `ms`. */
export async function until(predicate, ms = 2000) {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time: ' + predicate);
    await tick(5);
  }
}

/** A SignalingClient on a fake socket that has had its welcome. */
export async function connectedClient(url, options = {}) {
  const client = new SignalingClient(url, { WebSocket: FakeWebSocket, requestTimeout: 1000, ...options });
  const connected = client.connect();
  await tick();
  const socket = FakeWebSocket.last;
  socket.welcome();
  await connected;
  return { client, socket };
}

/** Joins with `params` and answers the join on `socket` with `result`, as the server would. */
export async function joinAnswered(client, socket, params, result) {
  const joining = client.join(params);
  await until(() => socket.lastSent('join'));
  socket.receive({ type: 'response', id: socket.lastSent('join').id, result });
  return joining;
}
