/**
 * A long computation never freezes the mount: while a large gzip@1 is being computed for one
 * reader, stat, cat, ls and getfattr of an already-stored value complete. Ordering, not timing,
 * is asserted: each finishes while the big read is still outstanding.
 */
import t from 'tap';
import { createHash } from 'node:crypto';
import type { CAddr } from '../../src/core/caddr.js';
import { parseFunctionId } from '../../src/core/function-id.js';
import { createEngine, pseudoRandom } from '../helpers/temp.js';
import { mountTemp, ok, pathOf, text } from './fixtures/mount.js';

t.test('small reads complete while a large computation runs', async (t) => {
  const engine = await createEngine(t);
  const small = await engine.put(Buffer.from('small and stored\n'));
  const bigLeaf = await engine.put(pseudoRandom(64 * 1024 * 1024, 3));
  const big = await engine.putRecipe(parseFunctionId('gzip@1'), [bigLeaf], new Map());
  const mount = await mountTemp(t, engine);

  // Know when the mount has asked the engine for the big value's bytes: from then on it is
  // computing (a streaming run, read as it grows).
  let started!: () => void;
  const bigStarted = new Promise<void>((resolve) => (started = resolve));
  const readInto = engine.readInto.bind(engine);
  engine.readInto = (addr: CAddr, offset: number, target: Uint8Array) => {
    if (addr.equals(big)) started();
    return readInto(addr, offset, target);
  };

  let bigDone = false;
  const bigRead = ok('sha256sum', [pathOf(mount, big)]).finally(() => (bigDone = true));
  await bigStarted;
  t.equal(engine.info(big).state, 'computing', 'the big value is being computed');

  const path = pathOf(mount, small);
  t.equal(await text('stat', ['-c', '%s', path]), '17\n', 'stat');
  t.notOk(bigDone, 'stat finished before the big computation');
  t.equal(await text('cat', [path]), 'small and stored\n', 'cat');
  t.notOk(bigDone, 'cat finished before the big computation');
  t.match(await text('ls', [mount.dir]), small.shard, 'ls');
  t.equal(await text('getfattr', ['--only-values', '-n', 'user.deriva.kind', path]), 'leaf', 'getfattr');
  t.notOk(bigDone, 'ls and getfattr finished before the big computation');

  const sum = (await bigRead).toString().split(' ')[0];
  t.equal(sum, createHash('sha256').update(await engine.read(big)).digest('hex'), 'the big read completes, right');
});
