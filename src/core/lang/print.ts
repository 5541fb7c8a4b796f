/**
 * Prints an expression tree back as .loss source, with the parentheses mathjs needs and no more,
 * so that an edit built from trees (a quick fix) reads like something a person wrote.
 */
import type { BinaryOp, Expr } from './expression';

const BINARY: Readonly<Record<BinaryOp, readonly [string, number]>> = {
  or: ['or', 2],
  and: ['and', 3],
  lt: ['<', 5],
  le: ['<=', 5],
  gt: ['>', 5],
  ge: ['>=', 5],
  eq: ['==', 5],
  ne: ['!=', 5],
  add: ['+', 7],
  sub: ['-', 7],
  mul: ['*', 8],
  div: ['/', 8],
  emul: ['.*', 8],
  ediv: ['./', 8],
  pow: ['^', 11],
  epow: ['.^', 11],
};
// mathjs's precedence, lowest first: conditional, or, and, comparison, + -, * /, unary - and
// not, ^ (right-associative, and its exponent may be unary: 2^-x), then calls and indexing.
const CONDITIONAL = 1;
const UNARY = 9;
const POSTFIX = 12;

export function printExpr(e: Expr): string {
  return print(e)[0];
}

/**
 * The least precedence an expression may have in each operand slot of `parent`, in the order of
 * `operands`: below it, the operand needs parentheses.
 */
export function operandPrecedence(parent: Expr, operand: Expr): number {
  switch (parent.tag) {
    case 'unary':
      return UNARY + 1;
    case 'binary': {
      const prec = BINARY[parent.op][1];
      if (prec === 11) return operand === parent.left ? POSTFIX : UNARY;
      return operand === parent.left ? prec : prec + 1;
    }
    case 'index':
    case 'slice':
      return operand === parent.vector ? POSTFIX : 0;
    case 'conditional':
      return operand === parent.whenFalse ? CONDITIONAL : CONDITIONAL + 1;
    default:
      return 0;
  }
}

export function precedenceOf(e: Expr): number {
  return print(e)[1];
}

function print(e: Expr): readonly [string, number] {
  const atLeast = (x: Expr, prec: number): string => {
    const [text, p] = print(x);
    return p >= prec ? text : `(${text})`;
  };
  switch (e.tag) {
    case 'number':
      return [String(e.value), POSTFIX];
    case 'name':
      return [e.name, POSTFIX];
    case 'call':
      return [`${e.name}(${e.args.map(printExpr).join(', ')})`, POSTFIX];
    case 'index':
      return [`${atLeast(e.vector, POSTFIX)}[${printExpr(e.index)}]`, POSTFIX];
    case 'slice': {
      const dims = e.dims.map((d) => (d.kind === 'at' ? printExpr(d.index) : `${printExpr(d.start)}:${printExpr(d.end)}`));
      return [`${atLeast(e.vector, POSTFIX)}[${dims.join(', ')}]`, POSTFIX];
    }
    case 'unary':
      if (e.op === 'transpose') return [`${atLeast(e.arg, POSTFIX)}'`, POSTFIX];
      // `-(-x)` rather than `--x`, which mathjs reads the same but a person misreads.
      return [e.op === 'neg' ? `-${atLeast(e.arg, UNARY + 1)}` : `not ${atLeast(e.arg, UNARY + 1)}`, UNARY];
    case 'binary': {
      const [symbol, prec] = BINARY[e.op];
      if (prec === 11) return [`${atLeast(e.left, POSTFIX)}${symbol}${atLeast(e.right, UNARY)}`, prec];
      // Left-associative: a right operand of the same precedence keeps its parentheses, which
      // also keeps the order of floating-point operations the writer chose.
      return [`${atLeast(e.left, prec)} ${symbol} ${atLeast(e.right, prec + 1)}`, prec];
    }
    case 'conditional':
      return [`${atLeast(e.condition, CONDITIONAL + 1)} ? ${atLeast(e.whenTrue, CONDITIONAL + 1)} : ${atLeast(e.whenFalse, CONDITIONAL)}`, CONDITIONAL];
  }
}

/** How an operator is written: `.*` for emul, `+` for add. */
export function operatorSymbol(op: BinaryOp): string {
  return BINARY[op][0].trim();
}
