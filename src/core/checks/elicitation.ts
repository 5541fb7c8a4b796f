/**
 * elicitation: the statistic of Y that a regression loss estimates, the minimiser c* of the
 * average loss over a sample, mean(l(Y - c)) or mean(l(c, Y)), compared with the sample's mean,
 * median, quantiles and expectiles on skewed samples where they all differ. Squared loss elicits
 * the mean, absolute loss the median, pinball loss the tau-quantile (Koenker & Bassett 1978),
 * asymmetric squared loss the tau-expectile (Newey & Powell 1987); see Gneiting (2011).
 */
import { bracketAround, indexOfMinimum, minimizeInBrackets, type Bracket } from './bracketSearch';
import type { Check, CheckContext } from './context';
import { evaluate64, inputGradients, lossValues64 } from './float64';
import { normal, seededRandom } from './random';
import type { CheckPlot, CheckResult } from './report';

const CITE =
  'Gneiting (2011), "Making and Evaluating Point Forecasts", JASA 106(494); Koenker & Bassett (1978), "Regression Quantiles"; Newey & Powell (1987), "Asymmetric Least Squares Estimation and Testing"';

/** A sample, sorted, with odd size so that its median is one of its points. */
interface Sample {
  readonly name: string;
  readonly ys: Float64Array;
}

function drawSample(name: string, n: number, seed: number, draw: (random: () => number, i: number) => number): Sample {
  const random = seededRandom(seed);
  return { name, ys: Float64Array.from({ length: n }, (_, i) => draw(random, i)).sort() };
}

/**
 * Skewed, at several scales, one bimodal, one with a far outlier: their means, medians, quantiles
 * and expectiles all differ, and a loss that is quadratic only up to some scale (Huber's) cannot
 * pass for the mean on all of them.
 */
const SAMPLES: readonly Sample[] = [
  drawSample('exponential(1)', 101, 11, (r) => -Math.log(1 - r())),
  drawSample('10 * lognormal(0, 1)', 103, 12, (r) => 10 * Math.exp(normal(r))),
  drawSample('0.75 N(-5, 1) + 0.25 N(15, 3^2)', 107, 13, (r) => (r() < 0.75 ? -5 + normal(r) : 15 + 3 * normal(r))),
  drawSample('exponential(1) and one outlier at 1e4', 51, 14, (r, i) => (i === 0 ? 1e4 : -Math.log(1 - r()))),
];

/** c* equals a statistic when within this fraction of the sample's range. */
const LOCATION_TOLERANCE = 1e-7;
/** Expectile levels of the samples agree when within this. */
const LEVEL_TOLERANCE = 1e-6;

export type ElicitedStatistic = 'mean' | 'median' | 'quantile' | 'expectile' | 'mode-like' | 'none';

export interface SampleMinimum {
  readonly sample: string;
  readonly minimizer: number;
  readonly mean: number;
  readonly median: number;
  readonly range: number;
  /** The levels tau for which c* is an empirical tau-quantile: [below/n, (below + at)/n]. */
  readonly quantileLevels: readonly [number, number];
  /** The level tau for which c* is the empirical tau-expectile. */
  readonly expectileLevel: number;
}

type Analysis =
  | {
      readonly ok: true;
      readonly statistic: ElicitedStatistic;
      readonly tau?: number;
      readonly samples: readonly SampleMinimum[];
      readonly skipped: readonly string[];
    }
  | { readonly ok: false; readonly reason: string };

/** The average loss over sample `owner(i)` at each c = cs[i], in float64 (NaN where the loss is). */
function empiricalRisk({ loss, params }: Pick<CheckContext, 'loss' | 'params'>): (cs: Float64Array, owner: (i: number) => Sample) => Float64Array {
  const [first, second] = loss.inputs.map((i) => i.spec.name) as [string, string | undefined];
  return (cs, owner) => {
    let rows = 0;
    cs.forEach((_, i) => (rows += owner(i).ys.length));
    const prediction = new Float64Array(rows);
    const target = new Float64Array(rows);
    let o = 0;
    cs.forEach((c, i) => {
      for (const y of owner(i).ys) {
        prediction[o] = c;
        target[o++] = y;
      }
    });
    // l(r) takes the residual r = y - c; l(yhat, y) takes both.
    const inputs = second === undefined ? { [first]: target.map((y, k) => y - (prediction[k] as number)) } : { [first]: prediction, [second]: target };
    const values = lossValues64(loss, params, rows, inputs);
    o = 0;
    return cs.map((_, i) => {
      const n = owner(i).ys.length;
      let sum = 0;
      for (let k = 0; k < n; k++) sum += values[o++] as number;
      return sum / n;
    });
  };
}

