/**
 * A batch loss seen along a few of its entries (the curves' one, the landscape's two): every
 * input is held at its seeded default (point.ts) through a leaf bound at run time, and each
 * moving entry is that default's entry replaced by an axis variable. Shared by curves and
 * landscapes, so that both show the loss at the same point of its input space.
 */
import type { Graph, NodeId } from '../ir/graph';
import { sizeOf } from '../ir/shape';
import { isDifferentiableRole } from '../lang/kinds';
import type { LoweredLoss } from '../lang/lower';
import { defaultInput } from './point';

export interface HeldBatch {
  readonly replacements: Map<NodeId, NodeId>;
  /** Values of the leaves the replacements read (the held inputs and the unit entries). */
  readonly bindings: Record<string, number[]>;
}

/** The input whose entries move: the first differentiable one. */
export function movingInput(loss: LoweredLoss): LoweredLoss['inputs'][number] | undefined {
  return loss.inputs.find((i) => isDifferentiableRole(i.spec.role));
}

/**
 * How many entries of the moving input a landscape may run along: all of them for the sizes a
 * batch is explored at (8 x 16), the first rows of a larger one (a picker of 16,384 entries
 * helps nobody). Only the two chosen become axes, so the number costs nothing to compute.
 */
export const CHOOSABLE_ENTRIES = 256;

export function choosableEntries(shape: readonly number[]): number {
  return Math.min(CHOOSABLE_ENTRIES, sizeOf(shape));
}

/** `z1[1, 2]` for flat entry 1 of a [B, D] input: 1-based, as the language indexes. */
export function entryName(name: string, shape: readonly number[], flat: number): string {
  if (shape.length === 0) return name;
  const index: number[] = [];
  for (let d = shape.length - 1, rest = flat; d >= 0; d--) {
    index.unshift((rest % (shape[d] as number)) + 1);
    rest = Math.floor(rest / (shape[d] as number));
  }
  return `${name}[${index.join(', ')}]`;
}

/** `axes`: flat entries of the moving input, each with the leaf that carries its value. */
export function holdBatch(loss: LoweredLoss, g: Graph, axes: readonly { readonly entry: number; readonly leaf: NodeId }[]): HeldBatch {
  const moving = movingInput(loss);
  const replacements = new Map<NodeId, NodeId>();
  const bindings: Record<string, number[]> = {};
  for (const input of loss.inputs) {
    const shape = g.shape(input.leaf);
    const value = defaultInput(input.spec, loss.info.classes, sizeOf(shape));
    const values = typeof value === 'number' ? [value] : [...value];
    const baseName = `@held:${input.spec.name}`;
    const base = g.leaf(baseName, 'input', shape);
    if (input !== moving || axes.length === 0) {
      bindings[baseName] = values;
      replacements.set(input.leaf, base);
      continue;
    }
    // Each moving entry is 0 in the base and 1 in its unit: x = base + a unit_a + b unit_b.
    bindings[baseName] = values.map((v, k) => (axes.some((a) => a.entry === k) ? 0 : v));
    let x: NodeId = base;
    for (const a of axes) {
      const unitName = `@unit:${input.spec.name}:${a.entry}`;
      bindings[unitName] = values.map((_, k) => (k === a.entry ? 1 : 0));
      x = g.apply('add', x, g.apply('mul', a.leaf, g.leaf(unitName, 'input', shape)));
    }
    replacements.set(input.leaf, x);
  }
  return { replacements, bindings };
}
