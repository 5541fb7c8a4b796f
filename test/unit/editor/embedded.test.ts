/** Losses inside Python, TypeScript and Markdown: extraction, and ranges that map back to the host. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { extractLossSources, lossTextAt, mayEmbedLosses, sourceAt, toHostRange } from '../../../src/core/lang/embedded';

const EXAMPLES = join(__dirname, '..', '..', '..', 'examples');
const PYTHON = readFileSync(join(EXAMPLES, 'embedded.py'), 'utf8');
const NOTES = readFileSync(join(EXAMPLES, 'notes.md'), 'utf8');

/** Line `n` of `text`. */
const line = (text: string, n: number): string => text.split(/\r?\n/)[n] ?? '';
const lineIndex = (text: string, start: string): number => text.split(/\r?\n/).findIndex((l) => l.startsWith(start));

describe('embedded losses', () => {
  it('reads the loss comments of a Python file as one source, line- and column-aligned with it', () => {
    const [source, ...rest] = extractLossSources(PYTHON, 'python');
    assert.ok(source);
    assert.equal(rest.length, 0);
    assert.equal(source.form, 'comments');
    const focal = lineIndex(PYTHON, '# loss: focal');
    // The marker is blanked, so the definition keeps its host columns.
    assert.equal(line(source.text, focal), `        ${line(PYTHON, focal).slice('# loss: '.length)}`);
    assert.equal(line(source.text, focal).indexOf('focal('), line(PYTHON, focal).indexOf('focal('));
    assert.equal(line(source.text, lineIndex(PYTHON, '# param gamma')), '  param gamma = 2 in [0, 5]');
    // Python code, docstrings and ordinary comments are blank.
    assert.equal(line(source.text, lineIndex(PYTHON, 'import torch')), '');
    assert.equal(line(source.text, lineIndex(PYTHON, '# Logistic loss')), '');
    assert.equal(source.text.split('\n').length, PYTHON.split('\n').length);
    assert.equal(source.firstLine, lineIndex(PYTHON, '# param gamma'));
    assert.equal(source.lastLine, lineIndex(PYTHON, '# loss: pinball'));
  });

  it('needs a `loss:` line: a Python file with only `# param x = ...` comments holds no loss', () => {
    assert.deepEqual(extractLossSources('# param lr = 0.1 in [0, 1]\nx = 1\n', 'python'), []);
    assert.equal(mayEmbedLosses('# param lr = 0.1 in [0, 1]\n', 'python'), false);
    assert.equal(mayEmbedLosses(PYTHON, 'python'), true);
  });

  it('leaves comments that are not .loss text alone: `# param lr: the learning rate`', () => {
    const [source] = extractLossSources('# param lr: the learning rate\n# @todo later\n# loss: l(z) = z\n', 'python');
    assert.deepEqual(source?.text.split('\n'), ['', '', '        l(z) = z', '']);
  });

  it('reads `//` comments in TypeScript and JavaScript', () => {
    const ts = 'const a = 1;\n  // param beta = 1 in [0, 2]\n  // loss: smooth(r) = beta * r^2\n';
    for (const language of ['typescript', 'javascript', 'typescriptreact', 'javascriptreact']) {
      const [source] = extractLossSources(ts, language);
      assert.equal(line(source?.text ?? '', 2), '           smooth(r) = beta * r^2', language);
    }
    assert.deepEqual(extractLossSources(ts, 'rust'), []);
    assert.deepEqual(extractLossSources(ts, 'constructor'), [], 'a language id is not a key of Object.prototype');
  });

  it('reads each ```loss block of Markdown as a source of its own, fences and prose blank', () => {
    const sources = extractLossSources(NOTES, 'markdown');
    assert.equal(sources.length, 2);
    const [gce, sigmoidLoss] = sources as [(typeof sources)[0], (typeof sources)[0]];
    const gceLine = lineIndex(NOTES, 'gce(s, y)');
    assert.equal(line(gce.text, gceLine), line(NOTES, gceLine));
    assert.equal(line(gce.text, lineIndex(NOTES, '```loss')), '');
    assert.equal(line(gce.text, lineIndex(NOTES, 'sigmoid_loss')), '', 'the second block is not in the first source');
    assert.equal(gce.firstLine, lineIndex(NOTES, '```loss') + 1);
    assert.equal(gce.anchor.startLine, lineIndex(NOTES, '```loss'));
    assert.equal(line(sigmoidLoss.text, lineIndex(NOTES, 'sigmoid_loss')), 'sigmoid_loss(z) = 1 - sigmoid(z)');
  });

  it('follows CommonMark fences: ~~~ and longer fences, an unclosed block to the end, other languages hidden', () => {
    const md = ['~~~~ loss', 'a(z) = z', '~~~', 'b(z) = z', '~~~~', '````markdown', '```loss', 'c(z) = z', '```', '````', '```loss', 'd(z) = z'].join('\n');
    const sources = extractLossSources(md, 'markdown');
    assert.deepEqual(
      sources.map((s) => [s.firstLine, s.lastLine]),
      [
        [1, 3],
        [11, 11],
      ],
    );
    assert.equal(line(sources[0]?.text ?? '', 3), 'b(z) = z', 'a shorter fence does not close a longer one');
  });

  it('keeps a block in a list item: its indentation is spaces, so columns agree', () => {
    const md = '- item\n\n  ```loss\n  f(z) = z\n  ```\n';
    const [source] = extractLossSources(md, 'markdown');
    assert.equal(line(source?.text ?? '', 3), '  f(z) = z');
  });

  it('maps a range outside the source (a diagnostic about the whole source) to its anchor', () => {
    const [source] = extractLossSources('text\n```loss\n```\n', 'markdown');
    assert.ok(source);
    assert.deepEqual(toHostRange(source, { startLine: 0, startColumn: 0, endLine: 0, endColumn: 1 }), {
      startLine: 1,
      startColumn: 0,
      endLine: 1,
      endColumn: 7,
    });
    const [block] = extractLossSources('text\n```loss\nf(z) = z\n```\n', 'markdown');
    const inside = { startLine: 2, startColumn: 0, endLine: 2, endColumn: 1 };
    assert.equal(block && toHostRange(block, inside), inside);
  });

  it('knows which positions are .loss text: after the marker of a loss comment, never in the code', () => {
    const sources = extractLossSources(PYTHON, 'python');
    const focal = lineIndex(PYTHON, '# loss: focal');
    assert.ok(sourceAt(sources, focal, line(PYTHON, focal).indexOf('focal')));
    assert.equal(sourceAt(sources, focal, 3), undefined, 'inside the `# loss:` marker');
    assert.equal(sourceAt(sources, focal + 1, 4), undefined, 'the def line below');
    assert.equal(lossTextAt(PYTHON, 'python', focal), sources[0]?.text);
    assert.equal(lossTextAt(NOTES, 'markdown', lineIndex(NOTES, 'sigmoid_loss')), extractLossSources(NOTES, 'markdown')[1]?.text);
  });

  it('reads a .loss file as one source, and \\r\\n line ends as \\n', () => {
    const [source] = extractLossSources('a(z) = z\r\nb(z) = z', 'loss');
    assert.equal(source?.text, 'a(z) = z\nb(z) = z');
    assert.equal(source?.form, 'file');
  });
});
