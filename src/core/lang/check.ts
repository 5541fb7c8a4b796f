/**
 * Resolves names in a parsed .loss file: every name is an argument, a param, a constant or an
 * earlier definition, every call has the right number of arguments, and every definition with
 * a kind (declared by @kind or inferred from its argument names) becomes a loss.
 */
import { BUILTINS, CONSTANTS, isBuiltinName } from './builtins';
import { errorAt, rangeOnLine, type LossDiagnostic, type SourceRange } from './diagnostics';
import { subexpressions, type Expr } from './expression';
import { assignRoles, inferKind, type InputSpec, type Kind } from './kinds';
import { defaultLibraryDirectory, readLibraryFiles } from './library';
import { resolveLimits, type LanguageLimits } from './limits';
import { isObjectPrototypeName, objectNameMessage } from './objectNames';
import { parseLossText, type Definition, type ParamDecl, type ParsedFile, type UseDecl } from './parse';
import { closestName } from './suggest';
import type { SizeDecl } from './tensorDecls';

export const DEFAULT_CLASSES = 3;

export interface LossInfo {
  readonly name: string;
  readonly kind: Kind;
  readonly inputs: readonly InputSpec[];
  /** The params the loss uses, directly or through helpers, in declaration order. */
  readonly params: readonly ParamDecl[];
  readonly classes: number;
  /** The named sizes of its file (`size B = 8`), which its tensors' dimensions and expressions name. */
  readonly sizes: readonly SizeDecl[];
  readonly cite?: string;
  readonly description?: string;
  readonly definition: Definition;
}

export interface CheckOptions {
  /**
   * The directory that `use NAME from "library"` reads; `defaultLibraryDirectory()` when not
   * given, none when null (the library's own files, which cannot use one another).
   */
  readonly libraryDirectory?: string | null;
  /** Raised or lowered limits (`limits.ts`), e.g. from the user's settings; the defaults otherwise. */
  readonly limits?: Partial<LanguageLimits>;
}

export interface CheckedFile {
  readonly parsed: ParsedFile;
  readonly losses: readonly LossInfo[];
  readonly definitions: ReadonlyMap<string, Definition>;
  readonly params: ReadonlyMap<string, ParamDecl>;
  readonly diagnostics: readonly LossDiagnostic[];
}

/**
 * `ok` is false when the file has an error; `file.losses` still lists the losses that are
 * usable (neither they nor the helpers they call have an error), so that one typo does not stop
 * every other loss of the file from being evaluated.
 */
export type LossFileResult = { ok: true; file: CheckedFile } | { ok: false; file: CheckedFile; diagnostics: readonly LossDiagnostic[] };

/** Visits `e` and every subexpression, outermost first. */
export function walk(e: Expr, visit: (e: Expr) => void): void {
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
    case 'slice':
      subexpressions(e).forEach((x) => walk(x, visit));
      break;
  }
}

/** An unknown name, with the closest known one as a message and as a quick fix. */
function didYouMean(range: SourceRange, code: string, message: string, guess: string | undefined): LossDiagnostic {
  if (guess === undefined) return errorAt(range, code, message);
  return { ...errorAt(range, code, `${message} (did you mean '${guess}'?)`), fix: { title: `Change to '${guess}'`, edit: { range, newText: guess } } };
}

export function checkLossText(text: string, options: CheckOptions = {}): LossFileResult {
  const libraryDirectory = options.libraryDirectory === null ? undefined : (options.libraryDirectory ?? defaultLibraryDirectory());
  return checkFile(text, libraryDirectory, resolveLimits(options.limits));
}

