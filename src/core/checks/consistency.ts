/**
 * consistency: Bayes-consistency (classification calibration) of a multiclass loss l(s, y). With
 * C_eta(s) = sum_k eta_k l(s, k), H(eta) = inf_s C_eta(s) and H^-(eta) the infimum over the logits
 * whose argmax takes in a class that is not Bayes-optimal, the loss is consistent iff
 * H^-(eta) > H(eta) for every eta (Zhang 2004, "Statistical Analysis of Some Multi-Category Large
 * Margin Classification Methods"; Tewari & Bartlett 2007, "On the Consistency of Multiclass
 * Classification Methods"). At the two-class eta = ((1+t)/2, (1-t)/2, 0, ...) the gap H^- - H is
 * the transform of the H-consistency bounds of comp-sum losses (Mao, Mohri & Zhong 2023).
 */
import type { LoweredLoss } from '../lang/lower';
import { minimizeMulticlassRisks, type RiskMinimum, type RiskProblem } from './conditionalRiskMulticlass';
import type { Check, CheckContext } from './context';
import { lossValues64 } from './float64';
import { multiclassInputs, showVector as show } from './multiclassBatch';
import { normal, seededRandom } from './random';
import type { CheckResult } from './report';
import { typicalSample } from './sampling';

const CITE =
  'Zhang 2004, "Statistical Analysis of Some Multi-Category Large Margin Classification Methods"; Tewari & Bartlett 2007, "On the Consistency of Multiclass Classification Methods"; Mao, Mohri & Zhong 2023, "Cross-Entropy Loss Functions: Theoretical Analysis and Applications"';
/** Below this margin eta_(1) - eta_(2), a consistent loss's gap H^- - H may be too small to resolve. */
const DECISIVE_MARGIN = 0.05;
/** A gap this small at a decisive margin is a tie: a non-Bayes prediction is as good as the best. */
const TIE = 1e-8;
/** A gap this large is resolved: the numerical minima are much more precise than this. */
const RESOLVED = 1e-6;
const PSI_AT = [0.25, 0.5, 0.75] as const;
const CHUNK = 8;

interface Distribution {
  readonly eta: Float64Array;
  /** The Bayes class (unique by construction) and eta's margin over the runner-up. */
  readonly bayes: number;
  readonly margin: number;
  /** t, for the two-class distributions ((1+t)/2, (1-t)/2, 0, ...) that give psi(t). */
  readonly psiAt?: number;
}

function distribution(eta: number[], psiAt?: number): Distribution {
  const sorted = [...eta].sort((a, b) => b - a);
  const bayes = eta.indexOf(sorted[0] as number);
  return { eta: Float64Array.from(eta), bayes, margin: (sorted[0] as number) - (sorted[1] as number), ...(psiAt !== undefined ? { psiAt } : {}) };
}

/**
 * The class-probability vectors tried, most telling first: no majority class (where hinge-type
 * losses fail, Tewari & Bartlett 2007), a vertex, two-class vectors, near-ties, then seeded
 * Dirichlet draws. All but the two-class ones are permuted so that no class is favoured.
 */
function distributions(K: number): Distribution[] {
  const random = seededRandom(2004);
  const permuted = (eta: number[]): number[] => {
    const p = [...eta];
    for (let i = p.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [p[i], p[j]] = [p[j] as number, p[i] as number];
    }
    return p;
  };
  const rest = (mass: number, n: number): number[] => Array.from({ length: n }, () => mass / n);
  const dirichlet = (alpha: number): number[] => {
    // Gamma(alpha) draws by Marsaglia & Tsang, boosted for alpha < 1.
    const gamma = (a: number): number => {
      const boost = a < 1 ? Math.pow(random(), 1 / a) : 1;
      const d = (a < 1 ? a + 1 : a) - 1 / 3;
      for (;;) {
        const x = normal(random);
        const v = Math.pow(1 + x / Math.sqrt(9 * d), 3);
        if (v > 0 && Math.log(random()) < (x * x) / 2 + d - d * v + d * Math.log(v)) return d * v * boost;
      }
    };
    const g = Array.from({ length: K }, () => gamma(alpha));
    const total = g.reduce((a, b) => a + b, 0);
    return g.map((x) => x / total);
  };
  const out: number[][] = [];
  out.push([1.2 / K, ...rest(1 - 1.2 / K, K - 1)]);
  if (K >= 3) out.push([0.4, 0.35, ...rest(0.25, K - 2)]);
  out.push([1, ...rest(0, K - 1)]);
  const twoClass = PSI_AT.map((t) => distribution([(1 + t) / 2, (1 - t) / 2, ...rest(0, K - 2)], t));
  // Two leading classes 1e-3 apart, then one class 1e-3 ahead of all the others.
  const lead = K === 2 ? 0.5 : 1 / K + 0.05;
  out.push([lead + 5e-4, lead - 5e-4, ...rest(1 - 2 * lead, K - 2)]);
  out.push([1 / K + 1e-3, ...rest(1 - 1 / K - 1e-3, K - 1)]);
  const draws = Math.max(4, Math.floor(48 / K));
  for (let i = 0; i < draws; i++) out.push(dirichlet(i % 3 === 2 ? 0.3 : 1));
  const found = [...out.slice(0, 3).map((e) => distribution(permuted(e))), ...twoClass, ...out.slice(3).map((e) => distribution(permuted(e)))];
  // A tie for the top class (measure zero for draws) has no wrong prediction to find.
  return found.filter((d) => d.margin > 0);
}

