/**
 * The float64 reference executor: runs a `Program` in plain JavaScript doubles. The checks
 * decide their verdicts with it, and the tensor backends are tested against it.
 */
import { OPS, type OpContext, type OpSpec } from '../ir/ops';
import { opContext, type Program } from '../ir/program';
import { leafColumn, type Bindings, type Column } from '../ir/bindings';
import { broadcastStrides, sizeOf, type Shape } from '../ir/shape';
import { stridedOffsets } from '../ir/tensorOps';

/**
 * An element-wise op over its arguments' rows. Where entry j of the result reads in each
 * argument: entry j (the same shape), its one value (a scalar, a constant), or NumPy's broadcast
 * strides ([B, 1] against [B, D]).
 */
function broadcastElementwise(f: (...x: number[]) => number, args: readonly Column[], ctx: OpContext): Column {
  const out = ctx.shape;
  const width = sizeOf(out);
  const rows = Math.max(...args.map((a) => a.rows));
  const offsets = args.map((a, k) =>
    a.width === width
      ? Int32Array.from({ length: width }, (_, j) => j)
      : a.width === 1
        ? new Int32Array(width)
        : stridedOffsets(out, broadcastStrides(ctx.argShapes[k] as Shape, out)),
  );
  const data = new Float64Array(rows * width);
  const xs = new Array<number>(args.length);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < width; j++) {
      for (let k = 0; k < args.length; k++) {
        const a = args[k] as Column;
        xs[k] = a.data[(a.rows === 1 ? 0 : r) * a.width + ((offsets[k] as Int32Array)[j] as number)] as number;
      }
      data[r * width + j] = f(...xs);
    }
  }
  return { data, rows, width };
}

function rowwise(spec: OpSpec, args: readonly Column[], ctx: OpContext): Column {
  const rows = args.length === 0 ? 1 : Math.max(...args.map((a) => a.rows));
  const f = spec.vectorF64 as NonNullable<OpSpec['vectorF64']>;
  let width = 0;
  let data = new Float64Array(0);
  for (let r = 0; r < rows; r++) {
    const rowArgs = args.map((a) => {
      const at = a.rows === 1 ? 0 : r;
      return a.data.subarray(at * a.width, (at + 1) * a.width);
    });
    const out = f(rowArgs, ctx);
    if (r === 0) {
      width = out.length;
      data = new Float64Array(rows * width);
    }
    data.set(out, r * width);
  }
  return { data, rows, width };
}

/** Runs `program` on `bindings` in float64; each output has `rows` × (its row's size) entries, row-major. */
export function runReference(program: Program, bindings: Bindings): Float64Array[] {
  const values: Column[] = [];
  program.instructions.forEach((n, i) => {
    if (n.tag === 'const') values.push({ data: Float64Array.of(n.value), rows: 1, width: 1 });
    else if (n.tag === 'leaf') values.push(leafColumn(bindings.values[n.name], n.name, bindings.rows, sizeOf(n.shape)));
    else {
      const spec: OpSpec = OPS[n.op];
      const args = n.args.map((a) => values[a] as Column);
      const ctx = opContext(program, i);
      values.push(spec.f64 ? broadcastElementwise(spec.f64, args, ctx) : rowwise(spec, args, ctx));
    }
  });
  return program.outputs.map((o) => {
    const c = values[o] as Column;
    if (c.rows === bindings.rows) return c.data;
    const full = new Float64Array(bindings.rows * c.width);
    for (let r = 0; r < bindings.rows; r++) full.set(c.data, r * c.width);
    return full;
  });
}
