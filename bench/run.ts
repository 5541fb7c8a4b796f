/**
 * `npm run bench`: LossLab's default engine (the fused kernels, chosen as the worker and the CLI
 * choose them) and the TensorFlow.js path beside it, against PyTorch CPU (bench/reference.py, run
 * as a child process) on focal loss, examples/focal.loss, with the same float32 inputs and work.
 * Each case is checked once against PyTorch's numbers before it is timed: a benchmark of wrong
 * numbers is worthless. Writes bench/results.md and bench/results.json.
 *
 * Usage: node --import tsx bench/run.ts [--backend=wasm|cpu|webgpu|tensorflow]
 * LOSSLAB_BENCH_QUICK=1 runs a reduced bench (fewer repetitions, scaling up to 2^20 elements) to
 * test the script itself; its numbers are not the ones to quote.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { findLoss } from '../src/core/analyze';
import { startBackend } from '../src/core/engine/backend';
import type { LeafValue } from '../src/core/ir/bindings';
import { computeCurves } from '../src/core/engine/curves';
import { BACKEND_NAMES, type BackendName, type CompiledProgram, type Executor } from '../src/core/engine/executor';
import { runChecks } from '../src/core/checks/suite';
import { chooseKernels } from '../src/core/engine/kernels';
import { tensorExecutor } from '../src/core/engine/tensor';
import { gradient, secondDerivative } from '../src/core/ir/autodiff';
import type { NodeId } from '../src/core/ir/graph';
import { lowerToProgram, type Program } from '../src/core/ir/program';
import type { LoweredLoss } from '../src/core/lang/lower';
import { startEngines } from './engines';
import {
  disagreements,
  engineTables,
  landscapeGrid,
  linspace,
  measureScaling,
  measureSuitesByEngine,
  scalingCases,
  summarize,
  measure as measureWith,
  type ReferenceCase,
  type Timing,
} from './scaling';

const QUICK = process.env.LOSSLAB_BENCH_QUICK === '1';
const WARMUP = QUICK ? 2 : 5;
const REPS = QUICK ? 5 : 25;
/** A quick run must not overwrite the numbers the README quotes. */
const RESULTS = QUICK ? 'results-quick' : 'results';
const TORCH_THREADS = 2;
/** Entries compared with PyTorch per output, at evenly spaced indices. */
const CHECKED_ENTRIES = 65;
const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';
/** The panel's axis for a probability loss. */
const P_RANGE: readonly [number, number] = [0.001, 0.999];

type CaseId = 'curve-2048' | 'landscape-256' | 'focal-1m' | 'infonce-1024x256';
type Outputs = readonly ArrayLike<number>[];

interface BenchCase {
  readonly id: CaseId;
  readonly work: string;
  readonly run: () => Promise<Outputs>;
}

interface Reference {
  readonly torch: string;
  /** The BLAS library Debian's torch loads (its matmuls' speed). */
  readonly blas?: string;
  readonly threads: number;
  readonly python: string;
  readonly cases: Readonly<Record<CaseId, ReferenceCase>>;
  /** The scaling rows, by id (focal-2^k, landscape-s^2). */
  readonly scaling?: Readonly<Record<string, ReferenceCase>>;
}

type ReferenceRun = { ok: true; reference: Reference } | { ok: false; why: string };

const measure = (run: () => Promise<unknown>): Promise<Timing> => measureWith(run, WARMUP, REPS);

function runReference(): ReferenceRun {
  const script = join(__dirname, 'reference.py');
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.error) return { ok: false, why: `${PYTHON}: ${probe.error.message}` };
  if (probe.status !== 0) return { ok: false, why: `${PYTHON} cannot import torch: ${probe.stderr.trim().split('\n').pop() ?? ''}` };
  const child = spawnSync(PYTHON, [script, String(WARMUP), String(REPS), String(TORCH_THREADS), String(CHECKED_ENTRIES), QUICK ? '1' : '0'], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (child.status !== 0) return { ok: false, why: `reference.py exited with ${String(child.status)}: ${child.stderr.trim()}` };
  const parsed: unknown = JSON.parse(child.stdout);
  if (!isReference(parsed)) return { ok: false, why: `reference.py printed something other than its report: ${child.stdout.slice(0, 200)}` };
  return { ok: true, reference: parsed };
}

