/**
 * Reads a .loss file line by line into params, directives and definitions, with a diagnostic
 * for every line it cannot read. Names and kinds are resolved afterwards by `check.ts`.
 *
 *     param gamma = 2 in [0, 5]
 *     @kind probability
 *     @cite "Focal Loss for Dense Object Detection" (Lin et al., 2017)
 *     focal(p) = -alpha * (1 - p)^gamma * log(p)
 */
import { errorAt, rangeOnLine, type LossDiagnostic, type SourceRange } from './diagnostics';
import { parseExpression, type Expr } from './expression';
import { isKind, KINDS, type Kind } from './kinds';

export interface ParamDecl {
  readonly name: string;
  readonly value: number;
  readonly min: number;
  readonly max: number;
  readonly range: SourceRange;
}

export interface Definition {
  readonly name: string;
  readonly args: readonly string[];
  readonly body: Expr;
  readonly line: number;
  /** The whole definition line, for the CodeLens and diagnostics about the loss as a whole. */
  readonly range: SourceRange;
  readonly nameRange: SourceRange;
  readonly declaredKind?: Kind;
  readonly classes?: number;
  readonly cite?: string;
  /** `@helper`: callable from other definitions, but not a loss of its own. */
  readonly helper: boolean;
}

export interface ParsedFile {
  readonly params: readonly ParamDecl[];
  readonly definitions: readonly Definition[];
  readonly diagnostics: readonly LossDiagnostic[];
}

const NAME = '[A-Za-z_][A-Za-z0-9_]*';
const NUMBER = '[-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?';
const PARAM = new RegExp(`^param\\s+(${NAME})\\s*=\\s*(${NUMBER})\\s+in\\s*\\[\\s*(${NUMBER})\\s*,\\s*(${NUMBER})\\s*\\]$`);
const DEFINITION = new RegExp(`^(${NAME})\\s*\\(([^()]*)\\)\\s*=(?!=)(.*)$`);
const MAX_CLASSES = 1000;

interface PendingDirectives {
  kind?: { value: Kind; range: SourceRange };
  classes?: { value: number; range: SourceRange };
  cite?: { value: string; range: SourceRange };
  helper?: { range: SourceRange };
}

/** The text before a `#` that is not inside a double-quoted string. */
function stripComment(line: string): string {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === '#' && !quoted) return line.slice(0, i);
  }
  return line;
}