/** Where c* sits in the sample: beside its mean and median, and as a quantile and an expectile. */
function locateInSample(sample: Sample, c: number): SampleMinimum {
  const ys = sample.ys;
  const n = ys.length;
  const range = (ys[n - 1] as number) - (ys[0] as number);
  const tol = LOCATION_TOLERANCE * range;
  let below = 0;
  let at = 0;
  let under = 0;
  let over = 0;
  let sum = 0;
  for (const y of ys) {
    sum += y;
    if (y < c - tol) below++;
    else if (y <= c + tol) at++;
    if (y < c) under += c - y;
    else over += y - c;
  }
  return {
    sample: sample.name,
    minimizer: c,
    mean: sum / n,
    median: ys[(n - 1) / 2] as number,
    range,
    quantileLevels: [below / n, (below + at) / n],
    // tau E[(Y - c)+] = (1 - tau) E[(c - Y)+] defines the tau-expectile c.
    expectileLevel: under / (under + over),
  };
}

/** The quantile level that the slopes of a piecewise-linear loss give: l'(r > 0) / (l'(r > 0) - l'(r < 0)). */
function slopeLevel({ loss, params }: Pick<CheckContext, 'loss' | 'params'>): number {
  const [first, second] = loss.inputs.map((i) => i.spec.name) as [string, string | undefined];
  const d = inputGradients(loss)[0];
  if (d === undefined) return NaN;
  // Residuals r = +1 and r = -1; for l(yhat, y), dl/dr = -dl/dyhat at yhat = 0, y = r.
  const inputs = second === undefined ? { [first]: [1, -1] } : { [first]: [0, 0], [second]: [1, -1] };
  const g = evaluate64(loss, [d.node], params, 2, inputs)[0] as Float64Array;
  const sign = second === undefined ? 1 : -1;
  const [up, down] = [sign * (g[0] as number), sign * (g[1] as number)];
  return up / (up - down);
}

/**
 * Whether the loss levels off for large residuals on both sides. Minimising a bounded loss
 * maximises E[k(Y - c)] with k = sup l - l, a kernel: c* is a mode of the density smoothed by k.
 */
function levelsOff({ loss, params }: Pick<CheckContext, 'loss' | 'params'>): boolean {
  const [first, second] = loss.inputs.map((i) => i.spec.name) as [string, string | undefined];
  const residuals = [1e6, 1e9, -1e6, -1e9];
  const inputs = second === undefined ? { [first]: residuals } : { [first]: 0, [second]: residuals };
  const v = lossValues64(loss, params, residuals.length, inputs);
  const flat = (a: number, b: number) => Number.isFinite(a) && Number.isFinite(b) && Math.abs(a - b) <= 1e-9 * (1 + Math.abs(a));
  return flat(v[0] as number, v[1] as number) && flat(v[2] as number, v[3] as number);
}

