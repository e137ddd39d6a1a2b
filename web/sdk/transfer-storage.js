// Where received bytes go. OPFS (origin private file system) streams to disk through a worker
// holding a FileSystemSyncAccessHandle, so memory stays flat; an in-memory Blob is the fallback,
// with a limit the app shows before the user accepts.

/** Default ceiling for the in-memory fallback. */
export const MEMORY_LIMIT = 512 * 1024 * 1024;
const DIRECTORY = 'parley-transfer';
/** A partial file nobody can resume after this long is removed when the app starts. */
export const STALE_AFTER = 24 * 60 * 60 * 1000;
/** Web Lock held by a page for as long as it owns files with this key prefix. */
const LOCK_PREFIX = 'parley-transfer.';
/** The file opfs-writer.js creates and removes to check that OPFS works. */
const PROBE = '.probe';

/** Storage file name of one received file: `transferId.keyPrefix.index` (transfer ids have no dot). */
export function storageKey(transferId, keyPrefix, index) {
  return `${transferId}.${keyPrefix}.${index}`;
}

/** The keyPrefix of a name made by storageKey, or null for anything else. */
export function keyPrefixOf(name) {
  const parts = name.split('.');
  return parts.length === 3 && parts[1] ? parts[1] : null;
}

/**
 * What to delete when the app starts: files no open page owns (`live`: key prefixes locked by
 * open pages, or null when the browser has no Web Locks) and no fresh saved ledger can resume,
 * and ledgers older than `staleAfter`. Without Web Locks only files untouched for `staleAfter`
 * go, since another tab may be writing the rest.
 * @param {{files: {name: string, lastModified: number}[], ledgers: {key: string, keyPrefix?: string,
 *   savedAt?: number}[], live: Set<string>|null, now: number, staleAfter?: number}} state
 * @returns {{files: string[], ledgers: string[]}} names of files and ledger keys to remove
 */
export function planCleanup({ files, ledgers, live, now, staleAfter = STALE_AFTER }) {
  const fresh = (ledger) => now - (ledger.savedAt ?? 0) < staleAfter;
  const resumable = new Set(ledgers.filter(fresh).map((l) => l.keyPrefix));
  const owned = (prefix) => prefix !== null && (resumable.has(prefix) || Boolean(live?.has(prefix)));
  return {
    files: files.filter((f) => !owned(keyPrefixOf(f.name)) && (live !== null || now - f.lastModified >= staleAfter)).map((f) => f.name),
    ledgers: ledgers.filter((l) => !fresh(l) && !live?.has(l.keyPrefix)).map((l) => l.key),
  };
}

/**
 * Marks files with this key prefix as owned by this page until it closes (a Web Lock), so that
 * another tab's cleanup leaves them alone.
 */
export function holdKeyPrefix(keyPrefix) {
  navigator.locks?.request(LOCK_PREFIX + keyPrefix, () => new Promise(() => {})).catch(() => undefined);
}

/**
 * Removes leftovers of earlier pages from OPFS and ledgers from `ledgerStore` (localStorage):
 * partial files of transfers nobody can resume, finished files of closed pages, ledgers older
 * than a day. `ledgerKeyPrefix` is the localStorage key prefix of saved ledgers.
 * @returns {Promise<string[]>} the removed file names, sorted
 */
export async function cleanStorage({ ledgerStore, ledgerKeyPrefix, now = Date.now() }) {
  if (!globalThis.navigator?.storage?.getDirectory) return [];
  const ledgers = [];
  for (let i = 0; i < ledgerStore.length; i += 1) {
    const key = ledgerStore.key(i);
    if (!key?.startsWith(ledgerKeyPrefix)) continue;
    let saved = null;
    try { saved = JSON.parse(ledgerStore.getItem(key)); } catch { /* unreadable: stale */ }
    ledgers.push({ key, keyPrefix: saved?.keyPrefix, savedAt: saved?.savedAt });
  }
  let live = null;
  if (navigator.locks?.query) {
    const { held = [] } = await navigator.locks.query();
    live = new Set(held.map((l) => l.name).filter((n) => n?.startsWith(LOCK_PREFIX)).map((n) => n.slice(LOCK_PREFIX.length)));
  }
  const directory = await opfsDirectory();
  const files = [];
  for await (const [name, handle] of directory.entries()) {
    // '.probe' belongs to a page checking that it can write here (openStorage), right now; a file
    // that cannot be read is open for writing in another tab.
    if (handle.kind !== 'file' || name === PROBE) continue;
    const lastModified = await handle.getFile().then((file) => file.lastModified, () => null);
    if (lastModified !== null) files.push({ name, lastModified });
  }
  const plan = planCleanup({ files, ledgers, live, now });
  plan.ledgers.forEach((key) => ledgerStore.removeItem(key));
  const removed = [];
  for (const name of plan.files) {
    // A file another tab still writes cannot be removed (NoModificationAllowedError): leave it.
    await directory.removeEntry(name).then(() => removed.push(name), () => undefined);
  }
  return removed.sort();
}

/** An error the app turns into a message: code 'quota' (disk full) or 'storage'. */
export class StorageError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'StorageError';
    this.code = code;
  }
}

