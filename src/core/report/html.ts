/**
 * `losslab report`: one self-contained HTML page about a loss: its formula and derivative, its
 * curves (inline SVG) and its check report. No script and no remote content; formulas are MathML
 * rendered by the caller (the CLI uses KaTeX), so the page reads in any browser, offline.
 */
import type { CheckReport } from '../checks/report';
import type { CurvesResult } from '../results';

export interface ReportInput {
  readonly file: string;
  readonly curves: CurvesResult;
  readonly checks: CheckReport;
  readonly cite?: string;
  readonly description?: string;
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : Number(v.toPrecision(6)).toString());

/** One curve as an SVG line chart, with its range written on the axes. Non-finite points break the line. */
function svgChart(title: string, xs: readonly number[], ys: readonly number[]): string {
  const W = 600;
  const H = 180;
  const P = 80;
  const finite = ys.filter(Number.isFinite);
  if (finite.length === 0) return `<p>${escapeHtml(title)}: not finite anywhere on the axis</p>`;
  const [x0, x1] = [xs[0] as number, xs[xs.length - 1] as number];
  let [y0, y1] = [Math.min(...finite), Math.max(...finite)];
  if (y0 === y1) [y0, y1] = [y0 - 1, y1 + 1];
  const px = (x: number) => P + ((x - x0) / (x1 - x0)) * (W - 2 * P);
  const py = (y: number) => H - P / 2 - ((y - y0) / (y1 - y0)) * (H - P);
  const segments: string[] = [];
  let current: string[] = [];
  xs.forEach((x, i) => {
    const y = ys[i] as number;
    if (Number.isFinite(y)) current.push(`${px(x).toFixed(1)},${py(y).toFixed(1)}`);
    else if (current.length > 0) {
      segments.push(current.join(' '));
      current = [];
    }
  });
  if (current.length > 0) segments.push(current.join(' '));
  const lines = segments.map((s) => `<polyline fill="none" stroke="#3794ff" stroke-width="1.5" points="${s}"/>`).join('');
  return `<figure><figcaption>${escapeHtml(title)}</figcaption><svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(title)}">
<line x1="${P}" y1="${H - P / 2}" x2="${W - P}" y2="${H - P / 2}" stroke="#999"/><line x1="${P}" y1="${P / 2}" x2="${P}" y2="${H - P / 2}" stroke="#999"/>${lines}
<text x="${P}" y="${H - 4}" font-size="11">${fmt(x0)}</text><text x="${W - P}" y="${H - 4}" font-size="11" text-anchor="end">${fmt(x1)}</text>
<text x="${P - 4}" y="${P / 2 + 4}" font-size="11" text-anchor="end">${fmt(y1)}</text><text x="${P - 4}" y="${H - P / 2}" font-size="11" text-anchor="end">${fmt(y0)}</text></svg></figure>`;
}

function witnessText(w: Readonly<Record<string, number | string | readonly number[]>> | undefined): string {
  if (!w) return '';
  return Object.entries(w)
    .map(([k, v]) => `${escapeHtml(k)} = ${escapeHtml(Array.isArray(v) ? `[${v.join(', ')}]` : String(v))}`)
    .join(', ');
}

export function renderHtmlReport(input: ReportInput, renderMath: (latex: string) => string): string {
  const { curves, checks } = input;
  const params = Object.entries(checks.params)
    .map(([k, v]) => `${escapeHtml(k)} = ${v}`)
    .join(', ');
  const charts = curves.curves
    .flatMap((c) => [
      svgChart(`${c.label}: value along ${curves.axis.label}`, curves.axis.values, c.value),
      svgChart(`${c.label}: first derivative`, curves.axis.values, c.first),
      svgChart(`${c.label}: second derivative`, curves.axis.values, c.second),
    ])
    .join('\n');
  const rows = checks.checks
    .map(
      (c) =>
        `<tr class="${c.verdict}"><td>${c.verdict}</td><td>${escapeHtml(c.id)}</td><td>${escapeHtml(c.summary)}${
          c.witness ? `<br><small>witness: ${witnessText(c.witness)}</small>` : ''
        }${c.cite ? `<br><small><cite>${escapeHtml(c.cite)}</cite></small>` : ''}</td></tr>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>LossLab report: ${escapeHtml(curves.loss)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>body{font-family:system-ui,sans-serif;max-width:900px;margin:2em auto;padding:0 1em}td{vertical-align:top;padding:4px 8px;border-top:1px solid #ddd}
tr.pass td:first-child{color:#1a7f37}tr.fail td:first-child{color:#cf222e}tr.inconclusive td:first-child{color:#9a6700}figure{margin:1em 0}small{color:#555}</style></head>
<body><h1>${escapeHtml(curves.loss)} <small>(${escapeHtml(curves.kind)}, ${escapeHtml(input.file)})</small></h1>
${input.description ? `<p>${escapeHtml(input.description)}</p>` : ''}${input.cite ? `<p><cite>${escapeHtml(input.cite)}</cite></p>` : ''}
<p>${renderMath(curves.latex.formula)}</p><p>${renderMath(`${curves.latex.derivativeOf} = ${curves.latex.derivative}`)}</p>
<p>Params: ${params || 'none'}. Curves on the ${escapeHtml(curves.backend)} backend (float32); checks decided in float64.</p>
<h2>Curves</h2>
${charts}
<h2>Checks</h2>
<table><thead><tr><th>verdict</th><th>check</th><th>summary</th></tr></thead><tbody>
${rows}
</tbody></table>
<p><small>Generated by LossLab.</small></p></body></html>
`;
}
