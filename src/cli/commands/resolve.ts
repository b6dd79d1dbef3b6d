/**
 * `deriva resolve ADDR [--dot]`: the recipe DAG below an address, as a tree or Graphviz. A ref
 * input shows as `ref:NAME ->` its current binding, and in Graphviz as a diamond between them.
 */
import type { CommandModule } from 'yargs';
import type { DagNode, ResolveResponse } from '../../api/gen/deriva.js';
import { withClient, type GlobalArgs } from '../context.js';
import { humanBytes, printJson, printLine } from '../output.js';
import { callText } from '../recipe-text.js';
import { REF_PREFIX } from '../../core/ref-name.js';

interface ResolveArgs extends GlobalArgs {
  addr: string;
  dot: boolean;
}

export const resolveCommand: CommandModule<GlobalArgs, ResolveArgs> = {
  command: 'resolve <addr>',
  describe: 'Show the recipe DAG below an address (a tree; --dot for Graphviz)',
  builder: (y) =>
    y
      .positional('addr', { type: 'string', demandOption: true, describe: 'address or unique prefix (>= 8 hex digits)' })
      .option('dot', { type: 'boolean', default: false, describe: 'print Graphviz dot (pipe into `dot -Tsvg`)' })
      .example('$0 resolve 1a2b3c4d --dot | dot -Tpng > dag.png', 'draw the DAG'),
  handler: async (args) => {
    const dag = await withClient(args, (client) => client.resolve(args.addr));
    if (args.json) printJson(dag);
    else if (args.dot) printLine(toDot(dag));
    else printTree(dag);
  },
};

function label(n: DagNode): string {
  const what = n.recipe ? callText(n.recipe) : 'leaf';
  const size = n.size === undefined ? '' : `, ${humanBytes(n.size)}`;
  return `${n.addr.slice(0, 16)} ${what} [${n.state}${size}]`;
}

/** The address an input text stands for: itself, or the current binding of `ref:NAME`. */
function target(dag: ResolveResponse, input: string): { addr: string; via?: string } {
  if (!input.startsWith(REF_PREFIX)) return { addr: input };
  const name = input.slice(REF_PREFIX.length);
  return { addr: dag.refs.find((r) => r.name === name)!.addr, via: input };
}

function printTree(dag: ResolveResponse): void {
  const byAddr = new Map(dag.nodes.map((n) => [n.addr, n]));
  const shown = new Set<string>();
  const walk = (addr: string, via: string | undefined, prefix: string, tail: string, last: boolean): void => {
    const node = byAddr.get(addr)!;
    const again = shown.has(addr) && node.recipe !== undefined;
    printLine(`${prefix}${tail}${via ? `${via} -> ` : ''}${label(node)}${again ? ' (see above)' : ''}`);
    if (again) return;
    shown.add(addr);
    const inputs = node.recipe?.inputs ?? [];
    const childPrefix = prefix + (tail === '' ? '' : last ? '    ' : '│   ');
    inputs.forEach((input, i) => {
      const to = target(dag, input);
      const end = i === inputs.length - 1;
      walk(to.addr, to.via, childPrefix, end ? '└── ' : '├── ', end);
    });
  };
  walk(dag.root, undefined, '', '', true);
}

function toDot(dag: ResolveResponse): string {
  const lines = ['digraph deriva {', '  rankdir=BT;', '  node [shape=box, fontname="monospace"];'];
  for (const n of dag.nodes) {
    const text = n.recipe ? `${n.recipe.function}\\n${n.addr.slice(0, 16)}` : `leaf\\n${n.addr.slice(0, 16)}`;
    lines.push(`  "${n.addr}" [label="${text}"${n.recipe ? '' : ', shape=ellipse'}];`);
    n.recipe?.inputs.forEach((input, i) => lines.push(`  "${input}" -> "${n.addr}" [label="${i}"];`));
  }
  for (const r of dag.refs) {
    lines.push(`  "${REF_PREFIX}${r.name}" [label="${REF_PREFIX}${r.name}", shape=diamond];`);
    lines.push(`  "${r.addr}" -> "${REF_PREFIX}${r.name}" [style=dashed, label="bound"];`);
  }
  lines.push('}');
  return lines.join('\n');
}
