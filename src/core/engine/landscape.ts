/**
 * The loss over a 2-D grid of two axes: two scalar inputs, or an input against a param (focal's
 * p against gamma), or for vector inputs the curves' path t against another logit or a param.
 * Value and the gradient along both axes come from one program, run through the `Executor`
 * over all n × n grid points as rows, so a fused kernel speeds it up without changes here.
 */
import { gradient } from '../ir/autodiff';
import type { Graph, NodeId } from '../ir/graph';
import { lowerToProgram } from '../ir/program';
import { substitute } from '../ir/substitute';
import type { InputSpec, Kind } from '../lang/kinds';
import type { LoweredLoss } from '../lang/lower';
import { engineOf, type BackendName, type CompiledProgram, type Executor } from './executor';
import { resolveParams, type ParamValues, type Resolved } from './point';
import { SCALAR } from '../ir/shape';
import { choosableEntries, entryName, holdBatch, movingInput } from './heldBatch';

/** One quantity a landscape axis can run over. */
export interface LandscapeAxisOption {
  /** What the panel sends back to choose it: an input's or a param's name, `t`, or `s[k]`. */
  readonly name: string;
  readonly label: string;
  readonly role: 'input' | 'param';
  readonly range: readonly [number, number];
}

export interface LandscapeAxis {
  readonly name: string;
  readonly label: string;
  readonly range: readonly [number, number];
  readonly values: readonly number[];
}

export interface LandscapeResult {
  readonly loss: string;
  readonly kind: Kind;
  readonly backend: BackendName;
  /** What computed it on that backend: 'fused-wasm' for LossLab's kernels; absent for TensorFlow.js. */
  readonly engine?: string;
  readonly params: Readonly<Record<string, number>>;
  /** Every axis the loss offers, for the panel's pickers. */
  readonly options: readonly LandscapeAxisOption[];
  /** Why there is no grid (fewer than two axes); the fields below are then empty. */
  readonly unavailable?: string;
  /** What is held fixed while the axes move (`y = 1`, the other logits at 0). */
  readonly held: string;
  readonly x?: LandscapeAxis;
  readonly y?: LandscapeAxis;
  readonly resolution: number;
  /**
   * Row-major, y rows by x columns: entry j * resolution + i is at (x[i], y[j]). Float32Array,
   * as computed: the worker and VS Code's webview channel carry typed arrays as bytes, where a
   * 128 × 128 grid of numbers as JSON would be a megabyte.
   */
  readonly value: Float32Array;
  readonly dx: Float32Array;
  readonly dy: Float32Array;
  /** The number of finite values, and their least and greatest (0 and 0 when none). */
  readonly finite: number;
  readonly min: number;
  readonly max: number;
  readonly elapsedMs: number;
}

export interface LandscapeRequest {
  readonly x?: string;
  readonly y?: string;
  /** Points per side, clamped to 8..256. */
  readonly resolution: number;
  /** The range of an input axis (the curves' range); params keep their declared range. */
  readonly inputRange?: readonly [number, number];
}

export const MIN_RESOLUTION = 8;
export const MAX_RESOLUTION = 256;

/** Not valid identifiers, so they never collide with a user's names. */
const X_LEAF = '@x';
const Y_LEAF = '@y';

/** The same default ranges as the curves: an axis of the landscape extends the curve's axis. */
function inputRange(kind: Kind, spec: InputSpec): readonly [number, number] {
  if (spec.role === 'probability') return [0.001, 0.999];
  if (kind === 'multiclass') return [-6, 6];
  if (kind === 'distribution') return [0.001, 0.999];
  return [-4, 4];
}

/** A declared range of width 0 still needs a grid: widen it around the value. */
function paramRange(min: number, max: number): readonly [number, number] {
  return max > min ? [min, max] : [min - 0.5, max + 0.5];
}

export function landscapeAxes(loss: LoweredLoss): LandscapeAxisOption[] {
  const K = loss.info.classes;
  const kind = loss.info.kind;
  const inputs: LandscapeAxisOption[] = [];
  const first = loss.inputs[0];
  if (first && (kind === 'multiclass' || kind === 'distribution')) {
    inputs.push({
      name: 't',
      label: kind === 'multiclass' ? `t, true-class logit (${first.spec.name} = t e₁, y = 1)` : 't, along p = (t, (1−t)/(K−1), …)',
      role: 'input',
      range: [-6, 6],
    });
    if (kind === 'distribution') inputs[0] = { ...(inputs[0] as LandscapeAxisOption), range: [0.001, 0.999] };
    if (kind === 'multiclass')
      for (let k = 2; k <= K; k++)
        inputs.push({ name: `${first.spec.name}[${k}]`, label: `${first.spec.name}[${k}], logit of class ${k}`, role: 'input', range: [-6, 6] });
  } else if (kind === 'batch') {
    // Any two entries of the first tensor (heldBatch.ts: up to its first 256), the rest held at the seeded default.
    const moving = movingInput(loss);
    if (moving)
      for (let k = 0; k < choosableEntries(loss.graph.shape(moving.leaf)); k++) {
        const name = entryName(moving.spec.name, loss.graph.shape(moving.leaf), k);
        inputs.push({ name, label: `${name}, the other entries at the seeded default`, role: 'input', range: [-4, 4] });
      }
  } else {
    for (const { spec } of loss.inputs)
      if (spec.role === 'real' || spec.role === 'probability') inputs.push({ name: spec.name, label: spec.name, role: 'input', range: inputRange(kind, spec) });
  }
  const params = loss.params.map(({ decl }): LandscapeAxisOption => ({
    name: decl.name,
    label: decl.name,
    role: 'param',
    range: paramRange(decl.min, decl.max),
  }));
  return [...inputs, ...params];
}