const argmaxSet = (s: Float64Array): number[] => {
  const m = s.reduce((a, b) => Math.max(a, b), -Infinity);
  return Array.from(s.keys()).filter((k) => (s[k] as number) >= m);
};

interface Finding {
  readonly d: Distribution;
  /** Best risk among logits predicting the Bayes class only, and among those that do not. */
  readonly correct: { value: number; s?: Float64Array };
  readonly wrong: { value: number; s?: Float64Array; certified: boolean; gradient: number };
  readonly unbounded: boolean;
}

/** Whether a run's end is a trustworthy minimum (or the limit at infinity). */
function certified(m: RiskMinimum): boolean {
  return m.end === 'stationary' || m.end === 'infinity' || m.gradient <= 1e-6 * Math.max(1, Math.abs(m.value));
}

interface Run {
  readonly d: number;
  /** Runs held on a face s_j = s_a count as non-Bayes predictions wherever they end. */
  readonly face: boolean;
  readonly m: RiskMinimum;
}

function summarize(d: Distribution, runs: readonly Run[]): Finding {
  let correct: Finding['correct'] = { value: Infinity };
  let wrong: Finding['wrong'] = { value: Infinity, certified: false, gradient: NaN };
  const usable = runs.filter((r) => r.m.end !== 'undefined' && Number.isFinite(r.m.value));
  for (const { m, face } of usable) {
    const predicted = argmaxSet(m.s);
    const isCorrect = !face && predicted.length === 1 && predicted[0] === d.bayes;
    if (isCorrect && m.value < correct.value) correct = { value: m.value, s: m.s };
    if (!isCorrect && m.value < wrong.value) wrong = { value: m.value, s: m.s, certified: certified(m), gradient: m.gradient };
  }
  return { d, correct, wrong, unbounded: usable.some((r) => r.m.end === 'unbounded') };
}

const gap = (f: Finding): number => f.wrong.value - Math.min(f.wrong.value, f.correct.value);
const scale = (f: Finding): number => 1 + Math.abs(Math.min(f.wrong.value, f.correct.value));

/**
 * A non-Bayes prediction that is the best found (near-ties included), or that ties the best at a
 * decisive margin: either way the risk's minimisers do not keep the Bayes class.
 */
function isFailure(f: Finding): boolean {
  if (f.unbounded || !Number.isFinite(f.wrong.value)) return false;
  return f.wrong.value < f.correct.value - RESOLVED * scale(f) || (f.d.margin >= DECISIVE_MARGIN && gap(f) <= TIE * scale(f));
}

