/**
 * Issue 14: each cluster role's units, as its synthesized Ignition writes them, together with the
 * Flatcar units they depend on (fixtures/), pass real systemd's `systemd-analyze verify` and the
 * harness's own graph check: no ordering cycle, no missing dependency, no bad directive, no
 * missing program. The harness's self-tests prove each of those is caught. README.md says how.
 */
import { gzipSync } from 'node:zlib';
import { classify, systemdAnalyzeUnavailable, systemdVersion, verify } from './analyze';
import { LEGACY_WORKER_IGNITION } from './fixtures/legacy-worker';
import { describeIfAvailable } from './gate';
import { analyzeIgnition, problemsOf, UnresolvedReferenceError, type AnalyzeOptions, type RoleAnalysis } from './harness';
import { clusterRoles, etcdMembersV3, type RoleConfig } from './roles';
import { decodeDataUrl, ignitionUnits } from './stub-root';
import { findCycles } from './unit-graph';
import { execWords } from './unit-files';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** An Ignition 2.3.0 config of whole units (each enabled into multi-user.target unless it says otherwise). */
function config(units: Record<string, string>, enabled: readonly string[] = Object.keys(units)): Json {
  return {
    ignition: { version: '2.3.0' },
    systemd: { units: Object.entries(units).map(([name, contents]) => ({ name, contents, ...(enabled.includes(name) ? { enabled: true } : {}) })) },
  };
}

const INSTALL = '\n[Install]\nWantedBy=multi-user.target\n';
const service = (unit: string, exec = '/usr/bin/true') => `[Unit]\n${unit}\n[Service]\nExecStart=${exec}\n${INSTALL}`;

// Built on first use, so that a construct that fails to synthesize fails the role tests only.
let built: { etcdMembers: RoleConfig[]; workers: RoleConfig[] } | undefined;
function roles(): { etcdMembers: RoleConfig[]; workers: RoleConfig[] } {
  if (built === undefined) {
    const cluster = clusterRoles();
    built = { etcdMembers: [...cluster.etcdMembers, ...etcdMembersV3()], workers: cluster.workers };
  }
  return built;
}
const ROLES: { role: string; configs: () => RoleConfig[]; unit: string }[] = [
  { role: 'etcd member', configs: () => roles().etcdMembers, unit: 'etcd-member.service' },
  { role: 'worker', configs: () => roles().workers, unit: 'docker.service' },
];

function analyzeAll(configs: readonly RoleConfig[], options: AnalyzeOptions): { label: string; analysis: RoleAnalysis }[] {
  return configs.map((c) => ({ label: c.label, analysis: analyzeIgnition(c.ignition, options) }));
}

describe('the cluster roles render units the harness can read', () => {
  test('etcd members and workers, on Ignition 2.3.0 and 3.3.0', () => {
    const versions = [...roles().etcdMembers, ...roles().workers].map((c) => `${c.label.split(' ')[0]} ${c.ignition.ignition.version}`);
    expect(new Set(versions)).toEqual(new Set(['etcd 2.3.0', 'etcd 3.3.0', 'worker 2.3.0', 'worker 3.3.0']));
  });
});

describe.each(ROLES)('the $role role, graph check', ({ configs, unit }) => {
  test('names only rendered or fixture units, runs only programs Flatcar has, and has no ordering cycle', () => {
    for (const { label, analysis } of analyzeAll(configs(), { runVerify: false })) {
      expect(analysis.startUnits).toContain(unit); // the role's units were rendered and started
      expect({ label, problems: problemsOf(analysis) }).toEqual({ label, problems: [] });
    }
  });
});

