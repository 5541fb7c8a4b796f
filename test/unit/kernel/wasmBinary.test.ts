/**
 * The WebAssembly encoder: LEB128 against the examples of the WebAssembly specification
 * (section 5.2.2) and DWARF's, modules that the engine validates, and a kernel that runs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileKernel } from '../../../src/core/kernel/compile';
import { Graph } from '../../../src/core/ir/graph';
import { lowerToProgram } from '../../../src/core/ir/program';
import { encodeModule, FunctionBody, signedLeb128, unsignedLeb128 } from '../../../src/core/kernel/wasmBinary';
import { SCALAR } from '../../../src/core/ir/shape';

describe('LEB128', () => {
  it('encodes unsigned integers as 7-bit groups, low first (624485 = e5 8e 26, the DWARF example)', () => {
    assert.deepEqual(unsignedLeb128(0), [0]);
    assert.deepEqual(unsignedLeb128(127), [0x7f]);
    assert.deepEqual(unsignedLeb128(128), [0x80, 0x01]);
    assert.deepEqual(unsignedLeb128(624485), [0xe5, 0x8e, 0x26]);
  });
  it('encodes signed integers with the sign in bit 6 of the last byte (-123456 = c0 bb 78)', () => {
    assert.deepEqual(signedLeb128(0), [0]);
    assert.deepEqual(signedLeb128(-1), [0x7f]);
    assert.deepEqual(signedLeb128(63), [0x3f]);
    assert.deepEqual(signedLeb128(64), [0xc0, 0x00]);
    assert.deepEqual(signedLeb128(-64), [0x40]);
    assert.deepEqual(signedLeb128(-123456), [0xc0, 0xbb, 0x78]);
  });
});

describe('modules', () => {
  it('an empty function over a shared memory validates', () => {
    const bytes = encodeModule({ minPages: 1, maxPages: 16, shared: true }, [{ name: 'f', results: [], body: new FunctionBody(['i32']) }]);
    assert.ok(WebAssembly.validate(bytes));
  });

  it('a function that adds two f32x4 from memory runs: (1,2,3,4) + (10,20,30,40)', () => {
    const body = new FunctionBody([]);
    body.i32(32).i32(0).memory('v128.load').i32(16).memory('v128.load').simd('f32x4.add').memory('v128.store');
    const bytes = encodeModule({ minPages: 1, maxPages: 1, shared: false }, [{ name: 'f', results: [], body }]);
    assert.ok(WebAssembly.validate(bytes));
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1 });
    const f32 = new Float32Array(memory.buffer);
    f32.set([1, 2, 3, 4, 10, 20, 30, 40]);
    (new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports.f as () => void)();
    assert.deepEqual([...f32.subarray(8, 12)], [11, 22, 33, 44]);
  });

  it('a kernel for every compiled op validates, and sin is refused with a reason (no throw)', () => {
    const g = new Graph(3);
    const z = g.leaf('z', 'input', SCALAR);
    const s = g.leaf('s', 'input', g.vector);
    const outputs = [
      ...(['exp', 'log', 'log1p', 'expm1', 'sqrt', 'tanh', 'sigmoid', 'softplus', 'abs', 'neg', 'relu', 'sign', 'not'] as const).map((op) => g.apply(op, z)),
      ...(['add', 'sub', 'mul', 'div', 'pow', 'max2', 'min2', 'lt', 'le', 'gt', 'ge', 'eq', 'ne', 'and', 'or'] as const).map((op) =>
        g.apply(op, z, g.apply('exp', z)),
      ),
      g.apply('clip', z, g.constant(-1), g.constant(1)),
      g.apply('where', g.apply('gt', z, g.constant(0)), z, g.apply('neg', z)),
      ...(['sum', 'vmax', 'vmin', 'logsumexp', 'softmax'] as const).map((op) => g.apply(op, s)),
      g.apply('onehot', z),
      g.apply('expand', z),
    ];
    const compiled = compileKernel(lowerToProgram(g, outputs), () => 'row');
    assert.ok(compiled.ok);
    assert.ok(WebAssembly.validate(compiled.plan.bytes));
    const refused = compileKernel(lowerToProgram(g, [g.apply('sin', z)]), () => 'row');
    assert.deepEqual(refused, { ok: false, reason: 'no kernel for sin' });
  });
});
