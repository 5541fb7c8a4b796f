/** Value and gradient of a loss at one point, on the executor's backend. */
import { gradient } from '../ir/autodiff';
import { lowerToProgram } from '../ir/program';
import { normal, seededRandom } from '../checks/random';
import { showShape, sizeOf } from '../ir/shape';
import { isDifferentiableRole, isTensorRole, isVectorRole, type InputSpec } from '../lang/kinds';
import { describeDomain, drawRow, holdsValues } from '../lang/tensorDomain';
import type { LoweredLoss } from '../lang/lower';
import type { PointResult } from '../results';
import type { Executor } from './executor';
import { runReference } from './reference';

export type InputValue = number | readonly number[];
export type ParamValues = Readonly<Record<string, number>>;

/**
 * A point inside each input's domain, used when the caller names none; `size` is the entries of
 * a tensor input. A tensor's default is seeded standard-normal entries (the same on every call),
 * labels run through the classes 1, 2, ..., K, 1, ...
 */
export function defaultInput(spec: InputSpec, classes: number, size = 1): InputValue {
  switch (spec.role) {
    case 'tensor':
    case 'data': {
      // Seeded by the name, so that two tensors (z1, z2) differ and each is the same on every call.
      const random = seededRandom([...spec.name].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7));
      return drawRow(spec.domain, size, random, () => normal(random));
    }
    case 'labels':
      return Array.from({ length: size }, (_, j) => 1 + (j % classes));
    case 'probability':
      return 0.5;
    case 'binaryLabel':
      return 1;
    case 'classIndex':
      return 1;
    case 'logits':
      return Array.from({ length: classes }, (_, k) => (k === 0 ? 1 : 0));
    case 'simplex':
      return Array.from({ length: classes }, () => 1 / classes);
    case 'real':
      return 0.5;
  }
}

export type Resolved<T> = { ok: true; value: T } | { ok: false; message: string };

/** The loss's params with defaults, overridden by `overrides`; unknown names are refused. */
export function resolveParams(loss: LoweredLoss, overrides: ParamValues): Resolved<Record<string, number>> {
  const values: Record<string, number> = {};
  for (const p of loss.params) values[p.decl.name] = p.decl.value;
  for (const [name, v] of Object.entries(overrides)) {
    if (!Object.hasOwn(values, name)) {
      const known = loss.params.map((p) => p.decl.name);
      return { ok: false, message: `'${loss.info.name}' has no param '${name}'${known.length ? `; its params are ${known.join(', ')}` : ''}` };
    }
    if (!Number.isFinite(v)) return { ok: false, message: `param '${name}' must be a finite number` };
    values[name] = v;
  }
  return { ok: true, value: values };
}

/** The loss's sizes by value, where a value names one size: for messages. */
function sizeNames(loss: LoweredLoss): Map<number, string> {
  const byValue = new Map<number, string | undefined>();
  for (const [name, v] of loss.sizes) byValue.set(v, byValue.has(v) ? undefined : name);
  return new Map([...byValue].filter((e): e is [number, string] => e[1] !== undefined));
}

/** Every input bound, from `at` or the defaults, with shapes and label values checked. */
export function resolveInputs(loss: LoweredLoss, at: Readonly<Record<string, InputValue>>): Resolved<Record<string, InputValue>> {
  const K = loss.info.classes;
  const values: Record<string, InputValue> = {};
  for (const name of Object.keys(at)) {
    if (!loss.inputs.some((i) => i.spec.name === name)) {
      return { ok: false, message: `'${loss.info.name}' has no input '${name}'; its inputs are ${loss.inputs.map((i) => i.spec.name).join(', ')}` };
    }
  }
  for (const { spec, leaf } of loss.inputs) {
    const shape = loss.graph.shape(leaf);
    const size = sizeOf(shape);
    const v = at[spec.name] ?? defaultInput(spec, K, size);
    if (isTensorRole(spec.role)) {
      if (typeof v === 'number' || v.length !== size)
        return {
          ok: false,
          message: `'${spec.name}' must hold ${size} numbers (shape ${showShape(shape, sizeNames(loss))}, row-major, e.g. ${spec.name}=[1, 2, ...]), got ${typeof v === 'number' ? 1 : v.length}`,
        };
      if (spec.role === 'labels' && !v.every((x) => Number.isInteger(x) && x >= 1 && x <= K))
        return { ok: false, message: `'${spec.name}' holds class labels in 1..${K}` };
      const domain = spec.domain;
      if (domain !== undefined && !holdsValues(domain, v))
        return { ok: false, message: `'${spec.name}' holds ${describeDomain(domain)}, as its @${spec.role === 'tensor' ? 'shape' : 'data'} line declares` };
    } else if (isVectorRole(spec.role)) {
      if (typeof v === 'number' || v.length !== K)
        return { ok: false, message: `'${spec.name}' must be a vector of ${K} numbers, e.g. ${spec.name}=[${defaultInput(spec, K).toString()}]` };
    } else if (typeof v !== 'number') return { ok: false, message: `'${spec.name}' must be a number` };
    else if (spec.role === 'classIndex' && !(Number.isInteger(v) && v >= 1 && v <= K))
      return { ok: false, message: `'${spec.name}' must be a class in 1..${K}` };
    else if (spec.role === 'binaryLabel' && v !== 0 && v !== 1) return { ok: false, message: `'${spec.name}' must be 0 or 1` };
    values[spec.name] = v;
  }
  return { ok: true, value: values };
}

/**
 * Value and gradient at one point: on `executor` in float32 (what a training run computes), or
 * with `'float64'` on LossLab's float64 reference, the numbers a person asks for.
 */
export async function evaluatePoint(
  executor: Executor | 'float64',
  loss: LoweredLoss,
  params: ParamValues,
  at: Readonly<Record<string, InputValue>>,
): Promise<Resolved<PointResult>> {
  const p = resolveParams(loss, params);
  if (!p.ok) return p;
  const inputs = resolveInputs(loss, at);
  if (!inputs.ok) return inputs;
  const wrt = loss.inputs.filter((i) => isDifferentiableRole(i.spec.role));
  const grads = gradient(
    loss.graph,
    loss.value,
    wrt.map((i) => i.leaf),
  );
  const program = lowerToProgram(loss.graph, [loss.value, ...grads]);
  const bindings = { rows: 1, values: { ...p.value, ...inputs.value } };
  const [value, ...g] = executor === 'float64' ? runReference(program, bindings) : await executor.compile(program)(bindings);
  const grad: Record<string, number | number[]> = {};
  wrt.forEach((i, k) => {
    const data = Array.from(g[k] as ArrayLike<number>);
    grad[i.spec.name] = loss.graph.shape(i.leaf).length > 0 ? data : (data[0] as number);
  });
  return {
    ok: true,
    value: {
      loss: loss.info.name,
      kind: loss.info.kind,
      backend: executor === 'float64' ? 'float64' : executor.backend,
      precision: executor === 'float64' ? 'float64' : 'float32',
      at: inputs.value,
      params: p.value,
      value: (value as ArrayLike<number>)[0] as number,
      grad,
    },
  };
}
