/**
 * The tensor declarations of a .loss file: named sizes and the shapes of a loss's arguments.
 *
 *     size B = 8                     # a named size: its default, set with --size B=64 or the panel
 *     size D = 16
 *     @shape z1: [B, D]              # the argument z1 is a B x D real tensor
 *     @labels y: [B]                 # y holds B class labels in 1..K (not differentiated)
 *     @data mask: [B, D] in {0, 1}   # real data the loss reads but is not differentiated for (targets, masks),
 *                                    # optionally with its domain: a set of values or an interval [lo, hi]
 *     @shape p: [B, K] in (0, 1)     # a domain for real variables too: an interval, open (lo, hi) or closed
 *     @shape w: [B] positive         # [lo, hi], `positive` (0, inf), or `boxes` ([x1, y1, x2, y2] along a last
 *     @shape box: [B, 4] boxes       # axis of 4, x2 > x1, y2 > y1); sets of values are for @data only
 *     infonce(z1, z2, y) = ...
 *
 * A dimension is a size's name, `K` (the number of classes, @classes) or a whole number.
 */
import { rangeOnLine, type SourceRange } from './diagnostics';
import type { DataDomain } from './tensorDomain';

export type Dim = string | number;

export interface SizeDecl {
  readonly name: string;
  readonly value: number;
  readonly range: SourceRange;
}

export { drawFrom, type DataDomain } from './tensorDomain';

/** What a declared tensor holds: real variables, class labels, or real data (not differentiated). */
export type TensorKind = 'shape' | 'labels' | 'data';

/** `@shape name: [dims]`, `@labels name: [dims]` or `@data name: [dims]` above a definition. */
export interface TensorDecl {
  readonly name: string;
  readonly dims: readonly Dim[];
  readonly holds: TensorKind;
  /** `in {0, 1}`, `in [0, 1]`, `in (0, 1)`, `positive` or `boxes` after the dimensions: where the checks draw it. */
  readonly domain?: DataDomain;
  readonly range: SourceRange;
  /** The range of each dimension as written, for errors about one of them. */
  readonly dimRanges: readonly SourceRange[];
}

/** Sizes beyond this would not fit a row of a batch in memory next to its gradient. */
export const MAX_SIZE = 65536;
/** Matrices and rank-3 tensors; beyond that no loss of the literature needs a row to go. */
export const MAX_RANK = 3;

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string; range: SourceRange };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `size B = 8` (the whole statement, at `indent` on `line`). */
export function parseSize(stmt: string, line: number, indent: number): Parsed<SizeDecl> {
  const m = /^size\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(\S+)$/.exec(stmt);
  const whole = rangeOnLine(line, indent, indent + stmt.length);
  if (!m) return { ok: false, message: 'expected `size NAME = whole number`, e.g. `size B = 8`', range: whole };
  const [, name, text] = m as unknown as [string, string, string];
  const nameStart = indent + stmt.indexOf(name, 4);
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > MAX_SIZE) {
    const at = indent + stmt.lastIndexOf(text);
    return { ok: false, message: `a size is a whole number from 1 to ${MAX_SIZE}, got '${text}'`, range: rangeOnLine(line, at, at + text.length) };
  }
  if (name === 'K') return { ok: false, message: 'K is the number of classes: set it with @classes N', range: rangeOnLine(line, nameStart, nameStart + 1) };
  return { ok: true, value: { name, value, range: rangeOnLine(line, nameStart, nameStart + name.length) } };
}