/** Finds H (over all logits) and H^- (over the logits that predict a wrong class) for each eta. */
function analyse(loss: LoweredLoss, params: Readonly<Record<string, number>>, ds: readonly Distribution[], seed: number): Finding[] {
  const K = loss.info.classes;
  const random = seededRandom(seed);
  const free: Run[] = minimizeMulticlassRisks(
    loss,
    params,
    ds.flatMap((d) => [
      { eta: d.eta, start: new Float64Array(K) },
      { eta: d.eta, start: Float64Array.from({ length: K }, () => 2 * normal(random)) },
    ]),
  ).map((m, k) => ({ d: Math.floor(k / 2), face: false, m }));
  // Each face s_j = s_a bounds the set where class j ties or beats the Bayes class a. Start on it
  // from the origin and from the projection of the best unconstrained point; for many classes,
  // only the likeliest wrong classes are tried.
  const faces: { d: number; problem: RiskProblem }[] = [];
  ds.forEach((d, i) => {
    const best = free.filter((r) => r.d === i).reduce((a, b) => (b.m.value < a.m.value ? b : a)).m;
    const wrong = Array.from(d.eta.keys())
      .filter((j) => j !== d.bayes)
      .sort((x, y) => (d.eta[y] as number) - (d.eta[x] as number))
      .slice(0, K <= 4 ? K : 2);
    for (const j of wrong) {
      const tie = [d.bayes, j] as const;
      faces.push({ d: i, problem: { eta: d.eta, start: new Float64Array(K), tie } });
      if (Number.isFinite(best.value)) faces.push({ d: i, problem: { eta: d.eta, start: Float64Array.from(best.s), tie } });
    }
  });
  const onFaces: Run[] = minimizeMulticlassRisks(
    loss,
    params,
    faces.map((f) => f.problem),
  ).map((m, k) => ({ d: (faces[k] as { d: number }).d, face: true, m }));
  const runs = [...free, ...onFaces];
  const findings = ds.map((d, i) =>
    summarize(
      d,
      runs.filter((r) => r.d === i),
    ),
  );

  // An apparent failure is confirmed by descending from the non-Bayes minimiser, nudged toward the
  // Bayes class: if that reaches a lower risk predicting the Bayes class, the minimiser was a
  // plateau or a saddle (non-convex losses), not a minimum.
  const suspects = findings.flatMap((f, i) => (isFailure(f) ? [i] : []));
  if (suspects.length === 0) return findings;
  const nudged: Run[] = minimizeMulticlassRisks(
    loss,
    params,
    suspects.map((i) => {
      const f = findings[i] as Finding;
      const start = Float64Array.from(f.wrong.s as Float64Array);
      start[f.d.bayes] = (start[f.d.bayes] as number) + 1e-3 * (1 + Math.abs(start[f.d.bayes] as number));
      return { eta: f.d.eta, start };
    }),
  ).map((m, k) => ({ d: suspects[k] as number, face: false, m }));
  return ds.map((d, i) =>
    summarize(
      d,
      [...runs, ...nudged].filter((r) => r.d === i),
    ),
  );
}

/** If l(s, y) = c * Phi(u) with u = sum_{k != y} exp(s_k - s_y), the comp-sum loss of Mao et al. */
function compSumForm(loss: LoweredLoss, params: Readonly<Record<string, number>>): { tau: 0 | 1; scale: number } | undefined {
  const K = loss.info.classes;
  const sample = typicalSample(loss, 24, 3);
  const { logits, label } = multiclassInputs(loss);
  const values = lossValues64(loss, params, sample.rows, sample.values);
  const s = sample.values[logits] as Float64Array;
  const y = sample.values[label] as Float64Array;
  // u = 1/p_y - 1 with p = softmax(s): Phi^1(u) = log(1 + u) (logistic), Phi^0(u) = u (sum-exponential).
  const phi = { 1: (u: number) => Math.log1p(u), 0: (u: number) => u } as const;
  for (const tau of [1, 0] as const) {
    let scale: number | undefined;
    let fits = true;
    for (let r = 0; r < sample.rows && fits; r++) {
      const row = s.subarray(r * K, (r + 1) * K);
      const yr = (y[r] as number) - 1;
      let u = 0;
      for (let k = 0; k < K; k++) if (k !== yr) u += Math.exp((row[k] as number) - (row[yr] as number));
      const base = phi[tau](u);
      const v = values[r] as number;
      if (!(base > 1e-3) || !Number.isFinite(v)) continue;
      scale ??= v / base;
      fits = Math.abs(v - scale * base) <= 1e-9 * Math.abs(v) + 1e-12;
    }
    if (fits && scale !== undefined && scale > 0) return { tau, scale };
  }
  return undefined;
}

/** The published transforms for complete hypothesis sets (Mao, Mohri & Zhong 2023). */
const PSI_CLOSED: Readonly<Record<0 | 1, (t: number) => number>> = {
  0: (t) => 1 - Math.sqrt(1 - t * t),
  1: (t) => ((1 + t) / 2) * Math.log1p(t) + ((1 - t) / 2) * Math.log1p(-t),
};

