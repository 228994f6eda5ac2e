/**
 * Compiles the bench's C references (native/*.c, see native.ts) with the system's
 * C compiler (`cc`, from Debian's gcc, which scripts/setup.sh installs). Runs in
 * run.ts, before the bench is bundled; never throws: a missing compiler is
 * reported in the tables instead of a figure.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export interface NativePrograms {
  pingClient?: string;
  bareRelay?: string;
  /** Why they are missing, when they are. */
  missing?: string;
}

/** Compile the references into `outdir`; never throws (a missing compiler is reported in the tables). */
export function compileNative(outdir: string, repoRoot: string): NativePrograms {
  const built: NativePrograms = {};
  for (const name of ['pingClient', 'bareRelay'] as const) {
    const output = path.join(outdir, name);
    const result = spawnSync('cc', ['-O2', '-o', output, path.join(repoRoot, 'test/bench/native', `${name}.c`)], { encoding: 'utf8' });
    if (result.error || result.status !== 0) return { missing: `cc failed: ${result.error?.message ?? result.stderr.trim()}` };
    built[name] = output;
  }
  return built;
}
