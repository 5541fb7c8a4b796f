/**
 * Monte Carlo arithmetic (Parker, Pierce and Eggert, 2000): the program evaluated in float64 with
 * every intermediate entry rounded to float32 after a random relative perturbation of up to one
 * float32 ulp. How far such runs land from the exact result is how far float32 arithmetic itself
 * can be expected to land on this formula at this input: the yardstick for inputs where the
 * formula is ill-conditioned (1 - tanh^2 near saturation, softmax sums that cancel) or where an
 * intermediate overflows float32 although the float64 result is finite.
 */
import { seededRandom } from '../../../src/core/checks/random';
import type { Bindings } from '../../../src/core/ir/bindings';
import { OPS } from '../../../src/core/ir/ops';
import { opContext, type Program } from '../../../src/core/ir/program';

interface Column {
  readonly data: Float64Array;
  readonly width: number;
}

const EPS32 = 2 ** -24;
/** Ops exact in float32 (selections, comparisons, sign changes): perturbing them would break the ties their derivatives test for. */
const EXACT: ReadonlySet<string> = new Set('neg abs sign relu max2 min2 clip where lt le gt ge eq ne and or not vmax vmin onehot expand'.split(' '));

export function perturbedReference(program: Program, bindings: Bindings, seed: number): Float64Array[] {
  const random = seededRandom(seed);
  const K = program.classes;
  const rows = bindings.rows;
  const perturb = (x: number): number => Math.fround(x * (1 + (2 * random() - 1) * EPS32));
  const values: Column[] = [];
  program.instructions.forEach((n, i) => {
    const width = program.shapes[i]?.length === 1 ? K : 1;
    if (n.tag === 'const') values.push({ data: new Float64Array(rows).fill(Math.fround(n.value)), width: 1 });
    else if (n.tag === 'leaf') {
      const v = bindings.values[n.name];
      const data = new Float64Array(rows * width);
      for (let j = 0; j < data.length; j++)
        data[j] = Math.fround(
          typeof v === 'number'
            ? v
            : (((v as ArrayLike<number>).length === width ? (v as ArrayLike<number>)[j % width] : (v as ArrayLike<number>)[j]) as number),
        );
      values.push({ data, width });
    } else {
      const spec = OPS[n.op];
      const args = n.args.map((a) => values[a] as Column);
      const round = EXACT.has(n.op) ? Math.fround : perturb;
      const data = new Float64Array(rows * width);
      for (let r = 0; r < rows; r++) {
        if (spec.f64) {
          for (let k = 0; k < width; k++) data[r * width + k] = round(spec.f64(...args.map((a) => a.data[r * a.width + (a.width === 1 ? 0 : k)] as number)));
        } else {
          const rowArgs = args.map((a) => a.data.subarray(r * a.width, (r + 1) * a.width));
          const out = (spec.vectorF64 as NonNullable<typeof spec.vectorF64>)(rowArgs, opContext(program, i));
          for (let k = 0; k < width; k++) data[r * width + k] = round(out[out.length === 1 ? 0 : k] as number);
        }
      }
      values.push({ data, width });
    }
  });
  return program.outputs.map((o) => (values[o] as Column).data);
}
