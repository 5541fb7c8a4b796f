// `npm run fuzz`: the fuzz properties of test/unit/fuzz, long. FUZZ_RUNS cases per property
// (default 10,000; the CLI property, a process per case, runs 5% of them), with FUZZ_SEED or a
// fresh seed, printed so that a failure can be replayed. Each test reports inputs, the slowest
// input and those over a second (hangs); a crash fails the run with fast-check's counterexample.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const runs = process.env.FUZZ_RUNS ?? '10000';
const seed = process.env.FUZZ_SEED ?? String(Date.now() % 2 ** 31);
console.log(`losslab fuzz: FUZZ_RUNS=${runs} FUZZ_SEED=${seed}`);

const build = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const files = readdirSync('test/unit/fuzz')
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => `test/unit/fuzz/${f}`);
const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  env: { ...process.env, FUZZ_RUNS: runs, FUZZ_SEED: seed },
});
process.exit(run.status ?? 1);