/** Minimises the average loss on each sample and names the statistic the minimisers share. */
export function elicitedStatistic(ctx: Pick<CheckContext, 'loss' | 'params'>): Analysis {
  const risk = empiricalRisk(ctx);
  // Candidates: every data point, and one range beyond each end to see a risk that keeps falling.
  const candidates = SAMPLES.map((s) => {
    const range = (s.ys[s.ys.length - 1] as number) - (s.ys[0] as number);
    return Float64Array.of((s.ys[0] as number) - range, ...s.ys, (s.ys[s.ys.length - 1] as number) + range);
  });
  const owners = candidates.flatMap((c, j) => Array.from(c, () => j));
  const all = risk(Float64Array.from(candidates.flatMap((c) => Array.from(c))), (i) => SAMPLES[owners[i] as number] as Sample);

  const used: Sample[] = [];
  const brackets: Bracket[] = [];
  const skipped: string[] = [];
  let offset = 0;
  for (const [j, sample] of SAMPLES.entries()) {
    const cs = candidates[j] as Float64Array;
    const values = all.subarray(offset, (offset += cs.length));
    if (values.subarray(1, -1).some(Number.isNaN)) {
      skipped.push(sample.name);
      continue;
    }
    const k = indexOfMinimum(values);
    if (k < 0) return { ok: false, reason: `the average loss is not a number anywhere on the ${sample.name} sample` };
    const finite = Array.from(values).filter(Number.isFinite);
    if (Math.max(...finite) - Math.min(...finite) <= 1e-12 * (1 + Math.abs(values[k] as number))) {
      return { ok: false, reason: `the average loss does not depend on the prediction (on the ${sample.name} sample): every c minimises it` };
    }
    if (k === 0 || k === cs.length - 1) {
      return {
        ok: false,
        reason: `on the ${sample.name} sample the average loss keeps falling beyond the data (at c = ${fmt(cs[k] as number)}): it has no minimiser there`,
      };
    }
    used.push(sample);
    brackets.push(bracketAround(cs, k));
  }
  if (used.length < 2) return { ok: false, reason: `the loss is undefined (NaN) on the ${skipped.join(' and ')} samples; at least two are needed` };

  const minima = minimizeInBrackets((xs, block) => risk(xs, (i) => used[Math.floor(i / block)] as Sample), brackets, 40);
  const samples = used.map((s, j) => locateInSample(s, (minima[j] as { x: number }).x));
  const result = (statistic: ElicitedStatistic, tau?: number): Analysis => ({ ok: true, statistic, ...(tau !== undefined ? { tau } : {}), samples, skipped });

  const levels = samples.map((s) => s.expectileLevel);
  if (Math.max(...levels) - Math.min(...levels) <= LEVEL_TOLERANCE) {
    const tau = levels.reduce((a, b) => a + b, 0) / levels.length;
    return Math.abs(tau - 0.5) <= LEVEL_TOLERANCE ? result('mean') : result('expectile', tau);
  }
  const lo = Math.max(...samples.map((s) => s.quantileLevels[0]));
  const hi = Math.min(...samples.map((s) => s.quantileLevels[1]));
  if (lo <= hi + 1e-12) {
    // The samples pin tau to an interval of width about 1/n; the loss's slopes give it exactly.
    const slope = slopeLevel(ctx);
    const tau = slope >= lo - 1e-12 && slope <= hi + 1e-12 ? slope : (lo + hi) / 2;
    const median = Number.isFinite(slope) && tau === slope ? Math.abs(tau - 0.5) <= 1e-12 : lo <= 0.5 && 0.5 <= hi;
    return median ? result('median') : result('quantile', tau);
  }
  return result(levelsOff(ctx) ? 'mode-like' : 'none');
}

function fmt(v: number): string {
  return String(Number(v.toPrecision(6)));
}

const PLOT_POINTS = 121;

/**
 * The average loss against the prediction c on the first sample, with the sample's mean and
 * median and the minimiser c* as flat marker series (drawn only at the grid point nearest each),
 * so the panel shows where c* falls between them.
 */
