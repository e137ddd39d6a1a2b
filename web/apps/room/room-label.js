// The short name the group call page shows for its room instead of the raw id: a named room
// (from a join token, e.g. "town-hall") as it is, a drawn id (22 random characters nobody reads)
// as "Call " and its first four characters, enough to tell two open calls apart.

const READABLE = /^[a-z0-9][a-z0-9_-]{0,23}$/i;

/** "Call DYBL" for a drawn room id, the id itself when it is short and has no mixed case. */
export function roomLabel(room) {
  const id = String(room ?? '');
  if (READABLE.test(id) && id.length <= 16 && (id === id.toLowerCase() || id === id.toUpperCase())) return id;
  return `Call ${id.replace(/[^a-z0-9]/gi, '').slice(0, 4).toUpperCase()}`;
}

/** "in room with 2 others", …: the status line once joined (tests wait for its "in room" start). */
export function roomStatus(othersCount) {
  if (othersCount === 0) return 'in room, waiting for others to join';
  return `in room with ${othersCount} other${othersCount === 1 ? '' : 's'}`;
}
