// Reconnect delays: exponential backoff with "equal jitter" (half fixed, half random), so a
// server restart is not met by every client reconnecting in the same millisecond.

/**
 * Delay before reconnect attempt number `attempt` (0-based), in milliseconds.
 * @param {number} attempt
 * @param {{initial?: number, max?: number, factor?: number, random?: () => number}} [options]
 */
export function backoffDelay(attempt, { initial = 500, max = 10_000, factor = 2, random = Math.random } = {}) {
  const ceiling = Math.min(max, initial * factor ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
