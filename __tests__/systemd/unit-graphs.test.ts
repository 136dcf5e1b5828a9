/**
 * Issue 14: each cluster role's units, as its synthesized Ignition writes them, together with the
 * Flatcar units they depend on (fixtures/), pass real systemd's `systemd-analyze verify` and the
 * harness's own graph check: no ordering cycle, no missing dependency, no bad directive, no
 * missing program (nor one a script run by a unit needs). fetch-secrets.service is required by,
 * and ordered before, the units that read the TLS files it installs, as systemd itself reads the
 * units. The harness's self-tests prove each of those is caught. README.md says how.
 */
import { lstatSync, readlinkSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { classify, systemdAnalyzeUnavailable, systemdVersion, verify } from './analyze';
import { LEGACY_WORKER_IGNITION } from './fixtures/legacy-worker';
import { describeIfAvailable } from './gate';
import {
  FETCH_SECRETS_DROPIN,
  FETCH_SECRETS_REFRESH_TIMER,
  FETCH_SECRETS_REFRESH_UNIT,
  FETCH_SECRETS_SCRIPT,
  FETCH_SECRETS_SH,
  FETCH_SECRETS_UNIT,
} from '../../constructs/secret-fetch';
import { analyzeIgnition, problemsOf, UnresolvedReferenceError, verifyWithChanges, type AnalyzeOptions, type RoleAnalysis } from './harness';
import { butaneClusterRoles, clusterRoles, etcdMembersV3, type RoleConfig } from './roles';
import { shellCommands } from './shell-commands';
import { decodeDataUrl, ETC_UNITS, ignitionUnits, RUN_UNITS, type StubRoot } from './stub-root';
import { describeOrderings, findCycles, loadUnits } from './unit-graph';
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
const dataUrl = (text: string) => `data:,${encodeURIComponent(text)}`;

// Built on first use, so that a construct that fails to synthesize fails the role tests only.
let built: { etcdMembers: RoleConfig[]; workers: RoleConfig[] } | undefined;
function roles(): { etcdMembers: RoleConfig[]; workers: RoleConfig[] } {
  if (built === undefined) {
    const cluster = clusterRoles();
    const butane = butaneClusterRoles();
    built = { etcdMembers: [...cluster.etcdMembers, ...etcdMembersV3(), ...butane.etcdMembers], workers: [...cluster.workers, ...butane.workers] };
  }
  return built;
}
/**
 * Each role, a unit it must start, the units that read the TLS files fetch-secrets.service
 * installs, and those its refresh restarts when a file changed.
 */
const ROLES: { role: string; configs: () => RoleConfig[]; unit: string; needsSecrets: string[]; restartsOnChange: string }[] = [
  { role: 'etcd member', configs: () => roles().etcdMembers, unit: 'etcd-member.service', needsSecrets: ['etcd-member.service'], restartsOnChange: 'etcd-member.service' },
  { role: 'worker', configs: () => roles().workers, unit: 'docker.service', needsSecrets: ['flannel-config.service', 'flanneld.service'], restartsOnChange: 'flanneld.service' },
];

/** One config per kind (Ignition version, base config): a cluster's members differ only in names and addresses. */
function oneOfEachKind(configs: readonly RoleConfig[]): RoleConfig[] {
  const kind = (c: RoleConfig) => c.label.slice(c.label.indexOf('('));
  const chosen = configs.filter((c, i, all) => all.findIndex((other) => kind(other) === kind(c)) === i);
  expect(chosen.map(kind)).toEqual(['(Ignition 2.3.0)', '(Ignition 3.3.0)', '(Ignition 3.3.0, Butane base)']);
  return chosen;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The lines of a verify run that report an ordering cycle. */
const cycleLines = (findings: readonly { kind: string; line: string }[] | undefined) => (findings ?? []).filter((f) => f.kind === 'cycle').map((f) => f.line).join('\n');

/** systemd's own reading, by two probes: reversing the order must make a cycle, masking the dependency must fail the start. */
function probeSecretsFirst(root: StubRoot, unit: string): { reversed: ReturnType<typeof verifyWithChanges>; masked: ReturnType<typeof verifyWithChanges> } {
  const reversed = verifyWithChanges(root, { [`${RUN_UNITS}/${FETCH_SECRETS_UNIT}.d/zz-probe.conf`]: `[Unit]\nAfter=${unit}\n` }, [unit]);
  const masked = verifyWithChanges(root, { [`${ETC_UNITS}/${FETCH_SECRETS_UNIT}`]: null }, [unit]);
  return { reversed, masked };
}

function analyzeAll(configs: readonly RoleConfig[], options: AnalyzeOptions): { label: string; analysis: RoleAnalysis }[] {
  return configs.map((c) => ({ label: c.label, analysis: analyzeIgnition(c.ignition, options) }));
}

describe('the cluster roles render units the harness can read', () => {
  test('etcd members and workers, on Ignition 2.3.0 and 3.3.0, and on a Butane base config', () => {
    const versions = [...roles().etcdMembers, ...roles().workers].map((c) => `${c.label.split(' ')[0]} ${c.ignition.ignition.version}`);
    expect(new Set(versions)).toEqual(new Set(['etcd 2.3.0', 'etcd 3.3.0', 'worker 2.3.0', 'worker 3.3.0']));
    expect([...roles().etcdMembers, ...roles().workers].filter((c) => c.label.endsWith(', Butane base)')).map((c) => c.label.split(' ')[0])).toEqual(['etcd', 'worker']);
  });
});

describe.each(ROLES)('the $role role, graph check', ({ configs, unit }) => {
  test('names only rendered or fixture units, runs only programs Flatcar has, and has no ordering cycle', () => {
    for (const { label, analysis } of analyzeAll(configs(), { runVerify: false })) {
      expect(analysis.startUnits).toContain(unit); // the role's units were rendered and started
      // The refresh run and its timer are started and checked too (the script's commands with them).
      expect(analysis.startUnits).toEqual(expect.arrayContaining([FETCH_SECRETS_UNIT, FETCH_SECRETS_REFRESH_UNIT, FETCH_SECRETS_REFRESH_TIMER]));
      expect({ label, problems: problemsOf(analysis) }).toEqual({ label, problems: [] });
    }
  });
});

describeIfAvailable('unit graphs under systemd-analyze verify', systemdAnalyzeUnavailable(), () => {
  beforeAll(() => {
    // Printed once so that a log says which systemd judged the units.
    console.log(`systemd-analyze: ${systemdVersion()}`);
  });

  describe.each(ROLES)('the $role role', ({ configs, needsSecrets, restartsOnChange }) => {
    test('verifies with exit status 0 and says nothing: no cycle, no missing dependency, no bad directive', () => {
      for (const { label, analysis } of analyzeAll(configs(), {})) {
        expect(analysis.verify?.command).toContain('--root=');
        expect({ label, problems: problemsOf(analysis) }).toEqual({ label, problems: [] });
      }
    });

    test(`fetch-secrets.service is required by ${needsSecrets.join(' and ')}, and ordered before, as systemd reads the units`, () => {
      for (const { label, ignition } of oneOfEachKind(configs())) {
        const analysis = analyzeIgnition(ignition, { keepRoot: true, runVerify: false });
        try {
          expect({ label, enabled: analysis.root.enabled }).toEqual({ label, enabled: expect.arrayContaining([FETCH_SECRETS_UNIT]) });
          const units = loadUnits(analysis.root.dir);
          for (const unit of needsSecrets) {
            const dropin = `${ETC_UNITS}/${unit}.d/${FETCH_SECRETS_DROPIN}`;
            // The graph check's reading: Requires= and After= in the drop-in, Before= in fetch-secrets.service.
            expect({ label, unit, requires: units.get(unit)?.dependencies.filter((d) => d.key === 'Requires' && d.unit === FETCH_SECRETS_UNIT).map((d) => d.origin) }).toEqual({
              label,
              unit,
              requires: [expect.stringMatching(new RegExp(`^${escape(dropin)}:\\d+$`))],
            });
            expect({ label, unit, orderings: describeOrderings(analysis.root, unit, [FETCH_SECRETS_UNIT, unit]) }).toEqual({
              label,
              unit,
              orderings: expect.arrayContaining([
                expect.stringMatching(new RegExp(`^${escape(`${FETCH_SECRETS_UNIT} before ${unit}: ${FETCH_SECRETS_UNIT}: Before=${unit} (${ETC_UNITS}/${FETCH_SECRETS_UNIT}:`)}\\d+\\)$`)),
                expect.stringMatching(new RegExp(`^${escape(`${FETCH_SECRETS_UNIT} before ${unit}: ${unit}: After=${FETCH_SECRETS_UNIT} (${dropin}:`)}\\d+\\)$`)),
              ]),
            });
            // systemd's reading. Reversed (fetch-secrets after the unit), the start of the unit is a
            // cycle systemd cannot break: it orders fetch-secrets first, and the job is required, not wanted.
            const { reversed, masked } = probeSecretsFirst(analysis.root, unit);
            const cycle = cycleLines(reversed.findings);
            expect({ label, unit, status: reversed.status, cycle }).toEqual({ label, unit, status: 1, cycle: expect.stringMatching(/Unable to break cycle starting with/) });
            expect(cycle).toMatch(new RegExp(`(Found ordering cycle on|Found dependency on) ${escape(FETCH_SECRETS_UNIT)}/start`));
            expect(cycle).toMatch(new RegExp(`(Found ordering cycle on|Found dependency on) ${escape(unit)}/start`));
            // Masked, fetch-secrets.service cannot start, and neither can the unit that requires it.
            expect({ label, unit, masked: masked.findings.map((f) => f.line) }).toEqual({
              label,
              unit,
              masked: [`${unit}: Failed to create ${unit}/start: Unit ${FETCH_SECRETS_UNIT} is masked.`],
            });
          }
        } finally {
          analysis.root.cleanup();
        }
      }
    });

    test('the refresh timer is enabled into timers.target and verifies with its service, which runs after the boot fetch and restarts only what it should', () => {
      for (const { label, ignition } of oneOfEachKind(configs())) {
        const analysis = analyzeIgnition(ignition, { keepRoot: true, runVerify: false });
        try {
          // Enabled as Ignition enables it: the [Install] link into timers.target.wants; the service is the timer's to start.
          expect({ label, enabled: analysis.root.enabled }).toEqual({ label, enabled: expect.arrayContaining([FETCH_SECRETS_REFRESH_TIMER]) });
          expect(analysis.root.enabled).not.toContain(FETCH_SECRETS_REFRESH_UNIT);
          const link = path.join(analysis.root.dir, ETC_UNITS, 'timers.target.wants', FETCH_SECRETS_REFRESH_TIMER);
          expect(lstatSync(link).isSymbolicLink()).toBe(true);
          expect(readlinkSync(link)).toBe(`${ETC_UNITS}/${FETCH_SECRETS_REFRESH_TIMER}`);
          // systemd reads both units ([Timer] keys included) without a word.
          const verified = verify(analysis.root, [FETCH_SECRETS_REFRESH_TIMER, FETCH_SECRETS_REFRESH_UNIT]);
          expect({ label, status: verified.status, findings: verified.findings }).toEqual({ label, status: 0, findings: [] });
          const units = loadUnits(analysis.root.dir);
          // No Unit= in the timer: it starts the service of its own name, which is rendered.
          expect(FETCH_SECRETS_REFRESH_TIMER.replace(/\.timer$/, '.service')).toBe(FETCH_SECRETS_REFRESH_UNIT);
          expect(units.get(FETCH_SECRETS_REFRESH_UNIT)?.fragment).toBe(`${ETC_UNITS}/${FETCH_SECRETS_REFRESH_UNIT}`);
          const refresh = units.get(FETCH_SECRETS_REFRESH_UNIT);
          expect(refresh?.dependencies.filter((d) => d.key === 'After').map((d) => d.unit)).toEqual([FETCH_SECRETS_UNIT, 'network-online.target']);
          expect({ label, environment: Object.fromEntries(refresh?.environment ?? []) }).toEqual({
            label,
            environment: expect.objectContaining({ FETCH_SECRETS_MODE: 'refresh', FETCH_SECRETS_RESTART: restartsOnChange, FETCH_SECRETS_ON_CHANGE: '' }),
          });
          // Same script, same arguments as the boot run.
          expect(refresh?.exec.map((c) => c.words)).toEqual(units.get(FETCH_SECRETS_UNIT)?.exec.map((c) => c.words));
        } finally {
          analysis.root.cleanup();
        }
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

    test('the probes of systemd\'s reading tell an order from none, and Requires= from Wants=', () => {
      const analysis = analyzeIgnition(
        config({
          [FETCH_SECRETS_UNIT]: service(''),
          'needs.service': service(`Requires=${FETCH_SECRETS_UNIT}\nAfter=${FETCH_SECRETS_UNIT}`),
          'wants.service': service(`Wants=${FETCH_SECRETS_UNIT}`),
        }),
        { keepRoot: true, runVerify: false },
      );
      try {
        const needs = probeSecretsFirst(analysis.root, 'needs.service');
        expect(needs.reversed.status).toBe(1);
        expect(needs.masked.findings.map((f) => f.line)).toEqual([`needs.service: Failed to create needs.service/start: Unit ${FETCH_SECRETS_UNIT} is masked.`]);
        // Not ordered: no cycle. Only wanted: a masked unit is skipped in silence.
        const wants = probeSecretsFirst(analysis.root, 'wants.service');
        expect({ status: wants.reversed.status, findings: wants.reversed.findings }).toEqual({ status: 0, findings: [] });
        expect({ status: wants.masked.status, findings: wants.masked.findings }).toEqual({ status: 0, findings: [] });
        // The probes leave the root as it was.
        expect(verifyWithChanges(analysis.root, {}, ['needs.service']).findings).toEqual([]);
      } finally {
        analysis.root.cleanup();
      }
    });

    test('a command a script needs that the image does not have, where systemd-analyze does not look', () => {
      const file = (filePath: string, text: string) => ({ filesystem: 'root', path: filePath, mode: 0o755, contents: { source: dataUrl(text) } });
      const ignition = {
        ignition: { version: '2.3.0' },
        storage: {
          files: [
            file('/opt/bin/helper', '#!/bin/sh\nset -u\nnow=$(date +%s)\nnot-on-flatcar --at "$now" | tr -d x\n'),
            file('/opt/bin/python-tool', '#!/usr/bin/python3\nprint(1)\n'),
            file('/opt/bin/no-interpreter', 'echo hi\n'),
          ],
        },
        systemd: {
          units: [
            { name: 'helper.service', enabled: true, contents: service('', '/opt/bin/helper') },
            { name: 'tools.service', enabled: true, contents: service('', "/bin/sh -c 'ghost-tool --x; sleep 1'\nExecStartPost=/opt/bin/python-tool\nExecStopPost=/opt/bin/no-interpreter") },
          ],
        },
      };
      const analysis = analyzeIgnition(ignition);
      expect(analysis.verify?.findings).toEqual([]);
      expect(analysis.graph.missingPrograms).toEqual([
        expect.stringMatching(/^helper\.service: ExecStart=\/opt\/bin\/helper \(.*\): \/opt\/bin\/helper, line 4, runs not-on-flatcar, which is not on the image$/),
        expect.stringMatching(/^tools\.service: ExecStart=\/bin\/sh \(.*\): its -c script, line 1, runs ghost-tool, which is not on the image$/),
        expect.stringMatching(/^tools\.service: ExecStartPost=\/opt\/bin\/python-tool \(.*\): the interpreter of \/opt\/bin\/python-tool, \/usr\/bin\/python3, is not on the image$/),
        expect.stringMatching(/^tools\.service: ExecStopPost=\/opt\/bin\/no-interpreter \(.*\): \/opt\/bin\/no-interpreter is neither an ELF binary nor a #! script: exec fails \(ENOEXEC\)$/),
      ]);
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
  test('a script command named by an environment variable is what the unit sets it to (graph check)', () => {
    const file = (filePath: string, text: string) => ({ filesystem: 'root', path: filePath, mode: 0o755, contents: { source: dataUrl(text) } });
    const withHook = (environment: string, script = '#!/bin/sh\nset -u\nif [ -n "${HOOK:-}" ]; then "$HOOK"; fi\n') => ({
      ignition: { version: '2.3.0' },
      storage: { files: [file('/opt/bin/hooked', script), file('/opt/bin/own-hook', '#!/bin/sh\nexit 0\n')] },
      systemd: { units: [{ name: 'hooked.service', enabled: true, contents: service('', `/opt/bin/hooked${environment}`) }] },
    });
    const missing = (ignition: Json) => analyzeIgnition(ignition, { runVerify: false }).graph.missingPrograms;
    expect(missing(withHook('\nEnvironment=HOOK=/usr/bin/not-on-flatcar'))).toEqual([
      expect.stringMatching(/^hooked\.service: ExecStart=\/opt\/bin\/hooked \(.*\): \/opt\/bin\/hooked, line 3, runs \$HOOK, which the unit sets to \/usr\/bin\/not-on-flatcar, which is not on the image$/),
    ]);
    expect(missing(withHook('\nEnvironment="HOOK=/opt/bin/own-hook"'))).toEqual([]);
    // Left empty or unset by the unit, it names no program (the script must not run it then).
    expect(missing(withHook('\nEnvironment=HOOK='))).toEqual([]);
    expect(missing(withHook(''))).toEqual([]);
    // A variable the script sets itself, or a lower-case one, cannot be followed.
    const assigned = '#!/bin/sh\nHOOK=$(cat /etc/hook)\n"$HOOK"\n';
    expect(missing(withHook('\nEnvironment=HOOK=/usr/bin/true', assigned))).toEqual([expect.stringMatching(/runs a command named at run time \(\$HOOK\), which the graph check cannot follow$/)]);
    expect(missing(withHook('', '#!/bin/sh\nhook=/usr/bin/true\n"$hook"\n'))).toEqual([expect.stringMatching(/runs a command named at run time \(\$hook\)/)]);
  });

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

  test('shell scripts: the commands they run, as the shell reads them', () => {
    const script = [
      '#!/bin/sh',
      'set -u # a builtin',
      'log() { printf "%s\\n" "$*" >&2; }',
      'x=$(curl -sS "$url" 2>&1 | tail -n 1) || { log "failed (see above)"; exit 1; }',
      'case "$x" in 200|30?) sed -n p;; *) log "no; really"; rm -f -- "$tmp";; esac',
      'n=$(( $(date +%s) + 1 ))',
      "trap 'mktemp -u' EXIT",
      'for a in "$@"; do (umask 022 && mkdir -p "$a") < /dev/null; done',
      'echo "a ; b | c (d) `wc -l`" \\',
      '  more',
      'FOO=1 env true',
      '$tool --run',
    ].join('\n');
    expect(shellCommands(script)).toEqual([
      { name: 'curl', line: 4 },
      { name: 'tail', line: 4 },
      { name: 'sed', line: 5 },
      { name: 'rm', line: 5 },
      { name: 'date', line: 6 },
      { name: 'mktemp', line: 7 },
      { name: 'mkdir', line: 8 },
      { name: 'wc', line: 9 },
      { name: 'env', line: 11 },
      { name: '$tool', line: 12 },
    ]);
    expect(() => shellCommands('cat <<EOF\nx\nEOF\n')).toThrow(/here-documents are not read/);
    // What the script of secret-fetch.ts needs from the image, among others.
    expect(shellCommands(FETCH_SECRETS_SH).map((c) => c.name)).toEqual(expect.arrayContaining(['curl', 'sed', 'mktemp', 'chown', 'chmod', 'mv', 'date']));
    expect(FETCH_SECRETS_SH.startsWith('#!/bin/sh\n')).toBe(true);
    expect(FETCH_SECRETS_SCRIPT).toBe('/opt/bin/fetch-secrets');
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
