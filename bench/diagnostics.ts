/**
 * Diagnostics as you type on a large file: how long the analysis of a generated 500-line .loss
 * file takes (params, directives, losses, helpers, comments, one typo and one unstable pattern),
 * in the core (`analyzeLossText`) and through the worker as the editor asks for it (a round trip
 * of the `analyze` request, the one diagnostics come from). The editor sends that request 200 ms
 * (ANALYZE_DELAY_MS) after the last keystroke; the budget is that delay plus 100 ms.
 *
 * Usage: node scripts/build.mjs && node --import tsx bench/diagnostics.ts
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import { analyzeLossText } from '../src/core/analyze';
import { LossDocument } from '../src/core/editor/document';
import { completeAt } from '../src/core/editor/completion';
import { hoverAt } from '../src/core/editor/hover';
import { WorkerClient } from '../src/worker/client';

const LINES = 500;
const WARMUP = 5;
const REPS = 30;
const DEBOUNCE_MS = 200;
const BUDGET_MS = DEBOUNCE_MS + 100;

/** A .loss file of `lines` lines, built from the kinds of statement a real file holds. */
export function generateLossFile(lines: number): string {
  const out: string[] = [];
  for (let k = 0; out.length < lines; k++) {
    out.push(
      `# family ${k}: a focal-style loss, its logit form through a helper, and a margin loss`,
      `param gamma_${k} = 2 in [0, 5]`,
      `param alpha_${k} = 0.25 in [0, 1]`,
      '@kind probability',
      `@cite "Focal Loss for Dense Object Detection" (Lin et al., 2017)`,
      `focal_${k}(p) = -alpha_${k} * (1 - p)^gamma_${k} * log(p)`,
      '@helper',
      `p_of_${k}(z) = sigmoid(z)`,
      `focal_logit_${k}(z) = -alpha_${k} * (1 - p_of_${k}(z))^gamma_${k} * -softplus(-z)`,
      `hinge_${k}(z) = max(0, 1 - z) + clip(z, -1, 1) * 0`,
      `@classes 4`,
      `ce_${k}(s, y) = logsumexp(s) - s[y]`,
      '',
    );
  }
  out.length = lines;
  // One error and one warning, so that the diagnostics are not empty.
  out[lines - 2] = 'typo(z) = sigmod(z)';
  out[lines - 1] = 'naive(z) = log(1 + exp(-z))';
  return out.join('\n');
}

function stats(samples: number[]): { median: number; p90: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  return { median: at(0.5), p90: at(0.9), max: sorted[sorted.length - 1] as number };
}

async function time(run: () => unknown | Promise<unknown>): Promise<{ median: number; p90: number; max: number }> {
  for (let i = 0; i < WARMUP; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const t = performance.now();
    await run();
    samples.push(performance.now() - t);
  }
  return stats(samples);
}

const fmt = (s: { median: number; p90: number; max: number }): string =>
  `median ${s.median.toFixed(1)} ms, p90 ${s.p90.toFixed(1)} ms, max ${s.max.toFixed(1)} ms`;

async function main(): Promise<void> {
  const text = generateLossFile(LINES);
  const result = analyzeLossText(text);
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = result.diagnostics.length - errors;
  process.stdout.write(
    `${LINES}-line .loss file: ${result.losses.length} losses, ${errors} error, ${warnings} warnings (${cpus()[0]?.model ?? 'unknown CPU'})\n`,
  );

  // Each edit is a new text: vary a comment so that no cache in the worker answers from memory.
  let edit = 0;
  const edited = (): string => text.replace('# family 0:', `# family 0 (edit ${edit++}):`);

  const core = await time(() => analyzeLossText(edited()));
  process.stdout.write(`analyzeLossText (core, in process):        ${fmt(core)}\n`);

  const worker = new WorkerClient(join(__dirname, '..', 'dist', 'worker.js'), {});
  await worker.ready();
  const roundTrip = await time(async () => {
    const r = await worker.request<'analyze'>({ type: 'analyze', view: 'bench', text: edited(), languageId: 'loss' }).promise;
    if (r.status !== 'ok') throw new Error(`analyze ${r.status}`);
  });
  process.stdout.write(`analyze through the worker (round trip):   ${fmt(roundTrip)}\n`);
  await worker.dispose();

  const last = text.split('\n').length - 3;
  const completion = await time(() => completeAt(new LossDocument(edited(), 'loss'), { line: last, column: 0 }));
  process.stdout.write(`completion (parse + items, core):          ${fmt(completion)}\n`);
  const hover = await time(() => hoverAt(new LossDocument(edited(), 'loss'), { line: 5, column: 1 }));
  process.stdout.write(`hover over a loss (parse + lower + eval):  ${fmt(hover)}\n`);

  const arrival = DEBOUNCE_MS + roundTrip.max;
  process.stdout.write(
    `diagnostics arrive ${DEBOUNCE_MS} ms (debounce) + ${roundTrip.max.toFixed(1)} ms (worst round trip) = ${arrival.toFixed(1)} ms after the last keystroke: ${arrival <= BUDGET_MS ? 'within' : 'OVER'} the ${BUDGET_MS} ms budget\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
