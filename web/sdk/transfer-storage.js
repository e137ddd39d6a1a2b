// Where received bytes go. OPFS (origin private file system) streams to disk through a worker
// holding a FileSystemSyncAccessHandle, so memory stays flat; an in-memory Blob is the fallback,
// with a limit the app shows before the user accepts.

/** Default ceiling for the in-memory fallback. */
export const MEMORY_LIMIT = 512 * 1024 * 1024;
const DIRECTORY = 'parley-transfer';

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
    };
  }
  return {
    kind: 'memory', limit: memoryLimit, free,
    async open(key, type, offset) {
      if (offset > 0) throw new StorageError('storage', 'in-memory storage cannot resume after a reload');
      return new MemorySink(key, type, memoryLimit);
    },
    remove: async () => undefined,
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
