import { main } from '../../generator/cli.js';

/** Runs one b24gen command in this process, as the CLI would, collecting what it prints. */
export async function runCommand(command: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main([command, ...args], { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}
