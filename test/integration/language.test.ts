/**
 * The editor's requests through the worker: answered at once, even while a check runs (the queue
 * of evaluations does not hold them), and about any document that holds losses.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { WorkerClient } from '../../src/worker/client';

const ROOT = join(__dirname, '..', '..');
const FOCAL = readFileSync(join(ROOT, 'examples', 'focal.loss'), 'utf8');
const PYTHON = readFileSync(join(ROOT, 'examples', 'embedded.py'), 'utf8');

describe('the worker answers the editor', () => {
  const client = new WorkerClient(join(ROOT, 'dist', 'worker.js'), {});
  after(() => client.dispose());

  it('analyzes a Python file: its losses at their comment lines', async () => {
    const r = await client.request<'analyze'>({ type: 'analyze', view: 'py', text: PYTHON, languageId: 'python' }).promise;
    assert.ok(r.status === 'ok');
    assert.deepEqual(
      r.result.losses.map((l) => [l.name, l.range.startLine]),
      PYTHON.split('\n').flatMap((line, i) => (line.startsWith('# loss: ') ? [[/^# loss: (\w+)/.exec(line)?.[1], i]] : [])),
    );
  });

  it('answers completion, hover and diagnostics while a check is running', async () => {
    await client.ready();
    const check = client.request<'check'>({ type: 'check', view: 'check', text: FOCAL, loss: 'focal', params: {} });
    const order: string[] = [];
    void check.promise.then(() => order.push('check'));
    const completion = client.request<'completion'>({ type: 'completion', view: 'c', text: FOCAL, languageId: 'loss', position: { line: 7, column: 11 } });
    const hover = client.request<'hover'>({ type: 'hover', view: 'h', text: FOCAL, languageId: 'loss', position: { line: 7, column: 1 }, options: {} });
    const analyze = client.request<'analyze'>({ type: 'analyze', view: 'a', text: `${FOCAL}\nbad(z) = sigmod(z)`, languageId: 'loss' });
    const [c, h, a] = await Promise.all([completion.promise, hover.promise, analyze.promise]);
    order.push('editor');
    assert.ok(c.status === 'ok' && c.result.completion?.items.some((i) => i.label === 'sigmoid'));
    assert.ok(h.status === 'ok' && h.result.hover?.markdown.includes('probability loss'));
    assert.ok(a.status === 'ok' && a.result.diagnostics[0]?.fix?.edit.newText === 'sigmoid');
    assert.equal((await check.promise).status, 'ok');
    assert.deepEqual(order, ['editor', 'check'], 'the editor was answered before the check finished');
  });

  it('answers "nothing here" as an empty answer, not a failure', async () => {
    const r = await client.request<'hover'>({ type: 'hover', view: 'h', text: PYTHON, languageId: 'python', position: { line: 6, column: 3 }, options: {} })
      .promise;
    assert.deepEqual(r, { status: 'ok', result: {} });
  });
});
