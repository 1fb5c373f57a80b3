import { execFileSync } from 'node:child_process';

/** `git` in `dir`, returning trimmed stdout; throws with git's message on failure. */
export function gitIn(dir: string): (...args: string[]) => string {
  return (...args) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
}

/** Makes `dir` (holding files already) a repository with everything in one first commit. */
export function initRepo(dir: string, message: string): (...args: string[]) => string {
  const git = gitIn(dir);
  git('init', '--quiet', '--initial-branch=main');
  git('config', 'user.email', 'maintainer@example.com');
  git('config', 'user.name', 'Maintainer');
  git('add', '.');
  git('commit', '--quiet', '-m', message);
  return git;
}
