/**
 * The Get stream's wire encoding, by hand. GetResponse is `bytes data = 1` and carries every
 * byte a client reads; the generated serializer copies each piece twice (into a growing
 * protobuf writer, then into a Buffer), which made the daemon's main thread the bottleneck of
 * Get. This writes the field header and copies the payload once. Same bytes on the wire.
 */
import { DerivaService, type GetResponse } from './gen/deriva.js';

const FIELD_1_BYTES = 0x0a; // field number 1, wire type 2 (length-delimited)

export function encodeGetResponse(value: GetResponse): Buffer {
  const { data } = value;
  if (data.length === 0) return Buffer.alloc(0); // proto3 leaves a default field out
  const header = [FIELD_1_BYTES];
  for (let n = data.length; ; n = Math.floor(n / 128)) {
    if (n < 128) {
      header.push(n);
      break;
    }
    header.push((n % 128) | 0x80);
  }
  const out = Buffer.allocUnsafe(header.length + data.length);
  out.set(header, 0);
  out.set(data, header.length);
  return out;
}

/** The generated service definition with Get's responses encoded by {@link encodeGetResponse}. */
export const derivaService: typeof DerivaService = {
  ...DerivaService,
  get: { ...DerivaService.get, responseSerialize: encodeGetResponse },
};
