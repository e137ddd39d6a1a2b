// Worker behind sha256-stream.js: SHA-256 hashes by id. Messages {id, op, hash, …} are handled
// in arrival order; each gets {id, value} or {id, error}.
// Workers do not see the page's import map: the library is imported by its served path.
import { createSHA256 } from '/vendor/hash-wasm/dist/index.esm.min.js';

const hashes = new Map();

const ops = {
  async create({ hash, state }) {
    const hasher = await createSHA256();
    if (state) hasher.load(state);
    hashes.set(hash, hasher);
    return null;
  },
  update({ hash, bytes }) {
    hashes.get(hash).update(bytes);
    return null;
  },
  save({ hash }) {
    return hashes.get(hash).save();
  },
  digest({ hash }) {
    const hex = hashes.get(hash).digest('hex');
    hashes.delete(hash);
    return hex;
  },
};

// create is async: later messages wait for it, so a hash never sees updates out of order.
let chain = Promise.resolve();
self.onmessage = ({ data }) => {
  chain = chain.then(async () => {
    try {
      self.postMessage({ id: data.id, value: await ops[data.op](data) });
    } catch (error) {
      self.postMessage({ id: data.id, error: String(error?.message ?? error) });
    }
  });
};
