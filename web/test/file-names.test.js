import test from 'node:test';
import assert from 'node:assert/strict';
import { sanitizeSegment, sanitizePath, uniquePaths, baseName } from '../sdk/file-names.js';

test('path traversal and separators cannot escape', () => {
  assert.equal(sanitizePath('../../etc/passwd'), 'etc/passwd');
  assert.equal(sanitizePath('/abs/file.txt'), 'abs/file.txt');
  assert.equal(sanitizePath('a\\..\\b.txt'), 'a/b.txt');
  assert.equal(sanitizePath('..'), 'file');
  assert.equal(sanitizePath(''), 'file');
  assert.equal(sanitizePath('dir/./x'), 'dir/x');
});

test('control, reserved and bidi-override characters are replaced; unicode is kept', () => {
  assert.equal(sanitizeSegment('a<b>c:d"e|f?g*h'), 'a_b_c_d_e_f_g_h');
  assert.equal(sanitizeSegment('bad\u0000name\n'), 'bad_name_');
  assert.equal(sanitizeSegment('evil\u202Etxt.exe'), 'evil_txt.exe');
  assert.equal(sanitizeSegment('Grüße 🎉 日本.txt'), 'Grüße 🎉 日本.txt');
  assert.equal(sanitizeSegment('e\u0301'), '\u00e9', 'NFC');
  assert.equal(sanitizeSegment('  .hidden. '), 'hidden');
  assert.equal(sanitizeSegment('CON'), '_CON');
  assert.equal(sanitizeSegment('lpt1.txt'), '_lpt1.txt');
});

test('long names are cut at 200 UTF-8 bytes without splitting a character', () => {
  const name = sanitizeSegment('😀'.repeat(100));
  assert.ok(new TextEncoder().encode(name).length <= 200);
  assert.equal(name, '😀'.repeat(50));
});

test('duplicates get numbered suffixes, case-insensitively', () => {
  assert.deepEqual(uniquePaths(['a.txt', 'A.txt', 'a.txt', 'b', 'b', 'd/a.txt', 'x.tar.gz', 'x.tar.gz']),
    ['a.txt', 'A (1).txt', 'a (2).txt', 'b', 'b (1)', 'd/a.txt', 'x.tar.gz', 'x.tar (1).gz']);
  assert.deepEqual(uniquePaths(['.x', '.x']), ['.x', '.x (1)']);
  assert.equal(baseName('d/e/f.txt'), 'f.txt');
});