/** `libraryDirectory` is undefined for the library's own files, which cannot `use`. */
function checkFile(text: string, libraryDirectory: string | undefined, limits?: LanguageLimits): LossFileResult {
  const parsed = parseLossText(text, limits);
  const diagnostics: LossDiagnostic[] = [...parsed.diagnostics];
  const params = new Map(parsed.params.map((p) => [p.name, p]));
  const sizes = new Map(parsed.sizes.map((d) => [d.name, d]));
  const defined = new Map<string, Definition>();
  const allDefinitions = new Map<string, Definition>();
  for (const d of parsed.definitions) if (!allDefinitions.has(d.name)) allDefinitions.set(d.name, d);
  const usedParams = new Map<string, Set<string>>();
  // Definitions with an error, or calling one: they are not usable, the rest of the file is.
  const broken = new Set<string>();
  const losses: LossInfo[] = [];

  // `use` lines take effect in file order, like definitions: only later lines can call what they bring.
  let nextUse = 0;
  const importUsesBefore = (line: number): void => {
    for (; nextUse < parsed.uses.length && (parsed.uses[nextUse] as UseDecl).line < line; nextUse++) {
      importUse(parsed.uses[nextUse] as UseDecl, { params, defined, usedParams, diagnostics, losses }, libraryDirectory);
    }
  };

  for (const def of parsed.definitions) {
    importUsesBefore(def.line);
    const err = (range: SourceRange, code: string, message: string): void => {
      diagnostics.push(errorAt(range, code, message));
    };
    const before = diagnostics.length;
    if (isObjectPrototypeName(def.name)) err(def.nameRange, 'reserved-name', objectNameMessage('the name', def.name));
    else if (isBuiltinName(def.name)) err(def.nameRange, 'reserved-name', `'${def.name}' is a built-in function; choose another name`);
    else if (params.has(def.name)) err(def.nameRange, 'reserved-name', `'${def.name}' is already a param`);
    else if (defined.has(def.name))
      err(def.nameRange, 'duplicate-definition', `'${def.name}' is already defined on line ${(defined.get(def.name) as Definition).line + 1}`);
    const seenArgs = new Set<string>();
    for (const a of def.args) {
      if (seenArgs.has(a)) err(def.nameRange, 'duplicate-argument', `argument '${a}' appears twice`);
      else if (params.has(a)) err(def.nameRange, 'shadowed-param', `argument '${a}' has the name of a param; rename one of them`);
      else if (sizes.has(a)) err(def.nameRange, 'shadowed-param', `argument '${a}' has the name of a size; rename one of them`);
      else if (isBuiltinName(a)) err(def.nameRange, 'reserved-name', `argument '${a}' has the name of a built-in; rename it`);
      else if (isObjectPrototypeName(a)) err(def.nameRange, 'reserved-name', objectNameMessage('argument', a));
      seenArgs.add(a);
    }

    // `where` names: each is visible to the lines below it and to the body.
    const visibleLocals = new Set<string>();
    const allLocals = new Map(def.locals.map((l) => [l.name, l]));
    // The indices of the sum_over calls around the expression being read.
    const indices = new Set<string>();
    const uses = new Set<string>();
    let callsBroken = false;
    const visit = (e: Expr): void => {
      if (e.tag === 'name') {
        if (seenArgs.has(e.name) || visibleLocals.has(e.name) || indices.has(e.name) || Object.hasOwn(CONSTANTS, e.name)) return;
        // A size reads as its whole number (B in mean(x) * B); K is the number of classes.
        if (sizes.has(e.name) || e.name === 'K') return;
        const later = allLocals.get(e.name);
        if (later && !params.has(e.name)) {
          err(e.range, 'use-before-definition', `'${e.name}' is named by the \`where\` line ${later.line + 1}, below this one: move that line up`);
          return;
        }
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
        const known = [...seenArgs, ...visibleLocals, ...params.keys(), ...sizes.keys(), ...Object.keys(CONSTANTS)];
        const guess = closestName(e.name, known);
        diagnostics.push(didYouMean(e.range, 'unknown-name', `unknown name '${e.name}'`, guess));
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
        diagnostics.push(didYouMean(e.nameRange, 'unknown-function', `unknown function '${e.name}'`, guess));
      }
    };
    /** `walk` with the index of sum_over(k, from, to, expression) bound inside its expression. */
    const visitAll = (e: Expr): void => {
      if (e.tag === 'call' && e.name === 'sum_over' && e.args.length === 4) {
        const [k, from, to, term] = e.args as [Expr, Expr, Expr, Expr];
        const whole = (x: Expr): number | undefined => (x.tag === 'number' && Number.isInteger(x.value) ? x.value : undefined);
        const [lo, hi] = [whole(from), whole(to)];
        if (k.tag !== 'name') err(k.range, 'bad-sum', 'sum_over(k, from, to, expression) names its index first, e.g. sum_over(k, 1, 5, x^k)');
        else if (seenArgs.has(k.name) || visibleLocals.has(k.name) || indices.has(k.name) || params.has(k.name) || isBuiltinName(k.name))
          err(k.range, 'bad-sum', `the index '${k.name}' is already a name here: choose a new one`);
        if (lo === undefined || hi === undefined)
          err(lo === undefined ? from.range : to.range, 'bad-sum', 'sum_over runs between whole numbers written as numbers');
        else if (hi - lo + 1 > 1000) err(e.range, 'bad-sum', `sum_over(${lo} to ${hi}) has ${hi - lo + 1} terms; at most 1000`);
        visit(e);
        if (k.tag === 'name') indices.add(k.name);
        visitAll(term);
        if (k.tag === 'name') indices.delete(k.name);
        return;
      }
      if (e.tag === 'slice') {
        // Inside the brackets `end` is the length of the axis sliced.
        visit(e);
        visitAll(e.vector);
        const bound = !indices.has('end');
        indices.add('end');
        subexpressions(e).slice(1).forEach(visitAll);
        if (bound) indices.delete('end');
        return;
      }
      visit(e);
      for (const c of subexpressions(e)) visitAll(c);
    };
    for (const local of def.locals) {
      const taken = seenArgs.has(local.name)
        ? `an argument of '${def.name}'`
        : visibleLocals.has(local.name)
          ? 'named by a `where` line above'
          : params.has(local.name)
            ? 'a param'
            : isBuiltinName(local.name)
              ? 'built in'
              : defined.has(local.name) || local.name === def.name
                ? 'a definition'
                : isObjectPrototypeName(local.name)
                  ? 'reserved'
                  : undefined;
      if (taken) err(local.nameRange, 'reserved-name', `'${local.name}' is ${taken}: a \`where\` name must be new`);
      visitAll(local.body);
      visibleLocals.add(local.name);
    }
    visitAll(def.body);

    if (!defined.has(def.name)) defined.set(def.name, def);
    usedParams.set(def.name, uses);
    if (diagnostics.length > before || callsBroken) broken.add(def.name);
    if (def.helper) continue;

    for (const t of def.tensors) {
      if (!seenArgs.has(t.name)) err(t.range, 'bad-shape', `'${t.name}' is not an argument of ${def.name}(${def.args.join(', ')})`);
      t.dims.forEach((d, i) => {
        if (typeof d === 'string' && d !== 'K' && !sizes.has(d)) {
          const guess = closestName(d, [...sizes.keys(), 'K']);
          diagnostics.push(didYouMean(t.dimRanges[i] ?? t.range, 'unknown-size', `unknown size '${d}': declare it with \`size ${d} = 8\``, guess));
        }
      });
    }
    if (def.tensors.length > 0 && def.declaredKind !== undefined && def.declaredKind !== 'batch') {
      err(def.nameRange, 'kind-signature', `${def.name} has tensor arguments (@shape, @labels, @data): its kind is batch, not ${def.declaredKind}`);
    }
    const kind = def.declaredKind ?? (def.tensors.length > 0 ? 'batch' : inferKind(def.args));
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
    const declared = new Map(def.tensors.map((t) => [t.name, t]));
    losses.push({
      name: def.name,
      kind,
      inputs: roles.inputs.map((input) => {
        const t = declared.get(input.name);
        if (t === undefined) return input;
        const role = t.holds === 'labels' ? 'labels' : t.holds === 'data' ? 'data' : 'tensor';
        return { name: input.name, role, dims: t.dims, ...(t.domain !== undefined ? { domain: t.domain } : {}) };
      }),
      sizes: parsed.sizes,
      params: [...params.values()].filter((p) => uses.has(p.name)),
      classes: def.classes ?? DEFAULT_CLASSES,
      ...(def.cite !== undefined ? { cite: def.cite } : {}),
      ...(def.description !== undefined ? { description: def.description } : {}),
      definition: def,
    });
  }

  importUsesBefore(Infinity);

  if (parsed.definitions.length === 0 && parsed.uses.length === 0 && parsed.diagnostics.length === 0) {
    diagnostics.push(errorAt(rangeOnLine(0, 0, 1), 'empty-file', 'the file defines no loss: write a definition such as `logistic(z) = softplus(-z)`'));
  }
  const file: CheckedFile = { parsed, losses, definitions: defined, params, diagnostics };
  const errors = diagnostics.filter((d) => d.severity === 'error');
  return errors.length === 0 ? { ok: true, file } : { ok: false, file, diagnostics };
}

