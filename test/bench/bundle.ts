import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** esbuild bundle sizes (minified, gzipped) of generated/src for the browser. */
export async function bundleSizes(): Promise<{ name: string; bytes: number; gzip: number }[]> {
  const dir = mkdtempSync(join(tmpdir(), 'b24gen-bundle-'));
  const src = resolve('generated/src');
  const entries = {
    'one method + runtime (deep import)': `import { createTransport } from '${src}/runtime/index.ts';
import { imbotV2ChatInputActionNotify } from '${src}/imbot.v2/Chat.InputAction.notify.ts';
const t = createTransport({ webhookUrl: location.href }, {});
export const go = () => imbotV2ChatInputActionNotify(t, { botId: 1, dialogId: 'chat1' });`,
    'one method + runtime + error classes': `import { createTransport } from '${src}/runtime/index.ts';
import { errorClassesByCode } from '${src}/errors.ts';
import { imbotV2ChatInputActionNotify } from '${src}/imbot.v2/Chat.InputAction.notify.ts';
const t = createTransport({ webhookUrl: location.href }, errorClassesByCode);
export const go = () => imbotV2ChatInputActionNotify(t, { botId: 1, dialogId: 'chat1' });`,
    'whole client (createClient)': `import { createClient } from '${src}/index.ts';
export const client = createClient({ webhookUrl: location.href });`,
  };
  const out: { name: string; bytes: number; gzip: number }[] = [];
  try {
    for (const [name, code] of Object.entries(entries)) {
      const entry = join(dir, 'entry.ts');
      writeFileSync(entry, code);
      const r = await build({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent' });
      const text = r.outputFiles[0].contents;
      out.push({ name, bytes: text.length, gzip: gzipSync(text).length });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
