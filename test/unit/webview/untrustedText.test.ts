/**
 * Text from a .loss file reaches the panel as names, messages and LaTeX. The panel never parses
 * it as HTML (no innerHTML or the like anywhere in webview/), and typesets LaTeX with KaTeX under
 * `trust: false` and a bounded `maxExpand`, so a file cannot add links, classes or a macro bomb.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import katex, { type KatexOptions } from 'katex';

const WEBVIEW = join(__dirname, '..', '..', '..', 'webview');
const sources = readdirSync(WEBVIEW)
  .filter((f) => /\.(ts|html)$/.test(f))
  .map((f) => ({ file: f, text: readFileSync(join(WEBVIEW, f), 'utf8') }));

/** The options object literal of webview/formula.ts, read as written (the module imports CSS). */
function formulaOptions(): string {
  const formula = sources.find((s) => s.file === 'formula.ts')?.text ?? '';
  return /const OPTIONS: KatexOptions = (\{[^}]*\})/.exec(formula)?.[1] ?? '';
}

describe('the panel and untrusted text', () => {
  it('never builds HTML from strings: no innerHTML, outerHTML, insertAdjacentHTML, document.write, DOMParser', () => {
    for (const { file, text } of sources) {
      if (file.endsWith('.html')) continue;
      assert.doesNotMatch(text, /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|new DOMParser|createContextualFragment/, file);
    }
  });

  it('typesets with trust: false, throwOnError: false and maxExpand of at most 1000', () => {
    const options = formulaOptions();
    assert.match(options, /trust: false/);
    assert.match(options, /throwOnError: false/);
    const maxExpand = Number(/maxExpand: (\d+)/.exec(options)?.[1]);
    assert.ok(maxExpand > 0 && maxExpand <= 1000, `maxExpand ${maxExpand}`);
  });

  describe('KaTeX with the panel options', () => {
    const maxExpand = Number(/maxExpand: (\d+)/.exec(formulaOptions())?.[1]);
    const options: KatexOptions = { displayMode: true, throwOnError: false, trust: false, maxExpand };
    const render = (latex: string): string => katex.renderToString(latex, options);

    for (const hostile of [
      String.raw`\href{javascript:alert(1)}{x}`,
      String.raw`\url{https://example.com}`,
      String.raw`\htmlClass{evil}{x}`,
      String.raw`\htmlId{evil}{x}`,
      String.raw`\htmlStyle{background:url(https://example.com)}{x}`,
      String.raw`\htmlData{foo=bar}{x}`,
      String.raw`\includegraphics{https://example.com/a.png}`,
    ]) {
      it(`refuses ${hostile.split('{')[0]}: no link, class, style or image reaches the page`, () => {
        const html = render(hostile);
        // The source itself stays, escaped, in the MathML annotation: only markup matters.
        assert.doesNotMatch(html, /<a |href=|<img|src=|style="[^"]*url\(|class="[^"]*evil|id="evil"|data-foo/);
      });
    }

    it('stops a macro bomb at maxExpand and shows an error instead of hanging or throwing', () => {
      const html = render(String.raw`\def\a{\a\a}\a`);
      assert.match(html, /katex-error/);
      assert.match(html, /Too many expansions/);
    });

    it('escapes HTML in the LaTeX source', () => {
      const html = render(String.raw`\text{<img src=x onerror=alert(1)>}`);
      assert.doesNotMatch(html, /<img/);
    });
  });
});
