// Files over one RTCDataChannel (docs/transfer-protocol.md). A FileSender serves one receiver;
// a FileReceiver takes one offer. Both survive a new channel after a reconnect: the receiver
// says where it stands (`resume-from`) and the sender continues from there.
// Flow control: chunks sized from pc.sctp.maxMessageSize, a high-water mark on bufferedAmount with
// bufferedAmountLowThreshold to resume, and a window over what the receiver has written.
// Integrity: SHA-256 computed incrementally on both sides (hash-wasm, in a worker), compared per file.
import { createSha256Stream } from './sha256-stream.js';
import { encode, decode, ProtocolError, PROTOCOL_VERSION } from './transfer-protocol.js';
import { chunkSizeFor, planReads, splitChunks, HIGH_WATER, LOW_WATER, READ_SIZE, WINDOW } from './chunk-planner.js';
import { sanitizePath, uniquePaths } from './file-names.js';
import { ResumeLedger } from './resume-ledger.js';
import { StorageError, storageKey } from './transfer-storage.js';

/** Receiver acknowledges written bytes at least this often (drives the sender's window and progress). */
const ACK_EVERY = 1024 * 1024;
/** Receiver saves a reload checkpoint (flush + hash state) this often. */
const CHECKPOINT_EVERY = 16 * 1024 * 1024;

/**
 * A file the sender offers, shared by every receiver of the same link: the SHA-256 advances
 * whenever any reader reaches the next unhashed byte, so the file is hashed once.
 */
export class OfferedFile {
  /** @param {Blob} blob @param {string} path relative path shown to receivers ("folder/a.txt") */
  constructor(blob, path, index) {
    this.blob = blob;
    this.path = path;
    this.index = index;
    this.size = blob.size;
    this.type = blob.type || '';
    this.hashedUpTo = 0;
    this.sha256 = null;
    /** Promise of the file's Sha256Stream; _digest: promise of its hex digest. */
    this._hasher = null;
    this._digest = null;
  }

  /** Reads [start, end) and feeds any new bytes to the hash. */
  async read(start, end) {
    const buffer = await this.blob.slice(start, end).arrayBuffer();
    if (buffer.byteLength !== end - start) throw new Error(`short read of ${this.path}: the file changed`);
    await this._hash(start, buffer);
    return buffer;
  }

  /** Hashes whatever has not been hashed before `offset` (a receiver resuming past this reader). */
  async hashUpTo(offset) {
    for (const { start, end } of planReads(offset, this.hashedUpTo)) {
      const buffer = await this.blob.slice(start, end).arrayBuffer();
      await this._hash(start, buffer);
    }
  }

  /** The file's SHA-256 in hex, once every byte has been read. */
  async digest() {
    await this.hashUpTo(this.size);
    this._digest ??= this._stream().then((hasher) => hasher.digest()); // several readers may finish
    this.sha256 = await this._digest;
    return this.sha256;
  }

  _stream() {
    this._hasher ??= createSha256Stream();
    return this._hasher;
  }

  async _hash(start, buffer) {
    const hasher = await this._stream();
    const end = start + buffer.byteLength;
    if (start <= this.hashedUpTo && end > this.hashedUpTo) {
      hasher.update(new Uint8Array(buffer, this.hashedUpTo - start));
      this.hashedUpTo = end;
    }
  }
}

/**
 * Serves one receiver. States: waiting (no open channel) → offered → sending → done;
 * or declined, cancelled, failed. Events: statechange {state, reason}, progress, file-done {index, ok}.
 */