async function checkConsistency({ loss, params }: CheckContext): Promise<CheckResult> {
  const all = distributions(loss.info.classes);
  // In chunks, most telling first, so that a failure ends the search early.
  const findings: Finding[] = [];
  for (let i = 0; i < all.length && !findings.some(isFailure); i += CHUNK) findings.push(...analyse(loss, params, all.slice(i, i + CHUNK), 2007 + i));
  const ds = findings.map((f) => f.d);

  const metrics: Record<string, number> = { distributions: ds.length };
  for (const f of findings) {
    if (f.d.psiAt !== undefined && Number.isFinite(gap(f)) && f.wrong.certified) metrics[`psi@${f.d.psiAt}`] = gap(f);
  }
  const form = compSumForm(loss, params);
  if (form) {
    metrics.comp_sum_tau = form.tau;
    metrics.comp_sum_scale = form.scale;
    for (const t of PSI_AT) metrics[`psi_closed@${t}`] = form.scale * PSI_CLOSED[form.tau](t);
  }
  const decisive = findings.filter((f) => f.d.margin >= DECISIVE_MARGIN && Number.isFinite(gap(f)));
  if (decisive.length > 0) metrics.min_gap = Math.min(...decisive.map(gap));

  const failures = findings.filter(isFailure);
  if (failures.length > 0) {
    const worst = failures.reduce((a, b) => (b.d.margin > a.d.margin ? b : a));
    const s = worst.wrong.s as Float64Array;
    const predicted = argmaxSet(s).filter((k) => k !== worst.d.bayes);
    return {
      id: 'consistency',
      verdict: 'fail',
      summary: `not consistent: for eta = ${show(worst.d.eta)} (Bayes class ${worst.d.bayes + 1}), the logits s = ${show(s)} that predict class ${predicted.map((k) => k + 1).join(' or ')} reach conditional risk ${worst.wrong.value.toPrecision(6)}, ${Number.isFinite(worst.correct.value) ? `and no logits predicting class ${worst.d.bayes + 1} alone do better (best found ${worst.correct.value.toPrecision(6)})` : 'the lowest found'}; ${failures.length} of ${ds.length} distributions fail`,
      metrics: { ...metrics, failures: failures.length },
      witness: {
        eta: Array.from(worst.d.eta),
        bayes_class: worst.d.bayes + 1,
        logits: Array.from(s),
        predicted_class: (predicted[0] as number) + 1,
        risk: worst.wrong.value,
        ...(Number.isFinite(worst.correct.value) ? { best_bayes_risk: worst.correct.value } : {}),
      },
      cite: CITE,
    };
  }
  const unbounded = findings.find((f) => f.unbounded);
  if (unbounded) {
    return {
      id: 'consistency',
      verdict: 'inconclusive',
      summary: `the conditional risk is unbounded below at eta = ${show(unbounded.d.eta)}, so its minimisers do not exist: consistency is not defined for this loss without constraints on the logits`,
      metrics,
      cite: CITE,
    };
  }
  const undecided = decisive.filter((f) => gap(f) <= RESOLVED * scale(f) || !f.wrong.certified);
  if (decisive.length === 0 || undecided.length > 0) {
    const f = undecided[0];
    return {
      id: 'consistency',
      verdict: 'inconclusive',
      summary:
        f === undefined
          ? 'the conditional risk is not finite at any of the distributions tried'
          : f.wrong.certified
            ? `at eta = ${show(f.d.eta)} the best non-Bayes prediction costs only ${gap(f).toExponential(2)} more than the minimum: too close to tell a tie from rounding`
            : `at eta = ${show(f.d.eta)} the minimisation over non-Bayes predictions stopped at a kink without a certified minimum (gradient ${f.wrong.gradient.toPrecision(2)}); the gap H^- - H = ${gap(f).toExponential(2)} is an upper estimate`,
      metrics,
      cite: CITE,
    };
  }
  const closed = form
    ? `; psi(0.5) = ${(metrics['psi@0.5'] ?? NaN).toPrecision(6)} against the closed form ${(metrics['psi_closed@0.5'] as number).toPrecision(6)} of the ${form.tau === 1 ? 'logistic (cross-entropy)' : 'sum-exponential'} comp-sum loss`
    : metrics['psi@0.5'] !== undefined
      ? `; psi(0.5) = ${metrics['psi@0.5'].toPrecision(6)}`
      : '';
  return {
    id: 'consistency',
    verdict: 'pass',
    summary: `consistent at ${ds.length} class distributions: predicting a non-Bayes class always costs more than the minimum conditional risk (H^- - H >= ${(metrics.min_gap as number).toPrecision(3)} where the Bayes class leads by ${DECISIVE_MARGIN} or more)${closed}`,
    metrics,
    cite: CITE,
  };
}

export const consistencyCheck: Check = {
  id: 'consistency',
  title: 'Bayes-consistency',
  applies: (kind) => kind === 'multiclass',
  run: checkConsistency,
};
