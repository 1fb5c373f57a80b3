/**
 * Turns the ```ts blocks of a README into one TypeScript module, in order, so the examples can
 * be type-checked together: later blocks use `client` and `bot` from earlier ones. Import lines
 * are hoisted and merged per module (two blocks may import the same name).
 */
export function readmeTypeScript(markdown: string): string {
  const blocks = [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  const imports = new Map<string, Set<string>>();
  const body: string[] = [];
  for (const block of blocks) {
    for (const line of block.split('\n')) {
      const m = /^import \{([^}]+)\} from '([^']+)';$/.exec(line);
      if (m) {
        const names = imports.get(m[2]) ?? new Set<string>();
        for (const n of m[1].split(',')) names.add(n.trim());
        imports.set(m[2], names);
      } else {
        body.push(line);
      }
    }
  }
  const head = [...imports].map(([from, names]) => `import { ${[...names].join(', ')} } from '${from}';`);
  return [...head, '', ...body, 'export {};', ''].join('\n');
}
