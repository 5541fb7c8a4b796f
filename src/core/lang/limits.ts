/**
 * Limits on what the language reads, so that hostile or accidental input (a megabyte on one
 * line, 100,000 nested parentheses, `10^400`) gives a diagnostic naming the limit instead of a
 * hang, a stack overflow or an Infinity that surfaces later as a wrong number. Each limit has a
 * safe default and the name of the setting that can raise it.
 */
import { errorAt, rangeOnLine, type LossDiagnostic, type SourceRange } from './diagnostics';
import { subexpressions, type Expr } from './expression';

export interface LanguageLimits {
  /** Characters in a document (UTF-16 code units, as the editor counts them). */
  readonly fileSize: number;
  readonly lines: number;
  /** Characters on one line: the regular expressions and the expression parser see one line. */
  readonly lineLength: number;
  /** Nesting of one expression: brackets before parsing, then the depth of its syntax tree. */
  readonly astDepth: number;
  /** Nodes in the syntax tree of one expression. */
  readonly astNodes: number;
  /**
   * The largest magnitude of a number literal or of a constant subexpression (`10^40`): the
   * tensor engine computes in float32, where anything above about 3.4e38 is Infinity.
   */
  readonly constantMagnitude: number;
}

/** The library's largest definition has depth 11 and 37 nodes; its longest line 219 characters. */
export const DEFAULT_LIMITS: LanguageLimits = {
  fileSize: 2_000_000,
  lines: 50_000,
  lineLength: 4_000,
  astDepth: 64,
  astNodes: 2_000,
  constantMagnitude: 3.4028234663852886e38,
};

export type LimitName = keyof LanguageLimits;

/** The setting that raises each limit, named in every diagnostic the limit causes. */
export const LIMIT_SETTINGS: Readonly<Record<LimitName, string>> = {
  fileSize: 'losslab.limits.fileSize',
  lines: 'losslab.limits.lines',
  lineLength: 'losslab.limits.lineLength',
  astDepth: 'losslab.limits.astDepth',
  astNodes: 'losslab.limits.astNodes',
  constantMagnitude: 'losslab.limits.constantMagnitude',
};

/** The defaults, with what the caller sets; values that are not positive numbers are ignored. */
export function resolveLimits(overrides: Partial<LanguageLimits> = {}): LanguageLimits {
  const limits: Record<LimitName, number> = { ...DEFAULT_LIMITS };
  for (const name of Object.keys(DEFAULT_LIMITS) as LimitName[]) {
    const value = overrides[name];
    if (typeof value === 'number' && value > 0) limits[name] = value;
  }
  return limits;
}

function limitError(range: SourceRange, name: LimitName, what: string): LossDiagnostic {
  return errorAt(range, `limit-${name}`, `${what} (limit ${LIMIT_SETTINGS[name]})`);
}

const format = (n: number): string => n.toLocaleString('en-US', { maximumSignificantDigits: 6 });

/** A diagnostic when the whole text is too large to read: then nothing of it is parsed. */
export function checkTextSize(text: string, limits: LanguageLimits): LossDiagnostic | undefined {
  if (text.length > limits.fileSize) {
    return limitError(rangeOnLine(0, 0, 1), 'fileSize', `the file is longer than ${format(limits.fileSize)} characters`);
  }
  return undefined;
}

export function checkLineCount(lineCount: number, limits: LanguageLimits): LossDiagnostic | undefined {
  if (lineCount > limits.lines) return limitError(rangeOnLine(0, 0, 1), 'lines', `the file has more than ${format(limits.lines)} lines`);
  return undefined;
}

export function checkLineLength(raw: string, line: number, limits: LanguageLimits): LossDiagnostic | undefined {
  if (raw.length > limits.lineLength) {
    return limitError(rangeOnLine(line, 0, limits.lineLength), 'lineLength', `line longer than ${format(limits.lineLength)} characters`);
  }
  return undefined;
}

/**
 * Checks the raw text of an expression before mathjs parses it: mathjs's parser is recursive
 * descent, about a dozen stack frames per bracket, so 100,000 `(` would overflow the stack.
 * Counts bracket nesting, runs of prefix operators and operands (every name and number is a
 * node, so more operands than the node limit is over it for sure). `column` is where `source` starts on `line`.
 */