export function parseLossText(text: string): ParsedFile {
  const params: ParamDecl[] = [];
  const definitions: Definition[] = [];
  const diagnostics: LossDiagnostic[] = [];
  let pending: PendingDirectives = {};

  const lines = text.split(/\r?\n/);
  lines.forEach((raw, line) => {
    const content = stripComment(raw).trimEnd();
    const indent = content.length - content.trimStart().length;
    const stmt = content.trim();
    if (stmt === '') return;
    const whole = rangeOnLine(line, indent, indent + stmt.length);
    const err = (code: string, message: string, range: SourceRange = whole): void => {
      diagnostics.push(errorAt(range, code, message));
    };

    if (stmt.startsWith('@')) {
      const m = /^@([A-Za-z]+)\s*(.*)$/.exec(stmt);
      const directive = m?.[1] ?? '';
      const arg = (m?.[2] ?? '').trim();
      const argRange = rangeOnLine(line, indent + stmt.length - arg.length, indent + stmt.length);
      switch (directive) {
        case 'kind':
          if (isKind(arg)) pending.kind = { value: arg, range: whole };
          else err('unknown-kind', `unknown kind '${arg}': expected one of ${KINDS.join(', ')}`, argRange);
          return;
        case 'classes': {
          const n = Number(arg);
          if (/^\d+$/.test(arg) && n >= 2 && n <= MAX_CLASSES) pending.classes = { value: n, range: whole };
          else err('bad-classes', `@classes expects a whole number of classes from 2 to ${MAX_CLASSES}, got '${arg}'`, argRange);
          return;
        }
        case 'cite': {
          const quoted = /^"([^"]*)"\s*(.*)$/.exec(arg);
          if (quoted) pending.cite = { value: `${quoted[1]}${quoted[2] ? ` ${quoted[2]}` : ''}`, range: whole };
          else err('bad-cite', '@cite expects a quoted title, e.g. @cite "Focal Loss for Dense Object Detection" (Lin et al., 2017)', argRange);
          return;
        }
        case 'helper':
          pending.helper = { range: whole };
          return;
        default:
          err('unknown-directive', `unknown directive '@${directive}': expected @kind, @classes, @cite or @helper`);
          return;
      }
    }

    if (/^param\b/.test(stmt)) {
      const m = PARAM.exec(stmt);
      if (!m) {
        err('bad-param', 'expected `param name = value in [lo, hi]`, e.g. `param gamma = 2 in [0, 5]`');
        return;
      }
      const [, name, v, lo, hi] = m as unknown as [string, string, string, string, string];
      const value = Number(v);
      const min = Number(lo);
      const max = Number(hi);
      const nameStart = indent + stmt.indexOf(name, 5);
      const nameRange = rangeOnLine(line, nameStart, nameStart + name.length);
      if (params.some((p) => p.name === name)) err('duplicate-param', `param '${name}' is declared twice`, nameRange);
      else if (!(min < max)) err('bad-range', `the range [${lo}, ${hi}] of '${name}' is empty: lo must be below hi`);
      else if (value < min || value > max) {
        const vStart = indent + stmt.indexOf(v, nameStart - indent + name.length);
        err('param-out-of-range', `the default ${v} of '${name}' is outside its range [${lo}, ${hi}]`, rangeOnLine(line, vStart, vStart + v.length));
      } else params.push({ name, value, min, max, range: nameRange });
      return;
    }

    const d = DEFINITION.exec(stmt);
    if (!d) {
      const bare = new RegExp(`^(${NAME})\\s*=(?!=)`).exec(stmt);
      err(
        'bad-statement',
        bare
          ? `'${bare[1]}' needs its arguments: write \`${bare[1]}(z) = ...\` for a loss, or \`param ${bare[1]} = value in [lo, hi]\` for a hyperparameter`
          : 'expected a definition `name(args) = expression`, a `param`, or a directive (@kind, @classes, @cite)',
      );
      return;
    }
    const [, name, argText, bodyText] = d as unknown as [string, string, string, string];
    const args = argText.split(',').map((a) => a.trim());
    const nameRange = rangeOnLine(line, indent, indent + name.length);
    const badArg = args.find((a) => !new RegExp(`^${NAME}$`).test(a));
    if (argText.trim() === '' || badArg !== undefined) {
      err(
        'bad-arguments',
        argText.trim() === '' ? `'${name}' needs at least one argument, e.g. ${name}(z)` : `'${badArg}' is not a valid argument name`,
        nameRange,
      );
      return;
    }
    const bodyColumn = indent + stmt.length - bodyText.length;
    const parsed = parseExpression(bodyText, line, bodyColumn);
    if (!parsed.ok) {
      diagnostics.push(parsed.diagnostic);
      pending = {};
      return;
    }
    definitions.push({
      name,
      args,
      body: parsed.expr,
      line,
      range: whole,
      nameRange,
      helper: pending.helper !== undefined,
      ...(pending.kind ? { declaredKind: pending.kind.value } : {}),
      ...(pending.classes ? { classes: pending.classes.value } : {}),
      ...(pending.cite ? { cite: pending.cite.value } : {}),
    });
    pending = {};
  });

  for (const p of Object.values(pending)) {
    if (p) diagnostics.push(errorAt(p.range, 'dangling-directive', 'this directive applies to the next definition, but no definition follows'));
  }
  return { params, definitions, diagnostics };
}
