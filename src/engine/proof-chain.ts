/**
 * The proof chain of an address, for `deriva proof`: a leaf as itself; a recipe as the proof of
 * its cached output with the proofs of its inputs, down to leaves or anchors (proof/chain.ts).
 * An input that was read without being stored (a structural view read by address arithmetic)
 * is materialized here, which signs its proof.
 */
import { CAddr } from '../core/caddr.js';
import { NotFoundError, StoreError } from '../core/errors.js';
import { buildChain, type ChainNode } from '../proof/chain.js';
import type { Store } from '../store/store.js';

export async function proofChain(store: Store, materialize: (addr: CAddr) => Promise<unknown>, addr: CAddr): Promise<ChainNode> {
  if (store.isLeaf(addr)) return { leaf: addr.hex };
  if (!store.getRecipe(addr)) throw NotFoundError.address(addr);
  store.refresh(); // see proofs the workers just committed
  const root = store.proofs.get(addr);
  if (!root) throw new NotFoundError(`recipe ${addr.hex} has no proof: its output is not cached (read it, or run deriva stat --compute, first)`);
  return buildChain(
    {
      held: (hex) => store.proofs.get(CAddr.fromHex(hex)),
      prove: async (hex) => {
        const input = CAddr.fromHex(hex);
        await materialize(input);
        store.refresh();
        const proof = store.proofs.get(input);
        if (!proof) throw new StoreError(`the output of recipe ${hex} is cached without a proof (stored before this node signed proofs): deriva invalidate ${hex}, then read it again`);
        return proof;
      },
    },
    root,
  );
}
