/**
 * The real `/opt/bin/fetch-secrets` (cut out of secretFetchSnippet's output) run with `sh` against
 * loopback fakes of the GCE metadata server's token endpoint and of the Cloud Storage JSON API,
 * with its arguments and environment taken from the generated `fetch-secrets.service` (boot) or
 * `fetch-secrets-refresh.service` (refresh), and its target paths under a temporary root
 * (FETCH_SECRETS_ROOT). In refresh mode a stub `systemctl` first on PATH and a stub on-change
 * command log their argv. Also: the snippet transpiles (platform gce), passes ignition-validate at
 * spec 3.3.0, and the real Ignition installs a script that works and the units, timer enabled.
 *
 * What only GCE can show: how long IAM grants take to reach GCS, and GCS's real replies.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, type BigIntStats } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runIgnitionValidate } from '../../scripts/conformance';
import { transpile, type ContainerLinuxConfig } from '../../transpiler';
import {
  FETCH_SECRETS_DROPIN,
  FETCH_SECRETS_REFRESH_TIMER,
  FETCH_SECRETS_REFRESH_UNIT,
  FETCH_SECRETS_SCRIPT,
  FETCH_SECRETS_UNIT,
  secretFetchProblems,
  secretFetchSnippet,
  type SecretFetchOptions,
} from '../../constructs/secret-fetch';
import { validatorTest } from '../ign3/ign3-validator';
import { FakeGcp } from './fake-gcp';
import { describeWithIgnition } from '../ignition-apply/gate';
import { applyIgnition } from '../ignition-apply/harness';

// A test runs the real script (dozens of processes, curl among them) up to three times and may wait
// out its 3 s deadline: past Jest's 5 s default on a loaded 2-core machine (CI at load 7 did).
jest.setTimeout(20_000);

const BUCKET = 'demo-secrets';
const PREFIX = 'etcd/';
const OWNER = `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`;

interface Run {
  readonly code: number;
  readonly stderr: string;
  readonly seconds: number;
}

/** The script, the unit's Environment= and its ExecStart= arguments, from a snippet. */
function unpack(snippet: ContainerLinuxConfig, unitName = FETCH_SECRETS_UNIT): { script: string; env: Record<string, string>; args: string[] } {
  const script = snippet.storage?.files?.find((f) => f.path === FETCH_SECRETS_SCRIPT)?.contents?.inline;
  const unit = snippet.systemd?.units?.find((u) => u.name === unitName)?.contents;
  if (script === undefined || unit === undefined) throw new Error('no script or unit in the snippet');
  const lines = unit.replace(/\\\n/g, ' ').split('\n');
  const env: Record<string, string> = {};
  for (const line of lines.filter((l) => l.startsWith('Environment='))) {
    // One assignment a line; quoted when the value has spaces (systemd would split it otherwise).
    const assignment = line.slice('Environment='.length).replace(/^"(.*)"$/, '$1');
    // An unquoted value with a space would reach the script as two assignments.
    if (!line.startsWith('Environment="')) expect({ line, space: /\s/.test(assignment) }).toEqual({ line, space: false });
    const [key, ...value] = assignment.split('=');
    env[key] = value.join('=');
  }
  const exec = lines.find((l) => l.startsWith('ExecStart='))?.slice('ExecStart='.length).trim().split(/\s+/) ?? [];
  expect(exec[0]).toBe(FETCH_SECRETS_SCRIPT);
  return { script, env, args: exec.slice(1) };
}

function runScript(scriptFile: string, env: Record<string, string>, args: string[]): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile('sh', [scriptFile, ...args], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, timeout: 15_000 }, (error, _stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stderr, seconds: (Date.now() - started) / 1000 });
    });
  });
}

