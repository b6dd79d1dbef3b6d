/**
 * An offline scrub for tests: opens a stopped daemon's LMDB store read-only and checks every
 * record against what it claims. Chunks hash to their keys; every value's chunks exist, add up
 * to its size and hash (together) to its address; leaves have values; recipes decode, hash to
 * their keys, have their forward edges and known inputs; action entries point at stored values
 * of the recorded size; partial chunks exist. `deriva scrub` checks only that chunks and
 * recipes hash to their addresses, so crash tests run it against the live daemon and keep this
 * for the structural invariants it does not cover.
 */
import { join } from 'node:path';
import { open } from 'lmdb';
import { CAddr } from '../../src/core/caddr.js';
import { recipeAddress } from '../../src/core/address.js';
import { decodeRecipe } from '../../src/core/dcf.js';
import { isRefInput } from '../../src/core/recipe.js';
import { Hasher, hash } from '../../src/native/index.js';
import { decodeManifest, type Manifest } from '../../src/store/manifest.js';

export interface ScrubReport {
  readonly chunks: number;
  readonly values: number;
  readonly leaves: number;
  readonly recipes: number;
  readonly actions: number;
  readonly partials: number;
  /** One line per inconsistency; empty when the store is clean. */
  readonly problems: string[];
}

/** Scrubs the store in `storeDir` (no daemon may be running on it). */
export async function scrubStore(storeDir: string): Promise<ScrubReport> {
  const env = open({ path: join(storeDir, 'deriva.mdb'), maxDbs: 32, compression: false, readOnly: true });
  try {
    const binary = { encoding: 'binary', keyEncoding: 'binary' } as const;
    const db = (name: string) => env.openDB<Buffer, Buffer>({ name, ...binary });
    const chunkSize = env.openDB<number, string>({ name: 'meta' }).get('chunkSize')!;
    const chunks = db('chunks');
    const problems: string[] = [];
    const counts = { chunks: 0, values: 0, leaves: 0, recipes: 0, actions: 0, partials: 0 };

    for (const { key, value } of chunks.getRange()) {
      counts.chunks++;
      if (!hash(value).equals(key)) problems.push(`chunk ${hex(key)}: bytes hash to ${hex(hash(value))}`);
    }
    const values = db('values');
    const manifests = new Map<string, Manifest>();
    for (const { key, value } of values.getRange()) {
      counts.values++;
      const problem = checkValue(key, value, chunkSize, chunks, manifests);
      if (problem) problems.push(`value ${hex(key)}: ${problem}`);
    }
    for (const key of env.openDB<number, Buffer>({ name: 'leaves', keyEncoding: 'binary' }).getKeys()) {
      counts.leaves++;
      if (!manifests.has(hex(key))) problems.push(`leaf ${hex(key)}: no value`);
    }
    const recipes = db('recipes');
    const deps = env.openDB<Buffer, Buffer>({ name: 'deps', ...binary, dupSort: true });
    const leaves = env.openDB<number, Buffer>({ name: 'leaves', keyEncoding: 'binary' });
    for (const { key, value } of recipes.getRange()) {
      counts.recipes++;
      const problem = checkRecipe(key, value, deps, (a) => leaves.doesExist(a) || recipes.doesExist(a));
      if (problem) problems.push(`recipe ${hex(key)}: ${problem}`);
    }
    const actions = env.openDB<{ content: Buffer; size: number }, Buffer>({ name: 'actions', keyEncoding: 'binary' });
    for (const { key, value } of actions.getRange()) {
      counts.actions++;
      const out = manifests.get(hex(value.content));
      if (!recipes.doesExist(key)) problems.push(`action ${hex(key)}: no such recipe`);
      if (!out) problems.push(`action ${hex(key)}: output ${hex(value.content)} is not stored`);
      else if (out.size !== value.size) problems.push(`action ${hex(key)}: size ${value.size}, value has ${out.size}`);
    }
    for (const { key, value } of db('partials').getRange()) {
      counts.partials++;
      if (!recipes.doesExist(key.subarray(0, 32))) problems.push(`partial ${hex(key)}: no such recipe`);
      if (!chunks.doesExist(value)) problems.push(`partial ${hex(key)}: chunk ${hex(value)} is missing`);
    }
    return { ...counts, problems };
  } finally {
    await env.close();
  }
}

function checkValue(
  key: Buffer, raw: Buffer, chunkSize: number, chunks: { get(k: Buffer): Buffer | undefined }, manifests: Map<string, Manifest>,
): string | undefined {
  let manifest: Manifest;
  try {
    manifest = decodeManifest(raw, chunkSize);
  } catch (err) {
    return (err as Error).message;
  }
  manifests.set(hex(key), manifest);
  const hasher = new Hasher();
  let size = 0;
  for (const [i, addr] of manifest.chunks.entries()) {
    const bytes = chunks.get(addr);
    if (!bytes) return `chunk ${i} (${hex(addr)}) is missing`;
    const expected = i < manifest.chunks.length - 1 ? chunkSize : manifest.size - i * chunkSize;
    if (bytes.length !== expected) return `chunk ${i} has ${bytes.length} bytes, expected ${expected}`;
    hasher.update(bytes);
    size += bytes.length;
  }
  if (size !== manifest.size) return `chunks hold ${size} bytes, manifest says ${manifest.size}`;
  const content = hasher.finalize();
  return content.equals(key) ? undefined : `chunks hash to ${hex(content)}`;
}

function checkRecipe(
  key: Buffer, dcf: Buffer, deps: { getValues(k: Buffer): Iterable<Buffer> }, known: (addr: Buffer) => boolean,
): string | undefined {
  let inputs: readonly CAddr[];
  try {
    const recipe = decodeRecipe(dcf);
    if (!recipeAddress(recipe).bytes.equals(key)) return 'DCF does not hash to its key';
    // Ref inputs have no DAG edge of their own: they are indexed by ref name (store/refs.ts).
    inputs = recipe.inputs.filter((i): i is CAddr => !isRefInput(i));
  } catch (err) {
    return (err as Error).message;
  }
  const edges = new Set([...deps.getValues(key)].map(hex));
  for (const input of inputs) {
    if (!edges.has(input.hex)) return `no DAG edge to input ${input.hex}`;
    if (!known(input.bytes)) return `input ${input.hex} is neither a leaf nor a recipe`;
  }
  return undefined;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
