/**
 * The extension manifest: Restricted Mode support (LossLab runs no user code: expressions are
 * walked against a whitelist, never evaluated), the grammars and the files it names, and every
 * command under the LossLab category.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BUILTINS } from '../../../src/core/lang/builtins';
import { HOST_LANGUAGE_IDS } from '../../../src/core/lang/embedded';

const ROOT = join(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { supported: boolean | 'limited'; restrictedConfigurations?: string[] } };
  contributes: {
    commands: { command: string; title: string; category: string }[];
    grammars: { language?: string; scopeName: string; path: string; injectTo?: string[] }[];
    configuration: { properties: Record<string, unknown> };
    walkthroughs: { steps: { media: { markdown?: string } }[] }[];
    viewsContainers: { activitybar: { icon: string }[] };
  };
};
const readJson = (path: string): { scopeName: string } => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as { scopeName: string };

describe('the extension manifest', () => {
  it('supports untrusted workspaces; the backend setting (native code) and the limits are restricted', () => {
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, true);
    // A repository's .vscode/settings.json must not pick native code, nor raise the limits that guard the editor.
    const restricted = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations ?? [];
    assert.ok(restricted.includes('losslab.backend'));
    const limits = Object.keys(manifest.contributes.configuration.properties).filter((k) => k.startsWith('losslab.limits.'));
    assert.ok(limits.length >= 11);
    assert.deepEqual(restricted.filter((k) => k !== 'losslab.backend').sort(), limits.sort());
  });

  it('activates on every language that may hold a loss', () => {
    for (const language of HOST_LANGUAGE_IDS) assert.ok(manifest.activationEvents.includes(`onLanguage:${language}`), language);
  });

  it('names grammars that exist, with the scope names they declare, and injects into Markdown', () => {
    for (const g of manifest.contributes.grammars) {
      assert.ok(existsSync(join(ROOT, g.path)), g.path);
      assert.equal(readJson(g.path).scopeName, g.scopeName);
    }
    assert.ok(manifest.contributes.grammars.some((g) => g.language === 'loss' && g.scopeName === 'source.loss'));
    assert.ok(manifest.contributes.grammars.some((g) => g.injectTo?.includes('text.html.markdown')));
  });

  it('lists every command under the LossLab category, and the settings of the editor integration', () => {
    for (const c of manifest.contributes.commands) assert.equal(c.category, 'LossLab', c.command);
    for (const key of ['losslab.backend', 'losslab.plot.points', 'losslab.plot.ranges', 'losslab.checks.onSave', 'losslab.readout.precision']) {
      assert.ok(Object.hasOwn(manifest.contributes.configuration.properties, key), key);
    }
  });

  it('ships the files the walkthrough and the activity bar name', () => {
    for (const step of manifest.contributes.walkthroughs.flatMap((w) => w.steps)) assert.ok(step.media.markdown && existsSync(join(ROOT, step.media.markdown)));
    for (const c of manifest.contributes.viewsContainers.activitybar) assert.ok(existsSync(join(ROOT, c.icon)));
    const ignore = readFileSync(join(ROOT, '.vscodeignore'), 'utf8');
    for (const kept of ['!syntaxes/**', '!media/**', '!examples/**']) assert.ok(ignore.includes(kept), kept);
  });

  it('the .loss grammar colours every built-in function of the whitelist as a function', () => {
    const grammar = readFileSync(join(ROOT, 'syntaxes/loss.tmLanguage.json'), 'utf8');
    const rules = [...grammar.matchAll(/"match": "(\\\\b\(abs\|[^"]*)"/g)].map((m) => new RegExp(JSON.parse(`"${m[1] as string}"`) as string));
    assert.equal(rules.length, 1, 'one rule lists the built-ins');
    const missing = Object.keys(BUILTINS).filter((name) => !(rules[0] as RegExp).test(`${name}(x)`) || (rules[0] as RegExp).exec(`${name}(x)`)?.[0] !== name);
    assert.deepEqual(missing, []);
  });
});
