import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeLossText } from '../../../src/core/analyze';
import { DEFAULT_LIMITS, LIMIT_SETTINGS, resolveLimits } from '../../../src/core/lang/limits';
import type { LanguageLimits } from '../../../src/core/lang/limits';

/** The only error of `text`, which must name its limit's setting. */
function limitError(text: string, limits: Partial<LanguageLimits> = {}) {
  const errors = analyzeLossText(text, { limits }).diagnostics.filter((d) => d.severity === 'error');
  assert.equal(errors.length, 1, JSON.stringify(errors));
  return errors[0] as (typeof errors)[number];
}

describe('language limits', () => {
  it('refuses a file over the size limit with one diagnostic, before reading it', () => {
    const d = limitError('z(z) = z\n'.repeat(20), { fileSize: 100 });
    assert.equal(d.code, 'limit-fileSize');
    assert.match(d.message, /longer than 100 characters \(limit losslab\.limits\.fileSize\)/);
  });

  it('refuses a file over the line limit', () => {
    const d = limitError('\n'.repeat(10) + 'f(z) = z', { lines: 10 });
    assert.equal(d.code, 'limit-lines');
    assert.match(d.message, /more than 10 lines \(limit losslab\.limits\.lines\)/);
  });

  it('refuses a line over the length limit, at that line, and reads the others', () => {
    const r = analyzeLossText(`f(z) = z\ng(z) = ${'z + '.repeat(2000)}z`);
    const d = r.diagnostics.find((x) => x.code === 'limit-lineLength');
    assert.equal(d?.range.startLine, 1);
    assert.match(d?.message ?? '', /limit losslab\.limits\.lineLength/);
    assert.deepEqual(
      r.losses.map((l) => l.name),
      ['f'],
    );
  });

  it('refuses 100,000 nested parentheses from the raw text, without a stack overflow in mathjs', () => {
    const d = limitError(`f(z) = ${'('.repeat(100_000)}z${')'.repeat(100_000)}`, { lineLength: 1_000_000 });
    assert.equal(d.code, 'limit-astDepth');
    assert.equal(d.message, 'expression nesting deeper than 64 (limit losslab.limits.astDepth)');
    // The range is the first bracket past the limit: column of `f(z) = ` plus 64.
    assert.equal(d.range.startColumn, 'f(z) = '.length + 64);
  });

  it('refuses a syntax tree deeper than the limit that has no brackets (z^z^...^z nests to the right)', () => {
    const d = limitError(`f(z) = ${Array.from({ length: 100 }, () => 'z').join('^')}`);
    assert.equal(d.code, 'limit-astDepth');
  });

  it('refuses a run of prefix operators longer than the depth limit from the raw text', () => {
    const d = limitError(`f(z) = ${'- '.repeat(1990)}z`);
    assert.equal(d.code, 'limit-astDepth');
    assert.equal(d.range.startColumn, 'f(z) = '.length);
  });

  it('turns a stack overflow under raised limits into the nesting diagnostic, not an exception', () => {
    const d = limitError(`f(z) = ${'-'.repeat(200_000)}z`, { lineLength: 1e6, astDepth: 1e6, astNodes: 1e6 });
    assert.equal(d.code, 'limit-astDepth');
  });

  it('accepts nesting at the limit', () => {
    const r = analyzeLossText(`f(z) = ${'('.repeat(60)}z${')'.repeat(60)}`);
    assert.deepEqual(r.diagnostics, []);
  });

  it('refuses an expression of more nodes than the limit', () => {
    const d = limitError(`f(z) = ${Array.from({ length: 50 }, () => 'z').join(' * ')}`, { astNodes: 20, astDepth: 1000 });
    assert.equal(d.code, 'limit-astNodes');
    assert.match(d.message, /more than 20 terms \(limit losslab\.limits\.astNodes\)/);
  });

  it('refuses a number literal that is Infinity in float64 (1e400 > 1.8e308)', () => {
    const d = limitError('f(z) = z + 1e400');
    assert.equal(d.code, 'limit-constantMagnitude');
    assert.equal(d.range.startColumn, 'f(z) = z + '.length);
  });

  it('refuses a constant subexpression that overflows float64 when folded: 10^400', () => {
    const d = limitError('f(z) = z * 10^400');
    assert.equal(d.code, 'limit-constantMagnitude');
    assert.match(d.message, /constant expression \(Infinity in float64\).*limit losslab\.limits\.constantMagnitude/);
  });

  it('refuses a constant above the float32 maximum 3.4028e38, where the tensor engine computes', () => {
    assert.equal(limitError('f(z) = z + 1e39').code, 'limit-constantMagnitude');
    assert.deepEqual(analyzeLossText('f(z) = z + 1e38').diagnostics, []);
  });

  it('refuses a constant expression with no real value: 0/0 is NaN', () => {
    assert.equal(limitError('f(z) = z + 0/0').code, 'constant-not-real');
  });

  it('takes a raised limit from the options, as a setting would give it', () => {
    assert.deepEqual(analyzeLossText('f(z) = z + 1e39', { limits: { constantMagnitude: 1e300 } }).diagnostics, []);
  });

  it('keeps a default for a limit set to something that is not a positive number', () => {
    assert.deepEqual(resolveLimits({ astDepth: -1, lines: Number.NaN }), DEFAULT_LIMITS);
  });

  it('names one setting for every limit, under losslab.limits', () => {
    assert.deepEqual(Object.keys(LIMIT_SETTINGS).sort(), Object.keys(DEFAULT_LIMITS).sort());
    for (const setting of Object.values(LIMIT_SETTINGS)) assert.match(setting, /^losslab\.limits\.[a-zA-Z]+$/);
  });
});
