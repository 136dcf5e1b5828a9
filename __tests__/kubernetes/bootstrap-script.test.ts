/**
 * The real `/opt/bin/cluster-bootstrap` (BOOTSTRAP_SH) run with `sh` against a loopback fake of
 * the apiserver's `/readyz`, GET and server-side-apply PATCH endpoints: it waits for readiness,
 * skips when the marker exists, applies the plan in order with the apply content type and field
 * manager, retries what passes, stops at once on a refusal, and, cut short and started again,
 * finishes the job (server-side apply is idempotent). No timing assertions: deadlines are short
 * only so that the failing cases end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { LoopbackHttpFake } from '../loopback-http-fake';
import { BOOTSTRAP_FIELD_MANAGER, BOOTSTRAP_MARKER, BOOTSTRAP_SH, bootstrapPlan, bootstrapUnit, restPathOf, type KubernetesObject } from '../../constructs/kubernetes/bootstrap';

const MARKER = `/api/v1/namespaces/${BOOTSTRAP_MARKER.namespace}/configmaps/${BOOTSTRAP_MARKER.name}`;

const OBJECTS: KubernetesObject[] = [
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'coredns', namespace: 'kube-system' } },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'coredns', namespace: 'kube-system' } },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'system:coredns' } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'coredns', namespace: 'kube-system' } },
];

type Plan = number | 'ok';

/** The fake apiserver: `/readyz` answers as told, objects are stored by path. */
class FakeApiServer extends LoopbackHttpFake {
  readonly stored = new Map<string, string>();
  readonly log: string[] = [];
  /** Statuses /readyz gives before 200. */
  readiness: number[] = [];
  /** Per path: statuses PATCH gives before it stores ('ok'), or one status for ever. */
  readonly patchPlans = new Map<string, Plan[]>();
  readonly failForever = new Map<string, number>();

  protected handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      this.log.push(`${req.method} ${url.pathname}`);
      if (req.method === 'GET' && url.pathname === '/readyz') return this.reply(res, this.readiness.shift() ?? 200, 'ok');
      if (req.method === 'GET') return this.stored.has(url.pathname) ? this.reply(res, 200, this.stored.get(url.pathname) ?? '') : this.reply(res, 404, '{"reason":"NotFound"}');
      if (req.method === 'PATCH') {
        if (req.headers['content-type'] !== 'application/apply-patch+yaml') return this.reply(res, 415, 'not an apply patch');
        if (url.searchParams.get('fieldManager') !== BOOTSTRAP_FIELD_MANAGER || url.searchParams.get('force') !== 'true') return this.reply(res, 400, 'bad query');
        const forever = this.failForever.get(url.pathname);
        if (forever !== undefined) return this.reply(res, forever, `{"message":"refused ${url.pathname}"}`);
        const next = this.patchPlans.get(url.pathname)?.shift() ?? 'ok';
        if (next !== 'ok') return this.reply(res, next, '{"message":"not yet"}');
        const created = !this.stored.has(url.pathname);
        this.stored.set(url.pathname, Buffer.concat(chunks).toString('utf8'));
        return this.reply(res, created ? 201 : 200, '{}');
      }
      return this.reply(res, 405, 'method');
    });
  }

  private reply(res: ServerResponse, status: number, body: string): void {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(body);
  }
}

interface Run {
  readonly status: number | null;
  readonly stderr: string;
}

