/**
 * The mount refuses every change with EROFS, answers ENOENT for names it does not have
 * (unknown, malformed, uppercase, wrong shard), and EIO for a computation that fails.
 */
import t from 'tap';
import { join } from 'node:path';
import { CAddr } from '../../src/core/caddr.js';
import { FunctionFailedError } from '../../src/core/errors.js';
import { parseFunctionId } from '../../src/core/function-id.js';
import { createEngine } from '../helpers/temp.js';
import { mountTemp, pathOf, recordingLogger, run, text } from './fixtures/mount.js';

t.test('changes fail with "Read-only file system"', async (t) => {
  const engine = await createEngine(t);
  const leaf = await engine.put(Buffer.from('immutable\n'));
  const mount = await mountTemp(t, engine);
  const file = pathOf(mount, leaf);
  const shard = join(mount.dir, leaf.shard);
  const attempts: [string, string, string[]][] = [
    ['touch a new file', 'touch', [join(shard, 'new')]],
    ['touch an existing file', 'touch', [file]],
    ['echo > an existing file', 'sh', ['-c', `echo x > ${file}`]],
    ['echo >> an existing file', 'sh', ['-c', `echo x >> ${file}`]],
    ['echo > a new file', 'sh', ['-c', `echo x > ${join(mount.dir, 'new')}`]],
    ['mkdir in the root', 'mkdir', [join(mount.dir, 'newdir')]],
    ['mkdir in a shard', 'mkdir', [join(shard, 'newdir')]],
    ['rm', 'rm', ['-f', file]],
    ['rmdir', 'rmdir', [shard]],
    ['mv', 'mv', [file, join(shard, 'renamed')]],
    ['chmod', 'chmod', ['644', file]],
    ['chown', 'chown', ['1:1', file]],
    ['truncate', 'truncate', ['-s', '0', file]],
    ['ln', 'ln', [file, join(shard, 'hard')]],
    ['ln -s', 'ln', ['-s', file, join(shard, 'soft')]],
    ['setfattr', 'setfattr', ['-n', 'user.x', '-v', '1', file]],
    ['setfattr -x', 'setfattr', ['-x', 'user.deriva.kind', file]],
  ];
  for (const [what, cmd, args] of attempts) {
    const r = await run(cmd, args);
    t.not(r.code, 0, `${what} fails`);
    t.match(r.stderr, 'Read-only file system', `${what}: read-only`);
  }
  t.equal(await text('cat', [file]), 'immutable\n', 'the value is untouched');
  t.same((await text('ls', [shard])).split('\n').filter(Boolean), [leaf.hex], 'nothing was added');
});

t.test('unknown and malformed names are "No such file or directory"', async (t) => {
  const engine = await createEngine(t);
  let leaf = await engine.put(Buffer.from('here\n'));
  // A shard with a letter in it, so that its uppercase form is a different (invalid) name.
  for (let i = 0; !/[a-f]/.test(leaf.shard); i++) leaf = await engine.put(Buffer.from(`here ${i}\n`));
  const mount = await mountTemp(t, engine);
  const used = engine.shards();
  const other = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0')).find((s) => !used.includes(s))!;
  const unknown = CAddr.fromHex(leaf.shard + 'f'.repeat(62));
  const wrongShard = join(mount.dir, other, leaf.hex);
  const names = [
    join(mount.dir, 'zz'),
    join(mount.dir, 'abc'),
    join(mount.dir, leaf.shard.toUpperCase()),
    join(mount.dir, other),
    join(mount.dir, leaf.shard, leaf.hex.toUpperCase()),
    join(mount.dir, leaf.shard, leaf.hex.slice(0, 20)),
    join(mount.dir, leaf.shard, `${leaf.hex}0`),
    join(mount.dir, leaf.shard, 'hello'),
    pathOf(mount, unknown),
    wrongShard,
  ];
  for (const name of names) {
    for (const cmd of ['stat', 'cat', 'ls']) {
      const r = await run(cmd, [name]);
      t.not(r.code, 0, `${cmd} ${name.slice(mount.dir.length)} fails`);
      t.match(r.stderr, 'No such file or directory', `${cmd} ${name.slice(mount.dir.length)}: ENOENT`);
    }
  }
  const inFile = await run('stat', [join(pathOf(mount, leaf), 'x')]);
  t.match(inFile.stderr, 'Not a directory', 'a value is not a directory');
});

t.test('a failing computation is an I/O error, logged with its cause', async (t) => {
  const engine = await createEngine(t);
  const notGzip = await engine.put(Buffer.from('this is not gzip data\n'));
  const bad = await engine.putRecipe(parseFunctionId('gunzip@1'), [notGzip], new Map());
  const log = recordingLogger();
  const mount = await mountTemp(t, engine, log);

  const r = await run('cat', [pathOf(mount, bad)]);
  t.not(r.code, 0, 'cat fails');
  t.match(r.stderr, 'Input/output error');
  const info = engine.info(bad);
  t.equal(info.state, 'failed', 'the engine remembers the failure');
  t.match(info.error, /gunzip/);
  const logged = log.entries.find((e) => e.level === 'error');
  t.ok(logged, 'the failure was logged as an error');
  t.match(logged?.obj, { errno: 'EIO', path: `/${bad.shard}/${bad.hex}` });
  t.type((logged?.obj as { err?: unknown }).err, FunctionFailedError, 'with its cause');

  const again = await run('cat', [pathOf(mount, bad)]);
  t.match(again.stderr, 'Input/output error', 'still failing: a failure is never cached as a value');
  const st = await run('stat', ['-c', '%s', pathOf(mount, bad)]);
  t.equal(st.code, 0, 'stat of a streaming output computes nothing, so it does not fail');
  t.equal(await text('cat', [pathOf(mount, notGzip)]), 'this is not gzip data\n', 'other values still read');
});
