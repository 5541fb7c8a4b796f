/**
 * The webview boundary: whatever a webview (or a crashed worker) posts, the host acts only on
 * messages `src/protocol.ts` declares. Malformed and hostile messages (prototype keys, huge
 * strings, NaN and Infinity, nesting, arrays, wrong types, extra keys) are refused, the
 * validators never throw, and no prototype is polluted. Every place the host receives a webview
 * message goes through `isPanelToHost`.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isPanelToHost, isWorkerMessage } from '../../src/protocol';

const HUGE = 'x'.repeat(20_000_000);
let deep: unknown = { type: 'ready' };
for (let i = 0; i < 100_000; i++) deep = { type: 'setParam', name: 'gamma', value: deep };

const NOT_OBJECTS: unknown[] = [
  undefined,
  null,
  0,
  NaN,
  'ready',
  Symbol('ready'),
  () => ({ type: 'ready' }),
  [],
  [{ type: 'ready' }],
  Object.assign([], { type: 'ready' }),
];

const HOSTILE_PANEL: [string, unknown][] = [
  ...NOT_OBJECTS.map((v): [string, unknown] => [`not an object: ${String(typeof v === 'symbol' ? 'symbol' : Array.isArray(v) ? 'array' : v)}`, v]),
  ['no type', {}],
  ['an unknown type', { type: 'evaluate', code: 'process.exit()' }],
  ['a type that is not a string', { type: ['ready'] }],
  ['a type object with toString', { type: { toString: () => 'ready' } }],
  ['an inherited type', Object.create({ type: 'ready' })],
  [
    'a class instance',
    new (class Ready {
      readonly type = 'ready';
    })(),
  ],
  ['ready with an extra key', { type: 'ready', then: 'x' }],
  ['setParam with an extra key', { type: 'setParam', name: 'gamma', value: 1, extra: true }],
  ['setParam with an own __proto__ key (JSON)', JSON.parse('{"type":"setParam","name":"gamma","value":1,"__proto__":{"polluted":true}}')],
  ['setParam named __proto__', { type: 'setParam', name: '__proto__', value: 1 }],
  ['setParam named constructor', { type: 'setParam', name: 'constructor', value: 1 }],
  ['setParam named toString', { type: 'setParam', name: 'toString', value: 1 }],
  ['setParam named hasOwnProperty', { type: 'setCompareParam', name: 'hasOwnProperty', value: 1 }],
  ['setParam with NaN', { type: 'setParam', name: 'gamma', value: NaN }],
  ['setParam with Infinity', { type: 'setParam', name: 'gamma', value: Infinity }],
  ['setParam with -Infinity', { type: 'setParam', name: 'gamma', value: -Infinity }],
  ['setParam with a numeric string', { type: 'setParam', name: 'gamma', value: '1' }],
  ['setParam with a bigint', { type: 'setParam', name: 'gamma', value: 1n }],
  ['setParam with a boxed number', { type: 'setParam', name: 'gamma', value: Object(1) }],
  ['setParam with a nested object', { type: 'setParam', name: 'gamma', value: { valueOf: () => 1 } }],
  ['setParam nested 100,000 deep', deep],
  ['setParam with a huge name', { type: 'setParam', name: HUGE, value: 1 }],
  ['setParam with a name that is code', { type: 'setParam', name: 'a; process.exit()', value: 1 }],
  ['setParam with an array name', { type: 'setParam', name: ['gamma'], value: 1 }],
  ['setRange reversed', { type: 'setRange', min: 1, max: 0 }],
  ['setRange empty', { type: 'setRange', min: 1, max: 1 }],
  ['setRange with NaN', { type: 'setRange', min: NaN, max: 1 }],
  ['setRange with Infinity', { type: 'setRange', min: 0, max: Infinity }],
  ['setLandscape on one axis', { type: 'setLandscape', x: 'p', y: 'p', resolution: 41 }],
  ['setLandscape too fine', { type: 'setLandscape', x: 'p', y: 'gamma', resolution: 1e9 }],
  ['setLandscape fractional', { type: 'setLandscape', x: 'p', y: 'gamma', resolution: 40.5 }],
  ['runExperiment with a prototype key in its setup', { type: 'runExperiment', setup: JSON.parse('{"__proto__":{"polluted":true}}') }],
  ['runExperiment with 10^6 losses', { type: 'runExperiment', with: Array.from({ length: 1_000_000 }, (_, i) => `l${i}`) }],
  ['runExperiment with an absurd setup', { type: 'runExperiment', setup: { epochs: 1e12, points: -1 } }],
  ['runExperiment with nested with', { type: 'runExperiment', with: [['focal']] }],
  ['copyText with a huge string', { type: 'copyText', text: HUGE }],
  ['copyText with an empty string', { type: 'copyText', text: '' }],
  ['saveFile outside its folder', { type: 'saveFile', format: 'csv', name: '../../.bashrc', data: 'x' }],
  ['saveFile hidden', { type: 'saveFile', format: 'csv', name: '.bashrc', data: 'x' }],
  ['saveFile png that is not one', { type: 'saveFile', format: 'png', name: 'plot.png', data: 'data:text/html,<script>' }],
  ['saveFile of an unknown format', { type: 'saveFile', format: 'exe', name: 'a.exe', data: 'MZ' }],
  ['saveFile with a huge file', { type: 'saveFile', format: 'csv', name: 'a.csv', data: HUGE }],
  ['setPinned with a string', { type: 'setPinned', pinned: 'true' }],
  ['compareWith a huge id', { type: 'compareWith', id: HUGE }],
];

describe('isPanelToHost refuses malformed and hostile messages', () => {
  for (const [what, message] of HOSTILE_PANEL) {
    it(what, () => {
      assert.equal(isPanelToHost(message), false);
    });
  }

  it('and accepts the declared ones', () => {
    for (const m of [
      { type: 'ready' },
      { type: 'setParam', name: 'gamma', value: 2.5 },
      { type: 'setRange', min: -3, max: 3 },
      { type: 'runChecks' },
      { type: 'runExperiment' },
      { type: 'setPinned', pinned: true },
      Object.assign(Object.create(null) as object, { type: 'ready' }),
    ]) {
      assert.equal(isPanelToHost(m), true, JSON.stringify(m));
    }
  });

  it('leaves Object.prototype unpolluted after every hostile message', () => {
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getOwnPropertyNames(Object.prototype).includes('polluted'), false);
  });
});

const HOSTILE_WORKER: [string, unknown][] = [
  ...NOT_OBJECTS.map((v): [string, unknown] => [`not an object: ${String(typeof v === 'symbol' ? 'symbol' : Array.isArray(v) ? 'array' : v)}`, v]),
  ['an unknown type', { type: 'eval', code: '1' }],
  ['ready on an unknown backend', { type: 'ready', backend: 'evil' }],
  ['ready on a backend named by a prototype key', { type: 'ready', backend: 'constructor' }],
  ['ready with a notice that is not text', { type: 'ready', backend: 'wasm', notice: { html: '<b>' } }],
  ['a result without an id', { type: 'result', result: {} }],
  ['a result with a string id', { type: 'result', id: '1', result: {} }],
  ['a result with a NaN id', { type: 'result', id: NaN, result: {} }],
  ['a result with a fractional id', { type: 'result', id: 1.5, result: {} }],
  ['a result with a negative id', { type: 'result', id: -1, result: {} }],
  ['a result that is an array', { type: 'result', id: 1, result: [1, 2] }],
  ['a result that is null', { type: 'result', id: 1, result: null }],
  ['failed without a message', { type: 'failed', id: 1 }],
  ['failed with a message object', { type: 'failed', id: 1, message: { toString: () => 'x' } }],
  ['progress with a NaN fraction', { type: 'progress', id: 1, fraction: NaN, message: 'x' }],
  ['progress with an infinite fraction', { type: 'progress', id: 1, fraction: Infinity, message: 'x' }],
  ['progress beyond 1', { type: 'progress', id: 1, fraction: 2, message: 'x' }],
  ['progress with a live curve that is not one', { type: 'progress', id: 1, fraction: 0.5, message: 'x', live: { loss: 'mae' } }],
];

describe('isWorkerMessage refuses malformed messages', () => {
  for (const [what, message] of HOSTILE_WORKER) {
    it(what, () => {
      assert.equal(isWorkerMessage(message), false);
    });
  }

  it('and accepts the declared ones', () => {
    for (const m of [
      { type: 'ready', backend: 'wasm' },
      { type: 'ready', backend: 'cpu', notice: 'the wasm backend failed mid-session (x); using cpu' },
      { type: 'result', id: 1, result: {} },
      { type: 'failed', id: 2, message: 'no' },
      { type: 'cancelled', id: 3 },
      { type: 'progress', id: 4, fraction: 0, message: 'x' },
      { type: 'progress', id: 4, fraction: 1, message: 'done' },
    ]) {
      assert.equal(isWorkerMessage(m), true, JSON.stringify(m));
    }
  });
});

/** Every TypeScript file under a folder. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('the host', () => {
  it('validates every message from a webview with isPanelToHost before anything else sees it', () => {
    const receivers = sourceFiles(join(__dirname, '..', '..', 'src')).flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return [...text.matchAll(/\bwebview\.onDidReceiveMessage\(/g)].map((m) => ({ file, after: text.slice(m.index, m.index + 200) }));
    });
    assert.ok(receivers.length >= 1, 'the panel receives messages');
    for (const r of receivers) assert.match(r.after, /^webview\.onDidReceiveMessage\(\(m: unknown\) => \{\s*if \(!isPanelToHost\(m\)\) return;/, r.file);
  });
});
