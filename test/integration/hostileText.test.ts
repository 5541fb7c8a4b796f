/**
 * A hostile .loss text, sent to the built worker as the editor would send an open document:
 * text that looks like JavaScript or mathjs (`import`, `evaluate`, `createUnit`, `require`,
 * `process.exit`), names like `__proto__` and `constructor`. It is parsed and diagnosed, each
 * diagnostic with a range inside the text; nothing is run (the worker lives on, no file is
 * written), and no built-in prototype of the worker changes (an audit preloaded into the thread).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { WorkerClient } from '../../src/worker/client';

const ROOT = join(__dirname, '..', '..');
const WORKER = join(ROOT, 'dist', 'worker.js');
const AUDITOR = join(__dirname, 'fixtures', 'auditPrototypes.cjs');

const dir = mkdtempSync(join(tmpdir(), 'losslab-hostile-'));
const AUDIT = join(dir, 'audit.json');
const PWNED = join(dir, 'pwned');

/** Each line tries one way out of the language; the last loss is sound, so the file has one. */
export const HOSTILE_LOSS = `# every line below must be refused, none run
param __proto__ = 1 in [0, 2]
param constructor = 1 in [0, 2]
import(z) = evaluate("require('fs').writeFileSync('${PWNED}', '')")
@kind margin
a(z) = import({ evaluate: 1 }, { override: true })
@kind margin
b(z) = createUnit("pwn", "1 m") + evaluate("1")
@kind margin
c(z) = z.constructor.constructor("return process")().exit(1)
@kind margin
d(z) = __proto__(z) + constructor(z) + toString(z) + hasOwnProperty(z)
@kind margin
e(z) = z["__proto__"]["polluted"] + z[\`x\`]
@kind margin
f(z) = require("child_process").execSync("touch ${PWNED}")
@kind margin
g(z) = (function () { return 1 })() + process.exit(1)
@kind margin
h(z) = {polluted: 1}.polluted + [1, 2][1] + 'str'
@kind margin
i(z) = x = 1; z
@kind margin
j(z) = 1e400 * z + 10^400
__proto__(z) = z
constructor(z) = z
@kind margin
sound(z) = log(1 + exp(-z))
`;

describe('a hostile .loss text in the worker', () => {
  process.env.LOSSLAB_PROTOTYPE_AUDIT = AUDIT;
  const crashes: string[] = [];
  const client = new WorkerClient(WORKER, {}, { onCrash: (m) => crashes.push(m) }, { execArgv: ['--require', AUDITOR] });
  after(async () => {
    await client.dispose();
    delete process.env.LOSSLAB_PROTOTYPE_AUDIT;
    rmSync(dir, { recursive: true, force: true });
  });

  const audit = (): { sent: number; changes: string[] } => JSON.parse(readFileSync(AUDIT, 'utf8')) as { sent: number; changes: string[] };

  it('is parsed and diagnosed: an error on every hostile line, each with a range inside the text', async () => {
    await client.ready();
    const r = await client.request<'analyze'>({ type: 'analyze', view: 'a', text: HOSTILE_LOSS }).promise;
    assert.equal(r.status, 'ok');
    if (r.status !== 'ok') return;
    const lines = HOSTILE_LOSS.split('\n');
    const errorLines = new Set(r.result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.range.startLine));
    lines.forEach((text, line) => {
      const hostile = /^([a-j_]\w*\(z\)|import|constructor|param (__proto__|constructor))/.test(text) && !text.startsWith('sound');
      if (hostile) assert.ok(errorLines.has(line), `line ${line + 1} refused: ${text}`);
    });
    for (const d of r.result.diagnostics) {
      assert.ok(d.range.startLine >= 0 && d.range.endLine < lines.length, d.message);
      assert.ok(d.range.startColumn >= 0 && d.range.endColumn <= (lines[d.range.endLine]?.length ?? 0) + 1, d.message);
    }
    assert.deepEqual(
      r.result.losses.map((l) => l.name),
      ['sound'],
    );
  });

  it('runs nothing: evaluating and checking the hostile names fails with diagnostics, the sound loss computes', async () => {
    for (const loss of ['a', 'b', 'c', 'f', 'g', 'import', '__proto__', 'constructor']) {
      const r = await client.request<'point'>({ type: 'point', view: 'p', text: HOSTILE_LOSS, loss, params: {}, at: { z: 1 } }).promise;
      assert.equal(r.status, 'failed', loss);
    }
    const check = await client.request<'check'>({ type: 'check', view: 'c', text: HOSTILE_LOSS, loss: 'sound', params: {} }).promise;
    assert.equal(check.status, 'ok');
    const point = await client.request<'point'>({ type: 'point', view: 'p', text: HOSTILE_LOSS, loss: 'sound', params: {}, at: { z: 0 } }).promise;
    assert.ok(point.status === 'ok' && Math.abs(point.result.value - Math.log(2)) < 1e-6, 'softplus(0) = log 2');
    assert.equal(existsSync(PWNED), false, 'no file was written');
    assert.deepEqual(crashes, [], 'the worker did not exit');
  });

  it('refuses a param named after an Object.prototype property (__proto__ cannot be a key of the params object)', async () => {
    const text = 'param __proto__ = 2 in [0, 5]\n@kind margin\nk(z) = __proto__ * z\n';
    const r = await client.request<'analyze'>({ type: 'analyze', view: 'a', text }).promise;
    assert.ok(r.status === 'ok' && r.result.diagnostics.some((d) => d.severity === 'error' && d.range.startLine === 0));
  });

  it("leaves the worker's built-in prototypes as they were once it started", () => {
    const { sent, changes } = audit();
    assert.ok(sent >= 12, `audited ${sent} messages`);
    assert.deepEqual(changes, []);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
