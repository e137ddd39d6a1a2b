// FileSender ↔ FileReceiver over an in-memory channel pair (no browser): the protocol, hashing,
// flow control bookkeeping and resume on a new channel.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { OfferedFile, FileSender, FileReceiver } from '../sdk/file-transfer.js';
import { MemorySink } from '../sdk/transfer-storage.js';

/** Two connected fake RTCDataChannels: ordered delivery on later ticks, like the real thing. */
function channelPair() {
  const make = () => Object.assign(new EventTarget(), { readyState: 'open', bufferedAmount: 0, bufferedAmountLowThreshold: 0, binaryType: 'arraybuffer' });
  const a = make();
  const b = make();
  const wire = (from, to) => {
    from.send = (data) => {
      if (from.readyState !== 'open') throw new Error('closed');
      const copy = typeof data === 'string' ? data : data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
      setImmediate(() => { if (to.readyState === 'open') to.dispatchEvent(Object.assign(new Event('message'), { data: copy })); });
    };
  };
  wire(a, b);
  wire(b, a);
  const close = () => {
    for (const c of [a, b]) { c.readyState = 'closed'; c.dispatchEvent(new Event('close')); }
  };
  return { a, b, close };
}

const memoryStorage = { kind: 'memory', limit: 1 << 30, free: null, open: async (key, type) => new MemorySink(key, type), remove: async () => {} };
const sha = (buf) => createHash('sha256').update(buf).digest('hex');
const until = async (predicate) => { for (let i = 0; i < 5000 && !predicate(); i += 1) await new Promise((r) => setTimeout(r, 2)); assert.ok(predicate(), 'condition never met'); };

test('files of several sizes, one empty, arrive verified and both sides finish', async () => {
  const contents = [randomBytes(700_000), Buffer.alloc(0), randomBytes(1234)];
  const files = contents.map((c, i) => new OfferedFile(new Blob([c]), ['a/x.bin', 'empty', '../evil.txt'][i], i));
  const sender = new FileSender(files, { transferId: 'T1', from: 'Ann', readSize: 100_000, maxChunk: 16_384 });
  const receiver = new FileReceiver({ storage: memoryStorage });
  const { a, b } = channelPair();
  sender.attach(a, { sctp: { maxMessageSize: 65536 } });
  receiver.attach(b);
  a.dispatchEvent(new Event('open'));
  await until(() => receiver.state === 'offered');
  assert.deepEqual(receiver.files.map((f) => f.name), ['a/x.bin', 'empty', 'evil.txt']);
  receiver.accept();
  await until(() => receiver.state === 'done' && sender.state === 'done');
  for (let i = 0; i < contents.length; i += 1) {
    const blob = receiver.results.get(i);
    assert.equal(sha(Buffer.from(await blob.arrayBuffer())), sha(contents[i]));
    assert.equal(receiver.ledger.file(i).sha256, sha(contents[i]));
  }
  assert.equal(sender.chunkSize, 16_384, 'chunk from maxMessageSize, capped');
  assert.equal(sender.stats.bytesSent, 700_000 + 1234);
  assert.ok(sender.progress.every((p) => p.ok));
});

test('after the channel dies, a new channel resumes from what the receiver holds', async () => {
  const content = randomBytes(8_000_000);
  const file = new OfferedFile(new Blob([content]), 'big.bin', 0);
  // A 2 MiB window keeps the sender close behind the receiver's acks (the fake has no send buffer).
  const sender = new FileSender([file], { transferId: 'T2', from: 'Ann', readSize: 65_536, maxChunk: 16_384, window: 2 * 1024 * 1024 });
  const receiver = new FileReceiver({ storage: memoryStorage });
  const first = channelPair();
  sender.attach(first.a);
  receiver.attach(first.b);
  first.a.dispatchEvent(new Event('open'));
  await until(() => receiver.state === 'offered');
  receiver.accept();
  await until(() => receiver.stats.bytesReceived > 1_000_000);
  first.close();
  const held = receiver.ledger.file(0).received;
  assert.ok(held > 0 && held < content.length);

  const second = channelPair();
  sender.attach(second.a);
  receiver.attach(second.b);
  second.a.dispatchEvent(new Event('open'));
  await until(() => receiver.state === 'done' && sender.state === 'done');
  assert.equal(sha(Buffer.from(await receiver.results.get(0).arrayBuffer())), sha(content));
  assert.equal(sender.stats.resumes, 1);
  assert.ok(sender.stats.resumedFrom[0][0].offset > 0, 'resumed past zero');
  assert.ok(sender.stats.bytesSent < 2 * content.length, 'resent less than the file');
});

