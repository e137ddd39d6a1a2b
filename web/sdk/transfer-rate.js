// Speed and time left for a progress display: bytes per second over a sliding window, so a
// stall shows as a falling speed within seconds instead of a lifetime average.

export class RateMeter {
  /** @param {{window?: number, now?: () => number}} [options] window in ms */
  constructor({ window = 3000, now = () => performance.now() } = {}) {
    this.window = window;
    this.now = now;
    this.samples = []; // [time, total bytes]
  }

  /** Records the running total of bytes done. */
  update(totalBytes) {
    const t = this.now();
    this.samples.push([t, totalBytes]);
    while (this.samples.length > 2 && t - this.samples[1][0] > this.window) this.samples.shift();
  }

  /** Bytes per second over the window (0 until two samples exist). */
  bytesPerSecond() {
    if (this.samples.length < 2) return 0;
    const [t0, b0] = this.samples[0];
    const [t1, b1] = this.samples[this.samples.length - 1];
    const seconds = Math.max(t1 - t0, this.now() - t1 > this.window ? this.now() - t0 : 0) / 1000;
    return seconds > 0 ? Math.max(0, b1 - b0) / seconds : 0;
  }

  /** Seconds until `remaining` bytes are done at the current speed, or null when unknown. */
  eta(remaining) {
    if (remaining <= 0) return 0;
    const speed = this.bytesPerSecond();
    return speed > 0 ? remaining / speed : null;
  }
}

/** "12.3 MB" (decimal units, as file managers show sizes). */
export function formatBytes(bytes) {
  if (!Number.isFinite(bytes)) return '?';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) { value /= 1000; unit += 1; }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/** "1 h 02 min", "3 min 05 s", "42 s", or "—" when unknown. */
export function formatEta(seconds) {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const s = Math.ceil(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
  if (s >= 60) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${s} s`;
}
