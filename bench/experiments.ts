/**
 * Times of the experiments (issue 9's targets): a comparison of focal, cross-entropy and GCE under
 * 40% symmetric noise and 10:1 imbalance, 3 losses × 3 seeds, a 2-hidden-layer MLP, 2,000
 * training points (aim: under 10 s); and a 41×41 landscape around a trained MLP (aim: under 5 s),
 * with the Hessian's spectrum beside it. Wall and CPU time, on the fused kernels (what the worker
 * trains with), on the TensorFlow.js backend and on the float64 reference, the median of REPS.
 *
 * Usage: node --import tsx bench/experiments.ts [--backend=wasm|cpu|webgpu|tensorflow]
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import { findLoss } from '../src/core/analyze';
import { startBackend } from '../src/core/engine/backend';
import { BACKEND_NAMES, type BackendName } from '../src/core/engine/executor';
import { chooseKernels } from '../src/core/engine/kernels';
import { tensorExecutor } from '../src/core/engine/tensor';
import { runExperiment } from '../src/core/experiments/experiment';
import { makeExperimentData, streamRandom } from '../src/core/experiments/experimentData';
import { filterNormalizedDirection, linspace, surfaceSlice } from '../src/core/experiments/landscape';
import { hessianAt } from '../src/core/experiments/minimum';
import { initialParameters, modelShape } from '../src/core/experiments/model';
import { compileObjective } from '../src/core/experiments/objective';
import { executorEngine, float64Engine, type ProgramEngine } from '../src/core/experiments/programEngine';
import { EmpiricalRisk } from '../src/core/experiments/risk';
import { resolveSetup, type ExperimentSetupInput } from '../src/core/experiments/setup';
import { train } from '../src/core/experiments/train';

const REPS = 3;
const TEXT = ['@classes 3', 'cross_entropy(s, y) = logsumexp(s) - s[y]'].join('\n');
const COMPARISON: ExperimentSetupInput = { classes: 3, points: 2000, noise: 0.4, imbalance: 10, model: 'mlp', hidden: [16, 16], epochs: 300, seeds: [1, 2, 3] };

interface Timed {
  readonly wall: number;
  readonly cpu: number;
}

async function timed(f: () => Promise<unknown>): Promise<Timed> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await f();
  const c = process.cpuUsage(c0);
  return { wall: performance.now() - t0, cpu: (c.user + c.system) / 1000 };
}

async function median(f: () => Promise<unknown>): Promise<Timed> {
  const samples: Timed[] = [];
  for (let i = 0; i < REPS; i++) samples.push(await timed(f));
  const mid = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  return { wall: mid(samples.map((s) => s.wall)), cpu: mid(samples.map((s) => s.cpu)) };
}

const seconds = (t: Timed): string => `${(t.wall / 1000).toFixed(2)} s wall, ${(t.cpu / 1000).toFixed(2)} s CPU`;

async function comparison(engine: ProgramEngine): Promise<Timed> {
  return median(async () => {
    const r = await runExperiment(engine, { text: TEXT, loss: 'cross_entropy', with: ['focal_softmax', 'gce'], setup: COMPARISON });
    if (!r?.ok) throw new Error(r ? r.message : 'cancelled');
  });
}

async function landscape(engine: ProgramEngine): Promise<{ surface: Timed; hessian: Timed }> {
  const setup = resolveSetup(COMPARISON);
  const found = findLoss(TEXT);
  if (!setup.ok || !found.ok) throw new Error('bad bench setup');
  const data = makeExperimentData(setup.setup, 3, 1);
  const shape = modelShape(data.train.dims, setup.setup.hidden, 3, 'relu');
  const risk = new EmpiricalRisk(shape, compileObjective(engine, found.loss, {}), data.train.x, data.train.rows, data.train.labels);
  const trained = await train(risk, initialParameters(shape, streamRandom(1, 'init')), { optimizer: 'adam', lr: 0.01, epochs: 300 });
  if (!trained) throw new Error('training was cancelled');
  const theta = trained.theta;
  const axis = linspace(-1, 1, 41);
  const surface = await median(async () => {
    const random = streamRandom(1, 'directions');
    await surfaceSlice(risk, theta, filterNormalizedDirection(shape, theta, random), filterNormalizedDirection(shape, theta, random), axis, axis);
  });
  const hessian = await median(() =>
    hessianAt(risk, theta, { resolution: 41, span: 1, directions: streamRandom(1, 'directions'), probes: streamRandom(1, 'hessian') }),
  );
  return { surface, hessian };
}

async function main(): Promise<void> {
  const arg = process.argv.find((a) => a.startsWith('--backend='))?.slice('--backend='.length);
  if (arg !== undefined && !(BACKEND_NAMES as readonly string[]).includes(arg)) throw new Error(`--backend must be one of ${BACKEND_NAMES.join(', ')}`);
  const started = await startBackend(arg as BackendName | undefined);
  // The fused kernels first: the worker trains with them, as with any program it runs.
  const tensors = tensorExecutor(started.tf, started.backend);
  const kernels = await chooseKernels(tensors);
  const engines = [executorEngine(kernels.executor), executorEngine(tensors), float64Engine];
  console.log(`${cpus()[0]?.model ?? 'CPU'}, ${availableParallelism()} threads, load average ${loadavg()[0]?.toFixed(2)}; median of ${REPS}`);
  for (const engine of engines) {
    console.log(`${engine.name}: 3 losses × 3 seeds, MLP 16-16, 2,000 points, 300 epochs: ${seconds(await comparison(engine))}`);
    const l = await landscape(engine);
    console.log(`${engine.name}: 41×41 landscape around the trained MLP: ${seconds(l.surface)}; Hessian top-3 and trace: ${seconds(l.hessian)}`);
  }
}

void main();
