import test from 'node:test';
import assert from 'node:assert/strict';
import { ResumeLedger } from '../sdk/resume-ledger.js';

test('positions list unfinished files from what was received', () => {
  const ledger = new ResumeLedger('t1', [{ size: 100 }, { size: 0 }, { size: 50 }]);
  assert.deepEqual(ledger.positions(), [{ index: 0, offset: 0 }, { index: 1, offset: 0 }, { index: 2, offset: 0 }]);
  ledger.addReceived(0, 60);
  ledger.setWritten(0, 60);
  assert.deepEqual(ledger.positions()[0], { index: 0, offset: 60 });
  ledger.addReceived(0, 40);
  ledger.finish(0, 'verified', 'x');
  ledger.finish(1, 'verified', 'y');
  assert.deepEqual(ledger.positions(), [{ index: 2, offset: 0 }]);
  assert.deepEqual(ledger.totals(), { size: 150, received: 100 });
  assert.equal(ledger.complete, false);
  ledger.addReceived(2, 50);
  ledger.finish(2, 'corrupt', 'z');
  assert.equal(ledger.complete, true);
});

test('bytes past a file size are refused', () => {
  const ledger = new ResumeLedger('t', [{ size: 10 }]);
  ledger.addReceived(0, 10);
  assert.throws(() => ledger.addReceived(0, 1), RangeError);
  assert.throws(() => ledger.file(3), RangeError);
});

test('after a reload only checkpoints count', () => {
  const ledger = new ResumeLedger('t2', [{ size: 100 }, { size: 100 }, { size: 100 }]);
  ledger.addReceived(0, 100);
  ledger.finish(0, 'verified', 'aa');
  ledger.addReceived(1, 80);
  ledger.setWritten(1, 70);
  ledger.setCheckpoint(1, 64, 'c3RhdGU=');
  assert.throws(() => ledger.setCheckpoint(1, 75, 's'), RangeError);
  ledger.addReceived(2, 5); // no checkpoint yet
  const restored = ResumeLedger.fromJSON(JSON.parse(JSON.stringify(ledger)));
  assert.deepEqual(restored.positions(), [{ index: 1, offset: 64 }, { index: 2, offset: 0 }]);
  assert.equal(restored.file(1).checkpoint.hashState, 'c3RhdGU=');
  assert.equal(restored.file(0).state, 'verified');
  assert.equal(restored.transferId, 't2');
});

test('cleanup keeps files of open pages and of fresh ledgers, removes the rest and stale ledgers', async () => {
  const { planCleanup, keyPrefixOf, storageKey, STALE_AFTER } = await import('../sdk/transfer-storage.js');
  const now = 10 * STALE_AFTER;
  assert.equal(keyPrefixOf(storageKey('tid', 'abc', 2)), 'abc');
  assert.equal(keyPrefixOf('.probe'), null);
  const files = [
    { name: 'T.live.0', lastModified: 0 },        // an open tab writes it
    { name: 'T.fresh.0', lastModified: 0 },       // a reload can resume it
    { name: 'T.old.0', lastModified: now },       // its ledger is a day old
    { name: 'T.gone.0', lastModified: now },      // finished file of a closed page
    { name: 'stray', lastModified: now },
  ];
  const ledgers = [
    { key: 'l.fresh', keyPrefix: 'fresh', savedAt: now - 1000 },
    { key: 'l.old', keyPrefix: 'old', savedAt: now - STALE_AFTER },
    { key: 'l.broken' },
  ];
  const plan = planCleanup({ files, ledgers, live: new Set(['live']), now });
  assert.deepEqual(plan.files, ['T.old.0', 'T.gone.0', 'stray']);
  assert.deepEqual(plan.ledgers, ['l.old', 'l.broken']);
  // Without Web Locks another tab may be writing: only files untouched for a day go.
  const blind = planCleanup({ files, ledgers, live: null, now });
  assert.deepEqual(blind.files, ['T.live.0']);
});
