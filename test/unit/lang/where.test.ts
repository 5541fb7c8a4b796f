/**
 * `where` lines: local names of a definition, read by the lines below and by the body. GIoU of
 * 1-D boxes (Rezatofighi et al. 2019), written with its intersection, union and hull named,
 * equals the library's giou_1d; a name is one IR node however often it is read; errors name the
 * line and column; rename, go to definition and hover know the names; the export shows the lines.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeDocumentText, findLoss } from '../../../src/core/analyze';
import { definitionAt, renameAt } from '../../../src/core/editor/navigation';
import { hoverAt } from '../../../src/core/editor/hover';
import { lossSourceLines } from '../../../src/core/export/source';
import { lowerToProgram } from '../../../src/core/ir/program';
import { withCursor } from '../editor/documents';
import { errorLines, valueAt } from '../lowered';

const GIOU = [
  '@kind pairwise',
  'giou(a1, a2, b1, b2) = 1 - inter / union + (hull - union) / hull',
  '  where inter = max(0, min(a2, b2) - max(a1, b1))',
  '  where union = (a2 - a1) + (b2 - b1) - inter',
  '  where hull = max(a2, b2) - min(a1, b1)',
  '',
].join('\n');

describe('where lines', () => {
  it('GIoU with named intersection, union and hull: 1 - IoU + (C - U) / C, as the library writes it', () => {
    // [0, 2] and [1, 4]: intersection 1, union 4, hull 4: GIoU loss 1 - 1/4 + 0.
    assert.equal(valueAt(GIOU, { a1: 0, a2: 2, b1: 1, b2: 4 }, 'giou'), 0.75);
    // Disjoint [0, 1] and [3, 4]: intersection 0, union 2, hull 4: 1 - 0 + 2/4.
    assert.equal(valueAt(GIOU, { a1: 0, a2: 1, b1: 3, b2: 4 }, 'giou'), 1.5);
    const library = `use giou_1d from "library"\n${GIOU}`;
    for (const at of [
      { a1: -1, a2: 0.5, b1: 0, b2: 2 },
      { a1: 0.2, a2: 3, b1: -2, b2: 1 },
    ]) {
      assert.ok(Math.abs(valueAt(library, at, 'giou') - valueAt(library, at, 'giou_1d')) < 1e-6);
    }
  });

  it('a name read twice is one IR node: inter feeds the IoU and the union', () => {
    const found = findLoss(GIOU, 'giou');
    assert.ok(found.ok);
    const program = lowerToProgram(found.loss.graph, [found.loss.value]);
    // max(0, min(a2, b2) - max(a1, b1)) appears once among the instructions.
    const maxes = program.instructions.filter((n) => n.tag === 'op' && n.op === 'max2');
    assert.equal(maxes.length, 3, 'max(0, ...), max(a1, b1), max(a2, b2)');
  });

  it('refuses a dangling where, a name that is taken, a name read above its line, with line and column', () => {
    assert.deepEqual(errorLines('where u = 1\nf(z) = z\n'), ['1:1 a `where` line names a value of the definition above it: put it right under a definition']);
    assert.deepEqual(errorLines('param a = 1 in [0, 2]\nf(z) = a * z\n  where a = 2\n'), ["3:9 'a' is a param: a `where` name must be new"]);
    assert.deepEqual(errorLines('f(z) = u\n  where z = 2\n  where u = 1\n'), ["2:9 'z' is an argument of 'f': a `where` name must be new"]);
    assert.deepEqual(errorLines('f(z) = v\n  where u = v + 1\n  where v = z\n'), [
      "2:13 'v' is named by the `where` line 3, below this one: move that line up",
    ]);
    assert.deepEqual(errorLines('f(z) = u\n  where u = sigmod(z)\n'), ["2:13 unknown function 'sigmod' (did you mean 'sigmoid'?)"]);
  });

  it('a where line under a broken definition is not reported as dangling', () => {
    assert.deepEqual(errorLines('f() = 1\n  where u = 2\n'), ["1:1 'f' needs at least one argument, e.g. f(z)"]);
  });

  it('renames an argument in the where lines too, and renames a where name everywhere', () => {
    const arg = withCursor('f(z) = u * |z\n  where u = sigmoid(z)\n');
    const r = renameAt(arg.document, arg.position, 'm');
    assert.ok(r.ok);
    // The argument, its use in the body and its use in the where line.
    assert.deepEqual(
      r.edits.map((e) => `${e.range.startLine}:${e.range.startColumn}`),
      ['0:2', '0:11', '1:20'],
    );
    const local = withCursor('f(z) = |u * z\n  where u = sigmoid(z)\n  where v = u + 1\n');
    const l = renameAt(local.document, local.position, 'weight');
    assert.ok(l.ok);
    assert.deepEqual(
      l.edits.map((e) => `${e.range.startLine}:${e.range.startColumn}`),
      ['0:7', '1:8', '2:12'],
    );
    const clash = renameAt(local.document, local.position, 'v');
    assert.ok(!clash.ok && /already has a `where` name 'v'/.test(clash.message));
  });

  it('goes to a where name from its use, and hovers it with its expression', () => {
    const { document, position } = withCursor('f(z) = |u * z\n  where u = sigmoid(z)\n');
    assert.deepEqual(definitionAt(document, position), { range: { startLine: 1, startColumn: 8, endLine: 1, endColumn: 9 } });
    assert.match(hoverAt(document, position)?.markdown ?? '', /u = sigmoid\(z\)[\s\S]*a `where` name of `f`/);
  });

  it("the export's header shows the where lines with the definition", () => {
    assert.deepEqual(lossSourceLines(GIOU, 'giou'), GIOU.trimEnd().split('\n'));
  });

  it('reads `# where` comments under a `# loss:` line of a Python file', () => {
    const py = ['import torch', '# loss: f(z) = u * z', '#   where u = sigmoid(z)', 'x = 1', ''].join('\n');
    const r = analyzeDocumentText(py, 'python');
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(
      r.losses.map((l) => l.name),
      ['f'],
    );
  });
});
