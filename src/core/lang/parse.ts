/**
 * Reads a .loss file line by line into params, directives and definitions, with a diagnostic
 * for every line it cannot read. Names and kinds are resolved afterwards by `check.ts`.
 *
 *     param gamma = 2 in [0, 5]
 *     @kind probability
 *     @cite "Focal Loss for Dense Object Detection" (Lin et al., 2017)
 *     @describe "cross-entropy down-weighted on well-classified examples"
 *     focal(p) = -alpha * (1 - p)^gamma * log(p)
 *     use huber from "library" with delta = 2
 *     giou(a1, a2, b1, b2) = 1 - inter / union + (hull - union) / hull
 *       where inter = max(0, min(a2, b2) - max(a1, b1))
 *       where union = (a2 - a1) + (b2 - b1) - inter
 *       where hull = max(a2, b2) - min(a1, b1)
 */
import { errorAt, rangeOnLine, type LossDiagnostic, type SourceRange } from './diagnostics';
import { parseExpression, type ExpressionResult, type Expr } from './expression';
import { isKind, KINDS, type Kind } from './kinds';
import { isObjectPrototypeName, objectNameMessage } from './objectNames';
import {
  checkExpressionText,
  checkExpressionTree,
  checkLineCount,
  checkLineLength,
  checkTextSize,
  DEFAULT_LIMITS,
  nestingError,
  type LanguageLimits,
} from './limits';
import { parseSize, parseTensorDecl, type SizeDecl, type TensorDecl } from './tensorDecls';

export interface ParamDecl {
  readonly name: string;
  readonly value: number;
  readonly min: number;
  readonly max: number;
  readonly range: SourceRange;
}

/** `where name = expression` under a definition: a local name of it, visible to the lines below. */
export interface LocalDecl {
  readonly name: string;
  readonly body: Expr;
  readonly line: number;
  readonly range: SourceRange;
  readonly nameRange: SourceRange;
}

export interface Definition {
  readonly name: string;
  readonly args: readonly string[];
  readonly body: Expr;
  /** Its `where` lines in order: each may read the arguments, params and the locals above it. */
  readonly locals: readonly LocalDecl[];
  readonly line: number;
  /** The whole definition line, for the CodeLens and diagnostics about the loss as a whole. */
  readonly range: SourceRange;
  readonly nameRange: SourceRange;
  readonly declaredKind?: Kind;
  readonly classes?: number;
  /** `@shape` and `@labels` lines above it: the arguments that are tensors. */
  readonly tensors: readonly TensorDecl[];
  readonly cite?: string;
  /** `@describe "..."`: one line saying what the loss is, for `losslab list` and hover. */
  readonly description?: string;
  /** `@helper`: callable from other definitions, but not a loss of its own. */
  readonly helper: boolean;
  /**
   * Set on a definition brought in by `use`: the definitions of its own file, which the calls in
   * its body name (a user's file may define other things under the same names).
   */
  readonly scope?: ReadonlyMap<string, Definition>;
}

/** `use focal from "library" with gamma = 1, alpha = 0.5`: a library loss, callable here. */
export interface UseDecl {
  readonly name: string;
  readonly source: string;
  readonly overrides: readonly { readonly name: string; readonly value: number; readonly range: SourceRange }[];
  readonly line: number;
  readonly range: SourceRange;
  readonly nameRange: SourceRange;
  readonly sourceRange: SourceRange;
  /** `@helper` above the line: callable, not listed as a loss of this file. */
  readonly helper: boolean;
  /** `@classes N` above the line: the loss's number of classes here. */
  readonly classes?: number;
}

export interface ParsedFile {
  readonly params: readonly ParamDecl[];
  /** `size B = 8` lines: the named sizes of tensors' dimensions, with their defaults. */
  readonly sizes: readonly SizeDecl[];
  readonly definitions: readonly Definition[];
  readonly uses: readonly UseDecl[];
  readonly diagnostics: readonly LossDiagnostic[];
}

const NAME = '[A-Za-z_][A-Za-z0-9_]*';
const NUMBER = '[-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?';
const PARAM = new RegExp(`^param\\s+(${NAME})\\s*=\\s*(${NUMBER})\\s+in\\s*\\[\\s*(${NUMBER})\\s*,\\s*(${NUMBER})\\s*\\]$`);
const DEFINITION = new RegExp(`^(${NAME})\\s*\\(([^()]*)\\)\\s*=(?!=)(.*)$`);
const USE = new RegExp(`^use\\s+(${NAME})\\s+from\\s+"([^"]*)"(?:\\s+with\\s+(.*))?$`);
const WHERE = new RegExp(`^where\\s+(${NAME})\\s*=(?!=)(.*)$`);
const OVERRIDE = new RegExp(`^\\s*(${NAME})\\s*=\\s*(${NUMBER})\\s*$`);
const MAX_CLASSES = 1000;

