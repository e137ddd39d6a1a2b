// A scriptable stand-in for the browser WebSocket: tests play the server's part.
export class FakeWebSocket {
  static instances = [];

  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    FakeWebSocket.instances.push(this);
    queueMicrotask(() => {
      this.readyState = 1;
      this.onopen?.({});
    });
  }

  static get last() {
    return FakeWebSocket.instances[FakeWebSocket.instances.length - 1];
  }

  static reset() {
    FakeWebSocket.instances = [];
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
