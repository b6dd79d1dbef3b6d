/**
 * The addon against an independent implementation: Debian's `b3sum` over random files of sizes
 * around BLAKE3's chunk (1 KiB), the parallel threshold (128 KiB) and beyond, in all three modes.
 * A leaf's address is defined as what `b3sum FILE` prints, so this is the contract itself.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { deriveKey, hash, hashAsync, Hasher, keyedHash } from '../../src/native/index.js';

const execFileAsync = promisify(execFile);
const KiB = 1024;
const MiB = 1024 * KiB;
const SIZES = [0, 1, 1023, 1024, 1025, 64 * KiB - 1, 64 * KiB, 64 * KiB + 1, 128 * KiB - 1, 128 * KiB, 128 * KiB + 1, MiB + 7, 5 * MiB];
const XOF = 1000;
const CONTEXT = 'deriva 2025 native b3sum cross-check';

/** Runs b3sum over `files`; one lowercase hex digest per file, in order. */
async function b3sum(files: string[], flags: string[], stdin?: Uint8Array): Promise<string[]> {
  const run = execFileAsync('b3sum', ['--no-names', ...flags, ...files], { maxBuffer: 16 * MiB, encoding: 'utf8' });
  run.child.stdin?.end(stdin);
  const { stdout } = await run;
  return stdout.trim().split('\n');
}

t.test('hashes match b3sum for files of many sizes', async (t) => {
  const dir = t.testdir();
  const inputs = SIZES.map((size) => ({ size, data: randomBytes(size), file: join(dir, `random-${size}.bin`) }));
  await Promise.all(inputs.map(({ file, data }) => writeFile(file, data)));
  const files = inputs.map(({ file }) => file);
  const key = randomBytes(32);

  const [plain, long, keyed, derived] = await Promise.all([
    b3sum(files, []),
    b3sum(files, ['--length', String(XOF)]),
    b3sum(files, ['--keyed'], key),
    b3sum(files, ['--derive-key', CONTEXT]),
  ]);

  for (const [i, { size, data }] of inputs.entries()) {
    const hex = (b: Buffer) => b.toString('hex');
    t.equal(hex(hash(data)), plain[i], `hash, ${size} bytes`);
    t.equal(hex(hash(data, { parallel: false })), plain[i], `hash single-threaded, ${size} bytes`);
    t.equal(hex(hash(data, { parallel: true })), plain[i], `hash multithreaded, ${size} bytes`);
    t.equal(hex(await hashAsync(data)), plain[i], `hashAsync, ${size} bytes`);
    t.equal(hex(hash(data, { outLen: XOF })), long[i], `hash with ${XOF}-byte output, ${size} bytes`);
    t.equal(hex(keyedHash(key, data)), keyed[i], `keyedHash, ${size} bytes`);
    t.equal(hex(deriveKey(CONTEXT, data)), derived[i], `deriveKey, ${size} bytes`);

    const hasher = new Hasher();
    for (let at = 0; at < size; at += 300 * KiB) hasher.update(data.subarray(at, at + 300 * KiB));
    t.equal(hex(hasher.finalize()), plain[i], `Hasher in 300 KiB updates, ${size} bytes`);
  }
});
