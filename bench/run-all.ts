/**
 * Runs every benchmark of this folder one after the other, each in its own process, and lets
 * each print its figures. It measures; it never fails on a figure (it exits non-zero only when
 * a benchmark itself crashed). `pnpm bench` from the repository root.
 */
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

// model.ts wants --expose-gc to report the heap after load.
const benchmarks: { file: string; nodeArgs: string[] }[] = [
  { file: 'model.ts', nodeArgs: ['--expose-gc'] },
  { file: 'import.ts', nodeArgs: [] },
  { file: 'upstream.ts', nodeArgs: ['--expose-gc'] },
  { file: 'rows-api.ts', nodeArgs: [] },
  { file: 'relay.ts', nodeArgs: [] },
  { file: 'fanout.ts', nodeArgs: [] },
  { file: 'cluster.ts', nodeArgs: [] },
  { file: 'proposals.ts', nodeArgs: [] },
  { file: 'app-first-rows.ts', nodeArgs: [] },
  { file: 'moderation.ts', nodeArgs: [] },
  { file: 'abuse.ts', nodeArgs: [] },
  { file: 'duplicates.ts', nodeArgs: [] },
  { file: 'changes.ts', nodeArgs: [] },
  { file: 'embed.ts', nodeArgs: [] },
  { file: 'lighthouse.ts', nodeArgs: [] },
];

const crashed: string[] = [];
for (const { file, nodeArgs } of benchmarks) {
  console.log(`\n=== bench/${file} ===`);
  const run = spawnSync(process.execPath, [...nodeArgs, '--import', 'tsx', file], {
    cwd: here,
    stdio: 'inherit',
  });
  if (run.status !== 0) crashed.push(`${file} (exit ${run.status ?? run.signal})`);
}
if (crashed.length > 0) {
  console.error(`\nbenchmarks that crashed: ${crashed.join(', ')}`);
  process.exit(1);
}
