/**
 * Every name in a .loss text and what it refers to: a param, a definition (loss or helper), an
 * argument of the definition it sits in, a built-in function or constant. Go to definition,
 * rename and hover read this table; they never resolve names a second way.
 */
import { BUILTINS, CONSTANTS } from './builtins';
import type { SourceRange } from './diagnostics';
import { subexpressions, type Expr } from './expression';
import type { CheckedFile } from './check';
import type { Definition, LocalDecl, ParamDecl } from './parse';

export type Referent =
  | { readonly kind: 'param'; readonly decl: ParamDecl }
  | { readonly kind: 'definition'; readonly definition: Definition }
  | { readonly kind: 'argument'; readonly name: string; readonly definition: Definition; readonly declaration: SourceRange }
  | { readonly kind: 'local'; readonly local: LocalDecl; readonly definition: Definition }
  | { readonly kind: 'builtin'; readonly name: string }
  | { readonly kind: 'constant'; readonly name: string }
  | { readonly kind: 'unknown'; readonly name: string };

export interface Occurrence {
  readonly name: string;
  readonly range: SourceRange;
  readonly referent: Referent;
  /** The place that declares the referent (`param gamma`, `focal(p) =`, the `p` of `focal(p)`). */
  readonly declaration: boolean;
}

/** The ranges of a definition's argument names, read from its line. */
export function argumentRanges(definition: Definition, line: string): SourceRange[] {
  const open = line.indexOf('(', definition.nameRange.endColumn);
  const close = line.indexOf(')', open);
  if (open < 0 || close < 0) return [];
  const ranges: SourceRange[] = [];
  const re = /[A-Za-z_][A-Za-z0-9_]*/g;
  const inside = line.slice(open + 1, close);
  for (let m = re.exec(inside); m !== null; m = re.exec(inside)) {
    const start = open + 1 + m.index;
    ranges.push({ startLine: definition.line, startColumn: start, endLine: definition.line, endColumn: start + m[0].length });
  }
  return ranges;
}

function visitExpr(e: Expr, visit: (e: Expr) => void): void {
  visit(e);
  for (const c of subexpressions(e)) visitExpr(c, visit);
}

/**
 * The occurrences of every name of the file, in source order. `lines` is the file's text. Names
 * resolve as the checker resolved them, so a loss brought in by `use` is a definition too (whose
 * declaration is its `use` line).
 */
export function findOccurrences(file: CheckedFile, lines: readonly string[]): Occurrence[] {
  const parsed = file.parsed;
  const params = new Map(parsed.params.map((p) => [p.name, p]));
  const definitions = new Map<string, Definition>(file.definitions);
  for (const d of parsed.definitions) if (!definitions.has(d.name)) definitions.set(d.name, d);
  const found: Occurrence[] = parsed.params.map((decl) => ({ name: decl.name, range: decl.range, referent: { kind: 'param', decl }, declaration: true }));
  for (const u of parsed.uses) {
    const definition = file.definitions.get(u.name);
    const used = definition?.line === u.line ? definition : undefined;
    found.push({
      name: u.name,
      range: u.nameRange,
      referent: used ? { kind: 'definition', definition: used } : { kind: 'unknown', name: u.name },
      declaration: true,
    });
  }

  for (const def of parsed.definitions) {
    found.push({ name: def.name, range: def.nameRange, referent: { kind: 'definition', definition: def }, declaration: def === definitions.get(def.name) });
    const argRanges = argumentRanges(def, lines[def.line] ?? '');
    const args = new Map<string, SourceRange>();
    def.args.forEach((name, k) => {
      const range = argRanges[k];
      if (range === undefined) return;
      if (!args.has(name)) args.set(name, range);
      found.push({ name, range, referent: { kind: 'argument', name, definition: def, declaration: range }, declaration: true });
    });
    // The `where` names seen so far: a line reads those above it, the body reads them all.
    const locals = new Map<string, LocalDecl>();
    const visitNames = (e: Expr): void => {
      if (e.tag === 'name') {
        const argument = args.get(e.name);
        const local = locals.get(e.name);
        const param = params.get(e.name);
        const definition = definitions.get(e.name);
        const referent: Referent = argument
          ? { kind: 'argument', name: e.name, definition: def, declaration: argument }
          : local
            ? { kind: 'local', local, definition: def }
            : param
              ? { kind: 'param', decl: param }
              : Object.hasOwn(CONSTANTS, e.name)
                ? { kind: 'constant', name: e.name }
                : definition
                  ? { kind: 'definition', definition }
                  : { kind: 'unknown', name: e.name };
        found.push({ name: e.name, range: e.range, referent, declaration: false });
      } else if (e.tag === 'call') {
        const definition = definitions.get(e.name);
        const referent: Referent = Object.hasOwn(BUILTINS, e.name)
          ? { kind: 'builtin', name: e.name }
          : definition
            ? { kind: 'definition', definition }
            : { kind: 'unknown', name: e.name };
        found.push({ name: e.name, range: e.nameRange, referent, declaration: false });
      }
    };
    for (const local of def.locals) {
      visitExpr(local.body, visitNames);
      if (!args.has(local.name) && !locals.has(local.name)) locals.set(local.name, local);
      found.push({
        name: local.name,
        range: local.nameRange,
        referent: { kind: 'local', local, definition: def },
        declaration: locals.get(local.name) === local,
      });
    }
    visitExpr(def.body, visitNames);
  }
  return found.sort((a, b) => a.range.startLine - b.range.startLine || a.range.startColumn - b.range.startColumn);
}

/** Whether two occurrences name the same thing. */
export function sameReferent(a: Referent, b: Referent): boolean {
  switch (a.kind) {
    case 'param':
      return b.kind === 'param' && b.decl === a.decl;
    case 'definition':
      return b.kind === 'definition' && b.definition === a.definition;
    case 'argument':
      return b.kind === 'argument' && b.definition === a.definition && b.name === a.name;
    case 'local':
      return b.kind === 'local' && b.local === a.local;
    case 'builtin':
    case 'constant':
    case 'unknown':
      return b.kind === a.kind && b.name === a.name;
  }
}
