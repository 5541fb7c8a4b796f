/**
 * The shape of an IR value within one row: its dimensions, outermost first. `[]` is a scalar,
 * `[K]` a vector of K entries (logits, simplex points), `[B, D]` a batch of B embeddings. Every
 * row of a batch of evaluations (grid points, samples of a check) has the same shape; the row
 * axis is never part of it.
 *
 * The checker, the lowering, the op table, every executor and export read shapes from here, so
 * that broadcasting and its messages are one set of rules: NumPy's, on the dimensions of a row.
 */
export type Shape = readonly number[];

export const SCALAR: Shape = [];

export function vectorShape(size: number): Shape {
  return [size];
}

export function isScalar(s: Shape): boolean {
  return s.length === 0;
}

/** A vector of the graph's K entries, or a scalar: the shapes the per-sample kinds and the fused kernels know. */
export function isPerSample(s: Shape, classes: number): boolean {
  return s.length === 0 || (s.length === 1 && s[0] === classes);
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The number of entries of one row. */
export function sizeOf(s: Shape): number {
  let n = 1;
  for (const d of s) n *= d;
  return n;
}

/** NumPy's rule: align the trailing dimensions; each pair must be equal or one of them 1. */
export function broadcastShapes(a: Shape, b: Shape): Shape | undefined {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return undefined;
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** Whether a value of shape `from` broadcasts to exactly `to`. */
export function broadcastsTo(from: Shape, to: Shape): boolean {
  const b = broadcastShapes(from, to);
  return b !== undefined && sameShape(b, to);
}

/** `s` with axis `axis` (0-based) kept as a 1: the shape of a reduction along it, kept for broadcasting. */
export function keepAxis(s: Shape, axis: number): Shape {
  return s.map((d, i) => (i === axis ? 1 : d));
}

/** `s` without axis `axis` (0-based). */
export function dropAxis(s: Shape, axis: number): Shape {
  return s.filter((_, i) => i !== axis);
}

/**
 * Names of sizes, for messages: `[B, D]` reads better than `[3, 5]`. The lowering checks shapes
 * with a distinct size per name, so a number maps back to at most one name.
 */
export type SizeNames = ReadonlyMap<number, string>;

export function showShape(s: Shape, names?: SizeNames): string {
  if (s.length === 0) return 'a scalar';
  return `[${s.map((d) => names?.get(d) ?? String(d)).join(', ')}]`;
}

/** A shape that does not fit an op: thrown by the graph's constructors, reported by the lowering at the expression's range. */
export class ShapeMismatch extends Error {
  constructor(
    readonly what: string,
    readonly shapes: readonly Shape[],
  ) {
    super(what);
  }

  /** The message with the shapes written through `names`. */
  describe(names?: SizeNames): string {
    let i = 0;
    return this.what.replace(/\{\}/g, () => showShape(this.shapes[i++] ?? [], names));
  }
}

/** The broadcast of several shapes, or a ShapeMismatch naming the two that do not fit. */
export function broadcastAll(op: string, shapes: readonly Shape[]): Shape {
  let out: Shape = SCALAR;
  for (const s of shapes) {
    const b = broadcastShapes(out, s);
    if (b === undefined) throw new ShapeMismatch(`${op}: the shapes {} and {} do not broadcast (NumPy's rule: trailing sizes equal or 1)`, [out, s]);
    out = b;
  }
  return out;
}

/** Strides of `s` as a row-major array, broadcast to `to` (stride 0 along a broadcast axis); `s` aligned to the right. */
export function broadcastStrides(s: Shape, to: Shape): number[] {
  const strides = new Array<number>(to.length).fill(0);
  let stride = 1;
  for (let i = s.length - 1; i >= 0; i--) {
    const j = to.length - s.length + i;
    strides[j] = s[i] === 1 && to[j] !== 1 ? 0 : stride;
    stride *= s[i] as number;
  }
  return strides;
}