/** The first input against the first param (p against gamma), else the first two inputs. */
export function defaultLandscapeAxes(options: readonly LandscapeAxisOption[]): readonly [string, string] | undefined {
  const input = options.find((o) => o.role === 'input');
  const other = options.find((o) => o !== input && o.role === 'param') ?? options.find((o) => o !== input);
  if (!input || !other) return undefined;
  return [input.name, other.name];
}

interface Placement {
  readonly replacements: Map<NodeId, NodeId>;
  readonly held: string;
  /** Values of leaves the replacements add (a batch loss's held inputs). */
  readonly bindings?: Record<string, number[]>;
}

/**
 * Where the axis leaves go in the loss: an input or param named by an axis is replaced by it;
 * the other inputs are held as the curves hold them (labels at 1, other reals at 0).
 */
function place(loss: LoweredLoss, g: Graph, axes: readonly [string, NodeId][]): Placement {
  const K = loss.info.classes;
  const replacements = new Map<NodeId, NodeId>();
  const held: string[] = [];
  const axisNamed = (name: string): NodeId | undefined => axes.find(([n]) => n === name)?.[1];
  for (const { decl, leaf } of loss.params) {
    const a = axisNamed(decl.name);
    if (a !== undefined) replacements.set(leaf, a);
  }
  const first = loss.inputs[0];
  if (loss.info.kind === 'batch') {
    const moving = movingInput(loss);
    const shape = moving ? g.shape(moving.leaf) : [];
    const entries = moving
      ? Array.from({ length: choosableEntries(shape) }, (_, k) => ({ entry: k, leaf: axisNamed(entryName(moving.spec.name, shape, k)) })).filter(
          (a): a is { entry: number; leaf: NodeId } => a.leaf !== undefined,
        )
      : [];
    const batch = holdBatch(loss, g, entries);
    for (const [leaf, to] of batch.replacements) replacements.set(leaf, to);
    return { replacements, held: 'the other entries at the seeded default', bindings: batch.bindings };
  }
  if (first && (loss.info.kind === 'multiclass' || loss.info.kind === 'distribution')) {
    const t = axisNamed('t') ?? g.constant(loss.info.kind === 'multiclass' ? 0 : 1 / K);
    const e1 = g.apply('onehot', g.constant(1));
    if (loss.info.kind === 'multiclass') {
      // s = t e1 + u e_k: the true-class logit against another's, the rest at 0.
      let s = g.apply('mul', t, e1);
      for (let k = 2; k <= K; k++) {
        const u = axisNamed(`${first.spec.name}[${k}]`);
        if (u !== undefined) s = g.apply('add', s, g.apply('mul', u, g.apply('onehot', g.constant(k))));
      }
      replacements.set(first.leaf, s);
      held.push('other logits at 0');
    } else {
      const rest = g.apply('div', g.apply('sub', g.constant(1), t), g.constant(K - 1));
      replacements.set(first.leaf, g.apply('add', g.apply('mul', t, e1), g.apply('mul', rest, g.apply('sub', g.constant(1), e1))));
      held.push('q uniform');
    }
    for (const other of loss.inputs.slice(1)) {
      if (other.spec.role === 'classIndex') {
        replacements.set(other.leaf, g.constant(1));
        held.push(`${other.spec.name} = 1`);
      } else if (other.spec.role === 'simplex') replacements.set(other.leaf, g.apply('expand', g.constant(1 / K)));
    }
    return { replacements, held: held.join(', ') };
  }
  for (const { spec, leaf } of loss.inputs) {
    const a = axisNamed(spec.name);
    if (a !== undefined) {
      replacements.set(leaf, a);
      continue;
    }
    const fixed = spec.role === 'binaryLabel' || spec.role === 'classIndex' ? 1 : spec.role === 'probability' ? 0.5 : 0;
    replacements.set(leaf, g.constant(fixed));
    held.push(`${spec.name} = ${fixed}`);
  }
  return { replacements, held: held.join(', ') };
}

interface LandscapePlan {
  readonly run: CompiledProgram;
  readonly held: string;
  readonly bindings: Record<string, number[]>;
}

/** Compiled once per loss, executor and pair of axes: a dragged slider only binds new values. */
const plans = new WeakMap<LoweredLoss, WeakMap<Executor, Map<string, LandscapePlan>>>();

