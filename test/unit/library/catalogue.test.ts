/**
 * The catalogue as `losslab list` shows it: at least 60 losses in families, each with its kind,
 * citation and description; params shared by name mean one thing across the whole library.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadLibrary } from '../../../src/core/library/catalogue';
import { defaultLibraryDirectory } from '../../../src/core/lang/library';
import { LIBRARY_DIRECTORY } from './reference';

const ROOT = join(__dirname, '..', '..', '..');

function losslab(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

interface Listed {
  name: string;
  family: string;
  kind: string;
  cite?: string;
  description?: string;
  params: { name: string; value: number; min: number; max: number }[];
}

describe('the library catalogue', () => {
  it('is found from the core without being told where (the repository library/)', () => {
    assert.equal(defaultLibraryDirectory(), LIBRARY_DIRECTORY);
  });

  it('loads without errors, every loss with a citation and a description', () => {
    const library = loadLibrary(LIBRARY_DIRECTORY);
    assert.ok(library.ok, library.ok ? '' : library.errors.join('\n'));
    assert.ok(library.entries.length >= 60, `${library.entries.length} losses`);
    for (const e of library.entries) {
      assert.ok(e.loss.cite, `${e.loss.name} has no @cite`);
      assert.ok(e.loss.description, `${e.loss.name} has no @describe`);
    }
  });

  it('names each loss once across all families', () => {
    const library = loadLibrary(LIBRARY_DIRECTORY);
    assert.ok(library.ok);
    const names = library.entries.map((e) => e.loss.name);
    assert.deepEqual(
      names.filter((n, i) => names.indexOf(n) !== i),
      [],
    );
  });

  it('gives a param name one default and one range everywhere (a file that uses two losses shares it)', () => {
    const library = loadLibrary(LIBRARY_DIRECTORY);
    assert.ok(library.ok);
    const seen = new Map<string, string>();
    for (const e of library.entries) {
      for (const p of e.loss.params) {
        const decl = `${p.value} in [${p.min}, ${p.max}]`;
        assert.equal(seen.get(p.name) ?? decl, decl, `param '${p.name}' of ${e.loss.name}`);
        seen.set(p.name, decl);
      }
    }
  });
});

describe('losslab list', () => {
  it('--json lists at least 60 losses, each with family, kind, citation and description', () => {
    const r = losslab('list', '--json');
    assert.equal(r.code, 0, r.stderr);
    const { losses } = JSON.parse(r.stdout) as { losses: Listed[] };
    assert.ok(losses.length >= 60, `${losses.length} losses`);
    for (const l of losses) assert.ok(l.cite && l.description && l.family && l.kind, JSON.stringify(l));
    const focal = losses.find((l) => l.name === 'focal');
    assert.deepEqual(
      focal?.params.map((p) => [p.name, p.value, p.min, p.max]),
      [
        ['gamma', 2, 0, 5],
        ['alpha', 0.25, 0, 1],
      ],
    );
  });

  it('--family keeps one family, and names the families when there is no such one', () => {
    const r = losslab('list', '--family', 'preference', '--json');
    assert.equal(r.code, 0, r.stderr);
    const { losses } = JSON.parse(r.stdout) as { losses: Listed[] };
    assert.ok(losses.length > 0 && losses.every((l) => l.family === 'preference'));
    assert.ok(losses.some((l) => l.name === 'dpo'));
    const bad = losslab('list', '--family', 'nope');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /no family 'nope'; the families are .*preference/);
  });
});
