/**
 * What the panel draws for a batch loss at its held batch (every input at its seeded default, as
 * the curves and the landscape hold them: point.ts): the loss split over its samples (bars) and
 * the gradient with respect to its matrix of pairs (a heatmap), in one program so that both
 * describe the same evaluation.
 */
import { gradient } from '../ir/autodiff';
import type { NodeId } from '../ir/graph';
import { lowerToProgram, type Program } from '../ir/program';
import type { LoweredLoss } from '../lang/lower';
import { engineOf, type BackendName, type CompiledProgram, type Executor } from './executor';
import { batchSize, gradientMatrix, type GradientMatrix } from './pairGradient';
import { splitOverSamples, type SampleSplit } from './perSample';
import { resolveInputs, resolveParams, type ParamValues, type Resolved } from './point';
import { runReference } from './reference';

/**
 * Each sample's share of the loss: with `reduction: 'mean'` the values are the per-sample
 * losses l_i and L = mean_i l_i + offset; with `'sum'` they are the contributions c_i and
 * L = sum_i c_i + offset. Or why the loss does not split over its samples.
 */
export type PerSampleLoss =
  | { readonly ok: true; readonly reduction: 'mean' | 'sum'; readonly values: readonly number[]; readonly offset: number }
  | { readonly ok: false; readonly reason: string };

/** dL/dM at the held batch, row-major, for the matrix M chosen by pairGradient.ts. */
export interface PairGradient extends Omit<GradientMatrix, 'node'> {
  readonly values: readonly number[];
}

export interface BatchViewsResult {
  readonly loss: string;
  readonly backend: BackendName | 'float64';
  readonly engine?: string;
  readonly params: Readonly<Record<string, number>>;
  /** The batch axis: its size's name (B) and value. */
  readonly batch: { readonly name: string; readonly size: number };
  readonly value: number;
  readonly samples: PerSampleLoss;
  readonly pairs: PairGradient;
  readonly elapsedMs: number;
}

interface BatchPlan {
  readonly program: Program;
  readonly batch: { readonly name: string; readonly size: number };
  readonly split: SampleSplit | string;
  readonly matrix: GradientMatrix;
}

/** The derivative program depends on the loss alone (params are leaves): built once per loss. */
const plans = new WeakMap<LoweredLoss, BatchPlan | string>();
const compiled = new WeakMap<Program, WeakMap<Executor, CompiledProgram>>();

function batchPlan(loss: LoweredLoss): BatchPlan | string {
  const cached = plans.get(loss);
  if (cached !== undefined) return cached;
  const plan = buildPlan(loss);
  plans.set(loss, plan);
  return plan;
}

function buildPlan(loss: LoweredLoss): BatchPlan | string {
  const g = loss.graph;
  const batch = batchSize(loss);
  if (!batch) return `'${loss.info.name}' takes no tensors: it has no batch to split`;
  const matrix = gradientMatrix(loss, batch.size);
  if (!matrix) return `'${loss.info.name}' has no differentiable input to take the gradient of`;
  const splitting = splitOverSamples(
    g,
    loss.value,
    loss.inputs.map((i) => i.leaf),
    batch.size,
  );
  const split = splitting.ok ? splitting.split : splitting.reason;
  const [dM] = gradient(g, loss.value, [matrix.node]) as [NodeId];
  const outputs = [loss.value, dM];
  if (typeof split !== 'string') outputs.push(split.contributions, split.offset ?? g.constant(0));
  return { program: lowerToProgram(g, outputs), batch, split, matrix };
}

function compileFor(executor: Executor, program: Program): CompiledProgram {
  let byExecutor = compiled.get(program);
  if (!byExecutor) compiled.set(program, (byExecutor = new WeakMap()));
  let run = byExecutor.get(executor);
  if (!run) byExecutor.set(executor, (run = executor.compile(program)));
  return run;
}

/** The bars and the heatmap at the held batch: on `executor` in float32, or on the float64 reference. */
export async function computeBatchViews(executor: Executor | 'float64', loss: LoweredLoss, params: ParamValues): Promise<Resolved<BatchViewsResult>> {
  const started = performance.now();
  const p = resolveParams(loss, params);
  if (!p.ok) return p;
  const inputs = resolveInputs(loss, {});
  if (!inputs.ok) return inputs;
  const plan = batchPlan(loss);
  if (typeof plan === 'string') return { ok: false, message: plan };
  const bindings = { rows: 1, values: { ...p.value, ...inputs.value } };
  const run = executor === 'float64' ? undefined : compileFor(executor, plan.program);
  const outputs: ArrayLike<number>[] = run ? await run(bindings) : runReference(plan.program, bindings);
  const [value, dM, contributions, offset] = outputs;
  const split = plan.split;
  const B = plan.batch.size;
  const samples: PerSampleLoss =
    typeof split === 'string'
      ? { ok: false, reason: split }
      : {
          ok: true,
          reduction: split.mean ? 'mean' : 'sum',
          // Under a mean, B c_i is sample i's own loss: L = (1/B) sum_i (B c_i).
          values: Array.from(contributions ?? [], (c) => (split.mean ? B * c : c)),
          offset: offset?.[0] ?? 0,
        };
  const { node: _node, ...matrix } = plan.matrix;
  const engine = run && executor !== 'float64' ? engineOf(executor, run) : undefined;
  return {
    ok: true,
    value: {
      loss: loss.info.name,
      backend: executor === 'float64' ? 'float64' : executor.backend,
      ...(engine !== undefined ? { engine } : {}),
      params: p.value,
      batch: plan.batch,
      value: value?.[0] ?? Number.NaN,
      samples,
      pairs: { ...matrix, values: Array.from(dM ?? []) },
      elapsedMs: performance.now() - started,
    },
  };
}
