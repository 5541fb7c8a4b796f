/**
 * The bench's per-engine rows: focal value and gradient from 2^14 to 2^24 elements and
 * landscapes from 64^2 to 1024^2 (how cost grows), and the whole check suite on one loss, for
 * every engine that started, beside PyTorch's timings of the same scaling cases.
 */
import type { LeafValue } from '../src/core/ir/bindings';
import { runChecks } from '../src/core/checks/suite';
import { findLoss } from '../src/core/analyze';
import type { Executor } from '../src/core/engine/executor';
import { gradient } from '../src/core/ir/autodiff';
import type { NodeId } from '../src/core/ir/graph';
import { lowerToProgram } from '../src/core/ir/program';
import type { LoweredLoss } from '../src/core/lang/lower';
import type { BenchEngine } from './engines';

export interface Timing {
  readonly median: number;
  readonly p90: number;
}

export interface ReferenceCheck {
  readonly indices: readonly number[];
  readonly sums: readonly number[];
  readonly entries: readonly (readonly number[])[];
}

export interface ReferenceCase {
  readonly samples_ms: readonly number[];
  readonly check: ReferenceCheck;
}

/** float32 agreement: relative to the entry, plus absolute relative to the output's largest entry. */
const RTOL = 1e-4;
const ATOL_OF_SCALE = 1e-6;
const P_RANGE: readonly [number, number] = [0.001, 0.999];
const GAMMA_RANGE: readonly [number, number] = [0, 5];

/** lo + (hi - lo) i / (n - 1), rounded to float32; reference.py uses the same formula. */
export function linspace(lo: number, hi: number, n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

function nearestRank(sorted: readonly number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] as number;
}

export function summarize(samples: readonly number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: nearestRank(sorted, 0.5), p90: nearestRank(sorted, 0.9) };
}

export async function measure(run: () => Promise<unknown>, warmup: number, reps: number): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  return summarize(samples);
}

/** reference.py's rule: about 2^20 x REPS elements per case, at least 3 runs. */
export function repetitions(elements: number, warmup: number, reps: number): [number, number] {
  const scale = (1 << 20) / elements;
  return [Math.max(1, Math.min(warmup, Math.floor(warmup * scale))), Math.max(3, Math.min(reps, Math.floor(reps * scale)))];
}

/** Where LossLab's outputs and PyTorch's disagree beyond float32 tolerance; empty when they agree. */
export function disagreements(outputs: readonly ArrayLike<number>[], check: ReferenceCheck): string[] {
  const found: string[] = [];
  if (outputs.length !== check.entries.length) return [`${outputs.length} outputs, PyTorch has ${check.entries.length}`];
  outputs.forEach((out, k) => {
    const expected = check.entries[k] as readonly number[];
    const scale = Math.max(...expected.map(Math.abs));
    check.indices.forEach((index, j) => {
      const a = out[index] as number;
      const b = expected[j] as number;
      if (!(Math.abs(a - b) <= RTOL * Math.abs(b) + ATOL_OF_SCALE * scale)) found.push(`output ${k}[${index}]: LossLab ${a}, PyTorch ${b}`);
    });
    let sum = 0;
    let absSum = 0;
    for (let i = 0; i < out.length; i++) {
      sum += out[i] as number;
      absSum += Math.abs(out[i] as number);
    }
    const refSum = check.sums[k] as number;
    // Relative to the entries' size: a gradient whose entries cancel (InfoNCE's) sums to rounding noise.
    if (!(Math.abs(sum - refSum) <= RTOL * Math.max(Math.abs(refSum), absSum))) found.push(`output ${k} sum: LossLab ${sum}, PyTorch ${refSum}`);
  });
  return found;
}

/** A side x side grid of (p, gamma), p the outer index, as float32 columns: reference.py's meshgrid. */
export function landscapeGrid(side: number): { p: Float32Array; gamma: Float32Array } {
  const pAxis = linspace(P_RANGE[0], P_RANGE[1], side);
  const gammaAxis = linspace(GAMMA_RANGE[0], GAMMA_RANGE[1], side);
  const p = new Float32Array(side * side);
  const gamma = new Float32Array(side * side);
  for (let i = 0; i < side; i++) {
    p.fill(pAxis[i] as number, i * side, (i + 1) * side);
    gamma.set(gammaAxis, i * side);
  }
  return { p, gamma };
}

export interface ScalingCase {
  readonly id: string;
  readonly elements: number;
  readonly values: Record<string, LeafValue>;
}

/** The scaling cases reference.py times, with the same inputs. */
export function scalingCases(params: Record<string, number>, quick: boolean): ScalingCase[] {
  const exponents = quick ? [14, 16, 18, 20] : [14, 16, 18, 20, 22, 24];
  const sides = quick ? [64, 128, 256] : [64, 128, 256, 512, 1024];
  return [
    ...exponents.map((k) => ({ id: `focal-2^${k}`, elements: 2 ** k, values: { ...params, p: linspace(P_RANGE[0], P_RANGE[1], 2 ** k) } })),
    ...sides.map((s) => ({ id: `landscape-${s}^2`, elements: s * s, values: { ...params, ...landscapeGrid(s) } })),
  ];
}

export interface EngineTiming {
  readonly engine: string;
  readonly timing: Timing;
  readonly agrees: boolean | null;
}