const CASE_IDS: readonly CaseId[] = ['curve-2048', 'landscape-256', 'focal-1m', 'infonce-1024x256'];

function isReference(x: unknown): x is Reference {
  if (typeof x !== 'object' || x === null || !('cases' in x) || typeof x.cases !== 'object' || x.cases === null) return false;
  const cases = x.cases as Record<string, unknown>;
  return CASE_IDS.every((id) => {
    const c = cases[id];
    return typeof c === 'object' && c !== null && 'samples_ms' in c && Array.isArray(c.samples_ms) && 'check' in c && typeof c.check === 'object';
  });
}

function defaultParams(loss: LoweredLoss): Record<string, number> {
  return Object.fromEntries(loss.params.map((p) => [p.decl.name, p.decl.value]));
}

function inputLeaf(loss: LoweredLoss, name: string): NodeId {
  const input = loss.inputs.find((i) => i.spec.name === name);
  if (input === undefined) throw new Error(`focal has no input '${name}'`);
  return input.leaf;
}

function compileGradient(executor: Executor, loss: LoweredLoss, p: NodeId): { program: Program; fn: CompiledProgram } {
  const program = lowerToProgram(loss.graph, [loss.value, gradient(loss.graph, loss.value, [p])[0] as NodeId]);
  return { program, fn: executor.compile(program) };
}

function opCount(program: Program): number {
  return program.instructions.filter((n) => n.tag === 'op').length;
}

/** InfoNCE over a batch of B = 1024 embeddings of D = 256 (van den Oord et al. 2018), tau = 0.1: a matmul-bound batch loss. */
const INFONCE = `size B = 1024
size D = 256
param tau = 0.1 in [0.01, 1]
@shape z1: [B, D]
@shape z2: [B, D]
infonce(z1, z2) = mean(logsumexp(S, 2) - diag(S))
  where S = z1 * z2' / tau
`;

/**
 * Deterministic embeddings, the same in reference.py: sin and cos of the flat index over 16, in
 * float64, rounded to float32. Norms near 0.7 keep the logits S / tau within about ±5, as for
 * normalized embeddings; unscaled ones put most of softmax's exponentials among the denormals.
 */
function infonceInputs(): { z1: Float32Array; z2: Float32Array } {
  const n = 1024 * 256;
  return {
    z1: Float32Array.from({ length: n }, (_, k) => Math.sin(0.37 * k + 0.1) / 16),
    z2: Float32Array.from({ length: n }, (_, k) => Math.cos(0.53 * k) / 16),
  };
}

function infonceCase(executor: Executor): { case: BenchCase; ops: number } {
  const found = findLoss(INFONCE, 'infonce');
  if (!found.ok) throw new Error(`infonce: ${found.diagnostics.map((d) => d.message).join('; ')}`);
  const l = found.loss;
  const program = lowerToProgram(l.graph, [
    l.value,
    ...gradient(
      l.graph,
      l.value,
      l.inputs.map((i) => i.leaf),
    ),
  ]);
  const fn = executor.compile(program);
  const values = { ...infonceInputs(), tau: 0.1 };
  return {
    case: {
      id: 'infonce-1024x256',
      work: 'InfoNCE value and gradients (d/dz1, d/dz2) of one batch, B = 1024 embeddings of D = 256 (compiled once)',
      run: () => fn({ rows: 1, values }),
    },
    ops: opCount(program),
  };
}