interface PendingDirectives {
  kind?: { value: Kind; range: SourceRange };
  classes?: { value: number; range: SourceRange };
  cite?: { value: string; range: SourceRange };
  description?: { value: string; range: SourceRange };
  helper?: { range: SourceRange };
  tensors?: { value: TensorDecl[]; range: SourceRange };
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

/**
 * `parseExpression`, with a stack overflow (a nesting the raw-text check cannot see, under a
 * raised limit) turned into the nesting diagnostic: the tree walks are recursive.
 */
function parseWithinStack(source: string, line: number, column: number, whole: SourceRange, limits: LanguageLimits): ExpressionResult {
  try {
    return parseExpression(source, line, column);
  } catch (e) {
    if (e instanceof RangeError) return { ok: false, diagnostic: nestingError(whole, limits) };
    throw e;
  }
}

/** `limits` bound what is read (`limits.ts`): a file over them gives one diagnostic naming the limit. */
export function parseLossText(text: string, limits: LanguageLimits = DEFAULT_LIMITS): ParsedFile {
  const params: ParamDecl[] = [];
  const sizes: SizeDecl[] = [];
  const definitions: Definition[] = [];
  const uses: UseDecl[] = [];
  const diagnostics: LossDiagnostic[] = [];
  let pending: PendingDirectives = {};
  // The definition that `where` lines extend: the last one, until another statement comes.
  let open: { readonly locals: LocalDecl[]; readonly name: string } | undefined;

  const tooLarge = checkTextSize(text, limits);
  if (tooLarge) return { params, sizes, definitions, uses, diagnostics: [tooLarge] };
  const lines = text.split(/\r?\n/);
  const tooMany = checkLineCount(lines.length, limits);
  if (tooMany) return { params, sizes, definitions, uses, diagnostics: [tooMany] };
  /** An expression of a definition or `where` line, or undefined with its diagnostic pushed. */
  const parseBody = (bodyText: string, line: number, column: number, whole: SourceRange): Expr | undefined => {
    // Bracket nesting is checked on the raw text first: mathjs's recursive parser is what overflows.
    const overLimit = checkExpressionText(bodyText, line, column, limits);
    const parsed = overLimit ? { ok: false as const, diagnostic: overLimit } : parseWithinStack(bodyText, line, column, whole, limits);
    const invalid = parsed.ok ? checkExpressionTree(parsed.expr, whole, limits) : parsed.diagnostic;
    if (invalid !== undefined) diagnostics.push(invalid);
    return parsed.ok && invalid === undefined ? parsed.expr : undefined;
  };

  lines.forEach((raw, line) => {
    const tooLong = checkLineLength(raw, line, limits);
    if (tooLong) {
      diagnostics.push(tooLong);
      pending = {};
      return;
    }
    const content = stripComment(raw).trimEnd();
    const indent = content.length - content.trimStart().length;
    const stmt = content.trim();
    if (stmt === '') return;
    const whole = rangeOnLine(line, indent, indent + stmt.length);
    const err = (code: string, message: string, range: SourceRange = whole): void => {
      diagnostics.push(errorAt(range, code, message));
    };

    if (/^where\b/.test(stmt)) {
      const w = WHERE.exec(stmt);
      if (!w) {
        err('bad-where', 'expected `where name = expression`, e.g. `where u = 1 - p`');
        return;
      }
      if (open === undefined) {
        err('dangling-where', 'a `where` line names a value of the definition above it: put it right under a definition');
        return;
      }
      const [, name, bodyText] = w as unknown as [string, string, string];
      const nameStart = indent + stmt.indexOf(name, 5);
      const body = parseBody(bodyText, line, indent + stmt.length - bodyText.length, whole);
      if (body === undefined) return;
      open.locals.push({ name, body, line, range: whole, nameRange: rangeOnLine(line, nameStart, nameStart + name.length) });
      return;
    }
    open = undefined;

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
        case 'describe': {
          const quoted = /^"([^"]+)"$/.exec(arg);
          if (quoted) pending.description = { value: quoted[1] as string, range: whole };
          else err('bad-describe', '@describe expects one quoted line, e.g. @describe "cross-entropy down-weighted on easy examples"', argRange);
          return;
        }
        case 'helper':
          pending.helper = { range: whole };
          return;
        case 'shape':
        case 'labels':
        case 'data': {
          const t = parseTensorDecl(arg, directive, line, indent + stmt.length - arg.length);
          if (!t.ok) err('bad-shape', `@${directive} ${t.message}`, t.range);
          else if (pending.tensors?.value.some((d) => d.name === t.value.name)) err('duplicate-shape', `'${t.value.name}' has a shape already`, t.value.range);
          else pending.tensors = { value: [...(pending.tensors?.value ?? []), t.value], range: whole };
          return;
        }
        default:
          err('unknown-directive', `unknown directive '@${directive}': expected @kind, @classes, @shape, @labels, @data, @cite, @describe or @helper`);
          return;
      }
    }

    if (/^size\b/.test(stmt)) {
      const sz = parseSize(stmt, line, indent);
      if (!sz.ok) err('bad-size', sz.message, sz.range);
      else if (sizes.some((d) => d.name === sz.value.name)) err('duplicate-size', `size '${sz.value.name}' is declared twice`, sz.value.range);
      else if (params.some((p) => p.name === sz.value.name)) err('duplicate-size', `'${sz.value.name}' is a param already`, sz.value.range);
      else sizes.push(sz.value);
      return;
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
      if (isObjectPrototypeName(name)) err('reserved-name', objectNameMessage('param', name), nameRange);
      else if (params.some((p) => p.name === name)) err('duplicate-param', `param '${name}' is declared twice`, nameRange);
      else if (!(min < max)) err('bad-range', `the range [${lo}, ${hi}] of '${name}' is empty: lo must be below hi`);
      else if (value < min || value > max) {
        const vStart = indent + stmt.indexOf(v, nameStart - indent + name.length);
        err('param-out-of-range', `the default ${v} of '${name}' is outside its range [${lo}, ${hi}]`, rangeOnLine(line, vStart, vStart + v.length));
      } else params.push({ name, value, min, max, range: nameRange });
      return;
    }

    if (/^use\s/.test(stmt)) {
      const u = USE.exec(stmt);
      if (!u) {
        err('bad-use', 'expected `use name from "library"`, optionally followed by `with param = value, ...`');
        pending = {};
        return;
      }
      const [, name, source, withText] = u as unknown as [string, string, string, string | undefined];
      const at = (text: string, from = 0): SourceRange => {
        const start = indent + stmt.indexOf(text, from);
        return rangeOnLine(line, start, start + text.length);
      };
      const overrides: { name: string; value: number; range: SourceRange }[] = [];
      if (withText !== undefined) {
        let offset = stmt.length - withText.length;
        for (const item of withText.split(',')) {
          const o = OVERRIDE.exec(item);
          if (o) overrides.push({ name: o[1] as string, value: Number(o[2]), range: at(o[1] as string, offset) });
          else err('bad-use', `expected \`param = value\` after \`with\`, got '${item.trim()}'`, at(item.trim() || item, offset));
          offset += item.length + 1;
        }
      }
      for (const directive of ['kind', 'cite', 'description', 'tensors'] as const) {
        const p = pending[directive];
        if (p) err('use-directive', 'a used loss keeps the kind, citation and description of its library definition', p.range);
      }
      uses.push({
        name,
        source,
        overrides,
        line,
        range: whole,
        nameRange: at(name, 4),
        sourceRange: at(`"${source}"`),
        helper: pending.helper !== undefined,
        ...(pending.classes ? { classes: pending.classes.value } : {}),
      });
      pending = {};
      return;
    }

    const d = DEFINITION.exec(stmt);
    if (!d) {
      const bare = new RegExp(`^(${NAME})\\s*=(?!=)`).exec(stmt);
      err(
        'bad-statement',
        bare
          ? `'${bare[1]}' needs its arguments: write \`${bare[1]}(z) = ...\` for a loss, or \`param ${bare[1]} = value in [lo, hi]\` for a hyperparameter`
          : 'expected a definition `name(args) = expression`, a `param`, a `use`, or a directive (@kind, @classes, @cite, @describe)',
      );
      return;
    }
    const [, name, argText, bodyText] = d as unknown as [string, string, string, string];
    const args = argText.split(',').map((a) => a.trim());
    const nameRange = rangeOnLine(line, indent, indent + name.length);
    const badArg = args.find((a) => !new RegExp(`^${NAME}$`).test(a));
    // A broken definition still owns the `where` lines under it: they are not dangling.
    open = { locals: [], name };
    if (argText.trim() === '' || badArg !== undefined) {
      err(
        'bad-arguments',
        argText.trim() === '' ? `'${name}' needs at least one argument, e.g. ${name}(z)` : `'${badArg}' is not a valid argument name`,
        nameRange,
      );
      return;
    }
    const body = parseBody(bodyText, line, indent + stmt.length - bodyText.length, whole);
    if (body === undefined) {
      pending = {};
      return;
    }
    const locals: LocalDecl[] = [];
    open = { locals, name };
    definitions.push({
      name,
      args,
      body,
      locals,
      line,
      range: whole,
      nameRange,
      helper: pending.helper !== undefined,
      tensors: pending.tensors?.value ?? [],
      ...(pending.kind ? { declaredKind: pending.kind.value } : {}),
      ...(pending.classes ? { classes: pending.classes.value } : {}),
      ...(pending.cite ? { cite: pending.cite.value } : {}),
      ...(pending.description ? { description: pending.description.value } : {}),
    });
    pending = {};
  });

  for (const p of Object.values(pending)) {
    if (p) diagnostics.push(errorAt(p.range, 'dangling-directive', 'this directive applies to the next definition, but no definition follows'));
  }
  return { params, sizes, definitions, uses, diagnostics };
}
