// How big the pieces are: chunk size from the SCTP association's message size limit, the
// flow-control marks on bufferedAmount, and the reads a sender makes from a file.

/** Used when the browser does not expose pc.sctp.maxMessageSize (RFC 8831 §6.6 safe size). */
export const FALLBACK_CHUNK = 16 * 1024;
/** Largest chunk used even when the peer allows more: bigger frames stall the SCTP queue. */
export const MAX_CHUNK = 256 * 1024;
/** Stop queueing once this much is buffered (far below Chrome's 16 MiB "send queue is full"). */
export const HIGH_WATER = 8 * 1024 * 1024;
/** bufferedAmountLowThreshold: queue more once the buffer drains to this. */
export const LOW_WATER = 2 * 1024 * 1024;
/** Bytes read from the file at a time (split into chunks). */
export const READ_SIZE = 4 * 1024 * 1024;
/** Bytes the sender may be ahead of what the receiver has written (keeps receiver memory flat). */
export const WINDOW = 32 * 1024 * 1024;

/**
 * Chunk size for a connection: the peer's maxMessageSize (0 or missing means unknown), capped.
 * @param {number|null|undefined} maxMessageSize RTCSctpTransport.maxMessageSize
 */
export function chunkSizeFor(maxMessageSize, cap = MAX_CHUNK) {
  if (!Number.isFinite(maxMessageSize) || maxMessageSize <= 0) {
    return maxMessageSize === Infinity ? cap : FALLBACK_CHUNK;
  }
  return Math.max(1024, Math.min(cap, Math.floor(maxMessageSize)));
}

/**
 * The file reads from `offset` to `size`: [{start, end}] pieces of at most readSize bytes, each
 * split by the sender into chunks of chunkSize. A zero-byte file has no reads.
 */
export function* planReads(size, offset = 0, readSize = READ_SIZE) {
  if (!(offset >= 0 && offset <= size)) throw new RangeError(`offset ${offset} outside 0..${size}`);
  for (let start = offset; start < size; start += readSize) {
    yield { start, end: Math.min(size, start + readSize) };
  }
}

/** The [start, end) offsets of the chunks a read of `length` bytes is cut into. */
export function* splitChunks(length, chunkSize) {
  for (let start = 0; start < length; start += chunkSize) {
    yield { start, end: Math.min(length, start + chunkSize) };
  }
}
