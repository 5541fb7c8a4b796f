/**
 * `use NAME from "library"`: a library loss callable from a user's file, its params overridable by
 * `with` or by the file's own declaration above the line; and `@describe`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeLossText, findLoss } from '../../../src/core/analyze';
import { runReference } from '../../../src/core/engine/reference';
import { lowerToProgram } from '../../../src/core/ir/program';
import { checkLossText } from '../../../src/core/lang/check';
import { assertClose, LIBRARY_DIRECTORY } from './reference';

const options = { libraryDirectory: LIBRARY_DIRECTORY };

/** The float64 value of loss `name` of `text` at `at`, its params at the defaults the file gives them. */
function valueIn(text: string, name: string, at: Record<string, number | number[]>): number {
  const found = findLoss(text, name, options);
  assert.ok(found.ok, found.ok ? '' : JSON.stringify(found.diagnostics));
  const params = Object.fromEntries(found.loss.params.map((p) => [p.decl.name, p.decl.value]));
  const [value] = runReference(lowerToProgram(found.loss.graph, [found.loss.value]), { rows: 1, values: { ...params, ...at } });
  return (value as Float64Array)[0] as number;
}

function errors(text: string): { line: number; column: number; code: string; message: string }[] {
  return analyzeLossText(text, options)
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => ({ line: d.range.startLine + 1, column: d.range.startColumn + 1, code: d.code, message: d.message }));
}

describe('use NAME from "library"', () => {
  it('makes the library loss a loss of the file, with its kind, citation, description and params', () => {
    const r = checkLossText('use focal from "library"', options);
    assert.ok(r.ok);
    const focal = r.file.losses[0];
    assert.equal(focal?.name, 'focal');
    assert.equal(focal?.kind, 'probability');
    assert.match(focal?.cite ?? '', /Lin et al., 2017/);
    assert.ok(focal?.description);
    assert.deepEqual(
      focal?.params.map((p) => [p.name, p.value]),
      [
        ['gamma', 2],
        ['alpha', 0.25],
      ],
    );
    // The CodeLens and diagnostics point at the use line.
    assert.equal(focal?.definition.range.startLine, 0);
    assertClose(valueIn('use focal from "library"', 'focal', { p: 0.3 }), -0.25 * 0.7 ** 2 * Math.log(0.3));
  });

  it('`with name = value` sets a param default inside its range', () => {
    const text = 'use focal from "library" with gamma = 0, alpha = 1';
    assertClose(valueIn(text, 'focal', { p: 0.3 }), -Math.log(0.3));
    const focal = checkLossText(text, options).file.losses[0];
    assert.deepEqual(
      focal?.params.map((p) => [p.name, p.value, p.min, p.max]),
      [
        ['gamma', 0, 0, 5],
        ['alpha', 1, 0, 1],
      ],
    );
  });

  it('a param the file declares above the line is the one the used loss reads (and shares)', () => {
    const text = ['param gamma = 1 in [0, 3]', 'use focal from "library" with alpha = 1', 'mine(p) = focal(p) + gamma * p'].join('\n');
    assertClose(valueIn(text, 'focal', { p: 0.3 }), -0.7 * Math.log(0.3));
    assertClose(valueIn(text, 'mine', { p: 0.3 }), -0.7 * Math.log(0.3) + 0.3);
    const mine = checkLossText(text, options).file.losses.find((l) => l.name === 'mine');
    assert.deepEqual(
      mine?.params.map((p) => [p.name, p.value, p.max]),
      [
        ['gamma', 1, 3],
        ['alpha', 1, 1],
      ],
    );
  });

  it("calls the library's own helpers, even where the file defines the same names", () => {
    // multiclass.loss's gce calls its helper log_py; this file's log_py must not be the one called.
    const text = ['@helper', 'log_py(s, y) = 0 * s[y]', 'use gce from "library" with gce_q = 1'].join('\n');
    const s = [1.2, -0.4, 0.3];
    const py = Math.exp(-0.4) / (Math.exp(1.2) + Math.exp(-0.4) + Math.exp(0.3));
    assertClose(valueIn(text, 'gce', { s, y: 2 }), 1 - py);
  });

  it('@classes above the line sets the number of classes', () => {
    const text = '@classes 5\nuse cross_entropy from "library"';
    assert.equal(checkLossText(text, options).file.losses[0]?.classes, 5);
    assertClose(valueIn(text, 'cross_entropy', { s: [0, 0, 0, 0, 0], y: 4 }), Math.log(5));
  });

  it('@helper above the line makes it callable but not a loss of the file', () => {
    const r = checkLossText('@helper\nuse logistic from "library"\nhalf(z) = logistic(z) / 2', options);
    assert.ok(r.ok);
    assert.deepEqual(
      r.file.losses.map((l) => l.name),
      ['half'],
    );
  });

  it('says what is wrong, where', () => {
    assert.deepEqual(errors('use focl from "library"'), [
      { line: 1, column: 5, code: 'unknown-loss', message: "no loss named 'focl' in the library (did you mean 'focal'?)" },
    ]);
    assert.equal(errors('use focal from "lib"')[0]?.code, 'unknown-source');
    assert.deepEqual(errors('use huber from "library" with beta = 1')[0], {
      line: 1,
      column: 31,
      code: 'unknown-param',
      message: "'huber' has no param 'beta'; its params are delta",
    });
    assert.equal(errors('use huber from "library" with delta = 20')[0]?.message, "20 is outside the range [0.01, 10] of 'delta'");
    assert.equal(errors('use focal from "library"\nparam gamma = 1 in [0, 5]')[0]?.code, 'use-before-definition');
    assert.equal(errors('param gamma = 1 in [0, 5]\nuse focal from "library" with gamma = 2')[0]?.code, 'duplicate-param');
    assert.equal(errors('hinge(z) = z\nuse hinge from "library"')[0]?.code, 'duplicate-definition');
    assert.equal(errors('use hinge')[0]?.code, 'bad-use');
    assert.equal(errors('@cite "x" (y, 2020)\nuse hinge from "library"')[0]?.code, 'use-directive');
  });

  it('is in effect from its line on: an earlier definition cannot call it', () => {
    assert.equal(errors('early(z) = hinge(z)\nuse hinge from "library"')[0]?.code, 'unknown-function');
  });

  it('a file of use lines only is not empty', () => {
    assert.deepEqual(errors('use hinge from "library"'), []);
  });
});

describe('@describe', () => {
  it('carries one line to the loss, its summary and `losslab list`', () => {
    const r = analyzeLossText('@describe "the hinge, shifted"\nh(z) = max(0, 2 - z)', options);
    assert.equal(r.losses[0]?.description, 'the hinge, shifted');
  });

  it('needs a quoted line, and a definition after it', () => {
    assert.equal(errors('@describe unquoted\nh(z) = z')[0]?.code, 'bad-describe');
    assert.equal(errors('h(z) = z\n@describe "dangling"')[0]?.code, 'dangling-directive');
  });
});