/** Every file under `dir`, relative. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(path.join(dir, f)).isFile())
    .sort();
}

const TIMING = { deadlineSeconds: 3, backoffInitialSeconds: 1, backoffMaxSeconds: 1, requestTimeoutSeconds: 2 } as const;

function options(secrets: SecretFetchOptions['secrets'], more: Partial<SecretFetchOptions> = {}): SecretFetchOptions {
  return { bucket: BUCKET, prefix: PREFIX, secrets, requiredBy: ['etcd-member.service'], ...TIMING, ...more };
}

const PEER = { object: 'peer.key', path: '/etc/ssl/etcd/peer.key', mode: 0o600, owner: OWNER };
const CA = { object: 'ca/ca.crt', path: '/etc/ssl/etcd/ca.crt', mode: 0o644, owner: OWNER };

describe('fetch-secrets against loopback fakes of the metadata server and GCS', () => {
  const fake = new FakeGcp(BUCKET);
  let work: string;
  let root: string;
  let scriptFile: string;

  beforeAll(async () => {
    await fake.start();
  });
  afterAll(async () => {
    await fake.stop();
  });
  beforeEach(() => {
    work = mkdtempSync(path.join(tmpdir(), 'secret-fetch-'));
    root = path.join(work, 'root');
    mkdirSync(root);
    scriptFile = path.join(work, 'fetch-secrets');
    fake.objects.clear();
    fake.plans.clear();
    fake.revoked.clear();
    fake.log.length = 0;
    fake.expiresIn = 3599;
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  async function fetch(opts: SecretFetchOptions): Promise<Run> {
    const { script, env, args } = unpack(secretFetchSnippet(opts));
    writeFileSync(scriptFile, script, { mode: 0o755 });
    return runScript(scriptFile, { ...env, FETCH_SECRETS_ROOT: root, GCE_METADATA_URL: fake.url, GCS_API_URL: fake.url }, args);
  }

  const mode = (inRoot: string) => statSync(path.join(root, inRoot)).mode & 0o7777;
  const text = (inRoot: string) => readFileSync(path.join(root, inRoot), 'utf8');

  test('installs every object with its mode, and leaves no temporary file', async () => {
    fake.put('etcd/peer.key', 'PRIVATE KEY\n');
    fake.put('etcd/ca/ca.crt', 'CERTIFICATE\n');
    const run = await fetch(options([PEER, CA]));
    expect(run).toMatchObject({ code: 0 });
    expect(text(PEER.path)).toBe('PRIVATE KEY\n');
    expect(text(CA.path)).toBe('CERTIFICATE\n');
    expect(mode(PEER.path)).toBe(0o600);
    expect(mode(CA.path)).toBe(0o644);
    expect(mode('/etc/ssl/etcd')).toBe(0o755);
    expect(filesUnder(root)).toEqual(['etc/ssl/etcd/ca.crt', 'etc/ssl/etcd/peer.key']);
    // The object name's "/" went as %2F, and the media request named the metadata's generation.
    expect(fake.log).toContain('GET /storage/v1/b/demo-secrets/o/etcd%2Fca%2Fca.crt?fields=size,generation');
    expect(fake.log.filter((l) => l.includes('alt=media&generation=1700000000000001'))).toHaveLength(1);
    expect(fake.issued.length).toBeGreaterThan(0);
  });

  test('403 (IAM grant not yet propagated), 404 and 500 are retried until the object comes', async () => {
    fake.put('etcd/peer.key', 'KEY', [403, 404, 500]);
    const run = await fetch(options([PEER], { deadlineSeconds: 10 }));
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/HTTP 403: retrying in 1s/);
    expect(run.stderr).toMatch(/HTTP 500: retrying in 1s/);
    expect(text(PEER.path)).toBe('KEY');
    expect(filesUnder(root)).toEqual(['etc/ssl/etcd/peer.key']);
  });

  test('404 until the deadline: exit 1, no target file, no temporary file, an old file untouched', async () => {
    fake.put('etcd/peer.key', 'NEW KEY');
    mkdirSync(path.join(root, 'etc/ssl/etcd'), { recursive: true });
    writeFileSync(path.join(root, CA.path), 'OLD CA', { mode: 0o644 });
    // peer.key is there, ca.crt never is: neither may be installed.
    const run = await fetch(options([PEER, CA]));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/gs:\/\/demo-secrets\/etcd\/ca\/ca\.crt: HTTP 404: giving up, the deadline \(3s\) has passed/);
    // it retried before giving up at the deadline (the behaviour, not the clock)
    expect(run.stderr).toMatch(/ca\.crt: HTTP 404: retrying in 1s/);
    expect(filesUnder(root)).toEqual(['etc/ssl/etcd/ca.crt']);
    expect(text(CA.path)).toBe('OLD CA');
  });

  test('a body cut short with a Content-Length (curl error) is retried, never installed half', async () => {
    fake.put('etcd/peer.key', 'A'.repeat(100_000), ['truncate-with-length']);
    const run = await fetch(options([PEER]));
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/curl exit 18: retrying/);
    expect(text(PEER.path)).toBe('A'.repeat(100_000));
  });

  test('a body cut short without a Content-Length is caught by the size check and retried', async () => {
    fake.put('etcd/peer.key', 'B'.repeat(1000), ['truncate-chunked']);
    const run = await fetch(options([PEER]));
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/got 500 bytes of 1000: retrying/);
    expect(text(PEER.path)).toBe('B'.repeat(1000));
  });

  test('an object always truncated fails at the deadline and leaves nothing', async () => {
    fake.put('etcd/peer.key', 'C'.repeat(1000), Array(20).fill('truncate-chunked'));
    const run = await fetch(options([PEER]));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/got 500 bytes of 1000: giving up/);
    expect(filesUnder(root)).toEqual([]);
  });

  test('401 (token revoked or expired) gets a new token and retries at once', async () => {
    fake.put('etcd/peer.key', 'KEY');
    // Every token issued so far, and the next one, are refused.
    fake.revoked.add(`ya29.fake-${fake.issued.length + 1}`);
    const before = fake.issued.length;
    const run = await fetch(options([PEER]));
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/HTTP 401, getting a new token/);
    expect(run.stderr).not.toMatch(/retrying in/);
    expect(fake.issued.length - before).toBe(2);
    expect(text(PEER.path)).toBe('KEY');
  });

  test('a token about to expire (within 60 s) is replaced before the next request', async () => {
    fake.put('etcd/peer.key', 'KEY');
    fake.put('etcd/ca/ca.crt', 'CA');
    fake.expiresIn = 60;
    const before = fake.issued.length;
    const run = await fetch(options([PEER, CA]));
    expect(run.code).toBe(0);
    // One token per object: each was already due for refresh when the next object began.
    expect(fake.issued.length - before).toBe(2);
  });

  test('an unreachable metadata server is retried, then fails at the deadline', async () => {
    fake.put('etcd/peer.key', 'KEY');
    const { script, env, args } = unpack(secretFetchSnippet(options([PEER], { deadlineSeconds: 2 })));
    writeFileSync(scriptFile, script, { mode: 0o755 });
    const run = await runScript(scriptFile, { ...env, FETCH_SECRETS_ROOT: root, GCE_METADATA_URL: 'http://127.0.0.1:9', GCS_API_URL: fake.url }, args);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/metadata server: curl: .*giving up/s);
    expect(filesUnder(root)).toEqual([]);
  });

  test('a status that retrying cannot fix (400) fails at once', async () => {
    fake.put('etcd/peer.key', 'KEY');
    const { script, env, args } = unpack(secretFetchSnippet(options([PEER], { deadlineSeconds: 30 })));
    writeFileSync(scriptFile, script, { mode: 0o755 });
    // The fake answers 400 to a path outside the API.
    const run = await runScript(scriptFile, { ...env, FETCH_SECRETS_ROOT: root, GCE_METADATA_URL: fake.url, GCS_API_URL: `${fake.url}/x` }, args);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/HTTP 400: giving up\n/);
    expect(run.stderr).not.toMatch(/retrying/);
    expect(filesUnder(root)).toEqual([]);
  });

  describe('refresh mode (fetch-secrets-refresh.service)', () => {
    let calls: string;
    let stubs: string;
    let onChange: string;

    beforeEach(() => {
      // A systemctl and an on-change command that log their argv, one line a call.
      calls = path.join(work, 'calls.log');
      stubs = path.join(work, 'bin');
      mkdirSync(stubs);
      onChange = path.join(work, 'on-change');
      const stub = (name: string, exit: string) =>
        `#!/bin/sh\n{ printf '%s' ${name}; for a in "$@"; do printf ' %s' "$a"; done; printf '\\n'; } >> '${calls}'\nexit ${exit}\n`;
      writeFileSync(path.join(stubs, 'systemctl'), stub('systemctl', '${SYSTEMCTL_EXIT:-0}'), { mode: 0o755 });
      writeFileSync(onChange, stub('on-change', '${ON_CHANGE_EXIT:-0}'), { mode: 0o755 });
    });

    const refreshOptions = (more: Partial<SecretFetchOptions> = {}) =>
      options([PEER, CA], { requiredBy: ['etcd-member.service', 'flanneld.service'], refresh: { command: onChange }, ...more });

    /** Runs the refresh unit's script, arguments and environment, with the stubs first on PATH. */
    async function refresh(opts: SecretFetchOptions, env: Record<string, string> = {}): Promise<Run> {
      const { script, env: unitEnv, args } = unpack(secretFetchSnippet(opts), FETCH_SECRETS_REFRESH_UNIT);
      writeFileSync(scriptFile, script, { mode: 0o755 });
      const base = { PATH: `${stubs}:${process.env.PATH ?? '/usr/bin:/bin'}`, FETCH_SECRETS_ROOT: root, GCE_METADATA_URL: fake.url, GCS_API_URL: fake.url };
      return runScript(scriptFile, { ...base, ...unitEnv, ...env }, args);
    }

    const callLog = () => (existsSync(calls) ? readFileSync(calls, 'utf8').split('\n').slice(0, -1) : []);
    const stats = (): Record<string, Pick<BigIntStats, 'ino' | 'mtimeNs' | 'ctimeNs'>> =>
      Object.fromEntries(
        [PEER.path, CA.path].map((p) => {
          const { ino, mtimeNs, ctimeNs } = statSync(path.join(root, p), { bigint: true });
          return [p, { ino, mtimeNs, ctimeNs }];
        }),
      );

    /** The boot run installs the objects, as on a node that has been up since. */
    async function booted(): Promise<void> {
      fake.put('etcd/peer.key', 'PRIVATE KEY\n');
      fake.put('etcd/ca/ca.crt', 'CERTIFICATE 1\n');
      expect(await fetch(refreshOptions())).toMatchObject({ code: 0 });
      expect(callLog()).toEqual([]);
    }

    test('the unit runs the script in refresh mode, restarting requiredBy by default, with the command given', () => {
      const { env, args } = unpack(secretFetchSnippet(refreshOptions()), FETCH_SECRETS_REFRESH_UNIT);
      const boot = unpack(secretFetchSnippet(refreshOptions()));
      expect(args).toEqual(boot.args);
      expect(env).toEqual({
        ...boot.env,
        FETCH_SECRETS_MODE: 'refresh',
        FETCH_SECRETS_RESTART: 'etcd-member.service flanneld.service',
        FETCH_SECRETS_ON_CHANGE: onChange,
      });
      expect(boot.env).not.toHaveProperty('FETCH_SECRETS_MODE');
    });

    test('nothing changed: exit 0, "unchanged", the files untouched (inode, mtime, ctime), no restart, no command', async () => {
      await booted();
      const before = stats();
      const run = await refresh(refreshOptions());
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/fetch-secrets: unchanged: 2 secret\(s\) as installed\n$/);
      expect(stats()).toEqual(before);
      expect(callLog()).toEqual([]);
      expect(filesUnder(root)).toEqual(['etc/ssl/etcd/ca.crt', 'etc/ssl/etcd/peer.key']);
      // It did fetch both (the comparison is with what the bucket holds now).
      expect(fake.requests.slice(-4)).toEqual(['metadata etcd/peer.key', 'media etcd/peer.key', 'metadata etcd/ca/ca.crt', 'media etcd/ca/ca.crt']);
      // The boot run, by contrast, installs anew whatever it finds.
      expect(await fetch(refreshOptions())).toMatchObject({ code: 0 });
      expect(stats()[PEER.path].ino).not.toBe(before[PEER.path].ino);
    });

    test('an object changed in the bucket: every file installed with its mode, then one try-restart of the units, then the command', async () => {
      await booted();
      fake.put('etcd/ca/ca.crt', 'CERTIFICATE 2, RENEWED\n');
      const run = await refresh(refreshOptions());
      expect(run.code).toBe(0);
      expect(text(CA.path)).toBe('CERTIFICATE 2, RENEWED\n');
      expect(text(PEER.path)).toBe('PRIVATE KEY\n');
      expect(mode(CA.path)).toBe(0o644);
      expect(mode(PEER.path)).toBe(0o600);
      expect(filesUnder(root)).toEqual(['etc/ssl/etcd/ca.crt', 'etc/ssl/etcd/peer.key']);
      // The log names the changed file only.
      expect(run.stderr).toContain(`fetch-secrets: changed: ${root}${CA.path}\n`);
      expect(run.stderr).toContain('fetch-secrets: installed 2 secret(s)\n');
      expect(callLog()).toEqual(['systemctl try-restart -- etcd-member.service flanneld.service', 'on-change']);
    });

    test('a missing target is a change; refresh.restart replaces requiredBy, and an empty one restarts nothing', async () => {
      await booted();
      rmSync(path.join(root, PEER.path));
      const run = await refresh(refreshOptions({ refresh: { restart: ['flanneld.service'] } }));
      expect(run.code).toBe(0);
      expect(run.stderr).toContain(`changed: ${root}${PEER.path}\n`);
      expect(text(PEER.path)).toBe('PRIVATE KEY\n');
      expect(callLog()).toEqual(['systemctl try-restart -- flanneld.service']);
      fake.put('etcd/peer.key', 'NEW KEY\n');
      expect(await refresh(refreshOptions({ refresh: { restart: [] } }))).toMatchObject({ code: 0 });
      expect(text(PEER.path)).toBe('NEW KEY\n');
      expect(callLog()).toEqual(['systemctl try-restart -- flanneld.service']);
    });

    test('a download that fails until the deadline: exit 1, nothing installed, no restart, no command', async () => {
      await booted();
      const before = stats();
      fake.put('etcd/peer.key', 'NEW KEY\n');
      fake.put('etcd/ca/ca.crt', 'NEW CA\n', Array(20).fill(404));
      const run = await refresh(refreshOptions());
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/ca\.crt: HTTP 404: giving up, the deadline \(3s\) has passed/);
      expect(text(PEER.path)).toBe('PRIVATE KEY\n');
      expect(text(CA.path)).toBe('CERTIFICATE 1\n');
      expect(stats()).toEqual(before);
      expect(filesUnder(root)).toEqual(['etc/ssl/etcd/ca.crt', 'etc/ssl/etcd/peer.key']);
      expect(callLog()).toEqual([]);
    });

    test('systemctl fails: exit 1, the files stay installed, and the command still runs', async () => {
      await booted();
      fake.put('etcd/peer.key', 'NEW KEY\n');
      const run = await refresh(refreshOptions(), { SYSTEMCTL_EXIT: '5' });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('fetch-secrets: systemctl try-restart -- etcd-member.service flanneld.service: exit 5\n');
      expect(text(PEER.path)).toBe('NEW KEY\n');
      expect(mode(PEER.path)).toBe(0o600);
      expect(callLog()).toEqual(['systemctl try-restart -- etcd-member.service flanneld.service', 'on-change']);
    });

    test('the command fails: exit 1, the files stay installed', async () => {
      await booted();
      fake.put('etcd/ca/ca.crt', 'NEW CA\n');
      const run = await refresh(refreshOptions(), { ON_CHANGE_EXIT: '7' });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`fetch-secrets: ${onChange}: exit 7\n`);
      expect(text(CA.path)).toBe('NEW CA\n');
      expect(callLog()).toEqual(['systemctl try-restart -- etcd-member.service flanneld.service', 'on-change']);
    });

    test.each([
      ['FETCH_SECRETS_RESTART', 'etcd-member.service;reboot', /bad FETCH_SECRETS_RESTART/],
      ['FETCH_SECRETS_RESTART', '*.service', /bad FETCH_SECRETS_RESTART/],
      ['FETCH_SECRETS_RESTART', 'etcd-member.service\tflanneld.service', /bad FETCH_SECRETS_RESTART/],
      ['FETCH_SECRETS_RESTART', 'etcd-member.service etcd-member', /not a unit name in FETCH_SECRETS_RESTART: etcd-member\n/],
      ['FETCH_SECRETS_ON_CHANGE', 'opt/bin/relative', /FETCH_SECRETS_ON_CHANGE is not an absolute path/],
      ['FETCH_SECRETS_ON_CHANGE', '/opt/bin/x $(reboot)', /bad FETCH_SECRETS_ON_CHANGE/],
      ['FETCH_SECRETS_MODE', 'sometimes', /bad FETCH_SECRETS_MODE: sometimes \(boot or refresh\)/],
    ])('%s=%j: exit 2 before any request', async (name, value, message) => {
      fake.put('etcd/peer.key', 'KEY');
      fake.put('etcd/ca/ca.crt', 'CA');
      const run = await refresh(refreshOptions(), { [name]: value });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(fake.log).toEqual([]);
      expect(filesUnder(root)).toEqual([]);
      expect(callLog()).toEqual([]);
    });
  });
});