export interface ScalingRow {
  readonly id: string;
  readonly elements: number;
  readonly engines: readonly EngineTiming[];
  readonly reference: Timing | null;
}

export async function measureScaling(
  engines: readonly BenchEngine[],
  loss: LoweredLoss,
  cases: readonly ScalingCase[],
  reference: Readonly<Record<string, ReferenceCase>> | undefined,
  warmup: number,
  reps: number,
  log: (line: string) => void,
): Promise<ScalingRow[]> {
  const p = loss.inputs.find((i) => i.spec.name === 'p')?.leaf;
  if (p === undefined) throw new Error('focal has no input p');
  const program = lowerToProgram(loss.graph, [loss.value, gradient(loss.graph, loss.value, [p])[0] as NodeId]);
  const rows: ScalingRow[] = [];
  for (const c of cases) {
    const refCase = reference?.[c.id];
    const timings: EngineTiming[] = [];
    for (const e of engines) {
      const fn = e.executor.compile(program);
      const run = () => fn({ rows: c.elements, values: c.values });
      let agrees: boolean | null = null;
      if (refCase) {
        const wrong = disagreements(await run(), refCase.check);
        agrees = wrong.length === 0;
        if (!agrees) log(`WARNING: ${c.id} on ${e.name}: disagrees with PyTorch at ${wrong.length} checks, e.g. ${wrong.slice(0, 2).join('; ')}`);
      }
      const [w, r] = repetitions(c.elements, warmup, reps);
      timings.push({ engine: e.name, timing: await measure(run, w, r), agrees });
    }
    rows.push({ id: c.id, elements: c.elements, engines: timings, reference: refCase ? summarize(refCase.samples_ms) : null });
  }
  return rows;
}

/** The three losses whose whole check suite the issue asks about. */
const SUITE_LOSSES: readonly { readonly text: string; readonly name: string }[] = [
  { text: 'logistic(z) = softplus(-z)', name: 'logistic' },
  { text: 'param gamma = 2 in [0, 5]\nparam alpha = 0.25 in [0, 1]\nfocal(p) = -alpha * (1 - p)^gamma * log(p)', name: 'focal' },
  { text: 'cross_entropy(s, y) = logsumexp(s) - s[y]', name: 'cross_entropy' },
];

export async function measureSuitesByEngine(
  engines: readonly BenchEngine[],
  warmup: number,
  reps: number,
): Promise<{ loss: string; engines: EngineTiming[] }[]> {
  const out: { loss: string; engines: EngineTiming[] }[] = [];
  for (const { text, name } of SUITE_LOSSES) {
    const found = findLoss(text, name);
    if (!found.ok) throw new Error(`${name}: ${found.diagnostics.map((d) => d.message).join('; ')}`);
    const timings: EngineTiming[] = [];
    for (const e of engines) {
      if (e.reusesOutputs === true) continue;
      const executor: Executor = e.executor;
      timings.push({ engine: e.name, timing: await measure(() => runChecks(executor, found.loss, {}), warmup, reps), agrees: null });
    }
    out.push({ loss: name, engines: timings });
  }
  return out;
}

const fixed = (x: number | null, digits = 3): string => (x === null ? '—' : x.toFixed(digits));

/** Markdown: one column per engine (median, p90), PyTorch, and each engine's ratio PyTorch / engine. */
export function engineTables(
  engines: readonly string[],
  scaling: readonly ScalingRow[],
  suites: readonly { loss: string; engines: readonly EngineTiming[] }[],
): string[] {
  const cell = (t: EngineTiming | undefined): string =>
    t ? `${fixed(t.timing.median)} (${fixed(t.timing.p90)})${t.agrees === false ? ' **wrong**' : ''}` : '—';
  const ratio = (ref: Timing | null, t: EngineTiming | undefined): string => (ref && t ? fixed(ref.median / t.timing.median, 2) : '—');
  const suiteEngines = engines.filter((e) => suites.some((s) => s.engines.some((t) => t.engine === e)));
  return [
    '## Engines and scaling',
    '',
    'Focal value and d/dp; ms median (p90); ratio = PyTorch / engine. Fewer repetitions for big sizes (about 2^20 x REPS elements per case, at least 3).',
    '',
    `| case | elements | ${engines.map((e) => `${e} ms`).join(' | ')} | PyTorch ms | ${engines.map((e) => `ratio ${e}`).join(' | ')} |`,
    `| --- | ---: | ${engines.map(() => '---:').join(' | ')} | ---: | ${engines.map(() => '---:').join(' | ')} |`,
    ...scaling.map((r) => {
      const of = (e: string) => r.engines.find((t) => t.engine === e);
      const ref = r.reference ? `${fixed(r.reference.median)} (${fixed(r.reference.p90)})` : '—';
      return `| ${r.id} | ${r.elements.toLocaleString('en-US')} | ${engines.map((e) => cell(of(e))).join(' | ')} | ${ref} | ${engines.map((e) => ratio(r.reference, of(e))).join(' | ')} |`;
    }),
    '',
    'The whole check suite on one loss (every check of its kind), ms median (p90):',
    '',
    `| loss | ${suiteEngines.join(' | ')} |`,
    `| --- | ${suiteEngines.map(() => '---:').join(' | ')} |`,
    ...suites.map((s) => `| ${s.loss} | ${suiteEngines.map((e) => cell(s.engines.find((t) => t.engine === e))).join(' | ')} |`),
    '',
  ];
}
