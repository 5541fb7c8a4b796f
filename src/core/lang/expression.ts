/**
 * Expressions: parsed by mathjs (only `parse`, never `evaluate`), then converted into LossLab's
 * own small syntax tree with a source range on every node. Constructs outside the language
 * (assignment, strings, matrices, units, factorial, ...) are refused here, with their range.
 */
import { create, parseDependencies, type FactoryFunctionMap, type MathNode } from 'mathjs';
import { errorAt, rangeOnLine, type LossDiagnostic, type SourceRange } from './diagnostics';

const math = create({ parseDependencies: parseDependencies as FactoryFunctionMap });

export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'emul' | 'ediv' | 'epow' | 'lt' | 'le' | 'gt' | 'ge' | 'eq' | 'ne' | 'and' | 'or';

export type Expr =
  | { readonly tag: 'number'; readonly value: number; readonly range: SourceRange }
  | { readonly tag: 'name'; readonly name: string; readonly range: SourceRange }
  | { readonly tag: 'call'; readonly name: string; readonly nameRange: SourceRange; readonly args: readonly Expr[]; readonly range: SourceRange }
  | { readonly tag: 'unary'; readonly op: 'neg' | 'not' | 'transpose'; readonly arg: Expr; readonly range: SourceRange }
  | { readonly tag: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly range: SourceRange }
  | { readonly tag: 'conditional'; readonly condition: Expr; readonly whenTrue: Expr; readonly whenFalse: Expr; readonly range: SourceRange }
  | { readonly tag: 'index'; readonly vector: Expr; readonly index: Expr; readonly range: SourceRange }
  | { readonly tag: 'slice'; readonly vector: Expr; readonly dims: readonly SliceDim[]; readonly range: SourceRange };

/**
 * One dimension of `x[...]` with a range in it: `a:b` (1-based, both ends included, as mathjs
 * reads it; `:` is `1:end`, `a:` is `a:end`, `:b` is `1:b`) or one entry `i`, which drops the
 * axis. Inside the brackets `end` is the length of the axis.
 */
export type SliceDim =
  | { readonly kind: 'range'; readonly start: Expr; readonly end: Expr; readonly range: SourceRange }
  | { readonly kind: 'at'; readonly index: Expr; readonly range: SourceRange };

const BINARY: Readonly<Record<string, BinaryOp>> = {
  add: 'add',
  subtract: 'sub',
  multiply: 'mul',
  divide: 'div',
  pow: 'pow',
  dotMultiply: 'emul',
  dotDivide: 'ediv',
  dotPow: 'epow',
  smaller: 'lt',
  smallerEq: 'le',
  larger: 'gt',
  largerEq: 'ge',
  equal: 'eq',
  unequal: 'ne',
  and: 'and',
  or: 'or',
};

