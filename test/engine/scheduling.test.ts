/**
 * Scheduling invariance, through a real engine (LMDB store, worker pool): the executor's test
 * hook delays every input's materialization at random, so the inputs of a recipe finish in
 * every order, and each DAG below is computed 1,000 times. Every run gives the same output,
 * the one computed independently here; the runs really recompute (computation counters) and
 * really finish inputs out of order (the hook sees the order): every run recomputes every
 * recipe of its DAG. The sequential mode gives the same outputs, materializing inputs one at a
 * time in recipe order.
 * Each materialization records the addresses it consumed, in recipe order, a ref at its binding.
 *
 * The store lives in /dev/shm when there is one: this tests scheduling, not durability.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import t, { type Test } from 'tap';
import type { CAddr } from '../../src/core/caddr.js';
import { parseFunctionId } from '../../src/core/function-id.js';
import type { ParamValue } from '../../src/core/recipe.js';
import type { ExecMode } from '../../src/compute/exec-mode.js';
import { Engine } from '../../src/engine/engine.js';
import { hash } from '../../src/native/index.js';
import { pseudoRandom, tempDir, xorshift32 } from '../helpers/temp.js';

const CS = 4096;
const RUNS = Number(process.env.DERIVA_SCHEDULING_RUNS ?? 1000);
const SEED = Number(process.env.DERIVA_SCHEDULING_SEED ?? 20261121);

type Params = Map<string, ParamValue>;
const none: Params = new Map();
const str = (value: string): Params => new Map([['key', { type: 'string', value } as ParamValue]]);
const sliceFrom = (offset: number): Params => new Map<string, ParamValue>([['offset', { type: 'int', value: BigInt(offset) }], ['length', { type: 'int', value: 1n << 40n }]]);

/** A node of a test DAG: the recipe, and its output computed independently in TypeScript. */
interface Node {
  readonly addr: CAddr;
  readonly bytes: Buffer;
  readonly inputs: readonly Node[];
}

/** Builds DAGs on one engine, computing each node's expected bytes alongside. */
class Dags {
  constructor(private readonly engine: Engine) {}

  async leaf(bytes: Buffer): Promise<Node> {
    return { addr: await this.engine.put(bytes), bytes, inputs: [] };
  }

  xor(input: Node, keyHex: string): Promise<Node> {
    const key = Buffer.from(keyHex, 'hex');
    return this.node('xor@1', [input], str(keyHex), input.bytes.map((b, i) => b ^ key[i % key.length]!));
  }

  upper(input: Node): Promise<Node> {
    return this.node('upper@1', [input], none, input.bytes.map((b) => (b >= 0x61 && b <= 0x7a ? b - 32 : b)));
  }

  slice(input: Node, offset: number): Promise<Node> {
    return this.node('slice@1', [input], sliceFrom(offset), input.bytes.subarray(offset));
  }

  concat(inputs: readonly Node[]): Promise<Node> {
    return this.node('concat@1', inputs, none, Buffer.concat(inputs.map((n) => n.bytes)));
  }

  private async node(fn: string, inputs: readonly Node[], params: Params, bytes: Uint8Array): Promise<Node> {
    const addr = await this.engine.putRecipe(parseFunctionId(fn), inputs.map((n) => n.addr), params);
    return { addr, bytes: Buffer.from(bytes), inputs };
  }
}

/** Recipes in the DAG under `top` (each once). */
function recipesUnder(top: Node, seen = new Set<string>()): Node[] {
  if (top.inputs.length === 0 || seen.has(top.addr.hex)) return [];
  seen.add(top.addr.hex);
  return [top, ...top.inputs.flatMap((n) => recipesUnder(n, seen))];
}

const shapes: Record<string, (d: Dags, leaf: Node) => Promise<Node>> = {
  // leaf -> (upper, xor) -> concat
  diamond: async (d, leaf) => d.concat([await d.upper(leaf), await d.xor(leaf, '5a')]),
  // leaf -> xor -> slice -> upper -> xor -> ... 12 deep
  'deep chain': async (d, leaf) => {
    let node = leaf;
    for (let i = 0; i < 12; i++) {
      node = i % 3 === 0 ? await d.xor(node, (i + 1).toString(16).padStart(2, '0')) : i % 3 === 1 ? await d.slice(node, 1) : await d.upper(node);
    }
    return node;
  },
  // leaf -> 100 xors -> concat
  'wide fan-out (1 -> 100)': async (d, leaf) => {
    const branches: Node[] = [];
    for (let i = 0; i < 100; i++) branches.push(await d.xor(leaf, i.toString(16).padStart(2, '0')));
    return d.concat(branches);
  },
};

/**
 * Opens an engine whose every input materialization first waits a random 0-15 turns of the
 * event loop, and one time in five a 1-2 ms timer too, recording the order inputs get through
 * their waits: that order is what the delays scramble.
 */
