/**
 * Resolves names in a parsed .loss file: every name is an argument, a param, a constant or an
 * earlier definition, every call has the right number of arguments, and every definition with
 * a kind (declared by @kind or inferred from its argument names) becomes a loss.
 */
import { BUILTINS, CONSTANTS, isBuiltinName } from './builtins';
import { errorAt, rangeOnLine, type LossDiagnostic, type SourceRange } from './diagnostics';
import type { Expr } from './expression';
import { assignRoles, inferKind, type InputSpec, type Kind } from './kinds';
import { parseLossText, type Definition, type ParamDecl, type ParsedFile } from './parse';
import { closestName } from './suggest';

export const DEFAULT_CLASSES = 3;

export interface LossInfo {
  readonly name: string;
  readonly kind: Kind;
  readonly inputs: readonly InputSpec[];
  /** The params the loss uses, directly or through helpers, in declaration order. */
  readonly params: readonly ParamDecl[];
  readonly classes: number;
  readonly cite?: string;
  readonly definition: Definition;
}

export interface CheckedFile {
  readonly parsed: ParsedFile;
  readonly losses: readonly LossInfo[];
  readonly definitions: ReadonlyMap<string, Definition>;
  readonly params: ReadonlyMap<string, ParamDecl>;
  readonly diagnostics: readonly LossDiagnostic[];
}

/**
 * `ok` is false when the file has any error; `file.losses` still lists the losses that are
 * usable (neither they nor the helpers they call have an error), so that one typo does not stop
 * every other loss of the file from being evaluated.
 */
export type LossFileResult = { ok: true; file: CheckedFile } | { ok: false; file: CheckedFile; diagnostics: readonly LossDiagnostic[] };

function walk(e: Expr, visit: (e: Expr) => void): void {
  visit(e);
  switch (e.tag) {
    case 'call':
      e.args.forEach((a) => walk(a, visit));
      break;
    case 'unary':
      walk(e.arg, visit);
      break;
    case 'binary':
      walk(e.left, visit);
      walk(e.right, visit);
      break;
    case 'conditional':
      walk(e.condition, visit);
      walk(e.whenTrue, visit);
      walk(e.whenFalse, visit);
      break;
    case 'index':
      walk(e.vector, visit);
      walk(e.index, visit);
      break;
  }
}

