import { cpus, totalmem } from 'node:os';
import { writeFileSync } from 'node:fs';
import { bundleSizes } from './bundle.js';
import { loadRun } from './load.js';

/**
 * `npm run bench`: measurements that do not belong in timed unit tests (machines are noisy).
 * Prints each section and writes test/bench/RESULTS.md with the machine described.
 */
const sections: string[] = [];
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;

const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.includes(name);

if (want('load')) {
  const r = await loadRun();
  const ok = r.lost === 0 && r.duplicates === 0 && r.surfacedQueryLimit === 0 && r.throughputRatio >= 0.9;
  sections.push(
    `## Load: 2,000 concurrent Chat.Message.send through one client\n\n` +
      `Fake portal bucket: limit ${r.limit}, drain ${r.drainPerSecond}/s (scaled so the run takes about 10 s).\n\n` +
      `| calls | lost | duplicates executed | QUERY_LIMIT_EXCEEDED surfaced | refused by the portal (retried) | time | throughput / theoretical max |\n| --- | --- | --- | --- | --- | --- | --- |\n` +
      `| ${r.calls} | ${r.lost} | ${r.duplicates} | ${r.surfacedQueryLimit} | ${r.rejectedByPortal} | ${r.seconds} s | ${r.throughputRatio} |\n\n` +
      `Targets: lost 0, duplicates 0, surfaced 0, ratio >= 0.9: **${ok ? 'met' : 'NOT met'}**.\n`,
  );
  console.log(sections.at(-1));
}

if (want('bundle')) {
  const sizes = await bundleSizes();
  sections.push(
    `## Bundle size (esbuild, minified, browser)\n\n| bundle | minified | gzipped |\n| --- | --- | --- |\n` +
      sizes.map((s) => `| ${s.name} | ${s.bytes} B | ${s.gzip} B |`).join('\n') +
      `\n\nTarget for one method + runtime: <= 3 KB gzipped.\n`,
  );
  console.log(sections.at(-1));
}

if (only.length === 0) {
  writeFileSync(new URL('./RESULTS.md', import.meta.url), `# Benchmark results\n\nMachine: ${machine}. Run: \`npm run bench\` (${new Date().toISOString().slice(0, 10)}).\n\n${sections.join('\n')}`);
}
