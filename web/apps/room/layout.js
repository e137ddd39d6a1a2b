// Pure layout decisions of the group call page (no DOM): who gets a video tile, who is listed
// audio-only, how many grid columns, and what to ask the SFU for (sfu-constraints).

/** Most video tiles on screen; everyone else is in the audio-only list (and paused at the SFU). */
export const MAX_TILES = 16;

/**
 * Orders participants for tiles: pinned first, then screen shares, then recent dominant speakers,
 * then join order. Returns {tiles, audioOnly} (arrays of participant ids).
 * @param {string[]} joinOrder participant ids in the order they joined (remote only)
 * @param {{pinned?: string|null, speakerOrder?: string[], sharing?: Set<string>, max?: number}} [options]
 */
export function chooseTiles(joinOrder, { pinned = null, speakerOrder = [], sharing = new Set(), max = MAX_TILES } = {}) {
  const rank = (id) => {
    if (id === pinned) return 0;
    if (sharing.has(id)) return 1;
    const spoke = speakerOrder.indexOf(id);
    if (spoke >= 0) return 2 + spoke / 1000;
    return 3;
  };
  const ordered = joinOrder
    .map((id, index) => ({ id, index, rank: rank(id) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((e) => e.id);
  const chosen = new Set(ordered.slice(0, max));
  // Tiles keep join order on screen (they should not jump around when someone speaks).
  return { tiles: joinOrder.filter((id) => chosen.has(id)), audioOnly: joinOrder.filter((id) => !chosen.has(id)) };
}

/** Columns for a grid of `count` tiles: 1, 2, 2, 3, 3, 3, 3, 4… (as square as possible). */
export function gridColumns(count) {
  return Math.max(1, Math.ceil(Math.sqrt(count)));
}

/**
 * The sfu-constraints body for what is on screen.
 * @param {Map<string, number>} renderedHeights trackId → CSS pixels × devicePixelRatio of its tile (0 if not shown)
 * @param {string[]} onStage trackIds or peerIds served first (pinned, spotlight)
 */
export function constraintsFor(renderedHeights, onStage) {
  const maxHeight = {};
  let shown = 0;
  for (const [trackId, height] of renderedHeights) {
    // Round up to the usual layer heights so small resizes do not flood the SFU with requests.
    maxHeight[trackId] = height <= 0 ? 0 : [180, 360, 720, 1080].find((h) => h >= height) ?? 2160;
    if (height > 0) shown += 1;
  }
  return { maxHeight, defaultMaxHeight: 0, onStage, lastN: Math.max(shown, 1) };
}

/**
 * The grid that fits `count` tiles of `aspect` (width / height) into a `width` × `height` box
 * with `gap` pixels between them: the column count that gives the largest tiles, and their width.
 * Returns {columns, tileWidth} (tileWidth in whole pixels, at least 1).
 */
export function fitGrid(count, width, height, { gap = 8, aspect = 4 / 3 } = {}) {
  const n = Math.max(1, count);
  let best = { columns: 1, tileWidth: 1 };
  for (let columns = 1; columns <= n; columns += 1) {
    const rows = Math.ceil(n / columns);
    const byWidth = (width - gap * (columns - 1)) / columns;
    const byHeight = ((height - gap * (rows - 1)) / rows) * aspect;
    const tileWidth = Math.floor(Math.min(byWidth, byHeight));
    if (tileWidth > best.tileWidth) best = { columns, tileWidth };
  }
  return best;
}