describeIfAvailable('unit graphs under systemd-analyze verify', systemdAnalyzeUnavailable(), () => {
  beforeAll(() => {
    // Printed once so that a log says which systemd judged the units.
    console.log(`systemd-analyze: ${systemdVersion()}`);
  });

  describe.each(ROLES)('the $role role', ({ configs }) => {
    test('verifies with exit status 0 and says nothing: no cycle, no missing dependency, no bad directive', () => {
      for (const { label, analysis } of analyzeAll(configs(), {})) {
        expect(analysis.verify?.command).toContain('--root=');
        expect({ label, problems: problemsOf(analysis) }).toEqual({ label, problems: [] });
      }
    });
  });

  describe('the harness catches', () => {
    test('an injected ordering cycle that systemd cannot break', () => {
      const analysis = analyzeIgnition(
        config({
          'cycle-a.service': service('Requires=cycle-b.service\nAfter=cycle-b.service'),
          'cycle-b.service': service('After=cycle-a.service'),
        }),
      );
      expect(analysis.verify?.status).not.toBe(0);
      const lines = analysis.verify?.findings.filter((f) => f.kind === 'cycle').map((f) => f.line) ?? [];
      expect(lines.join('\n')).toMatch(/Found ordering cycle on cycle-[ab]\.service\/start/);
      expect(lines.join('\n')).toMatch(/Unable to break cycle/);
      expect(analysis.graph.cycles).toContain('cycle-a.service -> cycle-b.service -> cycle-a.service (starting cycle-a.service)');
    });

    test('an injected cycle systemd breaks by dropping a job: exit status 0, and still a failure', () => {
      const analysis = analyzeIgnition(
        config({
          'soft-a.service': service('Wants=soft-b.service\nAfter=soft-b.service'),
          'soft-b.service': service('After=soft-a.service'),
        }),
        { keepRoot: true, runVerify: false },
      );
      try {
        // Starting soft-a alone: soft-b's job is only wanted, so systemd deletes it and carries on.
        const soft = verify(analysis.root, ['soft-a.service']);
        expect(soft.status).toBe(0);
        expect(soft.findings.map((f) => f.line).join('\n')).toMatch(/Job soft-b\.service\/start deleted to break ordering cycle/);
        expect(soft.findings.every((f) => f.kind === 'cycle')).toBe(true);
        expect(analysis.graph.cycles).toContain('soft-a.service -> soft-b.service -> soft-a.service (starting soft-a.service)');
      } finally {
        analysis.root.cleanup();
      }
    });

    test('a dependency on a unit that is neither rendered nor a fixture: a loud error, and systemd agrees', () => {
      const units = config({ 'needs-ghost.service': service('Requires=ghost.service\nAfter=ghost.service') });
      expect(() => analyzeIgnition(units)).toThrow(UnresolvedReferenceError);
      expect(() => analyzeIgnition(units)).toThrow(/needs-ghost\.service: Requires=ghost\.service .*neither rendered nor a fixture/);
      const analysis = analyzeIgnition(units, { allowUnresolved: true });
      expect(analysis.verify?.findings).toContainEqual({ kind: 'missing-dependency', line: expect.stringMatching(/Unit ghost\.service not found/) });
    });

    test('a Wants= on a missing unit, which systemd passes in silence', () => {
      const units = config({ 'wants-ghost.service': service('Wants=ghost.service') });
      const analysis = analyzeIgnition(units, { allowUnresolved: true });
      expect(analysis.verify?.findings).toEqual([]);
      expect(analysis.graph.unresolved).toEqual([expect.stringMatching(/^wants-ghost\.service: Wants=ghost\.service .*neither rendered nor a fixture$/)]);
      expect(() => analyzeIgnition(units)).toThrow(UnresolvedReferenceError);
    });

    test('a unit Flatcar does not have, outside After=/Before=/Conflicts=', () => {
      const units = config({ 'old.service': service('After=etcd2.service\nRequires=etcd2.service') });
      expect(() => analyzeIgnition(units)).toThrow(/old\.service: Requires=etcd2\.service .*Flatcar has no etcd2\.service/);
      expect(() => analyzeIgnition(config({ 'old.service': service('After=etcd2.service\nConflicts=etcd.service') }))).not.toThrow();
    });

    test('a bad directive', () => {
      const analysis = analyzeIgnition(config({ 'typo.service': service('Requires=docker.service\nAfter=docker.service').replace('[Service]', '[Service]\nRestartSecs=5') }));
      expect(analysis.verify?.findings).toContainEqual({ kind: 'bad-directive', line: expect.stringMatching(/Unknown key name 'RestartSecs'|Unknown key 'RestartSecs'/) });
    });

    test('a program the image does not have, even where systemd-analyze 252 does not look', () => {
      const analysis = analyzeIgnition(
        config({ 'ghost-program.service': service('Wants=network-online.target', '/usr/bin/true\nExecStartPre=/usr/bin/true\nExecStartPre=/usr/bin/not-on-flatcar') }),
      );
      expect(analysis.verify?.findings).toEqual([]); // only the first command of each Exec list is checked
      expect(analysis.graph.missingPrograms).toEqual([expect.stringMatching(/^ghost-program\.service: ExecStartPre=\/usr\/bin\/not-on-flatcar /)]);
      const first = analyzeIgnition(config({ 'ghost-main.service': service('', '/usr/bin/not-on-flatcar') }));
      expect(first.verify?.findings).toContainEqual({ kind: 'missing-program', line: expect.stringMatching(/Command \/usr\/bin\/not-on-flatcar is not executable/) });
    });

    test('an enabled unit without [Install], which enabling would not start', () => {
      expect(() => analyzeIgnition(config({ 'no-install.service': '[Service]\nExecStart=/usr/bin/true\n' }))).toThrow(/no-install\.service has no \[Install\] section/);
      const enabledGhost = { ignition: { version: '3.3.0' }, systemd: { units: [{ name: 'elsewhere.service', enabled: true }] } };
      expect(() => analyzeIgnition(enabledGhost)).toThrow(/enabled unit elsewhere\.service is neither rendered nor a fixture/);
    });

    test('a containerd client not ordered after containerd.service (nothing starts containerd for it)', () => {
      const units = config({ 'ctr-early.service': service('Wants=containerd.service', '/usr/bin/ctr images ls') });
      expect(() => analyzeIgnition(units)).toThrow(/ctr-early\.service: ExecStart=\/usr\/bin\/ctr .* needs containerd\.service .*not ordered after it/);
      expect(() => analyzeIgnition(config({ 'ctr-late.service': service('Requires=containerd.service\nAfter=containerd.service', '/usr/bin/ctr images ls') }))).not.toThrow();
    });

    test('a docker client that docker.service is ordered after: the cycle the old worker config had', () => {
      const analysis = analyzeIgnition(LEGACY_WORKER_IGNITION);
      expect([...analysis.root.dockerClients.keys()]).toContain('flanneld.service');
      expect(analysis.graph.cycles).toContain('docker.service -> flanneld.service -> docker.service (starting multi-user.target)');
      // Flatcar's own flannel-docker-opts.service (Requires= of flanneld) is Before=docker.service and runs the docker client too.
      expect(analysis.graph.cycles).toContain('docker.service -> flannel-docker-opts.service -> docker.service (starting multi-user.target)');
      const cycleLines = analysis.verify?.findings.filter((f) => f.kind === 'cycle').map((f) => f.line).join('\n');
      // Which job systemd meets first varies from run to run (its hash maps are seeded at random).
      const unit = '(docker|flanneld|flannel-docker-opts)\\.service';
      expect(cycleLines).toMatch(new RegExp(`${unit}: Found ordering cycle on ${unit}/start`));
      expect(cycleLines).toMatch(new RegExp(`${unit}: Unable to break cycle starting with ${unit}/start`));
      expect(analysis.verify?.status).not.toBe(0);
      // Without the run-time edges of docker clients, the static graph hides it.
      expect(analyzeIgnition(LEGACY_WORKER_IGNITION, { dockerClientEdges: false }).graph.cycles).toEqual([]);
    });
  });
});

