/**
 * Runs the real Ignition (Debian's `ignition` package) on a config against a Flatcar-like scratch
 * root: stage `fetch-offline` reads the config (platform `file`, path in IGNITION_CONFIG_FILE) and
 * caches it, then stage `files` applies the cache to the root, as in Flatcar's initramfs.
 * Each stage runs in its own mount namespace whose /run holds only a fake systemd socket.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startFakeSystemd } from './fake-systemd';
import { NOOP_SETFILES, prepareFlatcarRoot } from './flatcar-root';

/** Where Debian installs the binary (as a dracut module; there is no /usr/bin/ignition). */
export const IGNITION_BINARY = process.env.IGNITION_BINARY ?? '/usr/lib/dracut/modules.d/30ignition/ignition';

export interface IgnitionRun {
  /** The scratch root Ignition wrote to. */
  readonly root: string;
  /** Both stages' log (Ignition logs to stdout with -log-to-stdout). */
  readonly stdout: string;
  /** Both stages' stderr (Ignition's dump of the full config when a stage fails). */
  readonly stderr: string;
  /** The config as Ignition parsed, merged and cached it in fetch-offline (its own spec version). */
  readonly cachedConfig: Record<string, unknown>;
  /** Removes the scratch directory. */
  cleanup(): void;
}

export class IgnitionFailed extends Error {}

/** Applies `config` (Ignition JSON text or object); throws IgnitionFailed with the logs if a stage fails. */
export async function applyIgnition(config: string | object): Promise<IgnitionRun> {
  const work = mkdtempSync(path.join(tmpdir(), 'ignition-apply-'));
  // mkdtemp makes it 0700; Ignition writes SSH keys as the user, who must reach the root below.
  chmodSync(work, 0o755);
  const cleanup = () => rmSync(work, { recursive: true, force: true });
  const systemd = await startFakeSystemd(path.join(work, 'systemd-private'));
  try {
    return { ...(await runStages(work, typeof config === 'string' ? config : JSON.stringify(config))), cleanup };
  } catch (error) {
    cleanup();
    throw error;
  } finally {
    await systemd.close();
  }
}

async function runStages(work: string, configJson: string): Promise<Omit<IgnitionRun, 'cleanup'>> {
  const root = path.join(work, 'root');
  const state = path.join(work, 'run'); // stands in for the initramfs's /run
  const bin = path.join(work, 'bin');
  for (const dir of [root, state, bin]) mkdirSync(dir);
  prepareFlatcarRoot(root);
  writeFileSync(path.join(bin, 'setfiles'), NOOP_SETFILES, { mode: 0o755 });
  const configFile = path.join(work, 'config.ign');
  writeFileSync(configFile, configJson);

  const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'}`, IGNITION_CONFIG_FILE: configFile };
  let stdout = '';
  let stderr = '';
  for (const stage of ['fetch-offline', 'files']) {
    const ignition = [
      ...[IGNITION_BINARY, '-platform', 'file', '-stage', stage, '-root', root, '-log-to-stdout'],
      // Keep every state file inside the scratch dir instead of the host's /run.
      ...['-config-cache', path.join(state, 'ignition.json'), '-state-file', path.join(state, 'state')],
      ...['-neednet', path.join(state, 'neednet')],
    ];
    const run = await runProcess([...IN_OWN_RUN, path.join(work, 'systemd-private'), ...ignition], env);
    stdout += run.stdout;
    stderr += run.stderr;
    if (run.status !== 0) {
      throw new IgnitionFailed(`ignition stage ${stage} failed (${run.status}):\n${criticalLines(stdout + stderr)}`);
    }
    // fetch-offline flags configs that need the network; the files stage would then try to fetch.
    if (existsSync(path.join(state, 'neednet'))) throw new IgnitionFailed('config needs the network; the suite runs offline');
  }
  const cachedConfig = JSON.parse(readFileSync(path.join(state, 'ignition.json'), 'utf8')) as Record<string, unknown>;
  return { root, stdout, stderr, cachedConfig };
}

/**
 * A prefix that runs a command in a private mount namespace with an empty /run, where
 * /run/systemd/private (a fixed path in Ignition) leads to the socket named by the next argument.
 */
export const IN_OWN_RUN = [
  'unshare', '--mount', '--propagation', 'private', 'sh', '-c',
  'mount -t tmpfs tmpfs /run && mkdir /run/systemd && ln -s "$0" /run/systemd/private && exec "$@"',
];

/** Spawns without blocking the event loop (the fake systemd answers from this process). */
function runProcess(argv: string[], env: NodeJS.ProcessEnv): Promise<{ status: string | number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { env, timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => resolve({ status: error.message, stdout, stderr }));
    child.on('close', (code, signal) => resolve({ status: code ?? `signal ${signal}`, stdout, stderr }));
  });
}

/** Ignition's CRITICAL lines (the reason), or the whole log when there are none. */
function criticalLines(log: string): string {
  const critical = log.split('\n').filter((line) => line.startsWith('CRITICAL'));
  return (critical.length > 0 ? critical : log.split('\n')).join('\n');
}
