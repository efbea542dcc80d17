// A real VS Code for tests on machines that cannot download desktop VS Code: the VS Code 1.100.3 server shipped
// inside the `code-server@4.100.3` npm package, its workbench opened in Debian's Chromium through playwright-core.
// Facts behind each step are in ../shared/vscode-host.md.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');
const CODE_SERVER_VERSION = '4.100.3';
const RIPGREP_ARCHIVE = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where the host is installed once and reused: an ignored cache folder in the project. */
export const HOST_DIR = process.env.XRAY_VSCODE_HOST_DIR ?? path.join(PROJECT_ROOT, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`);
const SERVER_MAIN = path.join(HOST_DIR, 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');

/** Installs the VS Code server from the npm registry into HOST_DIR unless it is already there. */
export function ensureHostInstalled(log: (line: string) => void = console.log): string {
  if (fs.existsSync(SERVER_MAIN)) return SERVER_MAIN;
  log(`Installing VS Code server (code-server@${CODE_SERVER_VERSION}) into ${HOST_DIR} (once)...`);
  fs.mkdirSync(HOST_DIR, { recursive: true });
  provideRipgrepArchive();
  fs.writeFileSync(path.join(HOST_DIR, 'package.json'), JSON.stringify({ name: 'xray-curator-test-host', private: true }));
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: HOST_DIR,
    stdio: 'inherit',
    // code-server's postinstall (run by npm versions that run dependency scripts) needs these as root.
    env: { ...process.env, npm_config_unsafe_perm: 'true', npm_config_yes: 'true' },
  });
  if (result.status !== 0 || !fs.existsSync(SERVER_MAIN)) {
    throw new Error(`installing code-server@${CODE_SERVER_VERSION} failed (exit ${result.status}); see the npm output above`);
  }
  return SERVER_MAIN;
}

/**
 * @vscode/ripgrep's postinstall downloads ripgrep from GitHub, which fails offline; it first looks for a cached
 * archive, and one holding Debian's /usr/bin/rg satisfies it.
 */
function provideRipgrepArchive(): void {
  const cacheDir = path.join(os.tmpdir(), 'vscode-ripgrep-cache-1.15.11');
  const archive = path.join(cacheDir, RIPGREP_ARCHIVE);
  if (fs.existsSync(archive) || !fs.existsSync('/usr/bin/rg')) return;
  fs.mkdirSync(cacheDir, { recursive: true });
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-'));
  fs.copyFileSync('/usr/bin/rg', path.join(staging, 'rg'));
  spawnSync('tar', ['-C', staging, '-czf', archive, 'rg'], { stdio: 'inherit' });
  fs.rmSync(staging, { recursive: true, force: true });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface HostOptions {
  /** Open folders trusted (default). False starts in Restricted Mode. */
  trusted?: boolean;
  /** Prints the server's output. */
  verbose?: boolean;
  /** Fixed port (the start script); default a free loopback port. */
  port?: number;
  /** Bind address; default loopback. */
  host?: string;
  /** Settings written to the server's machine settings before it starts. */
  settings?: Record<string, unknown>;
  /**
   * Give the server (and so the extension host) a throwaway user cache (`XDG_CACHE_HOME`), removed by `stop`:
   * tests on the read-only shared data then keep its stand-in state folder out of the real cache.
   */
  isolatedCache?: boolean;
  /** A packaged extension (.vsix) to install into the server's extensions folder before it starts. */
  installVsix?: string;
}

/** Installs a .vsix as a user would (`--install-extension`), with the server's own data and extensions folders. */
function installVsix(serverMain: string, vsix: string, folderArgs: string[]): void {
  const result = spawnSync(process.execPath, [serverMain, '--install-extension', path.resolve(vsix), '--accept-server-license-terms', ...folderArgs], { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0 || !/successfully installed/.test(result.stdout)) {
    throw new Error(`installing ${vsix} into the VS Code server failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
}

/** A running VS Code server. */
export class VsCodeHost {
  /** Everything the server printed (the extension host's console goes to its log files). */
  private output = '';

  private constructor(
    readonly port: number,
    private readonly server: ChildProcess,
    private readonly dataDir: string,
  ) {
    const keep = (chunk: Buffer): void => void (this.output = (this.output + chunk.toString()).slice(-1_000_000));
    server.stdout?.on('data', keep);
    server.stderr?.on('data', keep);
  }

