/**
 * The PyTorch and NumPy exports compute what LossLab computes. For every loss of examples/ and
 * library/, the exported code runs in real PyTorch (Debian's python3-torch) and NumPy, in
 * float64, on the stability sweep's extreme inputs (checks/sampling.ts) and on typical ones. Its
 * values and torch.autograd gradients are compared with LossLab's float64 reference
 * (engine/reference.ts, with LossLab's own symbolic gradients) on the same graph: the one with the
 * stable rewrites applied, which is what was exported. torch.autograd.gradcheck must pass on
 * typical points inside the loss's domain, and the nn.Module must compute what the function does.
 *
 * Agreement, entry by entry (e: LossLab, a: the export):
 * - Non-finite: a value must be non-finite in the same way (NaN for NaN, the same infinity). A
 *   gradient must be non-finite where LossLab's is infinite (an overflowed derivative is inf or
 *   NaN depending on where the chain rule meets inf * 0, which differs between the two). Where
 *   LossLab's gradient is NaN there is no number to agree with; a finite export is counted:
 *   LossLab's own derivative can be 0 / 0 where the export's is a number (the adjoint of a
 *   subexpression shared by two branches of conditionals that are both not taken, as in js at
 *   p = q = e_1, is divided by that subexpression outside the conditionals).
 * - Finite: |a - e| <= 1e-9 |e| + 16 ulp(T (1 + V)) + S. The relative part is the contract; the
 *   rest is rounding noise, which decides only where e is itself noise-sized:
 *   T is the largest |e| of that output on the typical points, the size of the terms a float64
 *   evaluation adds up. It covers a true value of 0, cancellations such as softmax - onehot where
 *   p_y rounds to 1, and PyTorch's own backward rules sigmoid' = s (1 - s) and expm1' = y + 1,
 *   which lose every digit once s rounds to 1 (|u| > 37), where LossLab's sigmoid(u) sigmoid(-u)
 *   does not. V is the largest |logit| of the row (0 for element-wise losses): PyTorch's logsumexp
 *   backward exp(s - lse) carries the rounding of lse, one ulp of 1e10 at logits of 1e10.
 *   S is how far LossLab's own e moves when each input is moved by 8 ulps (its conditioning).
 *   Values, which are the exporter's own formulas, never need more than the relative part; the
 *   test reports the worst relative error over the entries that the relative part decides.
 * The test reports the worst relative error over the entries that the relative part decides.
 *
 * Python is spawned once for the whole file, with every loss in one batch.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { extremeSample, typicalSample, type InputSample } from '../../src/core/checks/sampling';
import { runReference } from '../../src/core/engine/reference';
import { exportLoss } from '../../src/core/export/export';
import { planExport } from '../../src/core/export/exportPlan';
import { pythonName } from '../../src/core/export/pythonDialect';
import { className } from '../../src/core/export/pythonExport';
import { gradient } from '../../src/core/ir/autodiff';
import { lowerToProgram, type Program } from '../../src/core/ir/program';
import { isDifferentiableRole, isVectorRole } from '../../src/core/lang/kinds';
import type { LoweredLoss } from '../../src/core/lang/lower';
import { exportCorpus, ROOT } from '../unit/export/corpus';

const PYTHON = '/usr/bin/python3';
const RELATIVE = 1e-9;
const ULP = 2 ** -52;
/** Rounding noise allowed, in ulps of the output's typical size (the largest seen is 3). */
const NOISE_ULPS = 16;