async function delayedEngine(t: Test, mode: ExecMode, seed: number) {
  const next = xorshift32(seed); // the same delays for the same seed, so a failure replays
  const random = (): number => next() / 2 ** 32;
  const through: string[] = [];
  const beforeInput = async (input: CAddr): Promise<void> => {
    for (let hops = Math.floor(random() * 16); hops > 0; hops--) await new Promise<void>((go) => setImmediate(go));
    if (random() < 0.2) await new Promise<void>((go) => setTimeout(go, 1 + random()));
    through.push(input.hex);
  };
  const engine = Engine.open({ storeDir: await tempDir(t, existsSync('/dev/shm') ? '/dev/shm' : tmpdir()), chunkSize: CS, threads: 2, execMode: mode, beforeInput });
  t.teardown(() => engine.close());
  return { engine, through };
}

/** Recomputes the DAG under `top` from scratch: forgets every output over the leaf, then reads. */
async function rerun(engine: Engine, leaf: Node, top: Node): Promise<{ content: string; computed: number }> {
  await engine.invalidate(leaf.addr);
  const before = engine.status().computations;
  const out = await engine.materialize(top.addr);
  return { content: out.content.hex, computed: engine.status().computations - before };
}

for (const [shape, build] of Object.entries(shapes)) {
  t.test(`${shape}: ${RUNS} runs under random input delays give one output; sequential mode the same`, async (t) => {
    const { engine, through } = await delayedEngine(t, 'parallel', SEED);
    const d = new Dags(engine);
    const leaf = await d.leaf(pseudoRandom(3 * CS + 123, 7));
    const top = await build(d, leaf);
    const recipes = recipesUnder(top);
    const expected = hash(top.bytes).toString('hex');
    const topInputs = top.inputs.map((n) => n.addr.hex);

    const outputs = new Map<string, number>();
    let recomputed = 0;
    let outOfOrder = 0;
    for (let run = 0; run < RUNS; run++) {
      through.length = 0;
      const { content, computed } = await rerun(engine, leaf, top);
      outputs.set(content, (outputs.get(content) ?? 0) + 1);
      if (computed === recipes.length) recomputed++;
      const seen = through.filter((hex) => topInputs.includes(hex));
      if (seen.join() !== topInputs.join()) outOfOrder++;
    }
    t.same([...outputs], [[expected, RUNS]], `all ${RUNS} runs gave ${expected.slice(0, 16)}..., the output computed independently (seed ${SEED})`);
    t.equal(recomputed, RUNS, `every run recomputed all ${recipes.length} recipe(s)`);
    if (topInputs.length > 1) t.ok(outOfOrder > RUNS / 4, `the top's inputs got through out of recipe order in ${outOfOrder} of ${RUNS} runs`);
    for (const node of recipes) {
      t.same(engine.info(node.addr).consumed?.map((a) => a.hex), node.inputs.map((n) => n.addr.hex), 'each output records what it consumed, in recipe order');
      if (node !== top) break; // the top and one other suffice; the record is made the same way
    }

    // The same DAG in sequential mode, on its own store, with its own delays.
    const seq = await delayedEngine(t, 'sequential', SEED + 1);
    const s = new Dags(seq.engine);
    const sLeaf = await s.leaf(leaf.bytes);
    const sTop = await build(s, sLeaf);
    t.equal(sTop.addr.hex, top.addr.hex, 'the same recipes have the same addresses on another store');
    for (let run = 0; run < 20; run++) {
      seq.through.length = 0;
      const { content } = await rerun(seq.engine, sLeaf, sTop);
      if (content !== expected) t.fail(`sequential run ${run} gave ${content}`);
    }
    const seenTop = seq.through.filter((hex) => topInputs.includes(hex));
    t.same(seenTop, topInputs, 'sequential mode takes the inputs one at a time, in recipe order');
    t.pass(`20 sequential runs gave ${expected.slice(0, 16)}... too`);
  });
}

t.test('a ref input is recorded at the binding the computation read', async (t) => {
  const { engine } = await delayedEngine(t, 'parallel', SEED + 2);
  const a = await engine.put(Buffer.from('first binding\n'));
  const b = await engine.put(Buffer.from('second binding\n'));
  await engine.setRef('input', a);
  const both = await engine.putRecipe(parseFunctionId('concat@1'), [a, { ref: 'input' }], none);
  await engine.materialize(both);
  t.same(engine.info(both).consumed?.map((x) => x.hex), [a.hex, a.hex]);
  await engine.setRef('input', b);
  t.equal(engine.info(both).consumed, undefined, 'rebinding forgot the output and its record');
  await engine.materialize(both);
  t.same(engine.info(both).consumed?.map((x) => x.hex), [a.hex, b.hex], 'the new binding, once recomputed');
  t.same((await engine.read(both)).toString(), 'first binding\nsecond binding\n');
});
