/**
 * A Kubernetes controller's and worker's node config, transpiled by our ct (Flatcar dialect,
 * platform gce) and then checked by the real programs: `systemd-analyze verify` over a stub root
 * with Flatcar's units (no cycle, no missing dependency or program, every command in the scripts
 * on the image), `ignition-validate` on the 3.3.0 translation Flatcar makes at boot, and the real
 * Ignition applying it to a scratch root.
 */
import { execFileSync } from 'node:child_process';
import { runIgnitionValidate } from '../../scripts/conformance';
import { FETCH_SECRETS_UNIT } from '../../constructs/secret-fetch';
import { BOOTSTRAP_SCRIPT, BOOTSTRAP_SH, BOOTSTRAP_UNIT } from '../../constructs/kubernetes/bootstrap';
import { RESTART_CONTROL_PLANE_SCRIPT, SECRETS_GENERATION_ANNOTATION } from '../../constructs/kubernetes/control-plane-restart';
import { KUBELET_CONFIG_FILE, MANIFESTS_DIR, PKI_DIR } from '../../constructs/kubernetes/cluster-settings';
import { nodeConfigSnippet, type NodeConfigOptions } from '../../constructs/kubernetes/node-config';
import { STATIC_POD_MANIFESTS } from '../../constructs/kubernetes/static-pods';
import { transpile } from '../../transpiler';
import { marshalV33, translateToV33 } from '../../transpiler/ign3';
import { validatorTest } from '../ign3/ign3-validator';
import { describeWithIgnition } from '../ignition-apply/gate';
import { applyIgnition } from '../ignition-apply/harness';
import { ScratchRoot } from '../ignition-apply/inspect';
import { systemdAnalyzeUnavailable } from '../systemd/analyze';
import { describeIfAvailable } from '../systemd/gate';
import { analyzeIgnition, problemsOf } from '../systemd/harness';

const CONTROLLER: NodeConfigOptions = {
  role: 'controller',
  kubeletAfter: [FETCH_SECRETS_UNIT],
  staticPods: { etcdServers: ['https://127.0.0.1:2379'] },
  bootstrap: { caFile: `${PKI_DIR}/ca.crt`, certFile: `${PKI_DIR}/admin.crt`, keyFile: `${PKI_DIR}/admin.key` },
};
const WORKER: NodeConfigOptions = { role: 'worker', labelsAndTaints: { nodeLabels: ['pool=batch'], nodeTaints: ['dedicated=batch:NoSchedule'] } };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** Ignition 2.3.0 from our ct, as a cluster node's user-data would carry it (a stand-in fetch unit on controllers, whose own config brings it). */
function ignitionOf(options: NodeConfigOptions): Json {
  const snippet = nodeConfigSnippet(options);
  const fetch = { name: FETCH_SECRETS_UNIT, enabled: true, contents: '[Unit]\nBefore=kubelet.service\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/usr/bin/true\n[Install]\nWantedBy=multi-user.target\n' };
  const units = [...(snippet.systemd?.units ?? []), ...(options.role === 'controller' ? [fetch] : [])];
  return transpile({ ...snippet, systemd: { units } }, { platform: 'gce', dialect: 'flatcar' }).ignition;
}

const ROLES = [
  { role: 'controller', options: CONTROLLER },
  { role: 'worker', options: WORKER },
] as const;