export function checkExpressionText(source: string, line: number, column: number, limits: LanguageLimits): LossDiagnostic | undefined {
  let depth = 0;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '(' || ch === '[' || ch === '{') {
      depth++;
      if (depth > limits.astDepth) return nestingError(rangeOnLine(line, column + i, column + i + 1), limits);
    } else if (ch === ')' || ch === ']' || ch === '}') depth = Math.max(0, depth - 1);
  }
  // A run of prefix operators (`- - - z`, `not not z`) nests without brackets, one level each.
  for (const run of source.matchAll(/(?:(?:[-+!]|\bnot\b)\s*)+/g)) {
    const operators = run[0].replace(/\s+/g, '').replace(/not/g, '!').length;
    const start = column + (run.index ?? 0);
    if (operators > limits.astDepth) return nestingError(rangeOnLine(line, start, start + run[0].trimEnd().length), limits);
  }
  const operands = source.match(/[A-Za-z_][A-Za-z0-9_]*|\d+\.?\d*|\.\d+/g)?.length ?? 0;
  if (operands > limits.astNodes) return nodesError(rangeOnLine(line, column, column + source.length), limits);
  return undefined;
}

export function nestingError(range: SourceRange, limits: LanguageLimits): LossDiagnostic {
  return limitError(range, 'astDepth', `expression nesting deeper than ${format(limits.astDepth)}`);
}

function nodesError(range: SourceRange, limits: LanguageLimits): LossDiagnostic {
  return limitError(range, 'astNodes', `expression of more than ${format(limits.astNodes)} terms`);
}

/**
 * Checks a parsed expression: the depth and size of its tree (walked with an explicit stack, so
 * that the walk itself cannot overflow), and every number literal or constant subexpression
 * folded in float64, which must be finite and within `constantMagnitude`. Returns the first
 * problem found.
 */
export function checkExpressionTree(root: Expr, whole: SourceRange, limits: LanguageLimits): LossDiagnostic | undefined {
  let nodes = 0;
  const stack: [Expr, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [e, depth] = stack.pop() as [Expr, number];
    if (depth > limits.astDepth) return nestingError(e.range, limits);
    if (++nodes > limits.astNodes) return nodesError(whole, limits);
    for (const s of subexpressions(e)) stack.push([s, depth + 1]);
  }
  return checkConstants(root, limits);
}

/** The float64 value of `e` when it is made of numbers and arithmetic only; else undefined. */
function foldConstant(e: Expr): number | undefined {
  if (e.tag === 'number') return e.value;
  if (e.tag === 'unary' && e.op === 'neg') {
    const v = foldConstant(e.arg);
    return v === undefined ? undefined : -v;
  }
  if (e.tag !== 'binary') return undefined;
  const a = foldConstant(e.left);
  const b = foldConstant(e.right);
  if (a === undefined || b === undefined) return undefined;
  switch (e.op) {
    case 'add':
      return a + b;
    case 'sub':
      return a - b;
    case 'mul':
    case 'emul':
      return a * b;
    case 'div':
    case 'ediv':
      return a / b;
    case 'pow':
    case 'epow':
      return a ** b;
    default:
      return undefined;
  }
}

/** The outermost constant subexpression out of range: `10^400` rather than its `400`. */
function checkConstants(e: Expr, limits: LanguageLimits): LossDiagnostic | undefined {
  const value = foldConstant(e);
  if (value !== undefined) {
    if (Number.isNaN(value)) return errorAt(e.range, 'constant-not-real', 'this constant expression has no real value (NaN)');
    if (Math.abs(value) > limits.constantMagnitude) {
      const what = e.tag === 'number' ? 'number' : 'constant expression';
      const shown = Number.isFinite(value) ? value.toPrecision(3) : 'Infinity in float64';
      return limitError(e.range, 'constantMagnitude', `this ${what} (${shown}) is larger in magnitude than ${limits.constantMagnitude.toPrecision(3)}`);
    }
    return undefined;
  }
  for (const s of subexpressions(e)) {
    const d = checkConstants(s, limits);
    if (d) return d;
  }
  return undefined;
}
