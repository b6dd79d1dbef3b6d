/**
 * Runs one compute function over stored inputs and stores its output, by kind (streaming
 * functions excepted: they run as streams, see stream-run.ts). This is the
 * body of a pool task: it reads input chunks straight from the store's memory map and writes
 * output chunks as they are produced, so neither side of a large value is ever held whole
 * (except by `whole` functions, which by definition need everything at once).
 */
import type { Manifest } from '../store/manifest.js';
import type { Store } from '../store/store.js';
import { readRange } from '../store/value-reader.js';
import { ValueWriter, type WrittenValue } from '../store/value-writer.js';
import type { ComputeFunction, Params, Segment } from './function.js';

/**
 * Computes `fn` over `inputs` (manifests, in recipe order), stores the output's chunks and hands
 * the value to `commit` to be recorded; if anything fails, the chunk references are given back.
 */
export async function runFunction(
  store: Store,
  fn: ComputeFunction,
  params: Params,
  inputs: readonly Manifest[],
  commit: (value: WrittenValue) => Promise<void>,
): Promise<WrittenValue> {
  const out = new ValueWriter(store, 'cache');
  try {
    await produce(store, out, fn, params, inputs);
    const value = await out.finish();
    await commit(value);
    return value;
  } catch (err) {
    await out.abort().catch(() => {});
    throw err;
  }
}

async function produce(store: Store, out: ValueWriter, fn: ComputeFunction, params: Params, inputs: readonly Manifest[]): Promise<void> {
  switch (fn.kind) {
    case 'chunkwise': {
      // One output buffer for every chunk (the writer copies what it is given before it
      // returns); each input chunk is mapped where it lies in LMDB's read buffer, checked.
      const mapped = new Uint8Array(store.chunkSize);
      let offset = 0;
      for (const addr of only(inputs).chunks) {
        const n = store.useChunk(addr, (input) => {
          fn.map(input, offset, params, mapped.subarray(0, input.length));
          return input.length;
        });
        await out.write(mapped.subarray(0, n));
        offset += n;
      }
      break;
    }
    case 'structural':
      await writeSegments(store, out, fn.layout(inputs.map((m) => m.size), params), inputs);
      break;
    case 'streaming':
      // Streaming functions never run whole: see stream-run.ts.
      throw new Error(`${fn.name}@${fn.version} is streaming: it runs as a stream, not as one task`);
    case 'whole': {
      const all = inputs.map((m) => readRange(store, m, 0, m.size));
      await out.write(fn.compute(all, params));
      break;
    }
  }
}

async function writeSegments(
  store: Store,
  out: ValueWriter,
  segments: readonly Segment[],
  inputs: readonly Manifest[],
): Promise<void> {
  for (const seg of segments) {
    if ('bytes' in seg) {
      await out.write(seg.bytes);
      continue;
    }
    const input = inputs[seg.input]!;
    // Copy in chunk-sized steps so a large range never sits in memory at once.
    for (let at = 0; at < seg.length; at += store.chunkSize) {
      await out.write(readRange(store, input, seg.offset + at, Math.min(store.chunkSize, seg.length - at)));
    }
  }
}

function only(inputs: readonly Manifest[]): Manifest {
  if (inputs.length !== 1) throw new Error(`expected exactly one input, got ${inputs.length}`);
  return inputs[0]!;
}
