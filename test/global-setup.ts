import { execFileSync } from 'node:child_process';

/** Builds the playground bundle (esbuild, under a second) so the tests serve what `npm run build` would. */
export default function setup(): void {
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-playground.ts'], { stdio: 'inherit' });
}