describe('harness pieces', () => {
  test('Ignition units merge by name; 2.x `enable` and 3.x `enabled` both enable', () => {
    const units = ignitionUnits({
      ignition: { version: '2.3.0' },
      systemd: { units: [{ name: 'a.service', enable: true, dropins: [{ name: '1.conf', contents: 'x' }] }, { name: 'a.service', dropins: [{ name: '2.conf', contents: 'y' }] }] },
    });
    expect(units).toEqual([{ name: 'a.service', enabled: true, dropins: [{ name: '1.conf', contents: 'x' }, { name: '2.conf', contents: 'y' }] }]);
    expect(ignitionUnits({ ignition: { version: '3.3.0' }, systemd: { units: [{ name: 'b.service', enabled: true }] } })[0].enabled).toBe(true);
    expect(() => ignitionUnits({ ignition: { version: '1.0.0' } })).toThrow(/not an Ignition 2\.x or 3\.x config/);
  });

  test('data URLs, plain and base64, and gzip', () => {
    expect(decodeDataUrl('data:,%5BUnit%5D%0A', undefined).toString()).toBe('[Unit]\n');
    expect(decodeDataUrl(`data:;base64,${Buffer.from('[Unit]\n').toString('base64')}`, undefined).toString()).toBe('[Unit]\n');
    expect(decodeDataUrl(`data:;base64,${gzipSync('[Unit]\n').toString('base64')}`, 'gzip').toString()).toBe('[Unit]\n');
    expect(() => decodeDataUrl('https://example.com/unit', undefined)).toThrow(/non-data source/);
  });

  test('Exec words: quotes and escapes as systemd splits them', () => {
    expect(execWords('/usr/bin/etcdctl --endpoints="http://a:2379,http://b:2379" set /k "{\\"Network\\":\\"10.2.0.0/16\\"}"', 'test')).toEqual([
      '/usr/bin/etcdctl',
      '--endpoints=http://a:2379,http://b:2379',
      'set',
      '/k',
      '{"Network":"10.2.0.0/16"}',
    ]);
  });

  test('cycles: the shortest cycle through each member of a strongly connected component', () => {
    expect(findCycles([['a', 'b', ''], ['b', 'a', ''], ['b', 'c', ''], ['c', 'b', ''], ['c', 'd', '']])).toEqual([['a', 'b', 'a'], ['b', 'c', 'b']]);
    expect(findCycles([['a', 'b', ''], ['b', 'c', '']])).toEqual([]);
  });

  test('systemd-analyze lines are sorted into kinds', () => {
    expect(classify('b.service: Found ordering cycle on a.service/start')).toBe('cycle');
    expect(classify('a.service: Failed to create a.service/start: Unit missing.service not found.')).toBe('missing-dependency');
    expect(classify("/tmp/x/b.service:7: Unknown key 'Bogus' in section [Service], ignoring.")).toBe('bad-directive');
    expect(classify('b.service: Command /nonexistent/bin/foo is not executable: No such file or directory')).toBe('missing-program');
  });
});
