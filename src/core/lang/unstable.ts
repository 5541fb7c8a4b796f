/**
 * The unstable patterns of `checks/rewrites.ts`, found in the source rather than the IR, so
 * that the editor can warn as one types, at the range of the pattern, with a quick fix that
 * writes the stable form:
 *   log(1 + exp(u)), log1p(exp(u)) -> softplus(u)      exp overflows float32 for u > 88
 *   log(sigmoid(u))                -> -softplus(-u)    sigmoid underflows to 0, log(0) = -inf
 *   log(1 - sigmoid(u))            -> -softplus(u)
 *   log(sum(exp(v)))               -> logsumexp(v)
 *   log(softmax(v)[i])             -> v[i] - logsumexp(v)
 *   1 / (1 + exp(-u))              -> sigmoid(u)
 *   exp(u) - 1                     -> expm1(u)         cancels for small u
 *   log(1 + u)                     -> log1p(u)         cancels for small u
 * The IR matchers see through helpers and simplifications and drive the float32 check; these
 * see what was written, which is what an edit can change.
 */
import type { LossDiagnostic, SourceRange } from './diagnostics';
import { parseExpression, subexpressions, type Expr } from './expression';
import type { Definition } from './parse';
import { operandPrecedence, precedenceOf, printExpr } from './print';

export interface SourceRewrite {
  /** The pattern as written, its exact range in the source, and the stable form. */
  readonly pattern: string;
  readonly range: SourceRange;
  readonly stable: string;
  /** The stable form as it goes in place of the pattern: in parentheses where precedence asks. */
  readonly replacement: string;
  readonly why: string;
}

interface Found {
  readonly to: Expr;
  readonly why: string;
}

const at = (e: Expr) => e.range;
const callOf = (e: Expr | undefined, name: string): readonly Expr[] | undefined =>
  e?.tag === 'call' && e.name === name && e.args.length === 1 ? e.args : undefined;
const argOf = (e: Expr | undefined, name: string): Expr | undefined => callOf(e, name)?.[0];
const isOne = (e: Expr | undefined): boolean => e?.tag === 'number' && e.value === 1;
/** `1 + x` in either order: x. */
const onePlus = (e: Expr | undefined): Expr | undefined =>
  e?.tag === 'binary' && e.op === 'add' ? (isOne(e.left) ? e.right : isOne(e.right) ? e.left : undefined) : undefined;

const call = (like: Expr, name: string, ...args: Expr[]): Expr => ({ tag: 'call', name, nameRange: at(like), args, range: at(like) });
const neg = (x: Expr): Expr => (x.tag === 'unary' && x.op === 'neg' ? x.arg : { tag: 'unary', op: 'neg', arg: x, range: at(x) });
const overflow = (u: Expr): string => `exp(${printExpr(u)}) overflows float32 when ${printExpr(u)} > 88`;

const MATCHERS: readonly ((e: Expr) => Found | undefined)[] = [
  (e) => {
    const u = argOf(onePlus(argOf(e, 'log')), 'exp');
    return u && { to: call(e, 'softplus', u), why: overflow(u) };
  },
  (e) => {
    const u = argOf(argOf(e, 'log1p'), 'exp');
    return u && { to: call(e, 'softplus', u), why: overflow(u) };
  },
  (e) => {
    const u = argOf(argOf(e, 'log'), 'sigmoid');
    return u && { to: neg(call(e, 'softplus', neg(u))), why: 'sigmoid underflows to 0 for large negative arguments, and log(0) = -inf' };
  },
  (e) => {
    const d = argOf(e, 'log');
    if (d?.tag !== 'binary' || d.op !== 'sub' || !isOne(d.left)) return undefined;
    const u = argOf(d.right, 'sigmoid');
    return u && { to: neg(call(e, 'softplus', u)), why: '1 - sigmoid(u) rounds to 0 for large u, and log(0) = -inf' };
  },
  (e) => {
    const v = argOf(argOf(argOf(e, 'log'), 'sum'), 'exp');
    return v && { to: call(e, 'logsumexp', v), why: 'exp overflows float32 for logits above 88' };
  },
  (e) => {
    const i = argOf(e, 'log');
    const v = i?.tag === 'index' ? argOf(i.vector, 'softmax') : undefined;
    if (i?.tag !== 'index' || v === undefined) return undefined;
    const component: Expr = { tag: 'index', vector: v, index: i.index, range: at(e) };
    return {
      to: { tag: 'binary', op: 'sub', left: component, right: call(e, 'logsumexp', v), range: at(e) },
      why: 'softmax underflows to 0 for a class far below the others, and log(0) = -inf',
    };
  },
  (e) => {
    if (e.tag !== 'binary' || e.op !== 'div' || !isOne(e.left)) return undefined;
    const x = argOf(onePlus(e.right), 'exp');
    if (x?.tag !== 'unary' || x.op !== 'neg') return undefined;
    return { to: call(e, 'sigmoid', x.arg), why: `exp(-${printExpr(x.arg)}) overflows float32 for ${printExpr(x.arg)} < -88` };
  },
  (e) => {
    if (e.tag !== 'binary' || e.op !== 'sub' || !isOne(e.right)) return undefined;
    const u = argOf(e.left, 'exp');
    return u && { to: call(e, 'expm1', u), why: 'exp(u) - 1 cancels for small u' };
  },
  (e) => {
    const u = onePlus(argOf(e, 'log'));
    if (u === undefined || argOf(u, 'exp') !== undefined) return undefined;
    return { to: call(e, 'log1p', u), why: 'log(1 + u) cancels for small u' };
  },
];