test('a corrupted byte is caught by the hash and the file is discarded', async () => {
  const content = randomBytes(200_000);
  const file = new OfferedFile(new Blob([content]), 'c.bin', 0);
  const sender = new FileSender([file], { transferId: 'T3', from: 'Ann', maxChunk: 16_384 });
  const receiver = new FileReceiver({ storage: memoryStorage });
  const { a, b } = channelPair();
  const send = a.send;
  let flipped = false;
  a.send = (data) => {
    if (!flipped && typeof data !== 'string') { flipped = true; const copy = new Uint8Array(data); copy[5] ^= 1; return send(copy); }
    return send(data);
  };
  sender.attach(a);
  receiver.attach(b);
  a.dispatchEvent(new Event('open'));
  await until(() => receiver.state === 'offered');
  receiver.accept();
  await until(() => receiver.state === 'done' && sender.state === 'done');
  assert.equal(receiver.ledger.file(0).state, 'corrupt');
  assert.equal(receiver.results.size, 0);
  assert.equal(sender.progress[0].ok, false);
});

test('decline and cancel end both sides', async () => {
  const mk = () => {
    const sender = new FileSender([new OfferedFile(new Blob([randomBytes(10)]), 'f', 0)], { transferId: 'T4', from: 'Ann' });
    const receiver = new FileReceiver({ storage: memoryStorage });
    const { a, b } = channelPair();
    sender.attach(a);
    receiver.attach(b);
    a.dispatchEvent(new Event('open'));
    return { sender, receiver };
  };
  const one = mk();
  await until(() => one.receiver.state === 'offered');
  one.receiver.decline();
  await until(() => one.sender.state === 'declined');
  const two = mk();
  await until(() => two.receiver.state === 'offered');
  two.sender.cancel('changed my mind');
  await until(() => two.receiver.state === 'cancelled');
  assert.equal(two.receiver.reason, 'changed my mind');
});

/** Storage that outlives the receiver, like OPFS across a reload: key → bytes. */
function diskStorage() {
  const disk = new Map();
  const bytes = (key) => Buffer.concat(disk.get(key) ?? []);
  return {
    disk, bytes, kind: 'opfs', limit: null, free: null,
    async open(key, type, offset) {
      const held = bytes(key);
      if (held.length < offset) throw new Error(`holds ${held.length}, asked for ${offset}`);
      disk.set(key, [held.subarray(0, offset)]);
      return {
        write: async (buffer) => { disk.get(key).push(Buffer.from(buffer)); return bytes(key).length; },
        flush: async () => bytes(key).length,
        close: async () => new Blob([bytes(key)]),
        discard: async () => { disk.delete(key); },
      };
    },
    remove: async (key) => { disk.delete(key); },
    existing: async (key) => (disk.has(key) ? new Blob([bytes(key)]) : null),
  };
}

test('a reloaded receiver continues from its last checkpoint with the saved hash state', async () => {
  const contents = [randomBytes(300_000), randomBytes(3_000_000)];
  const files = contents.map((c, i) => new OfferedFile(new Blob([c]), `f${i}.bin`, i));
  const storage = diskStorage();
  let saved = null;
  const persist = (json) => { saved = json && JSON.parse(JSON.stringify(json)); };
  const options = { transferId: 'T5', from: 'Ann', readSize: 65_536, maxChunk: 16_384, window: 2 * 1024 * 1024 };
  const first = { sender: new FileSender(files, options), receiver: new FileReceiver({ storage, persist, checkpointEvery: 512 * 1024 }), wire: channelPair() };
  first.sender.attach(first.wire.a);
  first.receiver.attach(first.wire.b);
  first.wire.a.dispatchEvent(new Event('open'));
  await until(() => first.receiver.state === 'offered');
  first.receiver.accept();
  await until(() => saved?.files[1].checkpoint?.offset >= 1024 * 1024);
  first.wire.close(); // the page is gone: only `saved` and the storage remain
  const checkpoint = saved.files[1].checkpoint.offset;
  assert.equal(saved.files[0].state, 'verified');

  // The reloaded page: a new receiver from the saved ledger; the sender serves it as a new peer.
  const receiver = new FileReceiver({ storage, persist, saved });
  const sender = new FileSender(files, options);
  const wire = channelPair();
  sender.attach(wire.a);
  receiver.attach(wire.b);
  wire.a.dispatchEvent(new Event('open'));
  await until(() => receiver.state === 'done' && sender.state === 'done');
  assert.deepEqual(sender.stats.resumedFrom[0], [{ index: 1, offset: checkpoint }]);
  assert.equal(receiver.stats.bytesReceived, contents[1].length - checkpoint, 'only the bytes after the checkpoint came again');
  for (let i = 0; i < contents.length; i += 1) {
    assert.equal(sha(Buffer.from(await receiver.results.get(i).arrayBuffer())), sha(contents[i]), `file ${i}`);
  }
  assert.ok(sender.progress.every((p) => p.ok));
  assert.equal(saved, null, 'a finished transfer leaves no ledger behind');
});
