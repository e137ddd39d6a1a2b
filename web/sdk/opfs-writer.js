// Worker: writes transfer files into the origin private file system with synchronous access
// handles (only available in workers), which write in place — no swap-file copy per commit.
// Messages: {id, op: open|write|truncate|flush|close|remove, key, …} → {id, size} or {id, error}.

const handles = new Map(); // key → {handle, size}
let directory = null;

async function dir() {
  if (!directory) directory = await (await navigator.storage.getDirectory()).getDirectoryHandle('parley-transfer', { create: true });
  return directory;
}

class QuotaError extends Error {
  constructor() {
    super('write refused');
    this.name = 'QuotaExceededError';
  }
}

function fail(error) {
  const quota = error?.name === 'QuotaExceededError';
  return { code: quota ? 'quota' : 'storage', message: quota ? 'the disk or the browser storage quota is full' : String(error?.message ?? error) };
}

const ops = {
  /** Can this browser write here? Creates, writes and removes a small file. */
  async probe() {
    const file = await (await dir()).getFileHandle('.probe', { create: true });
    const handle = await file.createSyncAccessHandle();
    handle.write(new Uint8Array(1), { at: 0 });
    handle.close();
    await (await dir()).removeEntry('.probe').catch(() => undefined); // another tab's cleanup may have been first
    return 0;
  },
  async open({ key, offset }) {
    let entry = handles.get(key);
    if (!entry) {
      const file = await (await dir()).getFileHandle(key, { create: true });
      const handle = await accessHandle(file);
      entry = { handle, size: handle.getSize() };
      handles.set(key, entry);
    }
    // Resume: keep what is there up to the offset; anything later was not verified.
    if (entry.size !== offset) {
      if (entry.size < offset) throw new Error(`file holds ${entry.size} bytes, cannot continue at ${offset}`);
      entry.handle.truncate(offset);
      entry.size = offset;
    }
    return entry.size;
  },
  write({ key, buffer }) {
    const entry = need(key);
    const bytes = new Uint8Array(buffer);
    let done = 0;
    while (done < bytes.length) {
      const written = entry.handle.write(bytes.subarray(done), { at: entry.size + done });
      // Out of quota, Chrome's incognito storage returns a nonsense count instead of throwing
      // (seen: billions for a 1 MiB write): anything outside 1..remaining is a failed write.
      if (!(written > 0 && written <= bytes.length - done)) throw new QuotaError();
      done += written;
    }
    entry.size += bytes.length;
    return entry.size;
  },
  truncate({ key, offset }) {
    const entry = need(key);
    entry.handle.truncate(offset);
    entry.size = offset;
    return offset;
  },
  flush({ key }) {
    const entry = need(key);
    entry.handle.flush();
    return entry.size;
  },
  close({ key }) {
    const entry = handles.get(key);
    if (!entry) return 0;
    entry.handle.flush();
    if (entry.handle.getSize() !== entry.size) throw new Error(`${entry.handle.getSize()} bytes on disk, ${entry.size} written`);
    entry.handle.close();
    handles.delete(key);
    return entry.size;
  },
  async remove({ key }) {
    const entry = handles.get(key);
    if (entry) {
      entry.handle.close();
      handles.delete(key);
    }
    await (await dir()).removeEntry(key).catch(() => undefined);
    return 0;
  },
};

/**
 * The file's sync access handle. Right after a reload the page being replaced may still hold it
 * for a moment (NoModificationAllowedError): wait a little for it to let go.
 */
async function accessHandle(file) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await file.createSyncAccessHandle();
    } catch (error) {
      if (error?.name !== 'NoModificationAllowedError' || attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function need(key) {
  const entry = handles.get(key);
  if (!entry) throw new Error(`file ${key} is not open`);
  return entry;
}

// Requests run strictly in arrival order (open is async), so writes never overtake each other.
let chain = Promise.resolve();
self.onmessage = ({ data }) => {
  chain = chain.then(async () => {
    try {
      const size = await ops[data.op](data);
      self.postMessage({ id: data.id, size });
    } catch (error) {
      self.postMessage({ id: data.id, error: fail(error) });
    }
  });
};