export class FileSender extends EventTarget {
  /**
   * @param {OfferedFile[]} files
   * @param {{transferId: string, from: string, highWater?: number, lowWater?: number,
   *   readSize?: number, window?: number, maxChunk?: number}} options
   */
  constructor(files, options) {
    super();
    this.files = files;
    this.options = { highWater: HIGH_WATER, lowWater: LOW_WATER, readSize: READ_SIZE, window: WINDOW, ...options };
    // The receiver acks every ACK_EVERY bytes: a smaller window would wait for an ack that never comes.
    this.options.window = Math.max(this.options.window, 2 * ACK_EVERY);
    this.transferId = options.transferId;
    this.state = 'waiting';
    this.reason = '';
    this.channel = null;
    this.chunkSize = null;
    /** Per file: bytes the receiver confirmed written, and its verdict. */
    this.progress = files.map((f) => ({ index: f.index, size: f.size, acked: 0, done: false, ok: null }));
    /** Counters for the UI and tests: payload bytes put on the wire (resends included), resumes. */
    this.stats = { bytesSent: 0, resumes: 0, resumedFrom: [] };
    this._run = 0;
    this._ackWaiters = [];
  }

  get totalSize() { return this.files.reduce((n, f) => n + f.size, 0); }
  get totalAcked() { return this.progress.reduce((n, p) => n + (p.done ? p.size : p.acked), 0); }

  /**
   * Uses this channel from now on (the first one, or the one of a rebuilt connection).
   * @param {RTCDataChannel} channel
   * @param {RTCPeerConnection} [pc] its connection, for pc.sctp.maxMessageSize
   */
  attach(channel, pc = null) {
    this._stopRun();
    this.channel = channel;
    this.pc = pc;
    channel.binaryType = 'arraybuffer';
    channel.bufferedAmountLowThreshold = this.options.lowWater;
    channel.addEventListener('message', (event) => channel === this.channel && this._onMessage(event.data));
    channel.addEventListener('close', () => {
      if (channel !== this.channel) return;
      this._stopRun();
      if (this.state === 'sending' || this.state === 'offered') this._setState('waiting', 'connection lost, waiting for it to come back');
    });
    const offer = () => {
      if (channel !== this.channel || this._finished()) return;
      this._send('offer', {
        v: PROTOCOL_VERSION, transferId: this.transferId, from: this.options.from,
        files: this.files.map((f) => ({ index: f.index, name: f.path, size: f.size, type: f.type })),
      });
      if (this.state === 'waiting') {
        this._setState('offered', this.totalAcked > 0 ? 'reconnected, waiting for the receiver' : 'waiting for the receiver to accept');
      }
    };
    if (channel.readyState === 'open') offer();
    else channel.addEventListener('open', offer, { once: true });
  }

  /** Stops for good and tells the receiver. */
  cancel(reason = 'cancelled by the sender') {
    if (this._finished()) return;
    this._trySend('cancel', { transferId: this.transferId, reason });
    this._stopRun();
    this._setState('cancelled', reason);
  }

  /** The receiver cancelled through another path (signaling), e.g. while the channel is backed up. */
  remoteCancelled(reason = 'cancelled by the receiver') {
    if (this._finished()) return;
    this._stopRun();
    this._setState('cancelled', reason);
  }

  /** The peer is gone for good (left the room). */
  peerGone(reason = 'the receiver left') {
    if (this._finished()) return;
    this._stopRun();
    this._setState('failed', reason);
  }

  _finished() {
    return ['done', 'declined', 'cancelled', 'failed'].includes(this.state);
  }

  _onMessage(data) {
    if (typeof data !== 'string') return; // receivers send no binary
    let message;
    try {
      message = decode(data);
    } catch (error) {
      this._trySend('error', { transferId: this.transferId, code: 'bad-message', message: error.message });
      return;
    }
    if (message.transferId !== this.transferId || this._finished()) return;
    switch (message.type) {
      case 'accept':
        this._start(this.files.map((f) => ({ index: f.index, offset: 0 })));
        break;
      case 'resume-from':
        this.stats.resumes += 1;
        this.stats.resumedFrom.push(message.positions);
        this._start(message.positions);
        break;
      case 'decline':
        this._stopRun();
        this._setState('declined', message.reason || 'the receiver declined');
        break;
      case 'ack': {
        const p = this.progress[message.index];
        if (p) p.acked = Math.min(p.size, Math.max(p.acked, message.offset));
        this._wakeAckWaiters();
        this._emit('progress', {});
        break;
      }
      case 'file-done': {
        const p = this.progress[message.index];
        if (!p) break;
        p.done = true;
        p.ok = message.ok;
        p.acked = p.size;
        this._emit('file-done', { index: message.index, ok: message.ok });
        this._emit('progress', {});
        break;
      }
      case 'done':
        this._stopRun();
        this._setState('done', this.progress.every((p) => p.ok) ? 'every file received and verified' : 'finished with errors');
        break;
      case 'cancel':
        this._stopRun();
        this._setState('cancelled', message.reason || 'cancelled by the receiver');
        break;
      case 'error':
        this._stopRun();
        this._setState('failed', `receiver: ${message.message || message.code}`);
        break;
      default:
        break;
    }
  }