describe('the snippet', () => {
  const snippet = secretFetchSnippet({
    bucket: 'demo-secrets',
    prefix: 'etcd/',
    secrets: [
      { object: 'peer.key', path: '/etc/ssl/etcd/peer.key', mode: 0o600, owner: 'etcd:etcd' },
      { object: 'ca.crt', path: '/etc/ssl/etcd/ca.crt', mode: 0o644, owner: '232:232' },
    ],
    requiredBy: ['etcd-member.service', 'flanneld.service'],
  });

  test('is a 0755 script in /opt/bin, a oneshot ordered before its dependents, and their drop-ins', () => {
    const unit = snippet.systemd?.units?.[0];
    expect(snippet.storage?.files?.[0]).toMatchObject({ filesystem: 'root', path: '/opt/bin/fetch-secrets', mode: 0o755 });
    expect(unit?.contents).toMatch(/^Wants=network-online.target\nAfter=network-online.target\nBefore=etcd-member.service flanneld.service$/m);
    expect(unit?.contents).toMatch(/^Type=oneshot\nRemainAfterExit=yes\nTimeoutStartSec=720$/m);
    expect(unit?.contents).toContain('ExecStart=/opt/bin/fetch-secrets \\\n  peer.key /etc/ssl/etcd/peer.key 0600 etcd:etcd \\\n  ca.crt /etc/ssl/etcd/ca.crt 0644 232:232\n');
    expect(snippet.systemd?.units?.map((u) => [u.name, u.enabled])).toEqual([
      [FETCH_SECRETS_UNIT, true],
      [FETCH_SECRETS_REFRESH_UNIT, undefined],
      [FETCH_SECRETS_REFRESH_TIMER, true],
      ['etcd-member.service', undefined],
      ['flanneld.service', undefined],
    ]);
    expect(snippet.systemd?.units?.slice(3)).toEqual(
      ['etcd-member.service', 'flanneld.service'].map((name) => ({
        name,
        dropins: [{ name: FETCH_SECRETS_DROPIN, contents: '[Unit]\nRequires=fetch-secrets.service\nAfter=fetch-secrets.service\n' }],
      })),
    );
  });

  test('the refresh service: the boot unit\'s [Service] in refresh mode, after the boot run, no RemainAfterExit, no [Install]', () => {
    const boot = snippet.systemd?.units?.[0].contents ?? '';
    const refresh = snippet.systemd?.units?.find((u) => u.name === FETCH_SECRETS_REFRESH_UNIT)?.contents ?? '';
    expect(refresh).toMatch(/^\[Unit\]\nDescription=.*\nWants=network-online\.target\nAfter=fetch-secrets\.service network-online\.target\n\n\[Service\]\nType=oneshot\nTimeoutStartSec=720\n/);
    expect(refresh).not.toMatch(/RemainAfterExit|\[Install\]|^Before=/m);
    const serviceOf = (unit: string) => unit.slice(unit.indexOf('TimeoutStartSec='), unit.indexOf('ExecStart='));
    expect(serviceOf(refresh)).toBe(
      `${serviceOf(boot)}Environment=FETCH_SECRETS_MODE=refresh\nEnvironment="FETCH_SECRETS_RESTART=etcd-member.service flanneld.service"\nEnvironment=FETCH_SECRETS_ON_CHANGE=\n`,
    );
    expect(refresh.slice(refresh.indexOf('ExecStart='))).toBe(boot.slice(boot.indexOf('ExecStart='), boot.indexOf('\n\n[Install]') + 1));
  });

  test('the timer: an hour after boot, then every 12 hours, each after up to an hour at random; enabled into timers.target', () => {
    const timer = snippet.systemd?.units?.find((u) => u.name === FETCH_SECRETS_REFRESH_TIMER);
    expect(timer).toEqual({
      name: FETCH_SECRETS_REFRESH_TIMER,
      enabled: true,
      contents: expect.stringMatching(/\n\[Timer\]\nOnBootSec=1h\nOnUnitActiveSec=12h\nRandomizedDelaySec=1h\n\n\[Install\]\nWantedBy=timers\.target\n$/),
    });
    // It starts the service of its own name (no Unit=).
    expect(timer?.contents).not.toMatch(/^Unit=/m);
  });

  test('refresh options: restart and command go to the refresh unit only', () => {
    const custom = secretFetchSnippet({ ...options([PEER]), refresh: { restart: ['kubelet.service', 'etcd-member.service'], command: '/opt/bin/restart-static-pods' } });
    const refresh = custom.systemd?.units?.find((u) => u.name === FETCH_SECRETS_REFRESH_UNIT)?.contents;
    expect(refresh).toContain('\nEnvironment="FETCH_SECRETS_RESTART=kubelet.service etcd-member.service"\nEnvironment=FETCH_SECRETS_ON_CHANGE=/opt/bin/restart-static-pods\n');
    expect(custom.systemd?.units?.[0].contents).not.toMatch(/FETCH_SECRETS_(MODE|RESTART|ON_CHANGE)/);
    const none = secretFetchSnippet({ ...options([PEER]), requiredBy: undefined });
    expect(none.systemd?.units?.find((u) => u.name === FETCH_SECRETS_REFRESH_UNIT)?.contents).toContain('\nEnvironment="FETCH_SECRETS_RESTART="\n');
  });

  test('transpiles cleanly for platform gce', () => {
    const result = transpile(snippet, { platform: 'gce', strict: true });
    expect(result.warnings).toEqual([]);
    const files = (result.ignition.storage as { files: { path: string; mode: number }[] }).files;
    expect(files.map((f) => [f.path, f.mode])).toEqual([['/opt/bin/fetch-secrets', 0o755]]);
  });

  validatorTest('passes ignition-validate at spec 3.3.0', (binary) => {
    const result = transpile(snippet, { platform: 'gce', ignitionVersion: '3.3.0' });
    expect(runIgnitionValidate(binary, Buffer.from(result.json))).toEqual({ exitCode: 0, output: '' });
  });

  test('refuses bad input, but lets tokens through', () => {
    expect(
      secretFetchProblems({
        bucket: 'Bad_Bucket',
        prefix: 'a b',
        secrets: [
          { object: '/abs', path: 'relative', mode: 0o10000, owner: 'etcd' },
          { object: 'x', path: '/usr/lib/x', mode: 0o600, owner: 'a:b' },
        ],
        requiredBy: ['etcd-member', FETCH_SECRETS_UNIT],
        deadlineSeconds: 0,
      }),
    ).toHaveLength(10);
    expect(
      secretFetchProblems({
        ...options([PEER]),
        refresh: { restart: ['etcd-member', 'a b.service', FETCH_SECRETS_UNIT, FETCH_SECRETS_REFRESH_UNIT, FETCH_SECRETS_REFRESH_TIMER, 'kubelet.service'], command: 'bin/x' },
      }),
    ).toEqual([
      'refresh.restart: "etcd-member" is not a unit name such as "etcd-member.service"',
      'refresh.restart: "a b.service" is not a unit name such as "etcd-member.service"',
      'refresh.restart: fetch-secrets.service is the fetch\'s own unit',
      'refresh.restart: fetch-secrets-refresh.service is the fetch\'s own unit',
      'refresh.restart: fetch-secrets-refresh.timer is the fetch\'s own unit',
      'refresh.command "bin/x" must be an absolute path, without "." or ".." segments, of letters, digits, ".", "_", "@", "+" and "-"',
    ]);
    for (const command of ['/opt/bin/../x', '/opt/bin/x y', '/opt/bin/$(reboot)', '/opt/bin/']) {
      expect(secretFetchProblems({ ...options([PEER]), refresh: { command } })).toEqual([expect.stringMatching(/^refresh\.command ".*" must be an absolute path/)]);
    }
    expect(secretFetchProblems({ ...options([PEER]), refresh: { restart: [], command: '/opt/bin/restart-static-pods' } })).toEqual([]);
    expect(() => secretFetchSnippet({ ...options([PEER]), refresh: { command: 'x' } })).toThrow(/^secret fetch: refresh\.command "x" must be an absolute path/);
    expect(() => secretFetchSnippet({ bucket: 'b', secrets: [] })).toThrow(/secret fetch: bucket "b" is not a Cloud Storage bucket name; secrets is empty/);
    expect(secretFetchProblems({ bucket: '${TfToken[TOKEN.1]}', prefix: '${TfToken[TOKEN.2]}', secrets: [PEER] })).toEqual([]);
  });
});