/** Every unstable pattern in a definition's body, outermost first. `lines` is the source text. */
export function findSourceRewrites(definition: Definition, lines: readonly string[]): SourceRewrite[] {
  const found: SourceRewrite[] = [];
  // `slot`: the least precedence the place of `e` takes without parentheses.
  const visit = (e: Expr, slot: number): void => {
    for (const m of MATCHERS) {
      const r = m(e);
      if (!r) continue;
      const range = exactRange(lines, e);
      if (!range) break;
      const bare = printExpr(r.to);
      const bracketed = precedenceOf(r.to) < slot && !inParentheses(lines[range.startLine] as string, range);
      found.push({ pattern: printExpr(e), range, stable: bare, replacement: bracketed ? `(${bare})` : bare, why: r.why });
      break;
    }
    for (const c of subexpressions(e)) visit(c, operandPrecedence(e, c));
  };
  for (const local of definition.locals) visit(local.body, 0);
  visit(definition.body, 0);
  return found;
}

/** Whether the range is already wrapped in parentheses of its own (not a call's). */
function inParentheses(text: string, r: SourceRange): boolean {
  const before = text.slice(0, r.startColumn).trimEnd();
  const after = text.slice(r.endColumn).trimStart();
  return before.endsWith('(') && after.startsWith(')') && !/[A-Za-z0-9_\]]$/.test(before.slice(0, -1).trimEnd());
}

/**
 * The range of `e` in the source, with the parentheses that belong to it. Expression ranges run
 * from the first token to the last, so `(1 + exp(u))` ends before its `)`; the range is widened
 * until its parentheses balance, and checked by parsing it back, so that an edit never replaces
 * the wrong text.
 */
function exactRange(lines: readonly string[], e: Expr): SourceRange | undefined {
  const r = e.range;
  const text = lines[r.startLine];
  if (text === undefined || r.startLine !== r.endLine) return undefined;
  let start = r.startColumn;
  let end = Math.min(r.endColumn, text.length);
  const depth = (): number => {
    let d = 0;
    for (let i = start; i < end; i++) d += text[i] === '(' ? 1 : text[i] === ')' ? -1 : 0;
    return d;
  };
  for (let d = depth(); d !== 0; d = depth()) {
    if (d > 0) {
      const next = text.indexOf(')', end);
      if (next < 0 || text.slice(end, next).trim() !== '') return undefined;
      end = next + 1;
    } else {
      const previous = text.lastIndexOf('(', start - 1);
      if (previous < 0 || text.slice(previous + 1, start).trim() !== '') return undefined;
      start = previous;
    }
  }
  const reparsed = parseExpression(text.slice(start, end), 0, 0);
  if (!reparsed.ok || printExpr(reparsed.expr) !== printExpr(e)) return undefined;
  return { startLine: r.startLine, startColumn: start, endLine: r.startLine, endColumn: end };
}

/** A warning with a quick fix for each unstable pattern of each definition. */
export function unstablePatternDiagnostics(definitions: readonly Definition[], text: string): LossDiagnostic[] {
  const lines = text.split(/\r?\n/);
  return definitions.flatMap((d) =>
    findSourceRewrites(d, lines).map((r): LossDiagnostic => ({
      range: r.range,
      severity: 'warning',
      code: 'unstable',
      message: `${r.pattern} is unstable in float32 (${r.why}): write ${r.stable}`,
      fix: { title: `Rewrite as ${r.stable}`, edit: { range: r.range, newText: r.replacement } },
    })),
  );
}
