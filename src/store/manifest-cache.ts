/**
 * Decoded value manifests kept in memory: a range read of a large value would otherwise decode
 * its whole chunk list on every call. Keyed by content address, so a cached manifest is the
 * right one whenever the value exists; the store purges the values a write deleted.
 */
import { LRUCache } from 'lru-cache';
import type { CAddr } from '../core/caddr.js';
import { decodeManifest, type Manifest } from './manifest.js';
import type { BinaryDb } from './tables.js';

const MANIFEST_CACHE_ENTRIES = 4096;

export class ManifestCache {
  private readonly cached = new LRUCache<string, Manifest>({ max: MANIFEST_CACHE_ENTRIES });

  constructor(
    private readonly values: BinaryDb,
    private readonly chunkSize: number,
  ) {}

  /** The manifest of the value at `addr`, or undefined if there is none. */
  get(addr: CAddr): Manifest | undefined {
    const cached = this.cached.get(addr.hex);
    if (cached) return cached;
    const raw = this.values.getBinaryFast(addr.bytes);
    if (raw === undefined) return undefined;
    const manifest = decodeManifest(raw, this.chunkSize);
    this.cached.set(addr.hex, manifest);
    return manifest;
  }

  /** Drops deleted values (raw addresses). */
  forget(values: readonly Buffer[]): void {
    for (const v of values) this.cached.delete(v.toString('hex'));
  }
}
