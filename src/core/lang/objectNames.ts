/**
 * Names that every JavaScript object already has (`__proto__`, `constructor`, `toString`, ...).
 * Params, definitions and arguments become keys of plain objects on their way to the engine and
 * the exporters, where such a key would read or replace the prototype instead of a value: the
 * language refuses them at the name, with a diagnostic, rather than trust every later lookup.
 */
const OBJECT_NAMES: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__']);

export function isObjectPrototypeName(name: string): boolean {
  return OBJECT_NAMES.has(name);
}

export const objectNameMessage = (what: string, name: string): string =>
  `${what} '${name}' is a name every JavaScript object has (Object.prototype); choose another name`;
