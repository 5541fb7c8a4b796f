/** `losslab` spawned as a process, as CI users run it: JSON on stdout, exit codes, stderr messages. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(__dirname, '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'losslab-cli-'));

function losslab(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'losslab.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function lossFile(name: string, text: string): string {
  const f = join(tmp, name);
  writeFileSync(f, text);
  return f;
}

describe('losslab eval', () => {
  it('gives focal loss at p = 0.3 to 1e-5 of the closed form (Lin et al. 2017)', () => {
    const r = losslab('eval', 'examples/focal.loss', '--at', 'p=0.3', '--json');
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { loss: string; kind: string; backend: string; precision: string; value: number; grad: { p: number } };
    assert.equal(out.loss, 'focal');
    assert.equal(out.kind, 'probability');
    // float64 by default: LossLab's float64 reference, no tensor backend.
    assert.equal(out.backend, 'float64');
    assert.equal(out.precision, 'float64');
    const value = -0.25 * 0.7 ** 2 * Math.log(0.3);
    const grad = 0.25 * 2 * 0.7 * Math.log(0.3) - (0.25 * 0.7 ** 2) / 0.3;
    assert.ok(Math.abs(out.value - value) / value < 1e-5, `value ${out.value}`);
    assert.ok(Math.abs(out.grad.p - grad) / Math.abs(grad) < 1e-5, `grad ${out.grad.p}`);
  });

  it('gives cross-entropy at s = (10, 0, 0) to 1e-12 in float64, and in float32 with --precision float32 beside the float64 value', () => {
    // log(1 + 2 e^-10), the closed form of logsumexp(s) - s_1 there.
    const exact = Math.log1p(2 * Math.exp(-10));
    const args = ['eval', 'library/multiclass.loss', '--loss', 'cross_entropy', '--at', 's=[10,0,0]', '--at', 'y=1', '--json'];
    const f64 = JSON.parse(losslab(...args).stdout) as { value: number };
    assert.ok(Math.abs(f64.value - exact) / exact < 1e-12, `float64 ${f64.value}`);
    const r = losslab(...args, '--precision', 'float32');
    assert.equal(r.code, 0, r.stderr);
    const f32 = JSON.parse(r.stdout) as { backend: string; precision: string; value: number; float64_value: number; relative_difference: number };
    assert.equal(f32.backend, 'wasm');
    assert.equal(f32.precision, 'float32');
    assert.equal(f32.float64_value, f64.value);
    // The float32 engines compute logsumexp(s - s[y]): the written difference was 2.2e-3 off.
    assert.ok(f32.relative_difference < 1e-5, `float32 relative difference ${f32.relative_difference}`);
    assert.equal(losslab(...args, '--precision', 'float16').code, 2);
  });

  it('takes --param and vector inputs', () => {
    const r = losslab('eval', 'examples/focal.loss', '--at', 'p=0.3', '--param', 'gamma=0', '--param', 'alpha=1', '--json');
    assert.equal(r.code, 0, r.stderr);
    // gamma = 0, alpha = 1 is cross-entropy: -log p.
    assert.ok(Math.abs((JSON.parse(r.stdout) as { value: number }).value + Math.log(0.3)) < 1e-6);
    const m = losslab('eval', 'examples/multiclass.loss', '--loss', 'cross_entropy', '--at', 's=[0,0,0,0]', '--at', 'y=2', '--json');
    assert.equal(m.code, 0, m.stderr);
    const out = JSON.parse(m.stdout) as { value: number; grad: { s: number[] } };
    assert.ok(Math.abs(out.value - Math.log(4)) < 1e-6);
    assert.deepEqual(
      out.grad.s.map((g) => Math.round(g * 1e6) / 1e6),
      [0.25, -0.75, 0.25, 0.25],
    );
  });
});

describe('losslab check', () => {
  it('fails stability for log(1 + exp(-z)) with a witness and the softplus rewrite; passes softplus(-z)', () => {
    const bad = losslab('check', lossFile('lg.loss', 'lg(z) = log(1 + exp(-z))\n'), '--json');
    assert.equal(bad.code, 0, bad.stderr);
    const report = JSON.parse(bad.stdout) as {
      loss: string;
      kind: string;
      params: object;
      checks: { id: string; verdict: string; summary: string; metrics: object; witness?: { z: number; rewrite: string } }[];
    };
    assert.deepEqual([report.loss, report.kind], ['lg', 'margin']);
    const stability = report.checks.find((c) => c.id === 'stability');
    assert.equal(stability?.verdict, 'fail');
    assert.equal(typeof stability?.witness?.z, 'number');
    assert.match(stability?.witness?.rewrite ?? '', /softplus\(-z\)/);
    const good = losslab('check', lossFile('sp.loss', 'lg(z) = softplus(-z)\n'), '--json');
    const goodReport = JSON.parse(good.stdout) as { checks: { id: string; verdict: string }[] };
    // softplus(-z) is stable and its derivative right; it is unbounded above (bounded fails), as it should.
    for (const id of ['gradient', 'stability', 'smoothness', 'convexity', 'lipschitz', 'calibration']) {
      assert.equal(goodReport.checks.find((c) => c.id === id)?.verdict, 'pass', id);
    }
    assert.equal(goodReport.checks.find((c) => c.id === 'bounded')?.verdict, 'fail');
  });

  it('exits 1 under --strict when a check fails, 0 without', () => {
    const f = lossFile('lg2.loss', 'lg(z) = log(1 + exp(-z))\n');
    assert.equal(losslab('check', f, '--strict').code, 1);
    assert.equal(losslab('check', f).code, 0);
    assert.equal(losslab('check', 'examples/focal.loss', '--strict', '--only', 'stability').code, 0);
  });
});

describe('bad input exits 2 with file, line and column on stderr', () => {
  const cases: [string, string, RegExp][] = [
    ['syntax error', 'f(z) = (1 + \n', /syntax\.loss:1:\d+: error: syntax error/],
    ['unknown function', 'lg(z) = sigmod(z)\n', /unknown\.loss:1:9: error: unknown function 'sigmod' \(did you mean 'sigmoid'\?\)/],
    ['empty file', '', /empty\.loss:1:1: error: the file defines no loss/],
  ];
  for (const [what, text, expected] of cases) {
    it(what, () => {
      const r = losslab('check', lossFile(`${what.split(' ')[0]}.loss`, text), '--json');
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, expected);
    });
  }

  it('a missing file', () => {
    const r = losslab('eval', join(tmp, 'nope.loss'));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nope\.loss: cannot read the file: no such file/);
  });

  it('an unknown loss, param or option', () => {
    assert.match(losslab('eval', 'examples/focal.loss', '--loss', 'focl').stderr, /no loss named 'focl'; the file defines 'focal', 'focal_logit'/);
    assert.match(losslab('eval', 'examples/focal.loss', '--param', 'beta=1').stderr, /has no param 'beta'/);
    assert.equal(losslab('eval', 'examples/focal.loss', '--frobnicate').code, 2);
  });

  it('names an unknown option once, with balanced quotes (node\'s message suggests -- "--x)', () => {
    const r = losslab('eval', 'examples/focal.loss', '--frobnicate');
    assert.match(r.stderr, /^unknown option '--frobnicate'\n/);
    assert.match(losslab('eval', 'examples/focal.loss', '--loss').stderr, /^option '--loss' needs a value\n/);
  });
});

describe('a file with an error anywhere exits 2 and lists every error, even for a sound loss', () => {
  // A good first loss used to be evaluated with exit 0 and nothing on stderr, dropping the rest.
  const text = [
    'f(z) = g(z) + 1', // calls g before its definition
    'g(z) = z^2',
    'param a = 7 in [0, 1]',
    'h(z) = argmax(z)',
    'k(z) = alph * z',
    'r(z) = r(z) + 1',
    '',
  ].join('\n');
  const expected = [
    /mixed\.loss:1:8: error: 'g' is used before its definition on line 2/,
    /mixed\.loss:3:11: error: the default 7 of 'a' is outside its range \[0, 1\]/,
    /mixed\.loss:4:8: error: unknown function 'argmax'/,
    /mixed\.loss:5:8: error: unknown name 'alph'/,
    /mixed\.loss:6:8: error: 'r' calls itself: recursion is not allowed/,
  ];
  for (const args of [['eval'], ['eval', '--loss', 'g'], ['check', '--loss', 'g', '--json'], ['export', '--loss', 'g', '--to', 'pytorch']]) {
    it(`losslab ${args.join(' ')}`, () => {
      const [command, ...rest] = args as [string, ...string[]];
      const r = losslab(command, lossFile('mixed.loss', text), ...rest);
      assert.equal(r.code, 2, r.stdout);
      assert.equal(r.stdout, '');
      for (const e of expected) assert.match(r.stderr, e);
      // In the order of the file, as a compiler prints them.
      const lines = [...r.stderr.matchAll(/mixed\.loss:(\d+):/g)].map((m) => Number(m[1]));
      assert.deepEqual(
        lines,
        [...lines].sort((a, b) => a - b),
      );
    });
  }

  it('a Markdown block with an error fails the file, though another block is sound', () => {
    const md = '```loss\ngood(z) = softplus(-z)\n```\n\n```loss\nbad(z) = sigmod(z)\n```\n';
    const r = losslab('eval', lossFile('notes.md', md));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /notes\.md:6:10: error: unknown function 'sigmod'/);
  });
});

describe('losslab eval says where it evaluated', () => {
  it('names the default input and the params, in text and in --json', () => {
    const text = losslab('eval', 'examples/focal.loss');
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /at {5}p = 0\.5; gamma = 2, alpha = 0\.25\n/);
    const json = JSON.parse(losslab('eval', 'examples/focal.loss', '--at', 'p=0.3', '--json').stdout) as { at: { p: number }; params: { gamma: number } };
    assert.deepEqual(json.at, { p: 0.3 });
    assert.equal(json.params.gamma, 2);
  });
});

describe('losslab --version', () => {
  it("prints package.json's version", () => {
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const r = losslab('--version');
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `losslab ${version}\n`);
  });
});

describe('losslab list', () => {
  it('lists the built-in library with kinds and citations', () => {
    const r = losslab('list', '--json');
    assert.equal(r.code, 0, r.stderr);
    const { losses } = JSON.parse(r.stdout) as { losses: { name: string; kind: string; cite?: string; family: string }[] };
    const hinge = losses.find((l) => l.name === 'hinge');
    assert.equal(hinge?.kind, 'margin');
    assert.match(hinge?.cite ?? '', /Cortes & Vapnik/);
    assert.ok(
      losses.every((l) => l.cite),
      'every library loss carries a citation',
    );
  });
});

describe('losslab report', () => {
  it('writes one self-contained HTML page with the formula, the curves and every check', () => {
    const out = join(tmp, 'focal.html');
    const r = losslab('report', 'examples/focal.loss', '--html', out);
    assert.equal(r.code, 0, r.stderr);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /<math/);
    assert.equal((html.match(/<svg/g) ?? []).length, 3, 'value, first and second derivative');
    for (const id of ['gradient', 'stability', 'properness']) assert.match(html, new RegExp(`<td>${id}</td>`));
    assert.doesNotMatch(html, /<script/);
  });

  it('needs --html', () => {
    const r = losslab('report', 'examples/focal.loss');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /needs --html/);
  });
});

describe('losslab on a batch loss', () => {
  const infonce =
    "size B = 4\nsize D = 3\nparam tau = 0.5 in [0.05, 2]\n@shape z1: [B, D]\n@shape z2: [B, D]\ninfonce(z1, z2) = mean(logsumexp(S, 2) - diag(S))\n  where S = z1 * z2' / tau\n";

  it('evaluates at given tensors (row-major) and sizes, with the gradient in the shape of each input', () => {
    const f = lossFile('infonce.loss', infonce);
    // z1 = z2 = I (2 x 2), tau = 1: each row's logits are (1, 0) with the positive first.
    const r = losslab('eval', f, '--size', 'B=2', '--size', 'D=2', '--at', 'z1=[1, 0, 0, 1]', '--at', 'z2=[1, 0, 0, 1]', '--param', 'tau=1', '--json');
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { kind: string; value: number; grad: { z1: number[]; z2: number[] } };
    assert.equal(out.kind, 'batch');
    assert.ok(Math.abs(out.value - Math.log(1 + Math.exp(-1))) < 1e-15);
    assert.equal(out.grad.z1.length, 4);
  });

  it('refuses an undeclared size, a wrong number of entries, and a shape error, with exit 2 and where', () => {
    const f = lossFile('infonce2.loss', infonce);
    const unknown = losslab('eval', f, '--size', 'Q=3');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /has no size 'Q'; its file declares B, D/);
    const entries = losslab('eval', f, '--at', 'z1=[1, 2]');
    assert.equal(entries.code, 2);
    assert.match(entries.stderr, /'z1' must hold 12 numbers \(shape \[B, D\]|'z1' must hold 12 numbers/);
    const bad = lossFile('bad.loss', 'size B = 4\nsize D = 4\n@shape a: [B, D]\n@shape b: [D, B]\nf(a, b) = mean(a .* b)\n');
    const shape = losslab('eval', bad);
    assert.equal(shape.code, 2);
    assert.match(shape.stderr, /bad\.loss:5:16: error: `\.\*`: the shapes \[B, D\] and \[D, B\] do not broadcast/);
  });

  it('checks it and writes its report: curves along one entry, the others at the seeded default', () => {
    const f = lossFile('infonce3.loss', infonce);
    const check = losslab('check', f, '--only', 'gradient,stability', '--json');
    assert.equal(check.code, 0, check.stderr);
    const verdicts = (JSON.parse(check.stdout) as { checks: { id: string; verdict: string }[] }).checks.map((c) => `${c.id}:${c.verdict}`);
    assert.deepEqual(verdicts, ['gradient:pass', 'stability:pass']);
    const out = join(tmp, 'infonce.html');
    const report = losslab('report', f, '--only', 'gradient', '--html', out);
    assert.equal(report.code, 0, report.stderr);
    assert.match(readFileSync(out, 'utf8'), /z1\[1, 1\]/);
  });
});
