/**
 * The exports of a plot: CSV by RFC 4180 (quoting, empty cells for gaps) and a standalone SVG
 * drawn from the data, whose coordinates follow from the axes' linear maps.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlotData } from '../../../webview/curvesSeries';
import { plotToCsv } from '../../../webview/plotExportCsv';
import { escapeXml, niceTicks, plotToSvg, unbrokenRuns, type SvgStyle } from '../../../webview/plotExportSvg';

const plot: PlotData = {
  xLabel: 'p',
  x: [0, 0.5, 1],
  series: [
    { label: 'brier, y = 1', role: 'shown', colorIndex: 0, values: [1, 0.25, 0] },
    { label: 'say "hi"', role: 'compared', colorIndex: 1, values: [2, null, 0.125] },
  ],
};

const STYLE: SvgStyle = {
  width: 380,
  height: 200,
  foreground: '#ccc',
  grid: '#333',
  background: '#1f1f1f',
  palette: ['#3794ff', '#d18616'],
  fontFamily: 'sans-serif',
};

describe('plotToCsv', () => {
  it('quotes fields with commas or quotes (RFC 4180 2.6, 2.7), one row per point, an empty cell for a gap', () => {
    assert.equal(plotToCsv(plot), 'p,"brier, y = 1","say ""hi"""\r\n0,1,2\r\n0.5,0.25,\r\n1,0,0.125\r\n');
  });

  it('keeps the full double, so the file reads back to the plotted numbers', () => {
    const third: PlotData = { xLabel: 'z', x: [1 / 3], series: [{ label: 'l', role: 'shown', colorIndex: 0, values: [Math.fround(0.1)] }] };
    const [, row] = plotToCsv(third).split('\r\n');
    assert.deepEqual(row?.split(',').map(Number), [1 / 3, Math.fround(0.1)]);
  });
});

describe('plotToSvg', () => {
  const svg = plotToSvg({ title: 'value <l>(p)', data: plot, xWindow: [0, 1], yRange: [0, 2], yScale: 'linear', symlogThreshold: 1, cursor: 0.5 }, STYLE);

  it('is one svg element with the title escaped', () => {
    assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
    assert.ok(svg.trimEnd().endsWith('</svg>'));
    assert.ok(svg.includes('value &lt;l&gt;(p)'));
    assert.ok(!svg.includes('<l>'));
  });

  it('maps the data linearly: (0, 1) -> left, middle; (1, 0) -> right, bottom (margins 64, 16, 28, 44)', () => {
    // plot area: x in [64, 364], y in [28, 156] for y in [0, 2]: y = 1 -> 92, y = 0.25 -> 156 - 128/8 = 140.
    const first = /<polyline stroke="#3794ff" points="([^"]+)"/.exec(svg)?.[1];
    assert.equal(first, '64,92 214,140 364,156');
  });

  it('breaks the compared line at its gap and dashes it', () => {
    const compared = [...svg.matchAll(/<polyline stroke="#d18616" stroke-dasharray="6 4" points="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(compared, ['64,28', '364,148']);
  });

  it('draws the cursor and one legend row per series', () => {
    assert.ok(svg.includes('class="cursor" x1="214"'));
    assert.ok(svg.includes('>say &quot;hi&quot;</text>'));
  });
});

describe('the SVG helpers', () => {
  it('nice ticks are 1, 2 or 5 times a power of ten', () => {
    assert.deepEqual(niceTicks(0, 1), [0, 0.2, 0.4, 0.6, 0.8, 1]);
    assert.deepEqual(niceTicks(-4, 4), [-4, -2, 0, 2, 4]);
  });

  it('splits runs at gaps and at the window', () => {
    assert.deepEqual(unbrokenRuns([0, 1, 2, 3, 4], [0, 1, null, 3, 4], 0.5, 4), [
      [[1, 1]],
      [
        [3, 3],
        [4, 4],
      ],
    ]);
  });

  it('escapes the five XML characters', () => {
    assert.equal(escapeXml(`<a href='x'>&"`), '&lt;a href=&apos;x&apos;&gt;&amp;&quot;');
  });
});