  /** Sends each listed file from its offset, in order, on the current channel. */
  async _start(positions) {
    this._stopRun();
    const run = ++this._run;
    const channel = this.channel;
    this.chunkSize = chunkSizeFor(this.pc?.sctp?.maxMessageSize, this.options.maxChunk);
    const live = () => run === this._run && channel === this.channel && channel.readyState === 'open';
    this._setState('sending', positions.some((p) => p.offset > 0) ? 'resuming' : 'sending');
    try {
      for (const { index, offset } of positions) {
        const file = this.files[index];
        if (!file || offset > file.size) throw new ProtocolError(`bad resume position ${index}@${offset}`);
        const p = this.progress[index];
        p.acked = Math.max(p.acked, offset);
        if (offset > file.hashedUpTo) await file.hashUpTo(offset);
        if (!live()) return;
        this._send('file-start', { transferId: this.transferId, index, offset });
        let next = null;
        const reads = [...planReads(file.size, offset, this.options.readSize)];
        for (let i = 0; i < reads.length; i += 1) {
          const buffer = await (next ?? file.read(reads[i].start, reads[i].end));
          next = i + 1 < reads.length ? file.read(reads[i + 1].start, reads[i + 1].end) : null; // read ahead
          for (const piece of splitChunks(buffer.byteLength, this.chunkSize)) {
            if (!await this._room(channel, index, reads[i].start + piece.start, live)) return;
            channel.send(new Uint8Array(buffer, piece.start, piece.end - piece.start));
            this.stats.bytesSent += piece.end - piece.start;
          }
        }
        const sha256 = await file.digest();
        if (!live()) return;
        this._send('file-end', { transferId: this.transferId, index, size: file.size, sha256 });
      }
    } catch (error) {
      if (!live()) return;
      const message = error instanceof ProtocolError ? error.message : `cannot read the file: ${error.message}`;
      this._trySend('error', { transferId: this.transferId, code: 'read-failed', message });
      this._setState('failed', message);
    }
  }

  /** Waits until the send buffer is below the high-water mark and the receiver's window has room. */
  async _room(channel, index, offset, live) {
    for (;;) {
      if (!live()) return false;
      const behind = offset - this.progress[index].acked;
      if (behind > this.options.window) {
        await new Promise((resolve) => this._ackWaiters.push(resolve));
        continue;
      }
      if (channel.bufferedAmount <= this.options.highWater) return true;
      await new Promise((resolve) => {
        const done = () => {
          channel.removeEventListener('bufferedamountlow', done);
          channel.removeEventListener('close', done);
          resolve();
        };
        channel.addEventListener('bufferedamountlow', done);
        channel.addEventListener('close', done);
      });
    }
  }

  _wakeAckWaiters() {
    const waiters = this._ackWaiters;
    this._ackWaiters = [];
    waiters.forEach((resolve) => resolve());
  }

  _stopRun() {
    this._run += 1;
    this._wakeAckWaiters();
  }

  _send(type, body) {
    this.channel.send(encode(type, body));
  }

  _trySend(type, body) {
    try {
      if (this.channel?.readyState === 'open') this._send(type, body);
    } catch { /* channel went away */ }
  }

  _setState(state, reason = '') {
    this.state = state;
    this.reason = reason;
    this._emit('statechange', { state, reason });
  }

