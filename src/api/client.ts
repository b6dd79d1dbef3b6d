/**
 * DerivaClient: the daemon's API as promises and async iterables, for the CLI and tests. It
 * wraps the generated grpc-js client, applies the same message limits as the server, cuts
 * leaves into messages below them, and turns every failure into an {@link ApiError} whose
 * `code` is Deriva's (or DAEMON_UNAVAILABLE when nothing answers at the target).
 */
import * as grpc from '@grpc/grpc-js';
import type { ParamValue } from '../core/recipe.js';
import { waitForChannel } from './channel-ready.js';
import { ApiError, DAEMON_UNAVAILABLE, toApiError } from './client-error.js';
import { explainConnectFailure } from './connect-failure.js';
import { messagePieces, writePieces } from './client-stream.js';
import * as pb from './gen/deriva.js';
import { clientOptions, PUT_PIECE_BYTES } from './limits.js';
import { paramToProto } from './params.js';
import { channelCredentials, type ClientTls } from './tls.js';

export { ApiError, DAEMON_UNAVAILABLE } from './client-error.js';

export interface ConnectOptions {
  /** How long the first call waits for the daemon to accept the connection (default 2000 ms). */
  readonly deadlineMs?: number;
  /** Talk TLS (to a TCP target), presenting `cert` and trusting `ca`; plaintext when absent. */
  readonly tls?: ClientTls;
}

/** A recipe param: text (coerced by the function's schema on the daemon) or a typed value. */
export type ParamInput = string | ParamValue;

type Callback<T> = (err: grpc.ServiceError | null, response: T) => void;

const big = (n: number | bigint | undefined): bigint | undefined => (n === undefined ? undefined : BigInt(n));

export class DerivaClient {
  private ready: Promise<void> | undefined;

  private constructor(
    private readonly raw: pb.DerivaClient,
    /** The gRPC target, e.g. `unix:/home/me/.deriva/deriva.sock`. */
    readonly target: string,
    private readonly deadlineMs: number,
    private readonly tls: ClientTls | undefined,
  ) {}

  /**
   * A client for the daemon at `target`. Returns at once; the connection is made by the first
   * call, which fails within `deadlineMs` (at once when no socket exists) if no daemon answers,
   * saying why when the target is TCP (plaintext against TLS, a certificate refused).
   */
  static connect(target: string, options: ConnectOptions = {}): DerivaClient {
    const raw = new pb.DerivaClient(target, channelCredentials(options.tls), clientOptions);
    return new DerivaClient(raw, target, options.deadlineMs ?? 2000, options.tls);
  }

  /** Stores bytes as a leaf, streamed in messages of at most 1 MiB; returns address and size. */
  async putLeaf(
    source: Uint8Array | AsyncIterable<Uint8Array>,
    onProgress?: (bytesSent: number) => void,
    options: { signal?: AbortSignal; pin?: boolean } = {},
  ): Promise<{ addr: string; size: bigint }> {
    options.signal?.throwIfAborted();
    await this.connected();
    let call!: grpc.ClientWritableStream<pb.PutLeafRequest>;
    const result = new Promise<pb.PutLeafResponse>((resolve, reject) => {
      call = this.raw.putLeaf((err, res) => (err ? reject(toApiError(err, this.target)) : resolve(res)));
    });
    result.catch(() => {}); // observed below; a failure may land while pieces are still being read
    const abort = (): void => call.cancel();
    options.signal?.addEventListener('abort', abort, { once: true });
    try {
      await writePieces(call, messagePieces(source, PUT_PIECE_BYTES), result, onProgress, options.pin === false);
      const { addr, size } = await result;
      return { addr, size };
    } catch (err) {
      call.cancel();
      throw options.signal?.aborted ? options.signal.reason : err;
    } finally {
      options.signal?.removeEventListener('abort', abort);
    }
  }

  /**
   * Registers `fn` (name@version) over `inputs` (addresses, unique prefixes, or `ref:NAME`),
   * pinned unless `pin` is false; returns its address.
   */
  async putRecipe(
    fn: string, inputs: readonly string[], params: Iterable<readonly [string, ParamInput]> = [], options: { pin?: boolean } = {},
  ): Promise<string> {
    const wire = [...params].map(([key, v]) => (typeof v === 'string' ? { key, stringValue: v } : paramToProto(key, v)));
    const req = { function: fn, inputs: [...inputs], params: wire, noPin: options.pin === false };
    const res = await this.unary<pb.PutRecipeResponse>((cb) => this.raw.putRecipe(req, cb));
    return res.addr;
  }

  /** Pins a leaf or recipe (a GC root); `changed` is false if it already was. */
  pin(addr: string): Promise<pb.PinResponse> {
    return this.unary((cb: Callback<pb.PinResponse>) => this.raw.pin({ addr }, cb));
  }

  /** Unpins a leaf or recipe; `changed` is false if it was not pinned. */
  unpin(addr: string): Promise<pb.PinResponse> {
    return this.unary((cb: Callback<pb.PinResponse>) => this.raw.unpin({ addr }, cb));
  }

  /** Collects garbage (or, with `dryRun`, reports what would be collected). */
  gc(options: { dryRun?: boolean } = {}): Promise<pb.GcResponse> {
    return this.unary((cb: Callback<pb.GcResponse>) => this.raw.gc({ dryRun: options.dryRun ?? false }, cb));
  }

