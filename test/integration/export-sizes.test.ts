/**
 * Exported batch losses take any batch: where the export reads its sizes from its inputs
 * (export/sizeGeneric.ts), its PyTorch and NumPy code, run by Debian's Python on inputs of other
 * sizes than it was exported at, gives LossLab's float64 value lowered at those sizes (1e-9
 * relative), and refuses inputs whose shapes disagree with each other. A loss whose code cannot
 * read its sizes stays size-specific, and says so. Python is spawned once, with every case.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { findLoss } from '../../src/core/analyze';
import { typicalSample } from '../../src/core/checks/sampling';
import { runReference } from '../../src/core/engine/reference';
import { exportLoss } from '../../src/core/export/export';
import { pythonName } from '../../src/core/export/pythonDialect';
import { lowerToProgram } from '../../src/core/ir/program';
import type { LoweredLoss } from '../../src/core/lang/lower';
import { parseLossText } from '../../src/core/lang/parse';

const FIXTURE = readFileSync(join(__dirname, '..', 'fixtures', 'torch-losses.loss'), 'utf8');
const PYTHON = '/usr/bin/python3';
const RELATIVE = 1e-9;
/** Other sizes than the fixture's: each declared size plus 3. */
const GROW = 3;

interface Case {
  readonly name: string;
  readonly target: 'pytorch' | 'numpy';
  readonly code: string;
  readonly inputs: Record<string, { readonly values: number[]; readonly shape: number[]; readonly labels: boolean }>;
  readonly expected: number;
  /** The first input with its first axis one longer: the code must refuse it. */
  readonly mismatched: string;
}

function lowerAt(name: string, sizes: Readonly<Record<string, number>> = {}): LoweredLoss {
  const found = findLoss(FIXTURE, name, { sizes });
  if (!found.ok) throw new Error(`${name}: ${found.diagnostics.map((d) => d.message).join('; ')}`);
  return found.loss;
}

const names = parseLossText(FIXTURE)
  .definitions.filter((d) => !d.helper)
  .map((d) => d.name);

function generic(code: string): boolean {
  return !code.includes('exported for');
}

function caseOf(name: string, target: Case['target']): Case | undefined {
  const at = lowerAt(name);
  const exported = exportLoss(at, { target, params: {} });
  if (!exported.ok) throw new Error(`${name}: ${exported.message}`);
  if (!generic(exported.value)) return undefined;
  const grown = Object.fromEntries(at.info.sizes.map((s) => [s.name, s.value + GROW]));
  // Sizes tied to others (top-k's k = T ≤ K) may not all grow: such a loss is covered at its own sizes only.
  const found = findLoss(FIXTURE, name, { sizes: grown });
  if (!found.ok) return undefined;
  const other = found.loss;
  const sample = typicalSample(other, 1, 11);
  const params = Object.fromEntries(other.params.map((p) => [p.decl.name, p.decl.value]));
  const expected = (
    runReference(lowerToProgram(other.graph, [other.value]), { rows: 1, values: { ...sample.values, ...params } })[0] as Float64Array
  )[0] as number;
  const inputs: Case['inputs'] = {};
  for (const i of other.inputs) {
    const labels = i.spec.role === 'labels';
    // The exported code takes 0-based labels, as PyTorch does; the .loss counts classes from 1.
    const values = Array.from(sample.values[i.spec.name] as Float64Array, (v) => (labels ? v - 1 : v));
    inputs[pythonName(i.spec.name)] = { values, shape: [...other.graph.shape(i.leaf)], labels };
  }
  return { name, target, code: exported.value, inputs, expected, mismatched: pythonName(other.inputs[0]?.spec.name ?? '') };
}

const SCRIPT = String.raw`
import json, sys
import numpy as np
import torch
cases = json.load(sys.stdin)
out = []
for c in cases:
    ns = {}
    exec(c["code"], ns)
    fn = ns[c["name"]]
    def arrays(grow=None):
        args = {}
        for k, v in c["inputs"].items():
            shape = list(v["shape"])
            values = v["values"]
            if k == grow:
                shape[0] += 1
                values = values + values[: len(values) // max(1, v["shape"][0])]
            a = np.array(values, dtype=np.int64 if v["labels"] else np.float64).reshape(shape)
            args[k] = torch.from_numpy(a) if c["target"] == "pytorch" else a
        return args
    value = float(fn(**arrays()))
    refused = False
    try:
        fn(**arrays(c["mismatched"]))
    except ValueError:
        refused = True
    out.append({"value": repr(value), "refused": refused})
json.dump(out, sys.stdout)
`;

describe('exported batch losses at other sizes than they were exported at', () => {
  const cases = names.flatMap((n) => (['pytorch', 'numpy'] as const).flatMap((t) => caseOf(n, t) ?? []));
  let results: { value: string; refused: boolean }[] = [];
  before(() => {
    const run = spawnSync(PYTHON, ['-c', SCRIPT], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 1 << 28 });
    if (run.status !== 0) throw new Error(`python: ${run.stderr}`);
    results = JSON.parse(run.stdout) as typeof results;
  });

  it('reads the sizes from the inputs for most of the fixture', () => {
    const pytorch = cases.filter((c) => c.target === 'pytorch').map((c) => c.name);
    assert.ok(pytorch.length >= 30, `${pytorch.length} of ${names.length} size-generic: ${pytorch.join(', ')}`);
  });

  cases.forEach((c, k) =>
    it(`${c.name} (${c.target}): the value at sizes + ${GROW}, and mismatched shapes refused`, () => {
      const r = results[k];
      assert.ok(r !== undefined);
      const value = Number(r.value.replace('nan', 'NaN').replace('inf', 'Infinity'));
      assert.ok(Number.isFinite(c.expected), `LossLab's value ${c.expected} at the grown sizes`);
      assert.ok(Math.abs(value - c.expected) <= RELATIVE * Math.max(1, Math.abs(c.expected)), `${r.value} against LossLab's ${c.expected}`);
      assert.ok(r.refused, 'a first input one sample longer than the others is not refused');
    }),
  );

  it('keeps a loss whose code cannot read its sizes size-specific, saying so', () => {
    // ntxent_stacked concatenates the two views: its 2B rows fold into numbers the sizes do not name.
    const exported = exportLoss(lowerAt('ntxent_stacked'), { target: 'pytorch', params: {} });
    assert.ok(exported.ok && exported.value.includes('exported for'), 'expected the size-specific form');
  });
});
