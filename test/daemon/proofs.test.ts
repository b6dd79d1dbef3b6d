/**
 * Derivation proofs end to end: the real daemon process, the real CLI, files on disk. The node
 * key is created 0600 on first start and kept across restarts; `deriva proof` prints chains
 * that `deriva proof verify` accepts, and rejects (exit 1, naming the path and the reason) once
 * tampered with: an output hash, a swapped input, an untrusted signer, a truncated chain.
 * Anchored chains verify; invalidation drops a proof and a recompute signs a new one; the audit
 * log keeps every entry.
 */
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { startDaemon, type DaemonHandle } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';

const out = (r: { stdout: Buffer }) => r.stdout.toString().trim();

interface Chain {
  hash: string;
  proof: { recipe: string; output: string; node: string; inputs: unknown[] };
  inputs: Array<Chain | { leaf: string } | { anchor: string }>;
}

/** Writes `chain` to a file and runs `deriva proof verify FILE ARGS`. */
async function verify(d: DaemonHandle, dir: string, chain: unknown, ...args: string[]) {
  const file = join(dir, `chain-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, JSON.stringify(chain));
  return d.cli(['proof', 'verify', file, ...args]);
}

t.test('node key, proofs of a leaf, a recipe and a DAG, and every way verification fails', async (t) => {
  const home = await tempDir(t);
  const dir = await tempDir(t);
  let d = await startDaemon(t, { home, mount: false });
  t.equal((await stat(join(home, 'node.key'))).mode & 0o777, 0o600, 'the private key is readable by its owner only');
  const nodeKey = JSON.parse(out(await d.cli(['status', '--json']))).nodeKey as string;
  t.match(nodeKey, /^[0-9a-f]{64}$/);
  t.match(out(await d.cli(['status'])), new RegExp(`node key\\s+${nodeKey}`));
  t.equal(await d.stop(), 0);
  d = await startDaemon(t, { home, mount: false });
  t.equal(JSON.parse(out(await d.cli(['status', '--json']))).nodeKey, nodeKey, 'the same key after a restart');

  const a = out(await d.cli(['put', '-'], Buffer.from('b\na\n')));
  const b = out(await d.cli(['put', '-'], Buffer.from('Z\n')));
  t.same(JSON.parse(out(await d.cli(['proof', a]))), { leaf: a }, 'a leaf is its own proof');
  t.match(out(await verify(d, dir, { leaf: a })), /^ok: 0 proof\(s\), 1 leaf input\(s\)/);

  const up = out(await d.cli(['recipe', 'upper@1', '-i', a]));
  const low = out(await d.cli(['recipe', 'lower@1', '-i', b]));
  const cat = out(await d.cli(['recipe', 'concat@1', '-i', up, '-i', low]));
  const sorted = out(await d.cli(['recipe', 'sort-lines@1', '-i', cat]));
  const notYet = await d.cli(['proof', up]);
  t.equal(notYet.code, 1);
  t.match(notYet.stderr, /^deriva: recipe \w+ has no proof: its output is not cached/);
  t.equal(out(await d.cli(['get', sorted])), 'A\nB\nz');

  const upChain = JSON.parse(out(await d.cli(['proof', up.slice(0, 12)]))) as Chain;
  t.match(upChain, { proof: { recipe: up, node: nodeKey }, inputs: [{ leaf: a }] }, 'one recipe over a leaf');
  const chain = JSON.parse(out(await d.cli(['proof', sorted]))) as Chain;
  const ok = await verify(d, dir, chain, '--trust', nodeKey);
  t.equal(ok.code, 0, ok.stderr);
  t.match(out(ok), new RegExp(`^ok: 4 proof\\(s\\), 2 leaf input\\(s\\), 0 anchor\\(s\\)\\nsigned by ${nodeKey}$`));
  const report = JSON.parse(out(await verify(d, dir, chain, '--json')));
  t.match(report, { ok: true, proofs: 4, signers: [nodeKey], failures: [] });

  // A tampered output hash: the proof no longer hashes to its name, nor matches its signature.
  const tampered = structuredClone(chain);
  (tampered.inputs[0] as Chain).proof.output = '0'.repeat(64);
  const bad = await verify(d, dir, tampered);
  t.equal(bad.code, 1);
  t.match(out(bad), /^FAILED root\.inputs\[0\] \(recipe \w+\): hash link broken: the proof hashes to \w+, the chain says/m);
  t.match(out(bad), /^FAILED root\.inputs\[0\] \(recipe \w+\): output link broken: the signed input read output/m);
  t.match(out(bad), /^FAILED root\.inputs\[0\] \(recipe \w+\): signature does not verify under node key/m);
  t.match(bad.stderr, /^deriva: proof verification failed: \d+ problem\(s\), first at root\.inputs\[0\]: hash link broken/);

  // Swapped inputs: concat's two input proofs in each other's place.
  const swapped = structuredClone(chain);
  const catNode = swapped.inputs[0] as Chain;
  catNode.inputs.reverse();
  const sw = JSON.parse(out(await verify(d, dir, swapped, '--json')));
  t.equal(sw.ok, false);
  t.match(sw.failures, [
    { path: 'root.inputs[0].inputs[0]', recipe: low, reason: `input link broken: the signed input is recipe ${up}, this proof is of recipe ${low}` },
  ]);
  t.ok(sw.failures.some((f: { path: string }) => f.path === 'root.inputs[0].inputs[1]'), 'both places are named');

  // Another node's key: everything verifies but the signer is not trusted.
  const other = '1'.repeat(64);
  const wrongKey = await verify(d, dir, chain, '--trust', other);
  t.equal(wrongKey.code, 1);
  t.match(out(wrongKey), new RegExp(`^FAILED root \\(recipe ${sorted}\\): untrusted signer: node key ${nodeKey} is not one of the --trust keys`));

  // A truncated chain: the proof of an input cut off.
  const truncated = structuredClone(chain);
  (truncated.inputs[0] as Chain).inputs.pop();
  const cut = await verify(d, dir, truncated);
  t.equal(cut.code, 1);
  t.match(out(cut), new RegExp(`^FAILED root\\.inputs\\[0\\]\\.inputs\\[1\\]: truncated chain: the signed input is recipe ${low}, but the chain holds neither its proof nor an anchor$`));

  const notJson = join(dir, 'not.json');
  await writeFile(notJson, 'nope');
  t.match(await d.cli(['proof', 'verify', notJson]), { code: 1, stderr: new RegExp(`^deriva: ${notJson} is not JSON`) });
});

t.test('invalidation drops a proof, an anchor stands for it, a recompute signs a new one; audit keeps all', async (t) => {
  const dir = await tempDir(t);
  const d = await startDaemon(t, { mount: false });
  const since = new Date().toISOString();
  const leaf = out(await d.cli(['put', '-'], Buffer.from('x\n')));
  const up = out(await d.cli(['recipe', 'upper@1', '-i', leaf]));
  const sorted = out(await d.cli(['recipe', 'sort-lines@1', '-i', up]));
  await d.cli(['get', sorted]);
  const first = JSON.parse(out(await d.cli(['proof', up]))) as Chain;

  await d.cli(['invalidate', up, '--policy', 'none']);
  const gone = await d.cli(['proof', up]);
  t.equal(gone.code, 1, 'dropped with the output');
  const anchored = JSON.parse(out(await d.cli(['proof', sorted]))) as Chain;
  t.same(anchored.inputs, [{ anchor: first.hash }]);
  const ok = await verify(d, dir, anchored);
  t.equal(ok.code, 0, ok.stderr);
  t.match(out(ok), new RegExp(`^ok: 1 proof\\(s\\), 0 leaf input\\(s\\), 1 anchor\\(s\\)\\n.*\\nanchor  root\\.inputs\\[0\\]  ${first.hash}$`));

  await d.cli(['get', up]);
  const second = JSON.parse(out(await d.cli(['proof', up]))) as Chain;
  t.not(second.hash, first.hash, 'a recompute signs a new proof');
  t.equal(second.proof.output, first.proof.output);

  const audit = JSON.parse(out(await d.cli(['audit', '--json'])));
  t.same(audit.map((e: { recipe: string }) => e.recipe), [up, sorted, up], 'every materialization, in order');
  t.same(audit.map((e: { seq: number }) => e.seq), [1, 2, 3]);
  t.same(audit.map((e: { proof: string }) => e.proof), [first.hash, anchored.hash, second.hash]);
  t.equal(JSON.parse(out(await d.cli(['audit', '--addr', up.slice(0, 10), '--json']))).length, 3, '--addr: as recipe and as input');
  t.equal(JSON.parse(out(await d.cli(['audit', '--addr', leaf, '--json']))).length, 2, '--addr: a leaf read twice');
  t.equal(JSON.parse(out(await d.cli(['audit', '--since', since, '--json']))).length, 3);
  t.same(JSON.parse(out(await d.cli(['audit', '--since', '2999-01-01', '--json']))), []);
  t.match(out(await d.cli(['audit', '--since', '1h'])), new RegExp(`^#1  \\d{4}-.*Z\\n  recipe  ${up}\\n  inputs  ${leaf}\\n  output  \\w+ \\(2 B\\)\\n  node    \\w+\\n  proof   ${first.hash}\\n#2`));
  t.match(await d.cli(['audit', '--since', 'yesterday']), { code: 2, stderr: /--since 'yesterday' is neither a time/ });

  await d.cli(['unpin', sorted]);
  await d.cli(['unpin', up]);
  t.match(out(await d.cli(['gc', '--json'])), /"recipes": 2/);
  t.equal(JSON.parse(out(await d.cli(['audit', '--json']))).length, 3, 'garbage collection leaves the audit log alone');
});