  _emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

/**
 * Takes one offer. States: connecting → offered → (accept) receiving ⇄ reconnecting → done;
 * or declined, cancelled, failed. Events: statechange {state, reason}, offer, progress,
 * file-done {index, ok, file}.
 */
export class FileReceiver extends EventTarget {
  /**
   * @param {{storage: Awaited<ReturnType<import('./transfer-storage.js').openStorage>>,
   *   persist?: (ledgerJson: object|null) => void, saved?: object|null, keyPrefix?: string}} options
   *   persist stores the ledger for a reload; saved is what it stored last time; keyPrefix names
   *   this receiver's storage files (a reloaded page passes the saved one); checkpointEvery is in bytes
   */
  constructor({ storage, persist = () => {}, saved = null, keyPrefix = saved?.keyPrefix ?? newKeyPrefix(), checkpointEvery = CHECKPOINT_EVERY }) {
    super();
    this.checkpointEvery = checkpointEvery;
    this.storage = storage;
    this.persist = persist;
    this.saved = saved;
    this.state = 'connecting';
    this.reason = '';
    this.channel = null;
    this.offer = null;
    /** Offered files with sanitised, unique paths: {index, name, size, type}. */
    this.files = [];
    this.ledger = null;
    /** Finished files: index → File/Blob. */
    this.results = new Map();
    this.stats = { bytesReceived: 0, resumes: 0 };
    this._current = null; // {index, sink, hasher, sinceAck, sinceCheckpoint}
    this._sinks = new Map();
    this._hashers = new Map();
    this._queue = Promise.resolve();
    this.keyPrefix = keyPrefix;
  }

  get totalSize() { return this.files.reduce((n, f) => n + f.size, 0); }
  get totalReceived() { return this.ledger ? this.ledger.totals().received : 0; }

  attach(channel) {
    this.channel = channel;
    channel.binaryType = 'arraybuffer';
    channel.addEventListener('message', (event) => channel === this.channel && this._onMessage(event.data));
    channel.addEventListener('close', () => {
      if (channel !== this.channel) return;
      this._current = null;
      if (this.state === 'receiving') this._setState('reconnecting', 'connection lost, reconnecting…');
    });
  }

  /** The user accepted the offer. */
  accept() {
    if (this.state !== 'offered') return;
    this.ledger = new ResumeLedger(this.offer.transferId, this.files);
    this._save();
    this._setState('receiving', 'receiving');
    this._send('accept', { transferId: this.offer.transferId });
  }

  decline(reason = 'the receiver declined') {
    if (this.state !== 'offered') return;
    this._trySend('decline', { transferId: this.offer.transferId, reason });
    this._setState('declined', 'you declined');
  }

  cancel(reason = 'cancelled by the receiver') {
    if (this._finished() || !this.offer) return;
    this._trySend('cancel', { transferId: this.offer.transferId, reason });
    this._abandon('cancelled', 'you cancelled');
  }

  /** The sender cancelled through another path (signaling): its cancel may be stuck behind data. */
  remoteCancelled(reason = 'the sender cancelled') {
    if (this._finished() || !this.offer) return;
    this._abandon('cancelled', reason);
  }

  /** The sender is gone for good. */
  peerGone(reason = 'the sender left') {
    if (this._finished()) return;
    this._abandon('failed', `${reason} before the transfer finished`);
  }

  _finished() {
    return ['done', 'declined', 'cancelled', 'failed'].includes(this.state);
  }

  _onMessage(data) {
    if (typeof data !== 'string') {
      this._enqueue(() => this._onChunk(data));
      return;
    }
    let message;
    try {
      message = decode(data);
    } catch (error) {
      this._trySend('error', { transferId: this.offer?.transferId ?? 'unknown', code: 'bad-message', message: error.message });
      return;
    }
    if (this._finished()) return;
    if (message.type === 'offer') return this._onOffer(message);
    if (!this.offer || message.transferId !== this.offer.transferId) return;
    switch (message.type) {
      case 'file-start': this._enqueue(() => this._onFileStart(message)); break;
      case 'file-end': this._enqueue(() => this._onFileEnd(message)); break;
      case 'cancel': this._abandon('cancelled', message.reason || 'the sender cancelled'); break;
      case 'error': this._abandon('failed', `sender: ${message.message || message.code}`); break;
      default: break;
    }
    return undefined;
  }