/** Keeps chunks in memory; `close()` returns a Blob. */
export class MemorySink {
  constructor(name, type, limit = MEMORY_LIMIT) {
    this.name = name;
    this.type = type;
    this.limit = limit;
    this.chunks = [];
    this.size = 0;
  }

  /** Drops bytes after `offset` (resume from an earlier point). */
  async truncate(offset) {
    if (offset === this.size) return;
    const kept = new Blob(this.chunks).slice(0, offset);
    this.chunks = [kept];
    this.size = offset;
  }

  /** Appends; resolves with the number of bytes now held. */
  async write(buffer) {
    if (this.size + buffer.byteLength > this.limit) {
      throw new StorageError('quota', `in-memory storage is limited to ${this.limit} bytes`);
    }
    this.chunks.push(buffer);
    this.size += buffer.byteLength;
    return this.size;
  }

  async flush() { return this.size; }

  async close() {
    const blob = new Blob(this.chunks, { type: this.type || 'application/octet-stream' });
    this.chunks = [blob];
    return blob;
  }

  async discard() {
    this.chunks = [];
    this.size = 0;
  }
}

/** One OPFS file written by the writer worker; writes queue in order, each acknowledged. */
export class OpfsSink {
  constructor(worker, key, type) {
    this.worker = worker;
    this.key = key;
    this.type = type;
    this.size = 0;
  }

  truncate(offset) {
    return this.worker.call({ op: 'truncate', key: this.key, offset }).then((r) => { this.size = r.size; return r.size; });
  }

  /** Appends; the buffer is transferred to the worker (not copied). */
  write(buffer) {
    return this.worker.call({ op: 'write', key: this.key, buffer }, [buffer]).then((r) => { this.size = r.size; return r.size; });
  }

  /** Resolves once every write so far is on disk (FileSystemSyncAccessHandle.flush). */
  flush() {
    return this.worker.call({ op: 'flush', key: this.key }).then((r) => r.size);
  }

  /** Closes the access handle and returns the file as a File (read from disk, not memory). */
  async close() {
    await this.worker.call({ op: 'close', key: this.key });
    const directory = await opfsDirectory();
    const handle = await directory.getFileHandle(this.key);
    return handle.getFile();
  }

  async discard() {
    await this.worker.call({ op: 'remove', key: this.key }).catch(() => undefined);
  }
}

/** Talks to opfs-writer.js: one request, one reply, matched by id. */
class WriterWorker {
  constructor() {
    this.worker = new Worker(new URL('./opfs-writer.js', import.meta.url), { type: 'module', name: 'parley-opfs-writer' });
    this.pending = new Map();
    this.nextId = 1;
    this.worker.onmessage = ({ data }) => {
      const pending = this.pending.get(data.id);
      if (!pending) return;
      this.pending.delete(data.id);
      if (data.error) pending.reject(new StorageError(data.error.code, data.error.message));
      else pending.resolve(data);
    };
    this.worker.onerror = (event) => {
      for (const p of this.pending.values()) p.reject(new StorageError('storage', event.message || 'storage worker failed'));
      this.pending.clear();
    };
  }

  call(message, transfer = []) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id }, transfer);
    });
  }
}

async function opfsDirectory() {
  const root = await navigator.storage.getDirectory();
  return root.getDirectoryHandle(DIRECTORY, { create: true });
}

/**
 * Picks the storage for a transfer: OPFS when the browser offers it, else memory.
 * @returns {Promise<{kind: 'opfs'|'memory', limit: number|null, free: number|null,
 *   open: (key: string, type: string, offset: number) => Promise<MemorySink|OpfsSink>}>}
 */
export async function openStorage({ memoryLimit = MEMORY_LIMIT, preferMemory = false } = {}) {
  let free = null;
  try {
    const { quota, usage } = await navigator.storage.estimate();
    free = quota - usage;
  } catch { /* unknown */ }
  const worker = preferMemory ? null : await opfsWorker();
  if (worker) {
    return {
      kind: 'opfs', limit: free, free,
      async open(key, type, offset) {
        const reply = await worker.call({ op: 'open', key, offset });
        const sink = new OpfsSink(worker, key, type);
        sink.size = reply.size;
        return sink;
      },
      remove: (key) => worker.call({ op: 'remove', key }).catch(() => undefined),
      /** A file finished before a reload, as a File read from disk (null when it is gone). */
      async existing(key) {
        const directory = await opfsDirectory();
        return directory.getFileHandle(key).then((h) => h.getFile(), () => null);
      },
    };
  }
  return {
    kind: 'memory', limit: memoryLimit, free,
    async open(key, type, offset) {
      if (offset > 0) throw new StorageError('storage', 'in-memory storage cannot resume after a reload');
      return new MemorySink(key, type, memoryLimit);
    },
    remove: async () => undefined,
    existing: async () => null,
  };
}

/** A writer worker, if this browser lets workers write OPFS files with sync access handles. */
async function opfsWorker() {
  if (!globalThis.navigator?.storage?.getDirectory || typeof Worker === 'undefined') return null;
  try {
    const worker = new WriterWorker();
    const answer = await Promise.race([worker.call({ op: 'probe' }), new Promise((resolve) => setTimeout(() => resolve(null), 3000))]);
    if (answer) return worker;
    worker.worker.terminate();
  } catch { /* no OPFS here (e.g. private mode): memory it is */ }
  return null;
}
