/**
 * Where `use NAME from "library"` finds its losses: the `library/*.loss` files that ship with
 * LossLab, read as text and checked like any file. The directory is an option of the checker;
 * by default it is the `library/` found by walking up from this module, which holds both for the
 * sources (src/core/lang -> library) and for a bundle (dist -> library).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface LibraryFile {
  readonly file: string;
  readonly text: string;
}

export type LibraryFiles = { ok: true; files: LibraryFile[] } | { ok: false; message: string };

/**
 * The nearest `library/` directory above this module that holds .loss files (src/core/library,
 * the catalogue's code, does not), or `library/` beside it when there is none.
 */
export function defaultLibraryDirectory(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, 'library');
    if (existsSync(candidate) && readdirSync(candidate).some((f) => f.endsWith('.loss'))) return candidate;
    if (dirname(dir) === dir) return join(__dirname, 'library');
  }
}

/** The `.loss` files of `directory`, sorted by name. */
export function readLibraryFiles(directory: string): LibraryFiles {
  try {
    const names = readdirSync(directory)
      .filter((f) => f.endsWith('.loss'))
      .sort();
    return { ok: true, files: names.map((name) => ({ file: join(directory, name), text: readFileSync(join(directory, name), 'utf8') })) };
  } catch (e) {
    return { ok: false, message: `the library directory ${directory} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  }
}