function elicitationPlot(ctx: Pick<CheckContext, 'loss' | 'params'>, at: SampleMinimum): CheckPlot | undefined {
  const sample = SAMPLES.find((s) => s.name === at.sample);
  if (sample === undefined) return undefined;
  const ys = sample.ys;
  // The bulk of a skewed sample: its minimum to its 90th percentile, widened to hold c*, mean and median.
  const lo = Math.min(ys[0] as number, at.minimizer, at.mean, at.median);
  const hi = Math.max(ys[Math.floor(0.9 * (ys.length - 1))] as number, at.minimizer, at.mean, at.median);
  const pad = 0.05 * (hi - lo);
  const cs = Float64Array.from({ length: PLOT_POINTS }, (_, i) => lo - pad + ((hi - lo + 2 * pad) * i) / (PLOT_POINTS - 1));
  const risk = Array.from(empiricalRisk(ctx)(cs, () => sample));
  const nearest = (x: number): number => cs.reduce((best, c, i) => (Math.abs(c - x) < Math.abs((cs[best] as number) - x) ? i : best), 0);
  const marker = (x: number): number[] => risk.map((v, i) => (i === nearest(x) ? v : NaN));
  return {
    title: `the average loss on the ${sample.name} sample against the prediction c: minimised at c* = ${fmt(at.minimizer)} (mean ${fmt(at.mean)}, median ${fmt(at.median)})`,
    x: { label: 'c', values: Array.from(cs) },
    series: [
      { label: 'average loss', values: risk },
      { label: 'c*', values: marker(at.minimizer) },
      { label: 'mean', values: marker(at.mean) },
      { label: 'median', values: marker(at.median) },
    ],
  };
}

async function checkElicitation(ctx: CheckContext): Promise<CheckResult> {
  const a = elicitedStatistic(ctx);
  if (!a.ok) return { id: 'elicitation', verdict: 'inconclusive', summary: a.reason, metrics: {}, cite: CITE };
  const metrics: Record<string, number> = { samples: a.samples.length, ...(a.tau !== undefined ? { tau: a.tau } : {}) };
  const first = a.samples[0];
  const plot = first === undefined ? undefined : elicitationPlot(ctx, first);
  const base = { id: 'elicitation', cite: CITE, statistic: a.statistic, metrics, ...(plot ? { plot } : {}) };
  const names = a.samples.map((s) => s.sample).join(', ');
  const skippedNote =
    a.skipped.length > 0 ? ` (the ${a.skipped.join(' and ')} sample${a.skipped.length > 1 ? 's are' : ' is'} skipped: the loss is undefined there)` : '';
  const named: Partial<Record<ElicitedStatistic, string>> = {
    mean: 'the mean',
    median: 'the median',
    quantile: `the ${fmt(a.tau ?? NaN)}-quantile`,
    expectile: `the ${fmt(a.tau ?? NaN)}-expectile`,
  };
  const name = named[a.statistic];
  if (name !== undefined) {
    return {
      ...base,
      verdict: 'pass',
      summary: `elicits ${name}: on the ${names} samples the minimiser of the average loss is the sample's ${name.slice(4)}${skippedNote}`,
    };
  }
  // The witness: the sample where c* is farthest, relative to its range, from both mean and median.
  const s = a.samples.reduce((x, y) =>
    Math.min(Math.abs(y.minimizer - y.mean), Math.abs(y.minimizer - y.median)) / y.range >
    Math.min(Math.abs(x.minimizer - x.mean), Math.abs(x.minimizer - x.median)) / x.range
      ? y
      : x,
  );
  const between = a.samples.every((t) => (t.minimizer - t.mean) * (t.minimizer - t.median) <= 0);
  const why =
    a.statistic === 'mode-like'
      ? `the loss levels off for large residuals, so c* is a mode of the sample's density smoothed by the loss (mode-like, at the loss's own scale); the mode itself is not elicitable (Heinrich 2014)`
      : between
        ? `on every sample it lies between the median and the mean: an M-estimate of location (Huber 1964) whose value depends on the loss's scale, not a named statistic`
        : `it is no mean, median, quantile or expectile common to the samples`;
  return {
    ...base,
    verdict: 'fail',
    summary: `elicits no named statistic: on the ${s.sample} sample the minimiser is c* = ${fmt(s.minimizer)}, the mean ${fmt(s.mean)}, the median ${fmt(s.median)}; ${why}${skippedNote}`,
    witness: { sample: s.sample, minimizer: s.minimizer, mean: s.mean, median: s.median, expectile_level: s.expectileLevel },
  };
}

export const elicitationCheck: Check = {
  id: 'elicitation',
  title: 'Elicited statistic',
  applies: (kind) => kind === 'regression',
  run: checkElicitation,
};
