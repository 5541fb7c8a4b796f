/**
 * The library's losses for the panel's comparison picker, read once per worker: the catalogue
 * parses all of `library/*.loss`, which takes tens of milliseconds, too long to repeat per pick.
 */
import { defaultLibraryDirectory } from '../core/lang/library';
import { loadLibrary } from '../core/library/catalogue';
import type { WorkerResults } from '../protocol';

let catalogue: WorkerResults['library'] | undefined;

/** A library that does not load lists nothing: `use` reports its errors where it is written. */
export function libraryLosses(): WorkerResults['library'] {
  if (!catalogue) {
    const loaded = loadLibrary(defaultLibraryDirectory());
    catalogue = { losses: loaded.ok ? loaded.entries.map((e) => ({ family: e.family, loss: e.loss })) : [] };
  }
  return catalogue;
}