interface Token {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Identifier and number tokens in source order, to give mathjs's nodes their positions back.
 * An open end of a range in brackets (`x[:, 2:]`, `x[:3]`) is a 1 or an `end` that mathjs adds
 * and the source lacks: each gets a token at its colon, so the tokens after it stay in step.
 */
function tokenize(source: string): { names: Token[]; numbers: Token[] } {
  const names: Token[] = [];
  const numbers: Token[] = [];
  const re = /(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(:)/g;
  for (let m = re.exec(source); m !== null; m = re.exec(source)) {
    const t = { text: m[0], start: m.index, end: m.index + m[0].length };
    if (m[3] === undefined) {
      (m[1] !== undefined ? numbers : names).push(t);
      continue;
    }
    if (/[[,]\s*$/.test(source.slice(0, m.index))) numbers.push({ ...t, text: '1' });
    if (/^\s*[\],]/.test(source.slice(m.index + 1))) names.push({ ...t, text: 'end' });
  }
  return { names, numbers };
}

/** Whether `e` reads the name `end` (the length of the axis, inside brackets). */
function readsEnd(e: Expr): boolean {
  return (e.tag === 'name' && e.name === 'end') || subexpressions(e).some(readsEnd);
}

export type ExpressionResult = { ok: true; expr: Expr } | { ok: false; diagnostic: LossDiagnostic };

/**
 * Parses `source`, which sits on `line` starting at `column`. Returns the tree, or the first
 * error with the range it belongs to.
 */
export function parseExpression(source: string, line: number, column: number): ExpressionResult {
  const whole = rangeOnLine(line, column + (source.length - source.trimStart().length), column + source.trimEnd().length);
  if (source.trim() === '') return { ok: false, diagnostic: errorAt(whole, 'empty-expression', 'expected an expression after `=`') };
  let root: MathNode;
  try {
    root = math.parse(source);
  } catch (e) {
    // Too deep a nesting overflows mathjs's recursive parser: not a syntax error, and the caller's (parse.ts's) to report.
    if (e instanceof RangeError) throw e;
    const err = e as Error & { char?: number };
    const at = typeof err.char === 'number' ? Math.min(err.char, source.length) : 0;
    const message = err.message.replace(/\s*\(char \d+\)$/, '');
    return { ok: false, diagnostic: errorAt(rangeOnLine(line, column + at, column + at + 1), 'syntax', `syntax error: ${lowerFirst(message)}`) };
  }

  const tokens = tokenize(source);
  let nameCursor = 0;
  let numberCursor = 0;
  const tokenRange = (list: Token[], cursor: number, text: string | undefined): SourceRange => {
    const t = list[cursor];
    if (t && (text === undefined || t.text === text)) return rangeOnLine(line, column + t.start, column + t.end);
    return whole;
  };
  const span = (a: SourceRange, b: SourceRange): SourceRange =>
    a === whole || b === whole ? whole : { startLine: line, startColumn: a.startColumn, endLine: line, endColumn: b.endColumn };

  const refuse = (what: string, range: SourceRange = whole): never => {
    throw new Refusal(errorAt(range, 'unsupported', `${what} is not part of the .loss language`));
  };

  const convert = (node: MathNode): Expr => {
    switch (node.type) {
      case 'ConstantNode': {
        const value = (node as unknown as { value: unknown }).value;
        if (typeof value !== 'number') return refuse(typeof value === 'string' ? 'a string' : `the constant '${String(value)}'`);
        const range = tokenRange(tokens.numbers, numberCursor++, undefined);
        return { tag: 'number', value, range };
      }
      case 'SymbolNode': {
        const name = (node as unknown as { name: string }).name;
        const range = tokenRange(tokens.names, nameCursor++, name);
        return { tag: 'name', name, range };
      }
      case 'ParenthesisNode':
        return convert((node as unknown as { content: MathNode }).content);
      case 'FunctionNode': {
        const f = node as unknown as { fn: MathNode; args: MathNode[] };
        if (f.fn.type !== 'SymbolNode') return refuse('calling the result of an expression');
        const name = (f.fn as unknown as { name: string }).name;
        const nameRange = tokenRange(tokens.names, nameCursor++, name);
        const args = f.args.map(convert);
        const last = args[args.length - 1];
        const range = last ? span(nameRange, last.range) : nameRange;
        return { tag: 'call', name, nameRange, args, range: range === whole ? nameRange : { ...range, endColumn: range.endColumn + 1 } };
      }
      case 'OperatorNode': {
        const o = node as unknown as { fn: string; op: string; args: MathNode[] };
        if (o.fn === 'unaryPlus') return convert(o.args[0] as MathNode);
        if (o.fn === 'unaryMinus' || o.fn === 'not') {
          const arg = convert(o.args[0] as MathNode);
          return { tag: 'unary', op: o.fn === 'not' ? 'not' : 'neg', arg, range: arg.range };
        }
        // A' is the transpose of a matrix (real entries: mathjs's conjugate transpose is the transpose).
        if (o.fn === 'ctranspose') {
          const arg = convert(o.args[0] as MathNode);
          return { tag: 'unary', op: 'transpose', arg, range: { ...arg.range, endColumn: arg.range.endColumn + 1 } };
        }
        const op = BINARY[o.fn];
        if (op === undefined || o.args.length !== 2) return refuse(`the operator '${o.op}'`);
        const left = convert(o.args[0] as MathNode);
        const right = convert(o.args[1] as MathNode);
        return { tag: 'binary', op, left, right, range: span(left.range, right.range) };
      }
      case 'ConditionalNode': {
        const c = node as unknown as { condition: MathNode; trueExpr: MathNode; falseExpr: MathNode };
        const condition = convert(c.condition);
        const whenTrue = convert(c.trueExpr);
        const whenFalse = convert(c.falseExpr);
        return { tag: 'conditional', condition, whenTrue, whenFalse, range: span(condition.range, whenFalse.range) };
      }
      case 'AccessorNode': {
        const a = node as unknown as { object: MathNode; index: { dimensions: MathNode[]; dotNotation?: boolean } };
        if (a.index.dotNotation) return refuse('property access with `.`');
        const vector = convert(a.object);
        const dims = a.index.dimensions.map(convertDim);
        const last = dims[dims.length - 1] as SliceDim;
        const range = span(vector.range, { ...last.range, endColumn: last.range.endColumn + 1 });
        // One entry per last-axis slice (s[y], a gather by labels) stays an index; ranges, several dimensions and `end` are a slice.
        if (dims.length === 1 && last.kind === 'at' && !readsEnd(last.index)) return { tag: 'index', vector, index: last.index, range };
        return { tag: 'slice', vector, dims, range };
      }
      case 'RangeNode':
        return refuse('a range `a:b` outside brackets');
      case 'AssignmentNode':
      case 'FunctionAssignmentNode':
        return refuse('assignment inside an expression (define a helper on its own line instead)');
      case 'ArrayNode':
        return refuse('a matrix or vector literal');
      case 'BlockNode':
        return refuse('several expressions separated by `;` or newlines');
      case 'ObjectNode':
        return refuse('an object literal');
      default:
        return refuse(`'${node.type}'`);
    }
  };

  /** A dimension inside brackets: mathjs's RangeNode (start, then step, then end, in source order) or one index. */
  const convertDim = (node: MathNode): SliceDim => {
    if (node.type !== 'RangeNode') {
      const index = convert(node);
      return { kind: 'at', index, range: index.range };
    }
    const r = node as unknown as { start: MathNode; end: MathNode; step: MathNode | null };
    const start = convert(r.start);
    if (r.step !== null) return refuse('a step in a range `a:step:b`', start.range);
    const end = convert(r.end);
    return { kind: 'range', start, end, range: span(start.range, end.range) };
  };

  try {
    return { ok: true, expr: convert(root) };
  } catch (e) {
    if (e instanceof Refusal) return { ok: false, diagnostic: e.diagnostic };
    throw e;
  }
}

class Refusal extends Error {
  constructor(readonly diagnostic: LossDiagnostic) {
    super(diagnostic.message);
  }
}

function lowerFirst(s: string): string {
  return s.length > 0 ? (s[0] as string).toLowerCase() + s.slice(1) : s;
}

/** The operands of an expression, in source order: what every walk over the tree descends into. */
export function subexpressions(e: Expr): readonly Expr[] {
  switch (e.tag) {
    case 'call':
      return e.args;
    case 'unary':
      return [e.arg];
    case 'binary':
      return [e.left, e.right];
    case 'conditional':
      return [e.condition, e.whenTrue, e.whenFalse];
    case 'index':
      return [e.vector, e.index];
    case 'slice':
      return [e.vector, ...e.dims.flatMap((d) => (d.kind === 'range' ? [d.start, d.end] : [d.index]))];
    default:
      return [];
  }
}
