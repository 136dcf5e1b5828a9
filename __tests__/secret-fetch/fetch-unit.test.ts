/**
 * The real `/opt/bin/fetch-secrets` (cut out of secretFetchSnippet's output) run with `sh` against
 * loopback fakes of the GCE metadata server's token endpoint and of the Cloud Storage JSON API,
 * with its arguments and environment taken from the generated `fetch-secrets.service`, and its
 * target paths under a temporary root (FETCH_SECRETS_ROOT). Also: the snippet transpiles (platform
 * gce), passes ignition-validate at spec 3.3.0, and the real Ignition installs a script that works.
 *
 * What only GCE can show: how long IAM grants take to reach GCS, and GCS's real replies.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runIgnitionValidate } from '../../scripts/conformance';
import { transpile, type ContainerLinuxConfig } from '../../transpiler';
import {
  FETCH_SECRETS_DROPIN,
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

const BUCKET = 'demo-secrets';
const PREFIX = 'etcd/';
const OWNER = `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`;

interface Run {
  readonly code: number;
  readonly stderr: string;
  readonly seconds: number;
}

/** The script, the unit's Environment= and its ExecStart= arguments, from a snippet. */
function unpack(snippet: ContainerLinuxConfig): { script: string; env: Record<string, string>; args: string[] } {
  const script = snippet.storage?.files?.find((f) => f.path === FETCH_SECRETS_SCRIPT)?.contents?.inline;
  const unit = snippet.systemd?.units?.find((u) => u.name === FETCH_SECRETS_UNIT)?.contents;
  if (script === undefined || unit === undefined) throw new Error('no script or unit in the snippet');
  const lines = unit.replace(/\\\n/g, ' ').split('\n');
  const env: Record<string, string> = {};
  for (const line of lines.filter((l) => l.startsWith('Environment='))) {
    const [key, ...value] = line.slice('Environment='.length).split('=');
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
    expect(snippet.systemd?.units?.slice(1)).toEqual(
      ['etcd-member.service', 'flanneld.service'].map((name) => ({
        name,
        dropins: [{ name: FETCH_SECRETS_DROPIN, contents: '[Unit]\nRequires=fetch-secrets.service\nAfter=fetch-secrets.service\n' }],
      })),
    );
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
    expect(() => secretFetchSnippet({ bucket: 'b', secrets: [] })).toThrow(/secret fetch: bucket "b" is not a Cloud Storage bucket name; secrets is empty/);
    expect(secretFetchProblems({ bucket: '${TfToken[TOKEN.1]}', prefix: '${TfToken[TOKEN.2]}', secrets: [PEER] })).toEqual([]);
  });
});

describeWithIgnition('the real Ignition installs the script, which then works', () => {
  test('applied at spec 3.3.0, /opt/bin/fetch-secrets and the drop-in are in place and the script fetches', async () => {
    const fake = new FakeGcp(BUCKET);
    await fake.start();
    const snippet = secretFetchSnippet(options([{ ...PEER, owner: '0:0' }]));
    const run = await applyIgnition(transpile(snippet, { platform: 'gce', ignitionVersion: '3.3.0' }).json);
    try {
      const installed = path.join(run.root, FETCH_SECRETS_SCRIPT);
      expect(statSync(installed).mode & 0o7777).toBe(0o755);
      expect(readFileSync(path.join(run.root, '/etc/systemd/system/etcd-member.service.d', FETCH_SECRETS_DROPIN), 'utf8')).toContain('Requires=fetch-secrets.service');
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
