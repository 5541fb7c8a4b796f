/**
 * Sums, maxima and minima along the last axis of a tensor in the kernels' memory, a row at a
 * time, four entries per step: the reductions a batch loss's softmax and logsumexp along an axis
 * are spelled with (tensorPlan.ts). Rows are whole v128s (their length a multiple of 4); the four
 * partial results are combined by two shuffles at the end of the row, so a sum adds in a
 * different order than a loop would, as vectorized sums in PyTorch do. Max and min propagate
 * NaN, as Math.max does.
 */
import { MAX_PAGES } from './compile';
import { Lanes, type Value } from './lanes';
import { encodeModule, FunctionBody, type Local, type SimdOp } from './wasmBinary';

export type RowReduction = 'sum_axis' | 'max_axis' | 'min_axis';

const COMBINE: Readonly<Record<RowReduction, SimdOp>> = { sum_axis: 'f32x4.add', max_axis: 'f32x4.max', min_axis: 'f32x4.min' };

/** Lanes of a v128 as bytes for i8x16.shuffle: lane indices into a (0-3) and b (4-7). */
const lanes = (...l: number[]): number[] => l.flatMap((k) => [4 * k, 4 * k + 1, 4 * k + 2, 4 * k + 3]);

/** The header at the byte address given as the third argument: the row length (floats), the source's and the result's byte addresses. */
export function rowReduceHeader(length: number, source: number, result: number): Int32Array {
  return Int32Array.of(length, source, result);
}

/** `run(begin, end, header)` reduces rows [begin / 16, end / 16): the pool's byte ranges, 16 bytes a row. */
export function rowReduceModule(op: RowReduction): Uint8Array<ArrayBuffer> {
  const body = new FunctionBody(['i32', 'i32', 'i32']);
  const [BEGIN, END, HEADER] = [0, 1, 2];
  const L = new Lanes(body);
  const i32 = (): Local => body.local('i32');
  const word = (w: number): Local => body.loadWord(HEADER, 4 * w);
  const [length, source, result] = [word(0), word(1), word(2)];
  const rowBytes = i32();
  body.get(length).i32(4).op('i32.mul').set(rowBytes);
  const row = i32();
  const lastRow = i32();
  const at = i32();
  const rowEnd = i32();
  const acc = body.local('v128');
  body.get(BEGIN).i32(4).op('i32.shr_u').set(row);
  body.get(END).i32(4).op('i32.shr_u').set(lastRow);
  const loop = (exitWhen: () => void, inner: () => void): void => void body.loop(exitWhen, inner);
  const combine = (a: Value, b: Value): Local => L.bin(COMBINE[op], a, b);
  loop(
    () => body.get(row).get(lastRow).op('i32.ge_u'),
    () => {
      body.get(source).get(row).get(rowBytes).op('i32.mul').op('i32.add').set(at);
      body.get(at).get(rowBytes).op('i32.add').set(rowEnd);
      // The first four entries start the accumulator (a sum could start at 0; a max cannot).
      body.get(at).memory('v128.load').set(acc);
      body.get(at).i32(16).op('i32.add').set(at);
      loop(
        () => body.get(at).get(rowEnd).op('i32.ge_u'),
        () => {
          body.get(acc).get(at).memory('v128.load').simd(COMBINE[op]).set(acc);
          body.get(at).i32(16).op('i32.add').set(at);
        },
      );
      const half = combine(acc, L.shuffle(acc, acc, lanes(2, 3, 0, 1)));
      const whole = combine(half, L.shuffle(half, half, lanes(1, 0, 3, 2)));
      body.get(result).get(row).i32(4).op('i32.mul').op('i32.add');
      L.push(whole);
      body.simd('f32x4.extract_lane', 0).op('f32.store', 2, 0);
      body.get(row).i32(1).op('i32.add').set(row);
    },
  );
  return encodeModule({ minPages: 1, maxPages: MAX_PAGES, shared: true }, [{ name: 'run', results: [], body }]);
}
