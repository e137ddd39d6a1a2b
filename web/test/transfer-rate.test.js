import test from 'node:test';
import assert from 'node:assert/strict';
import { RateMeter, formatBytes, formatEta } from '../sdk/transfer-rate.js';
import { newShortCode, normalizeShortCode } from '../sdk/short-code.js';

test('speed is measured over the window and ETA follows from it', () => {
  let now = 0;
  const meter = new RateMeter({ window: 3000, now: () => now });
  assert.equal(meter.bytesPerSecond(), 0);
  assert.equal(meter.eta(100), null);
  for (let i = 0; i <= 10; i += 1) { now = i * 1000; meter.update(i * 1_000_000); }
  assert.equal(Math.round(meter.bytesPerSecond()), 1_000_000);
  assert.equal(meter.eta(5_000_000), 5);
  assert.equal(meter.eta(0), 0);
  now = 20_000; // stalled: no new bytes for 10 s
  assert.ok(meter.bytesPerSecond() < 400_000);
});

test('sizes and times read like a file manager', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(1500), '1.50 kB');
  assert.equal(formatBytes(104857600), '104.9 MB');
  assert.equal(formatEta(null), '—');
  assert.equal(formatEta(42.1), '43 s');
  assert.equal(formatEta(185), '3 min 05 s');
  assert.equal(formatEta(3720), '1 h 02 min');
});

test('short codes are typeable and forgive look-alikes', () => {
  const code = newShortCode();
  assert.match(code, /^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
  assert.equal(normalizeShortCode(code.toLowerCase().replace('-', ' ')), code);
  assert.equal(normalizeShortCode('abcde-fghjk'), 'ABCDE-FGHJK');
  assert.equal(normalizeShortCode('0oIl1-22222'), '00111-22222');
  assert.equal(normalizeShortCode('short'), null);
  assert.equal(normalizeShortCode('UUUUU-UUUUU'), null);
});
