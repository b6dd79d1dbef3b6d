import t from 'tap';
import { evictionPolicy } from '../../src/engine/cache-policy.js';
import type { CacheStats } from '../../src/store/tables.js';

const entry = (o: Partial<CacheStats>): CacheStats => ({ hits: 1, cost: 10, size: 1000, lastAccess: 0, clock: 0, ...o });

t.test('gdsf: cheap, large and cold outputs score lowest (go first)', async (t) => {
  const { score } = evictionPolicy('gdsf');
  const base = score(entry({}));
  t.ok(score(entry({ cost: 1 })) < base, 'cheaper goes first');
  t.ok(score(entry({ size: 10_000 })) < base, 'larger goes first');
  t.ok(score(entry({ hits: 5 })) > base, 'more often read stays');
  t.ok(score(entry({ clock: 1 })) > base, 'read after the clock rose stays (aging)');
  t.equal(score(entry({ cost: 0 })), score(entry({ cost: 0.01 })), 'a zero cost is floored, so frequency still counts');
  t.ok(score(entry({ cost: 0, hits: 9 })) > score(entry({ cost: 0 })));
  t.ok(evictionPolicy('gdsf').inflates);
});

t.test('lru: only the last read counts', async (t) => {
  const { score, inflates } = evictionPolicy('lru');
  t.ok(score(entry({ lastAccess: 1 })) < score(entry({ lastAccess: 2, cost: 0, hits: 0 })));
  t.equal(score(entry({ lastAccess: 5, hits: 100 })), score(entry({ lastAccess: 5, hits: 1 })));
  t.notOk(inflates);
});
