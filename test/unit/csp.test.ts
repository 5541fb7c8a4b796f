/**
 * The panel's HTML, parsed as a browser would (parse5, the WHATWG parser jsdom uses; it comes
 * with @vscode/vsce): one Content-Security-Policy that refuses everything by default, no inline
 * code, every script and style carrying this load's nonce, nothing from another host.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { renderPanelDocument } from '../../src/extension/panelDocument';

type Element = DefaultTreeAdapterMap['element'];
type Node = DefaultTreeAdapterMap['node'];

const CSP_SOURCE = 'https://abc123.vscode-cdn.net';
const NONCE = 'q1w2e3r4t5y6u7i8o9p0aa==';
const asset = (file: string): string => `${CSP_SOURCE}/ext/dist/${file}`;

function elements(node: Node): Element[] {
  const found: Element[] = [];
  const stack: Node[] = [node];
  while (stack.length > 0) {
    const n = stack.pop() as Node;
    if ('tagName' in n) found.push(n);
    if ('childNodes' in n) stack.push(...n.childNodes);
    if ('content' in n) stack.push(n.content);
  }
  return found;
}

const attribute = (e: Element, name: string): string | undefined => e.attrs.find((a) => a.name === name)?.value;

/** The policy's directives by name, each with its sources. */
function directives(policy: string): Map<string, string[]> {
  const parsed = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) parsed.set(name.toLowerCase(), sources);
  }
  return parsed;
}

describe('the panel HTML', () => {
  const html = renderPanelDocument({ nonce: NONCE, cspSource: CSP_SOURCE, asset });
  const all = elements(parse(html));
  const metas = all.filter((e) => e.tagName === 'meta' && attribute(e, 'http-equiv')?.toLowerCase() === 'content-security-policy');
  const policy = directives(attribute(metas[0] as Element, 'content') ?? '');

  it('has exactly one Content-Security-Policy, in the head', () => {
    assert.equal(metas.length, 1);
    assert.equal((metas[0]?.parentNode as Element | null)?.tagName, 'head');
  });

  it("refuses everything by default: default-src 'none'", () => {
    assert.deepEqual(policy.get('default-src'), ["'none'"]);
  });

  it("allows no 'unsafe-inline', 'unsafe-eval', 'unsafe-hashes', wildcard or scheme-wide source", () => {
    for (const [name, sources] of policy) {
      for (const s of sources) {
        assert.ok(!/^'unsafe-/.test(s), `${name} ${s}`);
        assert.ok(!['*', 'http:', 'https:', 'ws:', 'wss:', 'blob:', "'self'"].includes(s), `${name} ${s}`);
      }
    }
  });

  it('runs scripts only with the nonce of this load', () => {
    assert.deepEqual(policy.get('script-src'), [`'nonce-${NONCE}'`]);
  });

  it('takes styles, fonts and images only from the webview origin (images also as data:)', () => {
    assert.deepEqual(policy.get('style-src'), [CSP_SOURCE, `'nonce-${NONCE}'`]);
    assert.deepEqual(policy.get('font-src'), [CSP_SOURCE]);
    assert.deepEqual(policy.get('img-src'), [CSP_SOURCE, 'data:']);
    assert.deepEqual([...policy.keys()].sort(), ['default-src', 'font-src', 'img-src', 'script-src', 'style-src']);
  });

  it('gives every script and stylesheet the nonce, and has no inline script, style or event handler', () => {
    const scripts = all.filter((e) => e.tagName === 'script');
    const styles = all.filter((e) => e.tagName === 'style' || (e.tagName === 'link' && attribute(e, 'rel') === 'stylesheet'));
    assert.ok(scripts.length >= 1 && styles.length >= 1);
    for (const e of [...scripts, ...styles]) assert.equal(attribute(e, 'nonce'), NONCE, e.tagName);
    for (const s of scripts) assert.ok(attribute(s, 'src') !== undefined && s.childNodes.length === 0, 'a script is a file, not inline code');
    for (const e of all) {
      for (const a of e.attrs) {
        assert.ok(!/^on/i.test(a.name), `${e.tagName} ${a.name}`);
        assert.notEqual(a.name, 'style', e.tagName);
      }
    }
  });

  it('loads every file from the webview origin, nothing from another host', () => {
    const urls = all.flatMap((e) =>
      ['src', 'href', 'action', 'formaction', 'poster', 'data'].map((n) => attribute(e, n)).filter((u): u is string => u !== undefined),
    );
    assert.ok(urls.length >= 2);
    for (const url of urls) assert.ok(url.startsWith(`${CSP_SOURCE}/`), url);
    assert.equal(all.filter((e) => ['iframe', 'object', 'embed', 'base', 'form'].includes(e.tagName)).length, 0);
  });

  it('changes the nonce with every load it is given, and escapes what it is given', () => {
    const hostile = renderPanelDocument({ nonce: 'n"><script>alert(1)</script>', cspSource: CSP_SOURCE, asset: (f) => `${CSP_SOURCE}/${f}" onload="alert(1)` });
    const parsed = elements(parse(hostile));
    assert.equal(parsed.filter((e) => e.tagName === 'script').length, 1, 'no script injected through an attribute');
    for (const e of parsed) for (const a of e.attrs) assert.ok(!/^on/i.test(a.name), `${e.tagName} ${a.name}`);
  });
});
