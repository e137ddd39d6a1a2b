// Receiver-side bookkeeping of a transfer: per file, bytes received (hashed, in order), bytes
// written to storage, the last checkpoint (written + hash state saved, survives a reload), and
// the outcome. Resume asks the sender for the bytes after what is already held.

/** File states: pending → receiving → verified | corrupt | failed. */
export class ResumeLedger {
  /**
   * @param {string} transferId
   * @param {{size: number}[]} files in offer order
   */
  constructor(transferId, files) {
    this.transferId = transferId;
    this.files = files.map((f, index) => ({
      index, size: f.size, received: 0, written: 0, state: 'pending', checkpoint: null, sha256: null,
    }));
  }

  file(index) {
    const entry = this.files[index];
    if (!entry) throw new RangeError(`no file ${index} in this transfer`);
    return entry;
  }

  /** Counts `bytes` more received for a file; refuses bytes past its size. */
  addReceived(index, bytes) {
    const entry = this.file(index);
    if (entry.received + bytes > entry.size) throw new RangeError(`file ${index}: ${entry.received + bytes} bytes exceed size ${entry.size}`);
    entry.received += bytes;
    if (entry.state === 'pending') entry.state = 'receiving';
    return entry.received;
  }

  /** Storage reports bytes written up to `offset`. */
  setWritten(index, offset) {
    const entry = this.file(index);
    entry.written = Math.max(entry.written, Math.min(offset, entry.received));
  }

  /** A point a reloaded page can resume from: data up to `offset` is on disk, `hashState` hashes it. */
  setCheckpoint(index, offset, hashState) {
    const entry = this.file(index);
    if (offset > entry.written) throw new RangeError(`checkpoint ${offset} is past the written ${entry.written} bytes`);
    entry.checkpoint = { offset, hashState };
  }

  /** Final state of one file: 'verified', 'corrupt' (hash mismatch) or 'failed'. */
  finish(index, state, sha256 = null) {
    const entry = this.file(index);
    entry.state = state;
    entry.sha256 = sha256;
  }

  /** Files still to fetch with the offset to continue from: what the `resume-from` message carries. */
  positions() {
    return this.files.filter((f) => f.state === 'pending' || f.state === 'receiving')
      .map((f) => ({ index: f.index, offset: f.received }));
  }

  get complete() {
    return this.files.every((f) => f.state !== 'pending' && f.state !== 'receiving');
  }

  totals() {
    let size = 0;
    let received = 0;
    for (const f of this.files) {
      size += f.size;
      received += f.state === 'verified' ? f.size : f.received;
    }
    return { size, received };
  }

  /** What a reload needs: only checkpoints count, since later bytes may not be on disk. */
  toJSON() {
    return {
      transferId: this.transferId,
      files: this.files.map(({ size, state, checkpoint, sha256 }) => ({ size, state, checkpoint, sha256 })),
    };
  }

  /** A ledger after a reload: each unfinished file rewinds to its checkpoint (or to 0). */
  static fromJSON(json) {
    const ledger = new ResumeLedger(json.transferId, json.files);
    json.files.forEach((saved, i) => {
      const entry = ledger.files[i];
      entry.sha256 = saved.sha256 ?? null;
      if (saved.state === 'verified' || saved.state === 'corrupt' || saved.state === 'failed') {
        entry.state = saved.state;
        entry.received = entry.written = saved.state === 'verified' ? saved.size : 0;
      } else if (saved.checkpoint && saved.checkpoint.offset <= saved.size) {
        entry.checkpoint = saved.checkpoint;
        entry.received = entry.written = saved.checkpoint.offset;
        entry.state = entry.received > 0 ? 'receiving' : 'pending';
      }
    });
    return ledger;
  }
}