  static async start(options: HostOptions = {}): Promise<VsCodeHost> {
    const serverMain = ensureHostInstalled();
    const port = options.port ?? (await freePort());
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xray-vscode-'));
    if (options.settings) {
      // The server keeps machine settings in its user-data folder (the one `--user-data-dir` names).
      const machine = path.join(dataDir, 'user', 'Machine');
      fs.mkdirSync(machine, { recursive: true });
      fs.writeFileSync(path.join(machine, 'settings.json'), JSON.stringify(options.settings, null, 2));
    }
    const args = [
      serverMain,
      '--host', options.host ?? '127.0.0.1',
      '--port', String(port),
      '--without-connection-token',
      '--accept-server-license-terms',
      '--disable-telemetry',
      '--server-data-dir', path.join(dataDir, 'server'),
      '--user-data-dir', path.join(dataDir, 'user'),
      '--extensions-dir', path.join(dataDir, 'extensions'),
    ];
    if (options.installVsix) installVsix(serverMain, options.installVsix, args.slice(args.indexOf('--server-data-dir')));
    if (options.trusted !== false) args.push('--disable-workspace-trust');
    const env = options.isolatedCache ? { ...process.env, XDG_CACHE_HOME: path.join(dataDir, 'cache') } : process.env;
    const server = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    const host = new VsCodeHost(port, server, dataDir);
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`VS Code server did not start within 60 s:\n${output}`)), 60_000);
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        if (options.verbose) process.stdout.write(chunk);
        if (output.includes('Extension host agent listening on')) {
          clearTimeout(timer);
          resolve();
        }
      };
      server.stdout?.on('data', onData);
      server.stderr?.on('data', onData);
      server.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`VS Code server exited with ${code}:\n${output}`));
      });
    });
    return host;
  }

  /** The workbench URL: extension development and tests go in the page URL's payload, not on the server. */
  url(options: { folder: string; extensionDevelopmentPath?: string; extensionTestsPath?: string }): string {
    const remote = (p: string): string => `vscode-remote://localhost:${this.port}${path.resolve(p)}`;
    const payload: string[][] = [['skipWelcome', 'true']];
    if (options.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(options.extensionDevelopmentPath)]);
    if (options.extensionTestsPath) payload.push(['extensionTestsPath', remote(options.extensionTestsPath)]);
    return `http://127.0.0.1:${this.port}/?folder=${encodeURIComponent(path.resolve(options.folder))}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  }

  /** The server's process id: the extension host runs as one of its children. */
  get pid(): number | undefined {
    return this.server.pid;
  }

  /** The server's user-data folder (settings, logs, the extensions' global storage). */
  get userDataDir(): string {
    return path.join(this.dataDir, 'user');
  }

  /** The user cache the extension host sees when the host was started with `isolatedCache`. */
  get cacheDir(): string {
    return path.join(this.dataDir, 'cache');
  }

  /** The server's extensions folder (where `installVsix` put the package). */
  get extensionsDir(): string {
    return path.join(this.dataDir, 'extensions');
  }

  /**
   * What a failed or hung test leaves for a person to read: a screenshot of the workbench and every log the server
   * and its extension host wrote, in test-results/failures/<name>[-<window>]/ (`window` tells several open
   * workbenches apart). Returns that folder.
   */
  async saveFailureArtifacts(name: string, page: Page | undefined, window?: number): Promise<string> {
    const dir = path.join(PROJECT_ROOT, 'test-results', 'failures', `${name.replace(/[^\w.-]+/g, '-').slice(0, 120)}${window === undefined ? '' : `-${window}`}`);
    fs.mkdirSync(dir, { recursive: true });
    await page?.screenshot({ path: path.join(dir, 'workbench.png'), timeout: 10_000 }).catch(() => undefined);
    const logs = (from: string): string[] =>
      fs.existsSync(from) ? fs.readdirSync(from, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.log')).map((file) => path.join(from, file)) : [];
    for (const log of logs(this.dataDir)) fs.copyFileSync(log, path.join(dir, path.relative(this.dataDir, log).replace(/[\\/]/g, '_')));
    fs.writeFileSync(path.join(dir, 'server-output.log'), this.output);
    return dir;
  }

  /** Waits until the server process has stopped (for the start script). */
  waitForExit(): Promise<number | null> {
    return new Promise((resolve) => this.server.once('exit', resolve));
  }

  async stop(): Promise<void> {
    if (this.server.exitCode === null) {
      const exited = new Promise((resolve) => this.server.once('exit', resolve));
      this.server.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      if (this.server.exitCode === null) this.server.kill('SIGKILL');
    }
    // The extension host can outlive the server for a while, still writing thumbnails into global storage: a
    // removal that races a new file is started over (rmSync's own retries only retry the emptied folder).
    for (let attempt = 1; ; attempt++) {
      try {
        fs.rmSync(this.dataDir, { recursive: true, force: true });
        return;
      } catch (error) {
        if (attempt >= 30) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }
}

/** Debian's Chromium, headless, with the flags that keep it off the (absent) network. */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's 'chromium' package (scripts/setup.sh does) or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** Opens the workbench in a fresh page sized like a laptop screen. */
export async function openWorkbench(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  return page;
}
