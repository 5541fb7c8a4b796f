/**
 * Compiles a `Program` to a TensorFlow.js function: one tensor op per instruction, all inside
 * one `tidy`, so no intermediate tensor outlives a call. A value of row shape s is a tensor
 * [rows, ...s] ([rows, 1] for a scalar); element-wise ops align their arguments' ranks.
 */
import { stableForFloat32 } from '../ir/float32Forms';
import type * as tfc from '@tensorflow/tfjs-core';
import { OPS, type OpSpec, type TfModule } from '../ir/ops';
import { opContext, type Program } from '../ir/program';
import { sizeOf } from '../ir/shape';
import { alignRank, storedDims } from '../ir/tensorOps';
import { leafColumn, type Bindings } from '../ir/bindings';
import type { BackendName, Executor } from './executor';

export type TensorFunction = (bindings: Bindings) => Promise<Float32Array[]>;

export function compileToTensorFn(tf: TfModule, program: Program): TensorFunction {
  return async (bindings) => {
    const outputs = tf.tidy(() => {
      const values: tfc.Tensor[] = [];
      program.instructions.forEach((n, i) => {
        if (n.tag === 'const') values.push(tf.tensor2d([n.value], [1, 1]));
        else if (n.tag === 'leaf') {
          const width = sizeOf(n.shape);
          const raw = bindings.values[n.name];
          // Float32 columns of the full batch go to the backend without a copy.
          if (raw instanceof Float32Array && raw.length === bindings.rows * width) values.push(tf.tensor(raw, [bindings.rows, ...storedDims(n.shape)]));
          else {
            const col = leafColumn(raw, n.name, bindings.rows, width);
            values.push(tf.tensor(Float32Array.from(col.data), [col.rows, ...storedDims(n.shape)]));
          }
        } else {
          const spec: OpSpec = OPS[n.op];
          const ctx = opContext(program, i);
          const args = n.args.map((a) => values[a] as tfc.Tensor);
          // Element-wise ops broadcast by NumPy's rule within a row, behind the row axis.
          const rank = storedDims(ctx.shape).length;
          const aligned = spec.f64 !== undefined ? args.map((t, k) => alignRank(tf, t, ctx.argShapes[k] ?? [], rank)) : args;
          values.push(spec.tensor(tf, aligned, ctx));
        }
      });
      return program.outputs.map((o) => {
        const t = values[o] as tfc.Tensor;
        const full = t.shape[0] === bindings.rows ? t : tf.broadcastTo(t, [bindings.rows, ...t.shape.slice(1)]);
        return full.rank === 2 ? full : tf.reshape(full, [bindings.rows, -1]);
      });
    });
    try {
      return (await Promise.all(outputs.map((t) => t.data()))) as Float32Array[];
    } finally {
      tf.dispose(outputs);
    }
  };
}

export function tensorExecutor(tf: TfModule, backend: BackendName): Executor {
  return { backend, compile: (program) => compileToTensorFn(tf, stableForFloat32(program)) };
}