function benchCases(executor: Executor, loss: LoweredLoss): { cases: BenchCase[]; notes: string[]; curveProgram: () => Promise<Outputs> } {
  const params = defaultParams(loss);
  const p = inputLeaf(loss, 'p');
  const notes: string[] = [];

  // (a) the panel's own path: builds the curve graph, compiles and runs it, converts to arrays.
  const curve: BenchCase = {
    id: 'curve-2048',
    work: 'computeCurves (the panel path): value, d/dp, d²/dp² at 2,048 points of p in [0.001, 0.999]',
    run: async () => {
      const r = await computeCurves(executor, loss, {}, 2048);
      if (!r.ok) throw new Error(r.message);
      const c = r.value.curves[0];
      if (c === undefined) throw new Error('bug: focal has no curve');
      return [c.value, c.first, c.second];
    },
  };
  // The same numbers from a program compiled once: what the panel path adds on top of the kernels.
  const curveOutputs = [loss.value, gradient(loss.graph, loss.value, [p])[0] as NodeId, secondDerivative(loss.graph, loss.value, p)];
  const curveProgram = lowerToProgram(loss.graph, curveOutputs);
  const curveFn = executor.compile(curveProgram);
  const curveAxis = linspace(P_RANGE[0], P_RANGE[1], 2048);
  notes.push(`curve program: ${opCount(curveProgram)} ops for value, d/dp, d²/dp²`);

  // (b) a 256 × 256 grid of (p, gamma), p the outer index, as 65,536-row float32 columns.
  const side = 256;
  const { p: gridP, gamma: gridGamma } = landscapeGrid(side);
  const valueAndGrad = compileGradient(executor, loss, p);
  notes.push(`value-and-gradient program: ${opCount(valueAndGrad.program)} ops`);
  const gridValues: Record<string, LeafValue> = { ...params, p: gridP, gamma: gridGamma };
  const landscape: BenchCase = {
    id: 'landscape-256',
    work: 'value and d/dp on a 256×256 grid of p in [0.001, 0.999] × gamma in [0, 5] (65,536 rows, compiled once)',
    run: () => valueAndGrad.fn({ rows: side * side, values: gridValues }),
  };

  // (c) 2^20 values of p.
  const n = 1 << 20;
  const batchValues: Record<string, LeafValue> = { ...params, p: linspace(P_RANGE[0], P_RANGE[1], n) };
  const batch: BenchCase = {
    id: 'focal-1m',
    work: 'value and d/dp over 1,048,576 values of p (compiled once, outputs read back)',
    run: () => valueAndGrad.fn({ rows: n, values: batchValues }),
  };

  const infonce = infonceCase(executor);
  notes.push(
    `InfoNCE value-and-gradient program: ${infonce.ops} ops (on ${executor.engine ?? executor.backend}: three matrix products on the SIMD product kernel, element-wise groups fused)`,
  );

  return { cases: [curve, landscape, batch, infonce.case], notes, curveProgram: () => curveFn({ rows: 2048, values: { ...params, p: curveAxis } }) };
}

function backendArgument(): BackendName | undefined {
  const arg = process.argv.find((a) => a.startsWith('--backend='));
  if (arg === undefined) return undefined;
  const name = arg.slice('--backend='.length);
  const known = BACKEND_NAMES.find((b) => b === name);
  if (known === undefined) throw new Error(`unknown backend '${name}'; one of ${BACKEND_NAMES.join(', ')}`);
  return known;
}

/** One loss of each kind; the suite is what `losslab check` runs on it. */
const SUITE_LOSSES: readonly { readonly text: string; readonly name: string }[] = [
  { text: 'logistic(z) = softplus(-z)', name: 'logistic' },
  { text: readFileSync(join(__dirname, '..', 'examples', 'focal.loss'), 'utf8'), name: 'focal' },
  { text: 'cross_entropy(s, y) = logsumexp(s) - s[y]', name: 'cross_entropy' },
  { text: 'param delta = 1 in [0.1, 5]\nhuber(r) = abs(r) <= delta ? 0.5 * r^2 : delta * (abs(r) - 0.5 * delta)', name: 'huber' },
  { text: 'kl(p, q) = sum(p .* log(p ./ q))', name: 'kl' },
];

