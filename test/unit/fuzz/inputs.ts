/**
 * Hostile and mutated .loss texts for the fuzz properties: random code points, token soup
 * (brackets, huge numbers, prototype names, JavaScript and mathjs `import`/`evaluate`/
 * `createUnit`, control characters, bidi overrides), deep nesting, and real files mutated.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..', '..');

/** Every .loss file of the library and the examples: the seeds of the mutations. */
export const REAL_FILES: readonly string[] = ['library', 'examples'].flatMap((dir) =>
  readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith('.loss'))
    .map((f) => readFileSync(join(ROOT, dir, f), 'utf8')),
);

const TOKENS = [
  ...['(', ')', '[', ']', '{', '}', ',', ';', ':', '?', '=', '==', '!', '%', "'", '"', '`', '#', '.', '..', '\\', '$', '|', '&'],
  ...['+', '-', '*', '/', '^', '.*', './', '.^', '<', '<=', 'and', 'or', 'not', '=>', '->', ' ', '  ', '\t', '\n', '\r', '\r\n'],
  ...['z', 'p', 'y', 's', 'q', 'r', 'm', 'f', 'loss', 'f(z) =', 'g(p, y) =', 'h(s, y) =', 'sigmoid(', 'log(', 'softplus(', 'logsumexp(', 's[y]'],
  ...['0', '1', '2.5', '-1', '1e400', '1e-400', '10^400', '2^1024', '1e39', '0/0', '1/0', 'NaN', 'Infinity', '9'.repeat(400), '0x10', '1_000', '.5e'],
  ...['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'this', 'globalThis', 'process'],
  ...['import', 'evaluate', 'createUnit', 'parse', 'compile', 'simplify', 'derivative', 'eval', 'Function', 'require', 'new', 'function(){}'],
  ...['import({x: 1}, {override: true})', 'evaluate("1+1")', 'createUnit("foo")', '5 cm', 'x = 1', 'f(x) = x', '[1, 2; 3, 4]', 'a.b', 'a:b'],
  ...['param', 'param a = 1 in [0, 2]', 'param b = 5 in [0, 1]', 'use', 'use focal from "library"', 'from', '"library"', 'with', 'in'],
  ...['@kind', '@kind margin', '@kind constructor', '@classes', '@classes 1000000', '@cite', '@describe', '@helper', '@'],
  ...['\u0000', '\u0007', '\u001b[31m', '\u2028', '\u2029', '\u202e', '\u200b', '\ufeff', 'π', 'é', '𝑧', '😀', '\ud800', '\udfff'],
];

/** Random code points, surrogate halves and control characters included. */
const randomText = fc.string({ unit: 'binary', maxLength: 400 });

/** Tokens of the language and of its attackers, in random order. */
const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 120 }).map((ts) => ts.join(''));

/** A definition nested `depth` deep, in the shapes that recurse in a parser. */
const deepNesting = fc
  .tuple(fc.constantFrom('(', 'sigmoid(', '[', '-', 'not ', 'z^', 'z ? z : ', 'z + '), fc.integer({ min: 1, max: 200_000 }), fc.boolean())
  .map(([open, depth, closed]) => {
    const close = open.endsWith('(') ? ')' : open === '[' ? ']' : '';
    return `f(z) = ${open.repeat(depth)}z${closed ? close.repeat(depth) : ''}`;
  });

/** A real file with random edits: a token inserted, a span deleted or a line repeated. */
const mutatedFile = fc
  .tuple(
    fc.constantFrom(...REAL_FILES),
    fc.array(fc.tuple(fc.nat(), fc.nat({ max: 40 }), fc.constantFrom(...TOKENS), fc.constantFrom('insert', 'delete', 'repeat')), {
      minLength: 1,
      maxLength: 8,
    }),
  )
  .map(([text, edits]) => {
    let t = text;
    for (const [at, span, token, how] of edits) {
      const i = at % (t.length + 1);
      if (how === 'insert') t = t.slice(0, i) + token + t.slice(i);
      else if (how === 'delete') t = t.slice(0, i) + t.slice(i + span);
      else t = t.slice(0, i) + t.slice(i, i + span).repeat(span) + t.slice(i);
    }
    return t;
  });

export const lossTexts: fc.Arbitrary<string> = fc.oneof(randomText, tokenSoup, deepNesting, mutatedFile);