  _onOffer(message) {
    if (this.offer && this.offer.transferId === message.transferId) {
      // A new channel after a reconnect: continue where we stand.
      if (this.state === 'receiving' || this.state === 'reconnecting') this._resume();
      else if (this.state === 'offered') this._emit('offer', this.offer);
      return;
    }
    if (this.offer && this.state !== 'offered') return; // a different transfer mid-way: ignore
    this.offer = message;
    this.files = uniquePaths(message.files.map((f) => sanitizePath(f.name)))
      .map((name, index) => ({ index, name, size: message.files[index].size, type: message.files[index].type || '' }));
    if (this.saved && this.saved.transferId === message.transferId) {
      // The page was reloaded mid-transfer: pick up from the checkpoints on disk.
      this.ledger = ResumeLedger.fromJSON(this.saved);
      this.saved = null;
      this._resume();
      this._emit('offer', message);
      this._reopenVerified();
      return;
    }
    this._setState('offered', `${message.from} offers ${message.files.length} file${message.files.length === 1 ? '' : 's'}`);
    this._emit('offer', message);
  }

  /** After a reload, files verified before it are on disk: offer them for saving again, and tell the (new) sender. */
  _reopenVerified() {
    for (const entry of this.ledger.files.filter((f) => f.state === 'verified')) {
      this._enqueue(async () => {
        const file = await this.storage.existing?.(this._key(entry.index));
        if (!file || file.size !== entry.size) throw new StorageError('storage', `${this.files[entry.index].name} is no longer in this browser's storage`);
        this.results.set(entry.index, file);
        this._trySend('file-done', { transferId: this.offer.transferId, index: entry.index, ok: true, sha256: entry.sha256 });
        this._emit('file-done', { index: entry.index, ok: true, sha256: entry.sha256, expected: entry.sha256, file });
      });
    }
  }

  _resume() {
    this.stats.resumes += 1;
    this._setState('receiving', 'resuming');
    this._enqueue(async () => {
      // After the chunks that were already queued: they count as held.
      this._current = null;
      const positions = this.ledger.positions();
      this._send('resume-from', { transferId: this.offer.transferId, positions });
    });
  }

  async _onFileStart({ index, offset }) {
    const entry = this.ledger.file(index);
    if (offset !== entry.received) {
      this._send('resume-from', { transferId: this.offer.transferId, positions: this.ledger.positions() });
      this._current = null;
      return;
    }
    const file = this.files[index];
    let sink = this._sinks.get(index);
    if (!sink) {
      sink = await this.storage.open(this._key(index), file.type, offset);
      this._sinks.set(index, sink);
    }
    let hasher = this._hashers.get(index);
    if (!hasher) {
      if (offset > 0 && !entry.checkpoint?.hashState) throw new StorageError('storage', 'no saved hash state to resume from');
      hasher = await createSha256Stream({ state: offset > 0 ? base64ToBytes(entry.checkpoint.hashState) : null });
      this._hashers.set(index, hasher);
    }
    this._current = { index, sink, hasher, sinceAck: 0, sinceCheckpoint: 0 };
  }

  /** Hashes and hands a chunk to storage without waiting for the write: writes are pipelined. */
  _onChunk(buffer) {
    const current = this._current;
    if (!current || this._finished()) return;
    const { index, sink } = current;
    // Hash before the buffer is handed (transferred) to the storage worker.
    current.hasher.update(new Uint8Array(buffer));
    const received = this.ledger.addReceived(index, buffer.byteLength);
    this.stats.bytesReceived += buffer.byteLength;
    current.sinceAck += buffer.byteLength;
    current.sinceCheckpoint += buffer.byteLength;
    const ack = current.sinceAck >= ACK_EVERY;
    if (ack) current.sinceAck = 0;
    sink.write(buffer).then((written) => {
      this.ledger.setWritten(index, written);
      if (ack) this._trySend('ack', { transferId: this.offer.transferId, index, offset: written });
    }, (error) => this._fail(error));
    if (current.sinceCheckpoint >= this.checkpointEvery && this.storage.kind === 'opfs') {
      current.sinceCheckpoint = 0;
      // flush() runs after every earlier write and save() after every earlier update, so this
      // hash state matches the bytes on disk.
      Promise.all([current.hasher.save(), sink.flush()]).then(([hashState]) => {
        if (this._finished()) return;
        this.ledger.setWritten(index, received);
        this.ledger.setCheckpoint(index, received, bytesToBase64(hashState));
        this._save();
      }, (error) => this._fail(error));
    }
    this._emit('progress', {});
  }

