/**
 * Value manifests: a value (leaf or computed output) is its size plus the ordered addresses of
 * its fixed-size chunks. Binary layout: u64be size, then 32 bytes per chunk. The chunk size is
 * a property of the store (recorded in its metadata), so it is not repeated per manifest.
 */
import { CADDR_BYTES } from '../core/caddr.js';
import { StoreError } from '../core/errors.js';

export interface Manifest {
  readonly size: number;
  /** Raw 32-byte chunk addresses, in order. */
  readonly chunks: readonly Buffer[];
}

export function encodeManifest(m: Manifest): Buffer {
  const out = Buffer.allocUnsafe(8 + m.chunks.length * CADDR_BYTES);
  out.writeBigUInt64BE(BigInt(m.size), 0);
  m.chunks.forEach((c, i) => c.copy(out, 8 + i * CADDR_BYTES));
  return out;
}

export function decodeManifest(bytes: Uint8Array, chunkSize: number): Manifest {
  // `length`, not `byteLength`: lmdb-js reusable read buffers report their value size there.
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const n = (buf.length - 8) / CADDR_BYTES;
  const size = buf.length >= 8 ? Number(buf.readBigUInt64BE(0)) : -1;
  if (!Number.isInteger(n) || n !== Math.ceil(size / chunkSize)) {
    throw new StoreError(`corrupt manifest (${buf.length} bytes, size ${size})`);
  }
  const chunks: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    chunks.push(Buffer.from(buf.subarray(8 + i * CADDR_BYTES, 8 + (i + 1) * CADDR_BYTES)));
  }
  return { size, chunks };
}
