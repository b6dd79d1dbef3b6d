/**
 * Verification mode: every recipe under a read is computed twice, by two independent pool
 * runs, and the two outputs' content addresses compared. Functions promise to be pure; this is
 * how that promise is checked. A mismatch rejects the result (its action-cache entry is
 * dropped) and marks the function non-deterministic in the store, for `deriva fn list`; later
 * verified reads of any recipe of a marked function are refused at once. Structural recipes
 * compute nothing (their bytes are their inputs' bytes), so only their inputs are verified.
 * A recipe verified once is not verified again while the daemon runs, unless its output is
 * invalidated (a ref below it rebound, say): then its inputs may differ and it is verified anew.
 * A ref input is verified at its current binding.
 */
import type { CAddr } from '../core/caddr.js';
import { decodeRecipe } from '../core/dcf.js';
import { NonDeterministicError, NotFoundError } from '../core/errors.js';
import { formatFunctionId } from '../core/function-id.js';
import { SingleFlight } from '../core/single-flight.js';
import type { Executor } from '../compute/executor.js';
import type { FailureLog } from '../compute/failure-log.js';
import { boundInputs } from '../compute/inputs.js';
import type { FunctionRegistry } from '../compute/registry.js';
import type { Store } from '../store/store.js';

export class Verifier {
  private readonly verified = new Set<string>();
  private readonly flights = new SingleFlight<void>();

  constructor(
    private readonly store: Store,
    private readonly registry: FunctionRegistry,
    private readonly executor: Pick<Executor, 'resolve' | 'recompute'>,
    private readonly failures: FailureLog,
  ) {}

  /** Verifies every recipe `addr` depends on (itself included); a leaf needs nothing. */
  verify(addr: CAddr): Promise<void> {
    if (this.verified.has(addr.hex) || this.store.isLeaf(addr)) return Promise.resolve();
    return this.flights.run(addr.hex, () => this.verifyRecipe(addr).then(() => void this.verified.add(addr.hex)));
  }

  /** Lets these addresses be verified again (their cached outputs were invalidated). */
  forget(addrs: readonly CAddr[]): void {
    for (const addr of addrs) this.verified.delete(addr.hex);
  }

  private async verifyRecipe(addr: CAddr): Promise<void> {
    const dcf = this.store.getRecipe(addr);
    if (!dcf) throw NotFoundError.address(addr);
    const recipe = decodeRecipe(dcf);
    await Promise.all(boundInputs(this.store, recipe).map((input) => this.verify(input)));
    const id = formatFunctionId(recipe.fn);
    const marked = this.store.functionMarks.nonDeterministic(id);
    if (marked) {
      throw new NonDeterministicError(
        `function ${id} is marked non-deterministic (recipe ${marked.recipe} gave two different outputs): verified reads of its recipes are refused`,
      );
    }
    if (this.registry.get(recipe.fn).kind === 'structural') return;
    const first = await this.executor.resolve(addr);
    const second = await this.executor.recompute(addr, recipe);
    if (first.content.equals(second.content)) return;
    await this.store.functionMarks.markNonDeterministic(id, {
      recipe: addr.hex,
      outputs: [first.content.hex, second.content.hex],
      at: Date.now(),
    });
    await this.store.removeActions([addr]);
    const err = new NonDeterministicError(
      `function ${id} is non-deterministic: recipe ${addr.hex} computed twice gave ${first.content.hex} and ${second.content.hex}; the result is rejected and ${id} is marked (see 'deriva fn list')`,
    );
    this.failures.record(addr, err);
    throw err;
  }
}
