/**
 * Register-style SIMD code: each operation reads values (v128 locals or constants) and writes a
 * fresh v128 local, so the math and the kernels read like formulas and the engine's register
 * allocator sees plain SSA. `Lanes` wraps one `FunctionBody`.
 */
import { FunctionBody, type Local, type SimdOp } from './wasmBinary';

/** A v128 constant: 16 little-endian bytes. */
export class V128Const {
  constructor(readonly bytes: readonly number[]) {}
}

export type Value = Local | V128Const;

function bytesOf(array: Float32Array | Float64Array | Int32Array | BigInt64Array): number[] {
  return [...new Uint8Array(array.buffer)];
}

export const f32x4 = (x: number): V128Const => new V128Const(bytesOf(new Float32Array(4).fill(x)));
export const f64x2 = (x: number): V128Const => new V128Const(bytesOf(new Float64Array(2).fill(x)));
export const i32x4 = (x: number): V128Const => new V128Const(bytesOf(new Int32Array(4).fill(x)));
export const i64x2 = (x: bigint): V128Const => new V128Const(bytesOf(new BigInt64Array(2).fill(x)));

const keyOf = (v: Value): string => (v instanceof V128Const ? v.bytes.join(',') : `$${v}`);

export class Lanes {
  /**
   * Common subexpressions: an operation on the same values gives the same local. The body is
   * straight-line code apart from `branch`, whose arms keep what they compute to themselves, so an
   * earlier result dominates every later use (pow(1 - p, gamma) and pow(1 - p, gamma - 1) with a
   * gamma per row, in focal loss's gradient, share one log2(1 - p)).
   */
  private computed = new Map<string, Local>();

  constructor(readonly body: FunctionBody) {}

  private memo(key: string, emit: () => void): Local {
    const found = this.computed.get(key);
    if (found !== undefined) return found;
    const t = this.fresh(emit);
    this.computed.set(key, t);
    return t;
  }

  push(v: Value): void {
    if (v instanceof V128Const) this.body.v128(v.bytes);
    else this.body.get(v);
  }

  /** Emits whatever leaves one v128 on the stack, and stores it in a fresh local. */
  fresh(emit: () => void): Local {
    emit();
    const t = this.body.local('v128');
    this.body.set(t);
    return t;
  }

  un(op: SimdOp, a: Value): Local {
    return this.memo(`${op} ${keyOf(a)}`, () => {
      this.push(a);
      this.body.simd(op);
    });
  }

  bin(op: SimdOp, a: Value, b: Value): Local {
    return this.memo(`${op} ${keyOf(a)} ${keyOf(b)}`, () => {
      this.push(a);
      this.push(b);
      this.body.simd(op);
    });
  }

  /** Lanes of `a` where `mask` is all ones, of `b` elsewhere. */
  select(mask: Value, a: Value, b: Value): Local {
    return this.memo(`select ${keyOf(mask)} ${keyOf(a)} ${keyOf(b)}`, () => {
      this.push(a);
      this.push(b);
      this.push(mask);
      this.body.simd('v128.bitselect');
    });
  }

  /** Shift of each lane by a constant amount (the count is a scalar i32). */
  shift(op: 'i32x4.shl' | 'i32x4.shr_s' | 'i64x2.shl' | 'i64x2.shr_u', a: Value, count: number): Local {
    return this.memo(`${op} ${keyOf(a)} ${count}`, () => {
      this.push(a);
      this.body.i32(count);
      this.body.simd(op);
    });
  }

  shuffle(a: Value, b: Value, lanes: readonly number[]): Local {
    return this.memo(`shuffle ${keyOf(a)} ${keyOf(b)} ${lanes.join(',')}`, () => {
      this.push(a);
      this.push(b);
      this.body.shuffle(lanes);
    });
  }

  /**
   * `if flag then a else b` leaving one v128: what either arm computes stays inside it (the
   * common-subexpression table is restored after each arm).
   */
  branch(flag: Local, then: () => Value, otherwise: () => Value): Local {
    const arm = (emit: () => Value): void => {
      const saved = new Map(this.computed);
      this.push(emit());
      this.computed = saved;
    };
    this.body.get(flag).op('if', 0x7b);
    arm(then);
    this.body.op('else');
    arm(otherwise);
    this.body.op('end');
    const t = this.body.local('v128');
    this.body.set(t);
    return t;
  }

  /** Horner's rule: c[0] + x (c[1] + x (c[2] + ...)), in f32x4 or f64x2. */
  polynomial(x: Value, coefficients: readonly number[], width: 'f32' | 'f64'): Local {
    const k = width === 'f32' ? f32x4 : f64x2;
    const [mul, add] = width === 'f32' ? (['f32x4.mul', 'f32x4.add'] as const) : (['f64x2.mul', 'f64x2.add'] as const);
    const n = coefficients.length;
    let acc: Value = k(coefficients[n - 1] as number);
    for (let i = n - 2; i >= 0; i--) acc = this.bin(add, this.bin(mul, acc, x), k(coefficients[i] as number));
    return acc instanceof V128Const ? this.fresh(() => this.push(acc)) : acc;
  }
}