/** The argument of `@shape` or `@labels`: `name: [d1, d2, ...]`, starting at column `column`. */
export function parseTensorDecl(arg: string, holds: TensorKind, line: number, column: number): Parsed<TensorDecl> {
  const whole = rangeOnLine(line, column, column + arg.length);
  const example = holds === 'labels' ? '@labels y: [B]' : holds === 'data' ? '@data mask: [B, D]' : '@shape z: [B, D]';
  const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*:\s*\[([^\]]*)\](?:\s+(in\s+.*|\S.*))?$/.exec(arg);
  if (!m) return { ok: false, message: `expected \`name: [sizes]\`, e.g. \`${example}\``, range: whole };
  const [, name, inner, domainText] = m as unknown as [string, string, string, string | undefined];
  let domain: DataDomain | undefined;
  if (domainText !== undefined) {
    const at = column + arg.lastIndexOf(domainText);
    const range = rangeOnLine(line, at, at + domainText.length);
    const text = domainText.trim();
    const parsed = text === 'positive' || text === 'boxes' ? wordDomain(text) : /^in\s/.test(text) ? parseDomain(text.slice(2).trim()) : undefined;
    if (holds === 'labels') return { ok: false, message: 'class labels take no domain: they lie in 1..K', range };
    if (parsed === undefined)
      return {
        ok: false,
        message: `expected a domain \`in {0, 1}\` (its values), \`in [lo, hi]\` or \`in (lo, hi)\` (an interval), \`positive\` or \`boxes\`, got '${text.replace(/^in\s+/, '')}'`,
        range,
      };
    if (parsed.kind === 'set' && holds === 'shape')
      return {
        ok: false,
        message: 'a set of values is for @data (masks, signs): a differentiated @shape variable takes an interval, `positive` or `boxes`',
        range,
      };
    domain = parsed;
  }
  const innerStart = column + arg.indexOf('[') + 1;
  const dims: Dim[] = [];
  const dimRanges: SourceRange[] = [];
  let offset = 0;
  for (const piece of inner.split(',')) {
    const text = piece.trim();
    const start = innerStart + offset + piece.indexOf(text);
    const range = rangeOnLine(line, start, start + Math.max(text.length, 1));
    offset += piece.length + 1;
    if (/^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= MAX_SIZE) dims.push(Number(text));
    else if (NAME.test(text)) dims.push(text);
    else return { ok: false, message: `a dimension is a size's name (declared with \`size\`), K, or a whole number; got '${text}'`, range };
    dimRanges.push(range);
  }
  if (inner.trim() === '') return { ok: false, message: `a tensor has at least one dimension, e.g. \`${example}\``, range: whole };
  if (dims.length > MAX_RANK) return { ok: false, message: `at most ${MAX_RANK} dimensions (matrices and rank-3 tensors), got ${dims.length}`, range: whole };
  if (domain?.kind === 'boxes' && dims[dims.length - 1] !== 4)
    return { ok: false, message: 'boxes are [x1, y1, x2, y2]: the last dimension is 4, written as a number', range: dimRanges[dims.length - 1] ?? whole };
  const nameRange = rangeOnLine(line, column, column + name.length);
  return { ok: true, value: { name, dims, holds, range: nameRange, dimRanges, ...(domain !== undefined ? { domain } : {}) } };
}

const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/** `positive` (0, inf) or `boxes`. */
function wordDomain(word: 'positive' | 'boxes'): DataDomain {
  return word === 'positive' ? { kind: 'interval', lo: 0, hi: Infinity, open: true } : { kind: 'boxes' };
}

/** `{0, 1}`, `[lo, hi]` or `(lo, hi)` (lo < hi), or undefined. */
function parseDomain(text: string): DataDomain | undefined {
  const set = /^\{(.*)\}$/.exec(text);
  if (set) {
    const items = (set[1] as string).split(',').map((x) => x.trim());
    if (items.length === 0 || !items.every((x) => NUMBER.test(x))) return undefined;
    return { kind: 'set', values: items.map(Number) };
  }
  const interval = /^([[(])(.*),(.*)([\])])$/.exec(text);
  if (!interval) return undefined;
  const [, open, loText, hiText, close] = interval as unknown as [string, string, string, string, string];
  // Half-open intervals are not drawn differently from open ones: say which ends, both open or both closed.
  if ((open === '(') !== (close === ')')) return undefined;
  const [lo, hi] = [loText.trim(), hiText.trim()];
  if (!NUMBER.test(lo) || !NUMBER.test(hi) || !(Number(lo) < Number(hi))) return undefined;
  return open === '(' ? { kind: 'interval', lo: Number(lo), hi: Number(hi), open: true } : { kind: 'interval', lo: Number(lo), hi: Number(hi) };
}
