/**
 * The header every export starts with: the loss's source, its parameters, its citation, the
 * stable rewrites applied and LossLab's check verdicts, so the code carries what is known of it.
 */
import { toText } from '../ir/text';
import { isVectorRole } from '../lang/kinds';
import type { ExportPlan } from './exportPlan';

const VERDICT_WIDTH = 'inconclusive'.length;

/** The header as plain lines; each target adds its comment marker. */
export function headerLines(plan: ExportPlan, target: string): string[] {
  const { loss, provenance } = plan;
  const info = loss.info;
  const from = provenance.file !== undefined ? ` from ${provenance.file}` : '';
  const lines = [`${info.name}: a ${info.kind} loss, exported by LossLab${from} to ${target}.`, ''];

  lines.push('Source:');
  const source = provenance.source ?? [`${info.name}(${info.inputs.map((i) => i.name).join(', ')}) = ${toText(loss.graph, loss.value)}`];
  lines.push(...source.map((l) => `  ${l}`), '');

  if (loss.params.length > 0) {
    lines.push('Parameters (defaults of the exported code):');
    for (const p of loss.params) lines.push(`  ${p.decl.name} = ${plan.params[p.decl.name]}  (LossLab's range [${p.decl.min}, ${p.decl.max}])`);
    lines.push('');
  }
  if (info.cite !== undefined) lines.push(`Citation: ${info.cite}`, '');
  if (loss.inputs.some((i) => isVectorRole(i.spec.role)))
    lines.push(`Classes: LossLab checked it with K = ${info.classes} (@classes); the code reads K from its input.`, '');

  if (plan.rewrites.length > 0) {
    lines.push('Written in a stable form (LossLab would flag the naive one in float32):');
    for (const r of plan.rewrites) lines.push(`  ${r.pattern}  ->  ${r.replacement}  (${r.why})`);
    lines.push('');
  }

  const checks = provenance.checks;
  if (checks === undefined) lines.push(`LossLab checks: not run here; run \`losslab check FILE --loss ${info.name}\`.`);
  else {
    const at = Object.entries(plan.params)
      .map(([k, v]) => `${k} = ${v}`)
      .join(', ');
    lines.push(`LossLab checks (${checks.backend} backend${at ? `; ${at}` : ''}):`);
    for (const c of checks.results) lines.push(`  ${c.verdict.padEnd(VERDICT_WIDTH)}  ${c.id.padEnd(12)} ${c.summary}`);
  }
  return lines;
}

/** Lines prefixed with a comment marker, with no trailing spaces on empty lines. */
export function commented(lines: readonly string[], marker: string): string[] {
  return lines.map((l) => (l === '' ? marker : `${marker} ${l}`));
}