function landscapePlan(loss: LoweredLoss, executor: Executor, x: string, y: string): LandscapePlan {
  let byExecutor = plans.get(loss);
  if (!byExecutor) plans.set(loss, (byExecutor = new WeakMap()));
  let byAxes = byExecutor.get(executor);
  if (!byAxes) byExecutor.set(executor, (byAxes = new Map()));
  const key = `${x}\u0000${y}`;
  const cached = byAxes.get(key);
  if (cached) return cached;
  const g = loss.graph;
  const xLeaf = g.leaf(X_LEAF, 'input', SCALAR);
  const yLeaf = g.leaf(Y_LEAF, 'input', SCALAR);
  const { replacements, held, bindings } = place(loss, g, [
    [x, xLeaf],
    [y, yLeaf],
  ]);
  const value = substitute(g, loss.value, replacements);
  const [dx, dy] = gradient(g, value, [xLeaf, yLeaf]) as [NodeId, NodeId];
  const plan = { run: executor.compile(lowerToProgram(g, [value, dx, dy])), held, bindings: bindings ?? {} };
  byAxes.set(key, plan);
  return plan;
}

function grid([lo, hi]: readonly [number, number], n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

/** An output with one entry per grid point (a constant one may come back with a single entry). */
function spread(out: Float32Array | undefined, rows: number): Float32Array {
  if (out && out.length === rows) return out;
  return new Float32Array(rows).fill(out?.[0] ?? Number.NaN);
}

export async function computeLandscape(
  executor: Executor,
  loss: LoweredLoss,
  params: ParamValues,
  request: LandscapeRequest,
): Promise<Resolved<LandscapeResult>> {
  const started = performance.now();
  const p = resolveParams(loss, params);
  if (!p.ok) return p;
  const options = landscapeAxes(loss);
  const n = Math.max(MIN_RESOLUTION, Math.min(MAX_RESOLUTION, Math.floor(request.resolution) || MIN_RESOLUTION));
  const base = {
    loss: loss.info.name,
    kind: loss.info.kind,
    backend: executor.backend,
    ...(executor.engine !== undefined ? { engine: executor.engine } : {}),
    params: p.value,
    options,
    resolution: n,
  };
  const empty = { held: '', value: new Float32Array(0), dx: new Float32Array(0), dy: new Float32Array(0), finite: 0, min: 0, max: 0 };
  const fallback = defaultLandscapeAxes(options);
  if (!fallback) {
    const unavailable = `${loss.info.name} has ${options.length === 1 ? 'one axis' : 'no axis'} to vary (${options.map((o) => o.name).join(', ') || 'no scalar input'}): a landscape needs two`;
    return { ok: true, value: { ...base, ...empty, unavailable, elapsedMs: performance.now() - started } };
  }
  const xName = request.x ?? fallback[0];
  const yName = request.y ?? (request.x === undefined ? fallback[1] : undefined) ?? options.find((o) => o.name !== xName)?.name ?? fallback[1];
  const xOption = options.find((o) => o.name === xName);
  const yOption = options.find((o) => o.name === yName);
  if (!xOption || !yOption) {
    return {
      ok: false,
      message: `'${loss.info.name}' has no landscape axis '${xOption ? yName : xName}'; its axes are ${options.map((o) => o.name).join(', ')}`,
    };
  }
  if (xName === yName) return { ok: false, message: `a landscape needs two different axes, not '${xName}' twice` };
  const rangeOf = (o: LandscapeAxisOption) => (o.role === 'input' && request.inputRange ? request.inputRange : o.range);
  const xs = grid(rangeOf(xOption), n);
  const ys = grid(rangeOf(yOption), n);
  const rows = n * n;
  const xColumn = new Float32Array(rows);
  const yColumn = new Float32Array(rows);
  for (let j = 0; j < n; j++) {
    xColumn.set(xs, j * n);
    yColumn.fill(ys[j] as number, j * n, (j + 1) * n);
  }
  const plan = landscapePlan(loss, executor, xName, yName);
  const [value, dx, dy] = await plan.run({ rows, values: { ...p.value, ...plan.bindings, [X_LEAF]: xColumn, [Y_LEAF]: yColumn } });
  const values = spread(value, rows);
  let finite = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    finite++;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const axis = (o: LandscapeAxisOption, grid: Float32Array): LandscapeAxis => ({ name: o.name, label: o.label, range: rangeOf(o), values: Array.from(grid) });
  return {
    ok: true,
    value: {
      ...base,
      ...(engineOf(executor, plan.run) !== undefined ? { engine: engineOf(executor, plan.run) } : {}),
      held: plan.held,
      x: axis(xOption, xs),
      y: axis(yOption, ys),
      value: values,
      dx: spread(dx, rows),
      dy: spread(dy, rows),
      finite,
      min: finite > 0 ? min : 0,
      max: finite > 0 ? max : 0,
      elapsedMs: performance.now() - started,
    },
  };
}