type Wire = number | 'inf' | '-inf' | 'nan';
const toWire = (x: number): Wire => (Number.isFinite(x) ? x : Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf');
const fromWire = (x: Wire): number => (typeof x === 'number' ? x : x === 'nan' ? NaN : x === 'inf' ? Infinity : -Infinity);

interface WireInput {
  name: string;
  values: Wire[];
  shape: number[];
  index: boolean;
  differentiable: boolean;
}

/** The sample as the Python side takes it: classes shifted to the export's 0-based indices. */
function wireInputs(loss: LoweredLoss, sample: InputSample): WireInput[] {
  const K = loss.info.classes;
  return loss.inputs.map(({ spec }) => {
    const index = spec.role === 'classIndex';
    const raw = Array.from(sample.values[spec.name] as Float64Array);
    return {
      name: spec.name,
      values: (index ? raw.map((c) => c - 1) : raw).map(toWire),
      shape: isVectorRole(spec.role) ? [sample.rows, K] : [sample.rows],
      index,
      differentiable: isDifferentiableRole(spec.role),
    };
  });
}

function mapColumns(sample: InputSample, rows: number, f: (name: string, column: Float64Array) => Float64Array): InputSample {
  return { rows, values: Object.fromEntries(Object.entries(sample.values).map(([name, column]) => [name, f(name, column)])) };
}

function concat(a: InputSample, b: InputSample): InputSample {
  return mapColumns(a, a.rows + b.rows, (name, x) => {
    const both = new Float64Array(x.length + (b.values[name] as Float64Array).length);
    both.set(x);
    both.set(b.values[name] as Float64Array, x.length);
    return both;
  });
}

function selectRows(sample: InputSample, rows: readonly number[]): InputSample {
  return mapColumns(sample, rows.length, (_name, x) => {
    const width = x.length / sample.rows;
    return Float64Array.from(rows.flatMap((r) => Array.from(x.subarray(r * width, (r + 1) * width))));
  });
}

/** LossLab's reference for a plan's outputs: the value, then each differentiable input's gradient. */
interface Reference {
  readonly program: Program;
  readonly params: Readonly<Record<string, number>>;
  readonly run: (sample: InputSample) => Float64Array[];
}

function reference(loss: LoweredLoss): Reference {
  const plan = planExport(loss, {});
  if (!plan.ok) throw new Error(plan.message);
  const wrt = loss.inputs.filter((i) => isDifferentiableRole(i.spec.role));
  const grads = gradient(
    loss.graph,
    plan.value.value,
    wrt.map((i) => i.leaf),
  );
  const program = lowerToProgram(loss.graph, [plan.value.value, ...grads]);
  const params = plan.value.params;
  return { program, params, run: (sample) => runReference(program, { rows: sample.rows, values: { ...params, ...sample.values } }) };
}

/** Per output entry: how far LossLab's own value moves when each input coordinate moves 8 ulps. */
function sensitivity(loss: LoweredLoss, ref: Reference, sample: InputSample, base: Float64Array[]): Float64Array[] {
  const total = base.map((o) => new Float64Array(o.length));
  for (const { spec } of loss.inputs.filter((i) => isDifferentiableRole(i.spec.role))) {
    const width = isVectorRole(spec.role) ? loss.info.classes : 1;
    for (let j = 0; j < width; j++) {
      // Towards 0, so that a probability of 1 stays a probability.
      const moved = mapColumns(sample, sample.rows, (name, x) => (name === spec.name ? x.map((v, k) => (k % width === j ? v * (1 - 8 * ULP) : v)) : x));
      ref.run(moved).forEach((o, k) =>
        o.forEach((v, e) => {
          // A move that leaves the domain (NaN) makes the entry as ill-conditioned as can be.
          const change = Math.abs(v - ((base[k] as Float64Array)[e] as number));
          const sum = total[k] as Float64Array;
          sum[e] = (sum[e] as number) + (Number.isNaN(change) ? Infinity : change);
        }),
      );
    }
  }
  return total;
}

interface Output {
  readonly label: string;
  readonly values: number[];
  /** The largest |value| on the typical rows: the scale of the terms that make it up. */
  readonly scale: number;
  readonly sensitivity: number[];
  /** The largest |logit| of each row: 0 for element-wise losses. */
  readonly logitSize: number[];
  /** Entries per row: K for a vector input's gradient, else 1. */
  readonly width: number;
  readonly gradient: boolean;
}

interface Case {
  id: string;
  function: string;
  module: string;
  pytorch: string;
  numpy: string;
  inputs: WireInput[];
  gradcheck: WireInput[];
  /** The loss holds stop_gradient: gradcheck's numerical Jacobian differentiates through it, autograd rightly does not. */
  detaches: boolean;
  outputs: Output[];
}

function buildCase(id: string, loss: LoweredLoss, pytorch?: string): Case {
  const code = (target: 'pytorch' | 'numpy'): string => {
    const r = exportLoss(loss, { target });
    if (!r.ok) throw new Error(r.message);
    return r.value;
  };
  const ref = reference(loss);
  const extremes = extremeSample(loss);
  const sample = concat(extremes, typicalSample(loss, 32, 11));
  const base = ref.run(sample);
  const moved = sensitivity(loss, ref, sample, base);
  const wrt = loss.inputs.filter((i) => isDifferentiableRole(i.spec.role));
  const K = loss.info.classes;
  const logitSize = Array.from({ length: sample.rows }, (_, r) =>
    Math.max(
      0,
      ...loss.inputs
        .filter((i) => i.spec.role === 'logits')
        .flatMap((i) => Array.from((sample.values[i.spec.name] as Float64Array).subarray(r * K, (r + 1) * K), Math.abs)),
    ),
  );
  const outputs = base.map((o, k): Output => {
    const width = o.length / sample.rows;
    const typical = Array.from(o.subarray(extremes.rows * width)).filter(Number.isFinite);
    return {
      label: k === 0 ? 'value' : `d/d${wrt[k - 1]?.spec.name}`,
      values: Array.from(o),
      scale: Math.max(0, ...typical.map(Math.abs)),
      sensitivity: Array.from(moved[k] as Float64Array),
      logitSize,
      width,
      gradient: k > 0,
    };
  });

  // gradcheck runs where the loss is defined: typical rows whose value and gradient are finite
  // (a loss of log-probabilities, like ORPO's, is NaN for half of the typical reals).
  const candidates = typicalSample(loss, 64, 5);
  const finite = ref.run(candidates);
  const inside = Array.from({ length: candidates.rows }, (_, r) => r).filter((r) =>
    finite.every((o) => {
      const w = o.length / candidates.rows;
      return o.subarray(r * w, (r + 1) * w).every(Number.isFinite);
    }),
  );
  return {
    id,
    function: pythonName(loss.info.name),
    module: className(pythonName(loss.info.name)),
    pytorch: pytorch ?? code('pytorch'),
    numpy: code('numpy'),
    inputs: wireInputs(loss, sample),
    gradcheck: wireInputs(loss, selectRows(candidates, inside.slice(0, 8))),
    detaches: lowerToProgram(loss.graph, [loss.value]).instructions.some((n) => n.tag === 'op' && n.op === 'stop_gradient'),
    outputs,
  };
}

interface Result {
  id: string;
  error?: string;
  torch?: { value: Wire[]; grads: Wire[][] };
  numpy?: { value: Wire[] };
  gradcheck?: string;
  module?: string;
}

interface Agreement {
  readonly what: string;
  /** The worst |a - e| / tolerance: at most 1 when all agree. */
  ratio: number;
  /** The worst |a - e| / |e| among the entries within the relative tolerance, and where. */
  relative: number;
  relativeWhere: string;
  entries: number;
  /** Finite entries that agree only within rounding noise, not to 1e-9 relative. */
  withinNoise: number;
  /** Gradient entries where LossLab's reference is NaN and the export's a number. */
  undefinedInLossLab: number;
  where: string;
}

function nonFiniteAgrees(a: number, e: number, gradient: boolean): boolean {
  return gradient ? !Number.isFinite(a) : Number.isNaN(e) ? Number.isNaN(a) : a === e;
}

function compare(c: Case, out: Output, actual: Wire[] | undefined, what: string): Agreement {
  assert.ok(actual, `${c.id}: no ${what} came back`);
  assert.equal(actual.length, out.values.length, `${c.id}: ${what} has ${actual.length} entries, LossLab ${out.values.length}`);
  const agreement: Agreement = {
    what: `${what.split(' ')[0]} ${out.gradient ? 'gradients' : 'values'}`,
    ratio: 0,
    relative: 0,
    relativeWhere: '',
    entries: actual.length,
    withinNoise: 0,
    undefinedInLossLab: 0,
    where: '',
  };
  actual.forEach((wire, i) => {
    const a = fromWire(wire);
    const e = out.values[i] as number;
    const row = Math.floor(i / out.width);
    const logits = out.gradient ? (out.logitSize[row] as number) : 0;
    const noise = NOISE_ULPS * ULP * out.scale * (1 + logits) + (out.sensitivity[i] as number);
    const tolerance = RELATIVE * Math.abs(e) + noise;
    let ratio: number;
    if (out.gradient && Number.isNaN(e)) {
      if (Number.isFinite(a)) agreement.undefinedInLossLab++;
      ratio = 0;
    } else if (!Number.isFinite(e)) ratio = nonFiniteAgrees(a, e, out.gradient) ? 0 : Infinity;
    else if (!Number.isFinite(a)) ratio = Infinity;
    else ratio = Math.abs(a - e) === 0 ? 0 : Math.abs(a - e) / tolerance;
    if (Number.isFinite(e) && Number.isFinite(a) && a !== e) {
      const relative = Math.abs(a - e) / Math.abs(e);
      if (relative > RELATIVE) agreement.withinNoise++;
      else if (relative > agreement.relative) {
        agreement.relative = relative;
        agreement.relativeWhere = `${c.id}: ${a} vs LossLab ${e}`;
      }
    }
    if (ratio > agreement.ratio || Number.isNaN(ratio)) {
      const at = c.inputs.map((s) => {
        const w = s.values.length / (s.shape[0] as number);
        return `${s.name}=${JSON.stringify(s.values.slice(row * w, (row + 1) * w))}`;
      });
      agreement.ratio = ratio;
      agreement.where = `${what} ${JSON.stringify(wire)} vs LossLab ${e} (tolerance ${tolerance.toExponential(2)}) at ${at.join(' ')}`;
    }
  });
  return agreement;
}

describe('PyTorch and NumPy exports against LossLab float64 (real PyTorch, python3-torch)', () => {
  const corpus = exportCorpus();
  const cases = corpus.map((c) => buildCase(c.id, c.loss));
  let results = new Map<string, Result>();
  const seen: Agreement[] = [];

  before(() => {
    // `losslab export examples/focal.loss --to pytorch`, as a user runs it, is one more case.
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'export', 'examples/focal.loss', '--to', 'pytorch'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.equal(cli.status, 0, cli.stderr);
    const focal = corpus.find((c) => c.id === 'examples/focal.loss:focal');
    assert.ok(focal, 'examples/focal.loss defines focal');
    cases.push(buildCase('cli: losslab export examples/focal.loss --to pytorch', focal.loss, cli.stdout));

    const run = spawnSync(PYTHON, [join(__dirname, 'export_equivalence.py')], {
      input: JSON.stringify(cases.map(({ outputs: _outputs, ...rest }) => rest)),
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    assert.equal(run.status, 0, `python failed: ${run.stderr}`);
    results = new Map((JSON.parse(run.stdout) as Result[]).map((r) => [r.id, r]));
  });

  it('covers every loss of examples/ and library/', () => {
    assert.ok(corpus.length >= 10, `only ${corpus.length} losses found`);
    assert.ok(
      corpus.some((c) => c.file.startsWith('library/')),
      'no library loss found',
    );
  });

  for (const c of cases) {
    describe(c.id, () => {
      const result = (): Result => {
        const r = results.get(c.id);
        assert.ok(r, `${c.id}: no result from python`);
        assert.equal(r.error, undefined, `${c.id}: the export raised in Python:\n${r.error}`);
        return r;
      };
      const check = (out: Output, actual: Wire[] | undefined, what: string): void => {
        const a = compare(c, out, actual, what);
        seen.push(a);
        assert.ok(a.ratio <= 1, `${c.id}: ${a.where}`);
      };
      const [value, ...grads] = c.outputs as [Output, ...Output[]];

      it('PyTorch values agree with LossLab float64', () => check(value, result().torch?.value, 'PyTorch value'));

      it('torch.autograd gradients agree with LossLab float64', () => grads.forEach((g, k) => check(g, result().torch?.grads[k], `PyTorch ${g.label}`)));

      const skipGradcheck = c.detaches && 'stop_gradient: gradcheck differentiates through detach numerically, autograd does not';
      it('torch.autograd.gradcheck passes on typical points', { skip: skipGradcheck }, () => {
        assert.ok((c.gradcheck[0]?.shape[0] ?? 0) > 0, `${c.id}: no typical point where the loss is finite`);
        assert.equal(result().gradcheck, 'ok');
      });

      it('the nn.Module computes what the function computes', () => assert.equal(result().module, 'ok'));

      it('NumPy values agree with LossLab float64', () => check(value, result().numpy?.value, 'NumPy value'));
    });
  }

  it('reports the worst relative error seen', (t) => {
    t.diagnostic(`${cases.length} cases: ${corpus.length} losses and the CLI's focal`);
    for (const what of [...new Set(seen.map((a) => a.what))]) {
      const group = seen.filter((a) => a.what === what);
      const entries = group.reduce((n, a) => n + a.entries, 0);
      const noise = group.reduce((n, a) => n + a.withinNoise, 0);
      const worst = group.reduce((w, a) => (a.relative > w.relative ? a : w));
      const relative = worst.relative;
      const undefinedInLossLab = group.reduce((n, a) => n + a.undefinedInLossLab, 0);
      t.diagnostic(
        `${what}: ${entries} entries; worst relative error ${relative.toExponential(2)} (${worst.relativeWhere}); ${noise} within rounding noise only` +
          (undefinedInLossLab > 0 ? `; ${undefinedInLossLab} finite where LossLab's gradient is NaN` : ''),
      );
    }
  });
});

describe('losslab export, as a process', () => {
  const losslab = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8' });

  it('exits 2 naming the targets when --to is missing', () => {
    const r = losslab('export', 'examples/focal.loss');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /losslab export needs --to pytorch\|jax\|tensorflow\|numpy\|latex/);
    assert.equal(r.stdout, '');
  });

  it('exits 2 with file:line:col for a loss the file does not define', () => {
    const r = losslab('export', 'examples/focal.loss', '--loss', 'nope', '--to', 'numpy');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^examples\/focal\.loss:1:1: error: no loss named 'nope'/);
  });

  it('prints the header with the verdicts and the chosen reduction', () => {
    const r = losslab('export', 'examples/multiclass.loss', '--loss', 'mae', '--to', 'jax', '--reduction', 'sum');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^# mae: a multiclass loss, exported by LossLab from examples\/multiclass\.loss to JAX\./);
    assert.match(r.stdout, /^# LossLab checks \(\w+ backend\):$/m);
    assert.match(r.stdout, /^# {3}(pass|fail|inconclusive) +symmetry /m);
    assert.match(r.stdout, /^def mae\(s, y, \*, reduction="sum"\):/m);
  });
});