test('controllers get the static pods and the bootstrap; workers get neither; both get the kubelet after docker and wait-for-dns', () => {
  const controller = nodeConfigSnippet(CONTROLLER);
  const worker = nodeConfigSnippet(WORKER);
  const paths = (s: typeof controller) => (s.storage?.files ?? []).map((f) => f.path);
  expect(paths(controller)).toEqual([
    KUBELET_CONFIG_FILE,
    '/etc/systemd/logind.conf.d/inhibitors.conf',
    '/etc/sysctl.d/max-user-watches.conf',
    ...Object.values(STATIC_POD_MANIFESTS),
    BOOTSTRAP_SCRIPT,
    RESTART_CONTROL_PLANE_SCRIPT,
  ]);
  expect(paths(worker)).toEqual([KUBELET_CONFIG_FILE, '/etc/systemd/logind.conf.d/inhibitors.conf', '/etc/sysctl.d/max-user-watches.conf']);
  const units = (s: typeof controller) => (s.systemd?.units ?? []).map((u) => u.name);
  expect(units(controller)).toEqual(['docker.service', 'locksmithd.service', 'wait-for-dns.service', 'kubelet.service', BOOTSTRAP_UNIT]);
  expect(units(worker)).toEqual(['docker.service', 'locksmithd.service', 'wait-for-dns.service', 'kubelet.service']);
  const kubelet = (s: typeof controller) => s.systemd?.units?.find((u) => u.name === 'kubelet.service')?.contents ?? '';
  expect(kubelet(controller)).toContain('After=docker.service fetch-secrets.service\n');
  expect(kubelet(controller)).toContain('--register-with-taints=node-role.kubernetes.io/controller=:NoSchedule');
  expect(kubelet(worker)).toContain('--register-with-taints=dedicated=batch:NoSchedule');
  expect(() => nodeConfigSnippet({ role: 'controller' })).toThrow('a controller node needs staticPods and bootstrap settings');
});

describeIfAvailable('Kubernetes node units under systemd-analyze verify', systemdAnalyzeUnavailable(), () => {
  test.each(ROLES)('the $role: no cycle, no missing dependency, program or directive', ({ options }) => {
    expect(problemsOf(analyzeIgnition(ignitionOf(options)))).toEqual([]);
  });
});

describe('Kubernetes node configs under ignition-validate', () => {
  describe.each(ROLES)('the $role', ({ options }) => {
    validatorTest('is valid, without warnings', (binary) => {
      const json = marshalV33(translateToV33(JSON.stringify(ignitionOf(options))).config, false);
      expect(runIgnitionValidate(binary, Buffer.from(json))).toEqual({ exitCode: 0, output: '' });
    });
  });
});

describeWithIgnition('real Ignition applies a Kubernetes controller node', () => {
  let root: ScratchRoot;
  beforeAll(async () => {
    const run = await applyIgnition(marshalV33(translateToV33(JSON.stringify(ignitionOf(CONTROLLER))).config, false));
    root = new ScratchRoot(run.root);
  }, 60_000);

  test('the static pods, the kubelet configuration and the bootstrap script land with their modes', () => {
    for (const manifest of Object.values(STATIC_POD_MANIFESTS)) {
      expect(root.node(manifest)).toMatchObject({ type: 'file', mode: 0o644, uid: 0 });
      expect(JSON.parse(root.text(manifest)).kind).toBe('Pod');
    }
    expect(JSON.parse(root.text(KUBELET_CONFIG_FILE)).kind).toBe('KubeletConfiguration');
    expect(root.text(BOOTSTRAP_SCRIPT)).toBe(BOOTSTRAP_SH);
    expect(root.node(BOOTSTRAP_SCRIPT)).toMatchObject({ type: 'file', mode: 0o755 });
    expect(root.text('/etc/systemd/system/kubelet.service')).toContain('ExecStart=/usr/bin/docker logs -f kubelet\n');
    expect(root.node('/etc/systemd/system/locksmithd.service')).toMatchObject({ type: 'symlink' });
  });

  test('the restart after a renewal recreates every static pod Ignition wrote (its annotation changes, nothing else)', () => {
    expect(root.node(RESTART_CONTROL_PLANE_SCRIPT)).toMatchObject({ type: 'file', mode: 0o755, uid: 0 });
    const before = Object.values(STATIC_POD_MANIFESTS).map((m) => JSON.parse(root.text(m)));
    execFileSync('sh', [root.at(RESTART_CONTROL_PLANE_SCRIPT), root.at(MANIFESTS_DIR)], { stdio: 'ignore' });
    Object.values(STATIC_POD_MANIFESTS).forEach((m, i) => {
      const after = JSON.parse(root.text(m));
      expect(after.metadata.annotations[SECRETS_GENERATION_ANNOTATION]).not.toBe(before[i].metadata.annotations[SECRETS_GENERATION_ANNOTATION]);
      expect({ ...after, metadata: { ...after.metadata, annotations: {} } }).toEqual({ ...before[i], metadata: { ...before[i].metadata, annotations: {} } });
    });
  });
});