export function checkLossText(text: string): LossFileResult {
  const parsed = parseLossText(text);
  const diagnostics: LossDiagnostic[] = [...parsed.diagnostics];
  const params = new Map(parsed.params.map((p) => [p.name, p]));
  const defined = new Map<string, Definition>();
  const allDefinitions = new Map<string, Definition>();
  for (const d of parsed.definitions) if (!allDefinitions.has(d.name)) allDefinitions.set(d.name, d);
  const usedParams = new Map<string, Set<string>>();
  // Definitions with an error, or calling one: they are not usable, the rest of the file is.
  const broken = new Set<string>();
  const losses: LossInfo[] = [];

  for (const def of parsed.definitions) {
    const err = (range: SourceRange, code: string, message: string): void => {
      diagnostics.push(errorAt(range, code, message));
    };
    const before = diagnostics.length;
    if (isBuiltinName(def.name)) err(def.nameRange, 'reserved-name', `'${def.name}' is a built-in function; choose another name`);
    else if (params.has(def.name)) err(def.nameRange, 'reserved-name', `'${def.name}' is already a param`);
    else if (defined.has(def.name))
      err(def.nameRange, 'duplicate-definition', `'${def.name}' is already defined on line ${(defined.get(def.name) as Definition).line + 1}`);
    const seenArgs = new Set<string>();
    for (const a of def.args) {
      if (seenArgs.has(a)) err(def.nameRange, 'duplicate-argument', `argument '${a}' appears twice`);
      else if (params.has(a)) err(def.nameRange, 'shadowed-param', `argument '${a}' has the name of a param; rename one of them`);
      else if (isBuiltinName(a)) err(def.nameRange, 'reserved-name', `argument '${a}' has the name of a built-in; rename it`);
      seenArgs.add(a);
    }

    const uses = new Set<string>();
    let callsBroken = false;
    walk(def.body, (e) => {
      if (e.tag === 'name') {
        if (seenArgs.has(e.name) || Object.hasOwn(CONSTANTS, e.name)) return;
        const p = params.get(e.name);
        if (p) {
          if (p.range.startLine > def.line)
            err(e.range, 'use-before-definition', `param '${e.name}' is used before its declaration on line ${p.range.startLine + 1}`);
          uses.add(e.name);
          return;
        }
        if (defined.has(e.name) || Object.hasOwn(BUILTINS, e.name) || e.name === def.name) {
          err(e.range, 'function-as-value', `'${e.name}' is a function: call it with arguments, e.g. ${e.name}(...)`);
          return;
        }
        const known = [...seenArgs, ...params.keys(), ...Object.keys(CONSTANTS)];
        const guess = closestName(e.name, known);
        err(e.range, 'unknown-name', `unknown name '${e.name}'${guess ? ` (did you mean '${guess}'?)` : ''}`);
      } else if (e.tag === 'call') {
        const builtin = Object.hasOwn(BUILTINS, e.name) ? BUILTINS[e.name] : undefined;
        if (builtin) {
          if (e.args.length < builtin.minArgs || e.args.length > builtin.maxArgs) {
            const expected = builtin.minArgs === builtin.maxArgs ? `${builtin.minArgs}` : `${builtin.minArgs} to ${builtin.maxArgs}`;
            err(
              e.nameRange,
              'arity',
              `${e.name} takes ${expected} argument${builtin.maxArgs === 1 ? '' : 's'} (${builtin.signature}), but got ${e.args.length}`,
            );
          }
          return;
        }
        if (e.name === def.name) {
          err(e.nameRange, 'recursion', `'${e.name}' calls itself: recursion is not allowed`);
          return;
        }
        const helper = defined.get(e.name);
        if (helper) {
          if (helper.args.length !== e.args.length)
            err(
              e.nameRange,
              'arity',
              `${e.name} takes ${helper.args.length} argument${helper.args.length === 1 ? '' : 's'} (${e.name}(${helper.args.join(', ')})), but got ${e.args.length}`,
            );
          for (const p of usedParams.get(e.name) ?? []) uses.add(p);
          if (broken.has(e.name)) callsBroken = true;
          return;
        }
        const later = allDefinitions.get(e.name);
        if (later) {
          err(e.nameRange, 'use-before-definition', `'${e.name}' is used before its definition on line ${later.line + 1}; define it above`);
          return;
        }
        if (seenArgs.has(e.name) || params.has(e.name)) {
          err(e.nameRange, 'not-a-function', `'${e.name}' is a number, not a function`);
          return;
        }
        const guess = closestName(e.name, [...Object.keys(BUILTINS), ...defined.keys()]);
        err(e.nameRange, 'unknown-function', `unknown function '${e.name}'${guess ? ` (did you mean '${guess}'?)` : ''}`);
      }
    });

    if (!defined.has(def.name)) defined.set(def.name, def);
    usedParams.set(def.name, uses);
    if (diagnostics.length > before || callsBroken) broken.add(def.name);
    if (def.helper) continue;

    const kind = def.declaredKind ?? inferKind(def.args);
    if (kind === undefined) {
      // Callable as a helper; say why it is not a loss, since that is rarely what was meant.
      diagnostics.push({
        range: def.nameRange,
        severity: 'warning',
        code: 'no-kind',
        message: `'${def.name}' is not a loss: its arguments (${def.args.join(', ')}) do not name a kind. Add @kind above it, name the argument like a kind's (z, p, s and y, r, p and q, m), or mark it @helper`,
      });
      continue;
    }
    const roles = assignRoles(kind, def.args);
    if (!roles.ok) {
      err(def.nameRange, 'kind-signature', `${def.name}(${def.args.join(', ')}) does not fit the kind '${kind}': ${roles.message}`);
      continue;
    }
    if (diagnostics.length > before || broken.has(def.name)) continue;
    losses.push({
      name: def.name,
      kind,
      inputs: roles.inputs,
      params: parsed.params.filter((p) => uses.has(p.name)),
      classes: def.classes ?? DEFAULT_CLASSES,
      ...(def.cite !== undefined ? { cite: def.cite } : {}),
      definition: def,
    });
  }

  if (parsed.definitions.length === 0 && parsed.diagnostics.length === 0) {
    diagnostics.push(errorAt(rangeOnLine(0, 0, 1), 'empty-file', 'the file defines no loss: write a definition such as `logistic(z) = softplus(-z)`'));
  }
  const file: CheckedFile = { parsed, losses, definitions: defined, params, diagnostics };
  const errors = diagnostics.filter((d) => d.severity === 'error');
  return errors.length === 0 ? { ok: true, file } : { ok: false, file, diagnostics };
}
