/**
 * The sum of a column over all rows (the batch loss, a mean gradient) on the GPU, without
 * atomics: each invocation adds a strided slice of the column into a register, the workgroup
 * adds its registers by a tree in workgroup memory, and one partial sum per workgroup is
 * written. A second dispatch of the same shader over the partials, with one workgroup, leaves
 * the total in entry 0. Tree order keeps float32 rounding error near log2(n) ulps, not n.
 */
import type { WorkgroupSize } from './wgslKernel';

/** Workgroups of the first pass: enough to fill a GPU, few enough for one second-pass workgroup. */
export const REDUCE_GROUPS = 256;

export interface ReduceShader {
  readonly code: string;
  readonly workgroupSize: WorkgroupSize;
}

/**
 * Binding 0, uniform: `count` (entries to add), `offset` (the first entry). Binding 1: the
 * values. Binding 2: the partial sums, one per workgroup.
 */
export function generateWgslSum(workgroupSize: WorkgroupSize = 256): ReduceShader {
  const code = `
struct Range { count: u32, offset: u32, pad0: u32, pad1: u32 }
@group(0) @binding(0) var<uniform> R: Range;
@group(0) @binding(1) var<storage, read> values: array<f32>;
@group(0) @binding(2) var<storage, read_write> partials: array<f32>;
var<workgroup> tree: array<f32, ${workgroupSize}>;

@compute @workgroup_size(${workgroupSize})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let stride = nwg.x * ${workgroupSize}u;
  var acc: f32 = 0.0;
  for (var i = wid.x * ${workgroupSize}u + lid; i < R.count; i += stride) {
    acc += values[R.offset + i];
  }
  tree[lid] = acc;
  workgroupBarrier();
  for (var half = ${workgroupSize / 2}u; half > 0u; half = half / 2u) {
    if (lid < half) { tree[lid] += tree[lid + half]; }
    workgroupBarrier();
  }
  if (lid == 0u) { partials[wid.x] = tree[0]; }
}
`;
  return { code, workgroupSize };
}

/** A float64 model of the two passes: what the shader computes, in the same order. */
export function sumInTreeOrder(values: ArrayLike<number>, groups: number, workgroupSize: WorkgroupSize): number {
  const pass = (xs: ArrayLike<number>, g: number): Float32Array => {
    const partials = new Float32Array(g);
    const stride = g * workgroupSize;
    for (let w = 0; w < g; w++) {
      const tree = new Float32Array(workgroupSize);
      for (let l = 0; l < workgroupSize; l++) {
        let acc = 0;
        for (let i = w * workgroupSize + l; i < xs.length; i += stride) acc = Math.fround(acc + (xs[i] as number));
        tree[l] = acc;
      }
      for (let half = workgroupSize >> 1; half > 0; half >>= 1)
        for (let l = 0; l < half; l++) tree[l] = Math.fround((tree[l] as number) + (tree[l + half] as number));
      partials[w] = tree[0] as number;
    }
    return partials;
  };
  return pass(pass(values, groups), 1)[0] as number;
}
