/**
 * Domains of differentiated tensors: `@shape p: [B, K] in (0, 1)` (probabilities), `in [lo, hi]`,
 * `positive` and `boxes` ([x1, y1, x2, y2] with x2 > x1, y2 > y1). Every point the checks draw
 * (typical and extreme samples, lines and rays of the theory checks), the defaults the panel and
 * the CLI start from, lie inside; `--at` values outside are refused; the declarations' errors.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { boundedCheck } from '../../../src/core/checks/bounded';
import { linesThrough, pointOn, raysThrough } from '../../../src/core/checks/domain';
import { gradientCheck } from '../../../src/core/checks/gradient';
import { extremeSample, typicalSample } from '../../../src/core/checks/sampling';
import { defaultInput, resolveInputs } from '../../../src/core/engine/point';
import type { LoweredLoss } from '../../../src/core/lang/lower';
import { holdsValues, type DataDomain } from '../../../src/core/lang/tensorDomain';
import { float32Engines } from '../float32Engines';
import { errorLines, lowered } from '../lowered';

const engines = float32Engines();

const BCE = `size B = 3
@shape p: [B] in (0, 1)
@data y: [B] in {0, 1}
bce(p, y) = mean(-y .* log(p) - (1 - y) .* log(1 - p))
`;
const POSITIVE = 'size B = 3\n@shape w: [B] positive\nf(w) = sum(log(w) + 1 ./ w)\n';
const CLOSED = 'size B = 2\n@shape u: [B, 2] in [-1, 2]\nf(u) = sum(sqrt(u + 1) + sqrt(2 - u))\n';
const BOXES = `size B = 2
@shape box: [B, 4] boxes
area_log(box) = sum(log((box[:, 3] - box[:, 1]) .* (box[:, 4] - box[:, 2])))
`;

/** Every row of every sample, line and ray of the checks, and the default, for the input `name`. */
function pointsOf(l: LoweredLoss, name: string): number[][] {
  const width = l.graph.shape((l.inputs.find((i) => i.spec.name === name) as { leaf: number }).leaf).reduce((a, b) => a * b, 1);
  const rows = (values: Float64Array): number[][] =>
    Array.from({ length: values.length / width }, (_, r) => Array.from(values.subarray(r * width, (r + 1) * width)));
  const out = [...rows(typicalSample(l, 20, 3).values[name] as Float64Array), ...rows(extremeSample(l).values[name] as Float64Array)];
  for (const line of [...linesThrough(l, 5), ...raysThrough(l, 6)]) for (const t of line.ts) out.push(pointOn(line, t)[name] as number[]);
  const spec = (l.inputs.find((i) => i.spec.name === name) as { spec: LoweredLoss['inputs'][number]['spec'] }).spec;
  out.push(defaultInput(spec, l.info.classes, width) as number[]);
  return out;
}

describe('@shape domains: where a differentiated tensor lies', () => {
  const cases: [string, string, string, DataDomain][] = [
    ['probabilities in (0, 1)', BCE, 'p', { kind: 'interval', lo: 0, hi: 1, open: true }],
    ['positive numbers', POSITIVE, 'w', { kind: 'interval', lo: 0, hi: Infinity, open: true }],
    ['a closed interval [-1, 2]', CLOSED, 'u', { kind: 'interval', lo: -1, hi: 2 }],
    ['boxes with x2 > x1, y2 > y1', BOXES, 'box', { kind: 'boxes' }],
  ];
  for (const [what, text, name, domain] of cases) {
    it(`parses ${what} and draws every sample, line, ray and default inside it`, () => {
      const l = lowered(text);
      assert.deepEqual(l.inputs.find((i) => i.spec.name === name)?.spec.domain, domain);
      const points = pointsOf(l, name);
      assert.ok(points.length > 20);
      for (const p of points) assert.ok(holdsValues(domain, p), `${name} = [${p.join(', ')}] is outside ${JSON.stringify(domain)}`);
    });
  }

  it('keeps the losses finite where they are defined: the gradient check passes on BCE over p in (0, 1) and on log-areas of boxes', async () => {
    for (const text of [BCE, BOXES, POSITIVE]) {
      const r = await gradientCheck.run({ loss: lowered(text), params: {}, executor: engines.tfjs() });
      assert.equal(r.verdict, 'pass', `${text}\n${r.summary}`);
    }
  });

  it('walks to the faces of a bounded interval: BCE over p in (0, 1) is unbounded, like log(1/ε) as p → 0', async () => {
    const r = await boundedCheck.run({ loss: lowered(BCE), params: {}, executor: engines.tfjs() });
    assert.equal(r.verdict, 'fail', r.summary);
    assert.match(r.summary, /unbounded above: the loss grows logarithmically in 1\/ε as p → 0/);
  });

  it('refuses --at values outside the domain, naming it', () => {
    const l = lowered(BCE);
    assert.deepEqual(resolveInputs(l, { p: [0.5, 1, 0.2] }), { ok: false, message: "'p' holds values in (0, 1), as its @shape line declares" });
    assert.equal(resolveInputs(l, { p: [0.5, 0.9, 0.2] }).ok, true);
    assert.deepEqual(resolveInputs(lowered(POSITIVE), { w: [1, 0, 2] }), { ok: false, message: "'w' holds positive numbers, as its @shape line declares" });
    assert.deepEqual(resolveInputs(lowered(BOXES), { box: [0, 0, 1, 1, 0, 0, -1, 1] }), {
      ok: false,
      message: "'box' holds boxes [x1, y1, x2, y2] with x2 > x1 and y2 > y1, as its @shape line declares",
    });
    assert.equal(resolveInputs(lowered(CLOSED), { u: [-1, 2, 0, 0] }).ok, true, 'a closed interval holds its ends');
  });

  it('reports a domain that does not fit its declaration at its range', () => {
    assert.deepEqual(errorLines('size B = 2\n@shape box: [B, 5] boxes\nf(box) = sum(box)\n'), [
      '2:17 @shape boxes are [x1, y1, x2, y2]: the last dimension is 4, written as a number',
    ]);
    assert.deepEqual(errorLines('size B = 2\n@labels y: [B] positive\n@shape s: [B, K]\nf(s, y) = sum(s[y])\n'), [
      '2:16 @labels class labels take no domain: they lie in 1..K',
    ]);
    assert.deepEqual(errorLines('size B = 2\n@shape p: [B] in (0, 1]\nf(p) = sum(p)\n'), [
      "2:15 @shape expected a domain `in {0, 1}` (its values), `in [lo, hi]` or `in (lo, hi)` (an interval), `positive` or `boxes`, got '(0, 1]'",
    ]);
    assert.deepEqual(errorLines('size B = 2\n@shape p: [B] bounded\nf(p) = sum(p)\n'), [
      "2:15 @shape expected a domain `in {0, 1}` (its values), `in [lo, hi]` or `in (lo, hi)` (an interval), `positive` or `boxes`, got 'bounded'",
    ]);
  });

  it('lets @data declare boxes too (the targets of a box loss)', () => {
    const l = lowered('size B = 2\n@shape b: [B, 4]\n@data t: [B, 4] boxes\nf(b, t) = sum((b - t) .^ 2)\n');
    const t = typicalSample(l, 5, 2).values.t as Float64Array;
    for (let r = 0; r < 5; r++) assert.ok(holdsValues({ kind: 'boxes' }, Array.from(t.subarray(8 * r, 8 * r + 8))));
  });
});