describe('cluster-bootstrap against a fake apiserver', () => {
  let dir = '';
  let fake: FakeApiServer;
  const { plan, files } = bootstrapPlan(OBJECTS);

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'bootstrap-'));
    writeFileSync(path.join(dir, 'cluster-bootstrap'), BOOTSTRAP_SH, { mode: 0o755 });
    writeFileSync(path.join(dir, 'plan'), plan);
    for (const f of files) writeFileSync(path.join(dir, f.file), f.contents);
    fake = new FakeApiServer();
    await fake.start();
  });

  afterEach(async () => {
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function start(deadline = 60): ChildProcess {
    return spawn('sh', [path.join(dir, 'cluster-bootstrap')], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', BOOTSTRAP_API_URL: fake.url, BOOTSTRAP_DIR: dir, BOOTSTRAP_DEADLINE: String(deadline), BOOTSTRAP_BACKOFF_MAX: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  }

  function finish(child: ChildProcess): Promise<Run> {
    return new Promise((resolve) => {
      let stderr = '';
      child.stderr?.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
      child.on('close', (status) => resolve({ status, stderr }));
    });
  }

  const run = (deadline?: number) => finish(start(deadline));
  const patched = () => fake.log.filter((l) => l.startsWith('PATCH ')).map((l) => l.slice(6));

  test('waits for /readyz, applies the plan in order (service accounts before bindings before workloads), then the marker', async () => {
    fake.readiness = [503, 500];
    const result = await run();
    expect(result.status).toBe(0);
    expect(fake.log.filter((l) => l === 'GET /readyz')).toHaveLength(3);
    expect(result.stderr).toContain('GET /readyz: HTTP 503: retrying in 1s');
    expect(patched()).toEqual([...files.map((f) => f.restPath), MARKER]);
    expect(files.map((f) => f.restPath)).toEqual([
      '/api/v1/namespaces/kube-system/serviceaccounts/coredns',
      '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/system:coredns',
      '/api/v1/namespaces/kube-system/services/coredns',
      '/apis/apps/v1/namespaces/kube-system/deployments/coredns',
    ]);
    for (const f of files) expect(fake.stored.get(f.restPath)).toBe(f.contents);
    expect(JSON.parse(fake.stored.get(MARKER) ?? '')).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: BOOTSTRAP_MARKER.name, namespace: BOOTSTRAP_MARKER.namespace },
      data: { objects: '4' },
    });
  });

  test('does nothing when the marker exists: a replaced controller does not re-apply', async () => {
    fake.stored.set(MARKER, '{}');
    const result = await run();
    expect(result.status).toBe(0);
    expect(patched()).toEqual([]);
    expect(result.stderr).toContain('already applied');
  });

  test('retries what passes (403 while RBAC settles, 404 before a kind is served, 500), then goes on', async () => {
    fake.patchPlans.set(files[1].restPath, [403, 404, 500]);
    const result = await run();
    expect(result.status).toBe(0);
    expect(patched().filter((p) => p === files[1].restPath)).toHaveLength(4);
    expect(fake.stored.has(MARKER)).toBe(true);
  });

  test('stops at once on a refusal, naming the object and the reply, and writes no marker', async () => {
    fake.failForever.set(files[2].restPath, 422);
    const result = await run();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`apply ${files[2].file}: HTTP 422: {"message":"refused ${files[2].restPath}"}`);
    expect(patched()).toEqual(files.slice(0, 3).map((f) => f.restPath));
    expect(fake.stored.has(MARKER)).toBe(false);
  });

  test('gives up at its deadline while the apiserver never gets ready', async () => {
    fake.readiness = Array(100).fill(503);
    const result = await run(2);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/GET \/readyz: HTTP 503: giving up, the deadline \(2s\) has passed/);
    expect(patched()).toEqual([]);
  });

  test('cut short midway (killed, or failing past its deadline) and started again, it finishes with the same objects', async () => {
    // First run: the third object fails until the deadline; the first two are applied, no marker.
    fake.failForever.set(files[2].restPath, 503);
    const first = await run(2);
    expect(first.status).toBe(1);
    expect(fake.stored.has(MARKER)).toBe(false);
    // Second run: killed while it waits on the same object.
    const child = start();
    const killed = finish(child);
    while (patched().filter((p) => p === files[2].restPath).length < 3) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGTERM');
    expect((await killed).status).not.toBe(0);
    expect(fake.stored.has(MARKER)).toBe(false);
    // Third run: the apiserver accepts everything; every object ends as rendered, once each.
    fake.failForever.clear();
    const third = await run();
    expect(third.status).toBe(0);
    for (const f of files) expect(fake.stored.get(f.restPath)).toBe(f.contents);
    expect(fake.stored.has(MARKER)).toBe(true);
  }, 20_000);
});

describe('the plan', () => {
  test('REST paths: core and grouped APIs, namespaced and cluster-scoped kinds', () => {
    expect(restPathOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'kube-system' } })).toBe('/api/v1/namespaces/kube-system/configmaps/x');
    expect(restPathOf({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'cilium', namespace: 'kube-system' } })).toBe('/apis/apps/v1/namespaces/kube-system/daemonsets/cilium');
    expect(restPathOf({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'system:coredns' } })).toBe('/apis/rbac.authorization.k8s.io/v1/clusterroles/system:coredns');
  });

  test('a name Terraform fills in at apply (the bootstrap token Secret\'s) stays in the path, and out of the file name', () => {
    const token = '${TfToken[TOKEN.7]}';
    const { plan, files } = bootstrapPlan([{ apiVersion: 'v1', kind: 'Secret', metadata: { name: `bootstrap-token-${token}`, namespace: 'kube-system' } }]);
    expect(files.map((f) => [f.file, f.restPath])).toEqual([['001-secret.json', `/api/v1/namespaces/kube-system/secrets/bootstrap-token-${token}`]]);
    expect(plan).toBe(`/api/v1/namespaces/kube-system/secrets/bootstrap-token-${token} 001-secret.json\n`);
  });

  test('refuses what it cannot apply, saying why', () => {
    expect(() => restPathOf({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', namespace: 'default' } })).toThrow(/Pod default\/x: the bootstrap cannot apply kind Pod \(it knows Namespace, /);
    expect(() => restPathOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } })).toThrow(/ConfigMap x: ConfigMap needs a namespace/);
    expect(() => restPathOf({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x', namespace: 'y' } })).toThrow(/Namespace is cluster-scoped/);
    expect(() => restPathOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'X Y', namespace: 'kube-system' } })).toThrow(/"X Y" is not an object name/);
    expect(() => bootstrapPlan([OBJECTS[0], OBJECTS[0]])).toThrow(/Deployment coredns is given twice/);
  });

  test('is the same text for the same objects, and the unit runs the script after the kubelet, again while it fails', () => {
    expect(bootstrapPlan(OBJECTS)).toEqual(bootstrapPlan(OBJECTS));
    const unit = bootstrapUnit({ caFile: '/etc/kubernetes/pki/ca.crt', certFile: '/etc/kubernetes/pki/admin.crt', keyFile: '/etc/kubernetes/pki/admin.key' });
    expect(unit).toContain('After=network-online.target kubelet.service\n');
    expect(unit).toContain('Restart=on-failure\nRestartSec=30\n');
    expect(unit).toContain('Environment=BOOTSTRAP_API_URL=https://127.0.0.1:6443\n');
    expect(unit).toContain('ExecStart=/opt/bin/cluster-bootstrap\n');
  });
});