async function measureCheckSuites(executor: Executor): Promise<{ loss: string; kind: string; checks: number; timing: Timing }[]> {
  const out: { loss: string; kind: string; checks: number; timing: Timing }[] = [];
  for (const { text, name } of SUITE_LOSSES) {
    const found = findLoss(text, name);
    if (!found.ok) throw new Error(`${name}: ${found.diagnostics.map((d) => d.message).join('; ')}`);
    const first = await runChecks(executor, found.loss, {});
    const checks = first?.ok ? first.value.checks.length : 0;
    out.push({ loss: name, kind: found.loss.info.kind, checks, timing: await measure(() => runChecks(executor, found.loss, {})) });
  }
  return out;
}

const fixed = (x: number | null, digits = 3): string => (x === null ? '—' : x.toFixed(digits));
const round = (x: number): number => Math.round(x * 1000) / 1000;

async function main(): Promise<void> {
  const loadAtStart = loadavg()[0] ?? 0;
  const text = readFileSync(join(__dirname, '..', 'examples', 'focal.loss'), 'utf8');
  const found = findLoss(text, 'focal');
  if (!found.ok) throw new Error(`examples/focal.loss: ${found.diagnostics.map((d) => d.message).join('; ')}`);
  const loss = found.loss;
  const params = defaultParams(loss);
  if (params.gamma !== 2 || params.alpha !== 0.25)
    throw new Error(`bench/reference.py assumes gamma = 2, alpha = 0.25; focal.loss has ${JSON.stringify(params)}`);

  const started = await startBackend(backendArgument());
  if (started.notice) console.log(`note: ${started.notice}`);
  const tf = started.tf;
  const backendDetail =
    started.backend === 'wasm'
      ? `wasm (SIMD ${String(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'))}, threads ${String(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'))})`
      : started.backend;
  const executor = tensorExecutor(tf, started.backend);
  const tfjsName = started.backend === 'wasm' ? 'tfjs-wasm' : `tfjs-${started.backend}`;

  // PyTorch first, alone on the machine, so neither side competes with the other for cores.
  const ref = runReference();
  const reference = ref.ok ? ref.reference : undefined;
  if (!ref.ok) console.log(`PyTorch not available: ${ref.why}`);

  // "LossLab" is what the worker and the CLI compute with: the default kernels, chosen the same way.
  const chosen = await chooseKernels(executor);
  if (chosen.notice) console.log(`note: ${chosen.notice}`);
  const losslabEngine = chosen.engine === 'tfjs' ? tfjsName : chosen.engine;
  const { cases, notes, curveProgram } = benchCases(chosen.executor, loss);
  const tfjsCases = new Map(benchCases(executor, loss).cases.map((c) => [c.id, c]));

  const agreement = async (label: string, c: BenchCase, refCase: ReferenceCase | undefined): Promise<boolean | null> => {
    if (!refCase) return null;
    const wrong = disagreements(await c.run(), refCase.check);
    if (wrong.length > 0) console.log(`WARNING: ${c.id} on ${label}: disagrees with PyTorch at ${wrong.length} checks, e.g. ${wrong.slice(0, 3).join('; ')}`);
    return wrong.length === 0;
  };
  const rows: {
    id: CaseId;
    work: string;
    losslab: Timing;
    tfjs: Timing | null;
    reference: Timing | null;
    agrees: boolean | null;
    tfjsAgrees: boolean | null;
  }[] = [];
  for (const c of cases) {
    const refCase = reference?.cases[c.id];
    const agrees = await agreement(losslabEngine, c, refCase);
    const losslab = await measure(c.run);
    const t = chosen.engine === 'tfjs' ? undefined : tfjsCases.get(c.id);
    const tfjsAgrees = t ? await agreement(tfjsName, t, refCase) : agrees;
    const tfjs = t ? await measure(t.run) : losslab;
    rows.push({ id: c.id, work: c.work, losslab, tfjs, reference: refCase ? summarize(refCase.samples_ms) : null, agrees, tfjsAgrees });
  }
  const curveKernels = await measure(curveProgram);
  if (reference) {
    const wrong = disagreements(await curveProgram(), reference.cases['curve-2048'].check);
    if (wrong.length > 0) console.log(`WARNING: curve program: disagrees with PyTorch, e.g. ${wrong.slice(0, 3).join('; ')}`);
  }
  notes.push(
    `curve-2048 without the panel path (program compiled once, float32 axis): median ${fixed(curveKernels.median)} ms, p90 ${fixed(curveKernels.p90)} ms`,
  );

  const suites = await measureCheckSuites(chosen.executor);

  // Every engine that starts, side by side on the scaling rows and the check suites.
  const { engines, notes: engineNotes } = await startEngines(executor, tfjsName, backendDetail);
  notes.push(...engineNotes);
  const scaling = await measureScaling(engines, loss, scalingCases(params, QUICK), reference?.scaling, WARMUP, REPS, (line) => console.log(line));
  const suitesByEngine = await measureSuitesByEngine(engines, WARMUP, REPS);
  for (const e of engines) e.dispose();
  if ('dispose' in chosen.executor && typeof chosen.executor.dispose === 'function') await (chosen.executor.dispose as () => Promise<void>)();
  const engineNames = engines.map((e) => e.name);
  notes.push(
    `The whole check suite on one loss on ${losslabEngine} (every check that applies to its kind, float32 kernels and float64 reference; no PyTorch counterpart):`,
  );
  for (const s of suites) notes.push(`  ${s.loss} (${s.kind}, ${s.checks} checks): median ${fixed(s.timing.median)} ms, p90 ${fixed(s.timing.p90)} ms`);

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const torch = reference
    ? `torch ${reference.torch} (${reference.threads} threads, Python ${reference.python}, BLAS ${reference.blas ?? 'unknown'})`
    : 'PyTorch not available';
  const environment = {
    cores: availableParallelism(),
    cpu,
    /** The 1-minute load average when the run began: other work on the machine skews the timings. */
    loadAtStart: round(loadAtStart),
    node: process.version,
    /** What "LossLab" in the cases is: the default kernels, as the worker and the CLI choose them. */
    engine: losslabEngine,
    backend: backendDetail,
    /** The 1-minute load average when the run ended. */
    loadAtEnd: round(loadavg()[0] ?? 0),
    torch: reference?.torch ?? null,
    torchThreads: reference?.threads ?? null,
    date: new Date().toISOString(),
    warmup: WARMUP,
    repetitions: REPS,
    quick: QUICK,
  };
  const ratioOf = (r: (typeof rows)[number]): number | null => (r.reference ? r.reference.median / r.losslab.median : null);

  const header = [
    '# LossLab benchmark',
    '',
    `Machine: ${environment.cores} cores (${cpu}, load ${fixed(loadAtStart, 2)} at start), Node ${environment.node}, LossLab engine ${losslabEngine} (the default, as the worker and the CLI compute; fresh output arrays per call), tensor backend ${backendDetail}, ${torch}, ${environment.date}.`,
    `Focal loss from examples/focal.loss (gamma = 2, alpha = 0.25), float32. Median (p90) of ${REPS} timed runs after ${WARMUP} warm-up runs, in milliseconds.`,
    `Ratio = PyTorch / LossLab: above 1 means LossLab is faster. ${tfjsName} (TensorFlow.js, one op at a time, the general path) is timed beside it on the same cases.`,
    'LossLab binds gamma and alpha as params (leaves a slider can move);',
    'PyTorch gets them as Python floats, as a PyTorch user writes focal loss, except in landscape-256 where gamma is a tensor.',
    '',
  ];
  const table = [
    `| case | LossLab ms (p90) | engine | ${tfjsName} ms (p90) | PyTorch ms (p90) | ratio | ratio ${tfjsName} | agrees | work |`,
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | :---: | --- |',
    ...rows.map((r) => {
      const ratio = ratioOf(r);
      const yes = (a: boolean | null): string => (a === null ? '—' : a ? 'yes' : '**no**');
      const agrees = r.agrees === r.tfjsAgrees ? yes(r.agrees) : `${yes(r.agrees)} / ${tfjsName} ${yes(r.tfjsAgrees)}`;
      const ref = r.reference ? `${fixed(r.reference.median)} (${fixed(r.reference.p90)})` : '—';
      const tfjs = r.tfjs ? `${fixed(r.tfjs.median)} (${fixed(r.tfjs.p90)})` : '—';
      const tfjsRatio = r.reference && r.tfjs ? r.reference.median / r.tfjs.median : null;
      return `| ${r.id} | ${fixed(r.losslab.median)} (${fixed(r.losslab.p90)}) | ${losslabEngine} | ${tfjs} | ${ref} | ${fixed(ratio, 2)} | ${fixed(tfjsRatio, 2)} | ${agrees} | ${r.work} |`;
    }),
  ];
  const engineLines = engines.map((e) => `- ${e.name}: ${e.detail}`);
  const markdown = [...header, ...table, '', ...notes.map((n) => `- ${n}`), '', ...engineTables(engineNames, scaling, suitesByEngine), ...engineLines, ''].join(
    '\n',
  );
  console.log(markdown);
  writeFileSync(join(__dirname, `${RESULTS}.md`), markdown);

  const json = {
    cases: rows.map((r) => {
      const ratio = ratioOf(r);
      return {
        id: r.id,
        engine: losslabEngine,
        losslab_ms: round(r.losslab.median),
        reference_ms: r.reference ? round(r.reference.median) : null,
        ratio: ratio === null ? null : round(ratio),
        losslab_p90_ms: round(r.losslab.p90),
        reference_p90_ms: r.reference ? round(r.reference.p90) : null,
        agrees: r.agrees,
        tfjs: r.tfjs
          ? {
              engine: tfjsName,
              median_ms: round(r.tfjs.median),
              p90_ms: round(r.tfjs.p90),
              ratio: r.reference ? round(r.reference.median / r.tfjs.median) : null,
              agrees: r.tfjsAgrees,
            }
          : null,
        work: r.work,
      };
    }),
    curveProgramMs: { engine: losslabEngine, median: round(curveKernels.median), p90: round(curveKernels.p90) },
    engines: engines.map((e) => ({ name: e.name, detail: e.detail })),
    scaling: scaling.map((r) => ({
      id: r.id,
      elements: r.elements,
      reference_ms: r.reference ? round(r.reference.median) : null,
      engines: r.engines.map((t) => ({
        engine: t.engine,
        median_ms: round(t.timing.median),
        p90_ms: round(t.timing.p90),
        ratio: r.reference ? round(r.reference.median / t.timing.median) : null,
        agrees: t.agrees,
      })),
    })),
    checkSuitesByEngine: suitesByEngine.map((x) => ({
      loss: x.loss,
      engines: x.engines.map((t) => ({ engine: t.engine, median_ms: round(t.timing.median), p90_ms: round(t.timing.p90) })),
    })),
    checkSuites: suites.map((x) => ({
      loss: x.loss,
      kind: x.kind,
      checks: x.checks,
      engine: losslabEngine,
      median_ms: round(x.timing.median),
      p90_ms: round(x.timing.p90),
    })),
    environment,
  };
  writeFileSync(join(__dirname, `${RESULTS}.json`), `${JSON.stringify(json, null, 2)}\n`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exitCode = 1;
});
