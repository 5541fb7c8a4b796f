/**
 * A check context for the theory checks (calibration, properness, elicitation, influence), which
 * decide in float64 and never run the backend: its executor refuses to compile, so a check that
 * reached for float32 would fail its test.
 */
import { findLoss } from '../../../src/core/analyze';
import type { CheckContext } from '../../../src/core/checks/context';
import type { Executor } from '../../../src/core/engine/executor';

const float64Only: Executor = {
  backend: 'cpu',
  compile: () => {
    throw new Error('the theory checks decide in float64; they must not compile for the backend');
  },
};

/** The first loss of `text`, with its params at their defaults overridden by `params`. */
export function float64Context(text: string, params: Readonly<Record<string, number>> = {}): CheckContext {
  const found = findLoss(text);
  if (!found.ok) throw new Error(`bad test loss: ${JSON.stringify(found.diagnostics)}`);
  const defaults = Object.fromEntries(found.loss.params.map((p) => [p.decl.name, p.decl.value]));
  return { loss: found.loss, params: { ...defaults, ...params }, executor: float64Only };
}
