/**
 * Extended attributes through getfattr, and fuse-native's size-probe convention as corrected in
 * fuse-binding.ts (exercised directly, since getfattr always probes with a large enough buffer).
 */
import t from 'tap';
import { parseFunctionId } from '../../src/core/function-id.js';
import type { ParamValue } from '../../src/core/recipe.js';
import { recipeToJson } from '../../src/core/recipe-json.js';
import { daemonOwner } from '../../src/fuse/attrs.js';
import { Errno } from '../../src/fuse/errno.js';
import { createSession, loadFuse } from '../../src/fuse/fuse-binding.js';
import { fuseOps } from '../../src/fuse/mount.js';
import { silentLogger } from '../../src/fuse/op-guard.js';
import { createEngine } from '../helpers/temp.js';
import { mountTemp, pathOf, run, text } from './fixtures/mount.js';

const str = (value: string): ParamValue => ({ type: 'string', value });

t.test('kind, state and recipe through getfattr', async (t) => {
  const engine = await createEngine(t, { chunkSize: 4096 });
  const leaf = await engine.put(Buffer.from('one\ntwo\nthree\n'.repeat(100)));
  const sliced = await engine.putRecipe(parseFunctionId('slice@1'), [leaf], new Map([['offset', str('4')], ['length', str('3')]]));
  const up = await engine.putRecipe(parseFunctionId('upper@1'), [sliced], new Map());
  const mount = await mountTemp(t, engine);
  const get = (name: string, addr = up) => text('getfattr', ['--only-values', '-n', name, pathOf(mount, addr)]);

  // A chunkwise output's size is known without computing: looking it up computes nothing.
  t.equal(engine.info(up).state, 'not-materialized', 'before the mount has seen it');
  t.equal(await get('user.deriva.state'), 'not-materialized', 'looking it up computed nothing');
  t.equal(await text('cat', [pathOf(mount, up)]), 'TWO');
  t.equal(await get('user.deriva.state'), 'materialized', 'after reading');

  const three = await engine.put(Buffer.alloc(2 * 4096 + 100, 'abc'));
  const big = await engine.putRecipe(parseFunctionId('upper@1'), [three], new Map());
  await text('dd', [`if=${pathOf(mount, big)}`, 'bs=100', 'skip=45', 'count=1', 'status=none']);
  // The kernel may read ahead past the 100 bytes asked for, into the next chunk; never all three.
  t.match(await get('user.deriva.state', big), /^partial [12]\/3 chunks$/, 'the chunks read of three');

  t.equal(await get('user.deriva.kind', leaf), 'leaf');
  t.equal(await get('user.deriva.state', leaf), 'materialized');
  t.equal(await get('user.deriva.kind'), 'recipe');
  const json = await get('user.deriva.recipe');
  t.equal(json, JSON.stringify(recipeToJson(engine.info(up).recipe!)), 'the one JSON form of the recipe');
  t.same(JSON.parse(json), { function: 'upper@1', inputs: [sliced.hex], params: {} });
  t.same(JSON.parse(await get('user.deriva.recipe', sliced)).params, { offset: 4, length: 3 }, 'params coerced by schema');


  // An evicted output: the kernel still knows the file (entry, attrs and, with kernel caching,
  // its pages), so the state shows the eviction; the next read through the engine recomputes.
  await engine.invalidate(up);
  t.equal(await get('user.deriva.state'), 'not-materialized', 'after eviction, before reading');
  t.equal((await engine.read(up)).toString(), 'TWO');
  t.equal(await get('user.deriva.state'), 'materialized', 'after reading');

  const dump = await text('getfattr', ['-d', '-m', '-', pathOf(mount, up)]);
  t.match(dump, /user\.deriva\.kind="recipe"/);
  t.match(dump, /user\.deriva\.state="materialized"/);
  t.match(dump, /user\.deriva\.recipe=".*upper@1/);
  const leafDump = await text('getfattr', ['-d', pathOf(mount, leaf)]);
  t.match(leafDump, /user\.deriva\.kind="leaf"/);
  t.notMatch(leafDump, /user\.deriva\.recipe/, 'a leaf has no recipe attribute');

  const missing = await run('getfattr', ['-n', 'user.deriva.nope', pathOf(mount, up)]);
  t.not(missing.code, 0);
  t.match(missing.stderr, /No such attribute/, 'an unknown attribute is ENODATA');
  const onLeaf = await run('getfattr', ['-n', 'user.deriva.recipe', pathOf(mount, leaf)]);
  t.match(onLeaf.stderr, /No such attribute/, 'no recipe attribute on a leaf');
  t.equal(await text('getfattr', ['-d', mount.dir]), '', 'directories have no attributes');
});

t.test('getxattr and listxattr answer size probes and ERANGE', async (t) => {
  const engine = await createEngine(t);
  const leaf = await engine.put(Buffer.from('x'));
  const fuse = await loadFuse();
  const session = createSession(fuse, '/nonexistent', fuseOps({ engine, mnt: '/nonexistent', owner: daemonOwner(), log: silentLogger }), {});
  const raw = session as unknown as {
    _op_getxattr(signal: (code: number) => void, path: string, name: string, buf: Buffer, position: number): void;
    _op_listxattr(signal: (code: number) => void, path: string, buf: Buffer): void;
  };
  const path = `/${leaf.shard}/${leaf.hex}`;
  const get = (name: string, buf: Buffer) => new Promise<number>((done) => raw._op_getxattr(done, path, name, buf, 0));
  const list = (buf: Buffer) => new Promise<number>((done) => raw._op_listxattr(done, path, buf));

  t.equal(await get('user.deriva.kind', Buffer.alloc(0)), 4, 'a size probe gets the length');
  t.equal(await get('user.deriva.kind', Buffer.alloc(2)), Errno.ERANGE, 'a short buffer gets ERANGE');
  const buf = Buffer.alloc(16);
  t.equal(await get('user.deriva.kind', buf), 4);
  t.equal(buf.subarray(0, 4).toString(), 'leaf');
  t.equal(await get('user.other', Buffer.alloc(16)), Errno.ENODATA);

  const names = 'user.deriva.kind\0user.deriva.state\0';
  t.equal(await list(Buffer.alloc(0)), names.length, 'a list probe gets the exact length');
  t.equal(await list(Buffer.alloc(5)), Errno.ERANGE);
  const lbuf = Buffer.alloc(64);
  t.equal(await list(lbuf), names.length);
  t.equal(lbuf.subarray(0, names.length).toString(), names);
});
