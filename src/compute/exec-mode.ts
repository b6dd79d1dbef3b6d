/**
 * How materializations are scheduled: `parallel` (default) materializes a recipe's inputs at
 * once; `sequential` one after the other in recipe order, depth first, so that one thing
 * happens at a time (debugging). Outputs are the same bytes either way.
 */
export type ExecMode = 'parallel' | 'sequential';
export const EXEC_MODES: readonly ExecMode[] = ['parallel', 'sequential'];