  async _onFileEnd({ index, size, sha256 }) {
    const entry = this.ledger.file(index);
    if (this._current?.index !== index && size > 0) return; // stale: a resume is under way
    if (entry.received !== size) {
      this._send('resume-from', { transferId: this.offer.transferId, positions: this.ledger.positions() });
      return;
    }
    let sink = this._sinks.get(index);
    if (!sink) sink = await this.storage.open(this._key(index), this.files[index].type, 0); // zero-byte file
    await sink.flush(); // every write done (a failed one rejects here)
    const hasher = this._hashers.get(index) ?? await createSha256Stream();
    const actual = await hasher.digest();
    this._current = null;
    const ok = actual === sha256;
    if (ok) {
      const file = await sink.close();
      this.results.set(index, file);
      this.ledger.finish(index, 'verified', actual);
    } else {
      await sink.discard();
      this.ledger.finish(index, 'corrupt', actual);
    }
    this._sinks.delete(index);
    this._hashers.delete(index);
    this._save();
    this._trySend('file-done', { transferId: this.offer.transferId, index, ok, sha256: actual });
    this._emit('file-done', { index, ok, sha256: actual, expected: sha256, file: this.results.get(index) });
    this._emit('progress', {});
    if (this.ledger.complete) {
      this._trySend('done', { transferId: this.offer.transferId });
      const bad = this.ledger.files.filter((f) => f.state !== 'verified').length;
      this._setState('done', bad ? `${bad} file${bad === 1 ? '' : 's'} failed the integrity check` : 'all files received and verified');
    }
  }

  /** Runs chunk handling strictly in order; a storage failure ends the transfer with a message. */
  _enqueue(task) {
    this._queue = this._queue.then(task).catch((error) => this._fail(error));
  }

  _fail(error) {
    if (this._finished()) return;
    {
      const quota = error?.code === 'quota' || error?.name === 'QuotaExceededError';
      const text = quota ? `not enough space to save the files (${error.message})` : `cannot save the files: ${error.message}`;
      this._trySend('error', { transferId: this.offer?.transferId ?? 'unknown', code: quota ? 'quota' : 'storage', message: text });
      this._abandon('failed', text);
    }
  }

  /** Ends without finishing: half-written files are deleted, never left looking complete. */
  _abandon(state, reason) {
    this._current = null;
    this._setState(state, reason);
    const sinks = [...this._sinks.values()];
    this._sinks.clear();
    this._queue = this._queue.then(() => Promise.all(sinks.map((s) => s.discard().catch(() => undefined))));
    this.persist(null);
  }

  /** Storage name of a file: unique per receiving page, kept across a reload through the ledger. */
  _key(index) {
    return storageKey(this.offer.transferId, this.keyPrefix, index);
  }

  _save() {
    if (this.ledger) this.persist(this.ledger.complete ? null : { ...this.ledger.toJSON(), keyPrefix: this.keyPrefix, savedAt: Date.now() });
  }

  _send(type, body) {
    this.channel.send(encode(type, body));
  }

  _trySend(type, body) {
    try {
      if (this.channel?.readyState === 'open') this._send(type, body);
    } catch { /* channel went away */ }
  }

  _setState(state, reason = '') {
    this.state = state;
    this.reason = reason;
    this._emit('statechange', { state, reason });
  }

  _emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

/** A name for one receiver's storage files, unique enough among the tabs of one browser. */
export function newKeyPrefix() {
  return Math.random().toString(36).slice(2, 10).padEnd(8, '0');
}

function bytesToBase64(bytes) {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text);
}

function base64ToBytes(text) {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}