/** What a `use` line adds to: the file's names, as the checker builds them. */
interface FileScope {
  readonly params: Map<string, ParamDecl>;
  readonly defined: Map<string, Definition>;
  readonly usedParams: Map<string, Set<string>>;
  readonly diagnostics: LossDiagnostic[];
  readonly losses: LossInfo[];
}

/**
 * Brings a library loss into the file: its definition (calling its own helpers), and the params
 * it reads. A param the file declares above the `use` line is the file's, shared with the used
 * loss (that is how a file overrides one, slider included); the others are the library's, with
 * `with name = value` setting their default inside their range.
 */
function importUse(u: UseDecl, scope: FileScope, libraryDirectory: string | undefined): void {
  const err = (range: SourceRange, code: string, message: string): void => {
    scope.diagnostics.push(errorAt(range, code, message));
  };
  if (libraryDirectory === undefined) return err(u.range, 'use-in-library', 'a library file cannot use other losses: write the definition here');
  if (u.source !== 'library')
    return err(u.sourceRange, 'unknown-source', `losses can be used from "library" (LossLab's built-in losses), not from "${u.source}"`);
  const taken = isBuiltinName(u.name) ? 'a built-in function' : scope.params.has(u.name) ? 'a param' : scope.defined.has(u.name) ? 'defined above' : undefined;
  if (taken) return err(u.nameRange, 'duplicate-definition', `'${u.name}' is already ${taken}`);
  const found = findLibraryLoss(u.name, libraryDirectory);
  if (!found.ok) {
    scope.diagnostics.push(didYouMean(u.nameRange, 'unknown-loss', found.message, found.guess));
    return;
  }
  const { info, file } = found;
  const before = scope.diagnostics.length;
  for (const o of u.overrides) {
    if (!info.params.some((p) => p.name === o.name)) {
      const names = info.params.map((p) => p.name);
      err(o.range, 'unknown-param', `'${u.name}' has no param '${o.name}'${names.length > 0 ? `; its params are ${names.join(', ')}` : ''}`);
    }
  }
  const params: ParamDecl[] = [];
  for (const p of info.params) {
    const own = scope.params.get(p.name);
    const override = u.overrides.find((o) => o.name === p.name);
    if (own && own.range.startLine > u.line) {
      err(own.range, 'use-before-definition', `param '${p.name}' is read by \`use ${u.name}\` on line ${u.line + 1}: declare it above that line`);
    } else if (own && override) {
      err(override.range, 'duplicate-param', `param '${p.name}' is set on line ${own.range.startLine + 1} already, for every loss of this file that reads it`);
    } else if (own) params.push(own);
    else if (override && !(override.value >= p.min && override.value <= p.max)) {
      err(override.range, 'param-out-of-range', `${override.value} is outside the range [${p.min}, ${p.max}] of '${p.name}'`);
    } else {
      const decl: ParamDecl = { ...p, value: override?.value ?? p.value, range: override?.range ?? u.nameRange };
      scope.params.set(p.name, decl);
      params.push(decl);
    }
  }
  if (scope.diagnostics.length > before) return;
  const definition: Definition = {
    ...info.definition,
    line: u.line,
    range: u.range,
    nameRange: u.nameRange,
    helper: u.helper,
    scope: info.definition.scope ?? file.definitions,
  };
  scope.defined.set(u.name, definition);
  scope.usedParams.set(u.name, new Set(params.map((p) => p.name)));
  if (!u.helper) scope.losses.push({ ...info, params, classes: u.classes ?? info.classes, definition });
}

/** The library's checked files by path, re-checked only when their text changes. */
const checkedLibrary = new Map<string, { readonly text: string; readonly checked: LossFileResult }>();

type LibraryLoss = { ok: true; info: LossInfo; file: CheckedFile } | { ok: false; message: string; guess?: string };

function findLibraryLoss(name: string, directory: string): LibraryLoss {
  const files = readLibraryFiles(directory);
  if (!files.ok) return files;
  const names: string[] = [];
  for (const { file, text } of files.files) {
    let entry = checkedLibrary.get(file);
    if (entry?.text !== text) {
      entry = { text, checked: checkFile(text, undefined) };
      checkedLibrary.set(file, entry);
    }
    const info = entry.checked.file.losses.find((l) => l.name === name);
    if (info) return { ok: true, info, file: entry.checked.file };
    names.push(...entry.checked.file.losses.map((l) => l.name));
  }
  const guess = closestName(name, names);
  return { ok: false, message: `no loss named '${name}' in the library`, ...(guess !== undefined ? { guess } : {}) };
}