describeWithIgnition('the real Ignition installs the script, which then works', () => {
  test('applied at spec 3.3.0, /opt/bin/fetch-secrets, the drop-in, the refresh units and the timer\'s preset are in place and the script fetches', async () => {
    const fake = new FakeGcp(BUCKET);
    await fake.start();
    const snippet = secretFetchSnippet(options([{ ...PEER, owner: '0:0' }]));
    const run = await applyIgnition(transpile(snippet, { platform: 'gce', ignitionVersion: '3.3.0' }).json);
    try {
      const installed = path.join(run.root, FETCH_SECRETS_SCRIPT);
      expect(statSync(installed).mode & 0o7777).toBe(0o755);
      expect(readFileSync(path.join(run.root, '/etc/systemd/system/etcd-member.service.d', FETCH_SECRETS_DROPIN), 'utf8')).toContain('Requires=fetch-secrets.service');
      // The refresh service and its timer, the timer enabled (Ignition's preset) and the service not.
      for (const unit of [FETCH_SECRETS_REFRESH_UNIT, FETCH_SECRETS_REFRESH_TIMER]) {
        expect(readFileSync(path.join(run.root, '/etc/systemd/system', unit), 'utf8')).toBe(snippet.systemd?.units?.find((u) => u.name === unit)?.contents);
      }
      const preset = readFileSync(path.join(run.root, '/etc/systemd/system-preset/20-ignition.preset'), 'utf8').trimEnd().split('\n').sort();
      expect(preset).toEqual([`enable ${FETCH_SECRETS_UNIT}`, `enable ${FETCH_SECRETS_REFRESH_TIMER}`].sort());
      const { env, args } = unpack(snippet);
      fake.put('etcd/peer.key', 'KEY FROM IGNITION ROOT');
      const target = mkdtempSync(path.join(tmpdir(), 'secret-fetch-root-'));
      try {
        const result = await runScript(installed, { ...env, FETCH_SECRETS_ROOT: target, GCE_METADATA_URL: fake.url, GCS_API_URL: fake.url }, args);
        expect(result.code).toBe(0);
        expect(readFileSync(path.join(target, PEER.path), 'utf8')).toBe('KEY FROM IGNITION ROOT');
        expect(existsSync(path.join(target, 'etc/ssl/etcd'))).toBe(true);
      } finally {
        rmSync(target, { recursive: true, force: true });
      }
    } finally {
      run.cleanup();
      await fake.stop();
    }
  });
});
