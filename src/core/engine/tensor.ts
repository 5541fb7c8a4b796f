/**
 * Compiles a `Program` to a TensorFlow.js function: one tensor op per instruction, all inside
 * one `tidy`, so no intermediate tensor outlives a call. Scalars are [rows, 1] tensors and
 * vectors [rows, K]; broadcasting does the rest.
 */
import { stableForFloat32 } from '../ir/float32Forms';
import type * as tfc from '@tensorflow/tfjs-core';
import { OPS, type OpSpec, type TfModule } from '../ir/ops';
import type { Program } from '../ir/program';
import { leafColumn, type Bindings } from '../ir/bindings';
import type { BackendName, Executor } from './executor';

export type TensorFunction = (bindings: Bindings) => Promise<Float32Array[]>;

export function compileToTensorFn(tf: TfModule, program: Program): TensorFunction {
  const K = program.classes;
  return async (bindings) => {
    const outputs = tf.tidy(() => {
      const values: tfc.Tensor[] = [];
      program.instructions.forEach((n, i) => {
        if (n.tag === 'const') values.push(tf.tensor2d([n.value], [1, 1]));
        else if (n.tag === 'leaf') {
          const width = program.shapes[i] === 'vector' ? K : 1;
          const raw = bindings.values[n.name];
          // Float32 columns of the full batch go to the backend without a copy.
          if (raw instanceof Float32Array && raw.length === bindings.rows * width) values.push(tf.tensor2d(raw, [bindings.rows, width]));
          else {
            const col = leafColumn(raw, n.name, bindings.rows, width);
            values.push(tf.tensor2d(Float32Array.from(col.data), [col.rows, col.width]));
          }
        } else {
          const spec: OpSpec = OPS[n.op];
          values.push(
            spec.tensor(
              tf,
              n.args.map((a) => values[a] as tfc.Tensor),
              K,
            ),
          );
        }
      });
      return program.outputs.map((o) => {
        const t = values[o] as tfc.Tensor;
        const width = t.shape[1] ?? 1;
        return t.shape[0] === bindings.rows ? t : tf.broadcastTo(t, [bindings.rows, width]);
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