  /** The bytes of a value (computed if needed), in pieces of at most one chunk. */
  async *get(
    addr: string,
    options: { offset?: number | bigint; length?: number | bigint; verify?: boolean; signal?: AbortSignal } = {},
  ): AsyncGenerator<Buffer> {
    options.signal?.throwIfAborted();
    await this.connected();
    const call = this.raw.get({ addr, offset: big(options.offset), length: big(options.length), verify: options.verify ?? false });
    const abort = (): void => call.cancel();
    options.signal?.addEventListener('abort', abort, { once: true });
    try {
      for await (const message of call as AsyncIterable<pb.GetResponse>) yield message.data;
    } catch (err) {
      throw options.signal?.aborted ? options.signal.reason : toApiError(err, this.target);
    } finally {
      options.signal?.removeEventListener('abort', abort);
      call.on('error', () => {}); // the cancel below may report CANCELLED to nobody
      call.cancel();
    }
  }

  /** What is known about `addr`; `compute` learns its size, `verify` (implies compute) checks it in verification mode. */
  stat(addr: string, options: { compute?: boolean; verify?: boolean } = {}): Promise<pb.StatResponse> {
    const req = { addr, compute: options.compute ?? false, verify: options.verify ?? false };
    return this.unary((cb: Callback<pb.StatResponse>) => this.raw.stat(req, cb));
  }

  /** Checks every stored chunk and recipe now (at most `rate` bytes/s); the pass's report. */
  async scrub(options: { rate?: number } = {}): Promise<pb.ScrubReport> {
    const res = await this.unary((cb: Callback<pb.ScrubResponse>) => this.raw.scrub({ rate: big(options.rate) }, cb));
    return res.report!;
  }

  resolve(addr: string): Promise<pb.ResolveResponse> {
    return this.unary((cb: Callback<pb.ResolveResponse>) => this.raw.resolve({ addr }, cb));
  }

  /** Invalidates `addr` under `policy` ('none', 'immediate', 'deferred'; default: the daemon's). */
  invalidate(addr: string, policy = ''): Promise<pb.InvalidateResponse> {
    return this.unary((cb: Callback<pb.InvalidateResponse>) => this.raw.invalidate({ addr, policy }, cb));
  }

  /** Binds ref `name` to `addr` (an address or unique prefix). */
  setRef(name: string, addr: string): Promise<pb.SetRefResponse> {
    return this.unary((cb: Callback<pb.SetRefResponse>) => this.raw.setRef({ name, addr }, cb));
  }

  getRef(name: string): Promise<pb.RefBinding> {
    return this.unary((cb: Callback<pb.RefBinding>) => this.raw.getRef({ name }, cb));
  }

  async listRefs(): Promise<pb.RefBinding[]> {
    return (await this.unary((cb: Callback<pb.ListRefsResponse>) => this.raw.listRefs({}, cb))).refs;
  }

  async refHistory(name: string): Promise<pb.RefBinding[]> {
    return (await this.unary((cb: Callback<pb.RefHistoryResponse>) => this.raw.refHistory({ name }, cb))).bindings;
  }

  status(): Promise<pb.StatusResponse> {
    return this.unary((cb: Callback<pb.StatusResponse>) => this.raw.status({}, cb));
  }

  /** The proof chain of `addr` (docs/proofs.md), parsed from its canonical JSON. */
  async proof(addr: string): Promise<unknown> {
    const res = await this.unary((cb: Callback<pb.GetProofResponse>) => this.raw.getProof({ addr }, cb));
    return JSON.parse(res.chain) as unknown;
  }

  /** Audit log entries, oldest first, fetched a page at a time as they are iterated. */
  async *audit(query: { addr?: string; sinceMs?: number } = {}): AsyncGenerator<pb.AuditEntry> {
    let afterSeq = 0n;
    for (;;) {
      const req = { addr: query.addr ?? '', sinceMs: BigInt(query.sinceMs ?? 0), afterSeq, limit: 0 };
      const page = await this.unary((cb: Callback<pb.AuditResponse>) => this.raw.audit(req, cb));
      yield* page.entries;
      if (!page.more || page.entries.length === 0) return;
      afterSeq = page.entries[page.entries.length - 1]!.seq;
    }
  }

  async listFunctions(): Promise<pb.FunctionInfo[]> {
    const res = await this.unary((cb: Callback<pb.ListFunctionsResponse>) => this.raw.listFunctions({}, cb));
    return res.functions;
  }

  close(): void {
    this.raw.close();
  }

  /** Connects once (re-trying on the next call after a failure). */
  private connected(): Promise<void> {
    const deadline = Date.now() + this.deadlineMs;
    this.ready ??= waitForChannel(this.raw.getChannel(), this.target, deadline).catch(async (err: unknown) => {
      this.ready = undefined;
      const failedFast = err instanceof ApiError && err.code === DAEMON_UNAVAILABLE && Date.now() < deadline;
      throw failedFast && !this.target.startsWith('unix:') ? await explainConnectFailure(this.target, this.tls, deadline) : err;
    });
    return this.ready;
  }

  private async unary<T>(invoke: (cb: Callback<T>) => void): Promise<T> {
    await this.connected();
    return new Promise<T>((resolve, reject) => {
      invoke((err, res) => (err ? reject(toApiError(err, this.target)) : resolve(res)));
    });
  }
}
