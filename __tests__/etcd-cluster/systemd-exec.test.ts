import { transpile } from '../../transpiler';
import { describeIfAvailable } from './gate';
import { ETCD_MEMBER_BASE_UNIT, ETCD_MEMBER_UNIT, etcdDropin, etcdInvocation, fakeMetadata, flagValue, type MemberMachine } from './etcd-member';
import {
  execService,
  loadService,
  parseEnvironmentFile,
  parseUnitFile,
  replaceEnvArgv,
  splitVariable,
  SystemdParseError,
  type FileReader,
  type ServiceDefinition,
} from './systemd-exec';
import { askSystemd, decodeCommandLine, systemdOracleUnavailable, type OracleUnit } from './systemd-oracle';

const UNIT = { name: 'etcd-member.service' };
const noFiles: FileReader = () => undefined;

/** ExecStart argv (before environment expansion) of a one-file service. */
const execArgv = (text: string, unitName = UNIT.name) => loadService({ name: unitName }, [{ name: unitName, text }]).execStart.map((c) => [...c.argv]);

/**
 * Cases read both by this helper and, where the machine has it, by systemd itself. `argv` is what
 * systemd parses (before environment expansion), `environment` its Environment= list.
 */
interface Case {
  readonly title: string;
  readonly unit: string;
  readonly dropins?: readonly string[];
  readonly argv: readonly (readonly string[])[];
  readonly environment?: readonly string[];
  /** Warnings this helper reports (systemd logs the same). */
  readonly warnings?: number;
  /** Unit name, for specifiers. */
  readonly name?: string;
}

const CASES: readonly Case[] = [
  {
    title: 'ct etcd drop-in: %q-quoted values, a line continuation per flag, $ETCD_OPTS kept for exec time',
    unit: '[Service]\nExecStart=/usr/lib/coreos/etcd-wrapper $ETCD_OPTS \\\n  --name="n1" \\\n  --initial-cluster="a=http://a:2380,b=http://b:2380" \\\n  --enable-v2=true\n',
    argv: [['/usr/lib/coreos/etcd-wrapper', '$ETCD_OPTS', '--name=n1', '--initial-cluster=a=http://a:2380,b=http://b:2380', '--enable-v2=true']],
  },
  {
    title: 'ct etcd-string-escaping vector: Go %q escapes are C escapes; %p is a specifier (ct does not escape %)',
    unit: '[Service]\nEnvironment="ETCD_IMAGE_TAG=v3.3.0"\nExecStart=\nExecStart=/usr/lib/coreos/etcd-wrapper $ETCD_OPTS \\\n  --name="quote\\"back\\\\slash\\ttab ünï ✓" \\\n  --snapshot-count=0 \\\n  --cors="" \\\n  --initial-cluster-token="with spaces and $dollar and %percent"\n',
    argv: [
      [
        '/usr/lib/coreos/etcd-wrapper',
        '$ETCD_OPTS',
        '--name=quote"back\\slash\ttab ünï ✓',
        '--snapshot-count=0',
        '--cors=',
        '--initial-cluster-token=with spaces and $dollar and etcd-memberercent',
      ],
    ],
    environment: ['ETCD_IMAGE_TAG=v3.3.0'],
  },
  {
    title: 'comment lines inside a continuation are dropped; an empty line ends it',
    unit: '[Service]\nType=oneshot\nExecStart=/bin/a b \\\n  # a comment\n  ; another\n  c \\\n\nExecStart=/bin/d\n',
    argv: [['/bin/a', 'b', 'c'], ['/bin/d']],
  },
  {
    title: 'an escaped backslash at the end of a line does not continue it; three do',
    unit: '[Service]\nType=oneshot\nExecStart=/bin/a x\\\\\nExecStart=/bin/b y \\\\\\\nz\n',
    argv: [['/bin/a', 'x\\'], ['/bin/b', 'y', '\\', 'z']],
  },
  {
    title: 'quotes anywhere in a word, single quotes, empty quoted words, whitespace around = and values',
    unit: "[Service]\n ExecStart =  /bin/e \"\" 'x y' a\"b c\"d '\"' \"'\"  \n",
    argv: [['/bin/e', '', 'x y', 'ab cd', '"', "'"]],
  },
  {
    title: 'C escapes: \\x41 octal \\101 \\u00e9 \\s; an unknown escape stays verbatim (with a warning)',
    unit: '[Service]\nExecStart=/bin/g \\x41\\101\\u00e9\\s\\;x "\\t\\"\\\\" \\q\n',
    argv: [['/bin/g', 'AAé \\;x', '\t"\\', '\\q']],
    warnings: 2,
  },
  {
    title: 'a lone ; separates commands, \\; is a literal ;, and x;y is one word',
    unit: '[Service]\nType=oneshot\nExecStart=/bin/echo a \\; x;y ; /bin/true b\n',
    argv: [['/bin/echo', 'a', ';', 'x;y'], ['/bin/true', 'b']],
  },
  {
    title: 'specifiers: %% is %, %n %N %p %i %I from the unit name, expanded per word after unquoting',
    name: 'x@a\\x20b.service',
    unit: '[Service]\nEnvironment="A=%I x" B=%p\nExecStart=/bin/echo %% %%n %n %N %p %i %I "q%I"\n',
    argv: [['/bin/echo', '%', '%n', 'x@a\\x20b.service', 'x@a\\x20b', 'x', 'a\\x20b', 'a b', 'qa b']],
    environment: ['A=a b x', 'B=x'],
  },
  {
    title: 'a drop-in resets ExecStart= and Environment= with an empty assignment',
    unit: '[Service]\nEnvironment=A=1 B=2\nExecStart=/bin/base $OPTS\n',
    dropins: ['[Service]\nExecStart=\nExecStart=/bin/new --x\nEnvironment=\nEnvironment="C=3"\n'],
    argv: [['/bin/new', '--x']],
    environment: ['C=3'],
  },
  {
    title: 'prefixes: - and : are not part of the path; @ takes argv[0] from the next word',
    unit: '[Service]\nType=oneshot\nExecStart=-:/bin/a $X ${Y}\nExecStart=@/bin/b argv0 c\n',
    argv: [['/bin/a', '$X', '${Y}'], ['argv0', 'c']],
  },
  {
    title: 'settings outside [Service] and other keys are not ExecStart',
    unit: '[Unit]\nExecStart=/bin/nope\n[Service]\nExecStartPre=/bin/pre\nExecStart=/bin/yes\n[Install]\nWantedBy=multi-user.target\n',
    argv: [['/bin/yes']],
  },
];

const unitNameOf = (c: Case, index: number) => c.name ?? `case-${index}.service`;

function load(c: Case, index: number): ServiceDefinition {
  const name = unitNameOf(c, index);
  // The etcd-string-escaping case needs the etcd unit's name for %p.
  const unitName = c.title.startsWith('ct etcd-string') ? UNIT.name : name;
  return loadService({ name: unitName }, [{ name: unitName, text: c.unit }, ...(c.dropins ?? []).map((text, k) => ({ name: `${unitName}.d/${k}.conf`, text }))]);
}

describe('reading unit files the way systemd does', () => {
  test.each(CASES.map((c, i) => [c.title, c, i] as const))('%s', (_title, c, i) => {
    const service = load(c, i);
    expect(service.execStart.map((cmd) => cmd.argv)).toEqual(c.argv);
    if (c.environment) expect(service.environment).toEqual(c.environment);
    expect(service.warnings).toHaveLength(c.warnings ?? 0);
  });

  test('unbalanced quotes make systemd ignore the line', () => {
    expect(() => execArgv('[Service]\nExecStart=/bin/a "b\n')).toThrow(/Unbalanced quoting/);
  });

  test('a specifier this helper does not know fails instead of being guessed', () => {
    expect(() => execArgv('[Service]\nExecStart=/bin/a %z\n')).toThrow(SystemdParseError);
    expect(() => execArgv('[Service]\nExecStart=/bin/a 100%\n')).toThrow(/trailing %/);
  });

  test('parseUnitFile keeps sections, trims keys and values, ignores assignments before a section', () => {
    expect(parseUnitFile('A=1\n[S]\n k = v \n#c\n;c\n[T]\nX=\n').map((a) => [a.section, a.key, a.value])).toEqual([
      ['S', 'k', 'v'],
      ['T', 'X', ''],
    ]);
  });
});

describe('what systemd executes: environment and variable expansion (replace_env_argv)', () => {
  const env = new Map([
    ['OPTS', '--a="b c"  --d \'e f\' g\\ h'],
    ['IP', '10.0.0.2'],
    ['EMPTY', ''],
  ]);

  test('$NAME alone as a word is split into words (quotes removed); unset or empty gives no word', () => {
    expect(replaceEnvArgv(['/bin/x', '$OPTS', '$UNSET', '$EMPTY', 'z'], env)).toEqual(['/bin/x', '--a=b c', '--d', 'e f', 'g h', 'z']);
  });

  test('${NAME} expands in place inside a word, unset is empty; $NAME inside a word stays', () => {
    expect(replaceEnvArgv(['--u=http://${IP}:2380', '--v=${UNSET}x', 'a$IP', '${OPTS}'], env)).toEqual([
      '--u=http://10.0.0.2:2380',
      '--v=x',
      'a$IP',
      '--a="b c"  --d \'e f\' g\\ h',
    ]);
  });

  test('$$ is a literal $, also before a name; ${A:-b} is not shell syntax there; a lone $ vanishes', () => {
    // A lone `$` takes the `$NAME` path with an empty (invalid) name: no word at all.
    expect(replaceEnvArgv(['$$IP', 'x$${IP}', '${IP:-x}', '$', '${', 'a$'], env)).toEqual(['$IP', 'x${IP}', '${IP:-x}', '${', 'a$']);
  });

  test('splitVariable: unbalanced quotes are tolerated, backslash escapes the next character only', () => {
    expect(splitVariable(' a "b c')).toEqual(['a', 'b c']);
    expect(splitVariable('\\t x\\"y')).toEqual(['t', 'x"y']);
  });

  test('the : prefix turns expansion off', () => {
    const service = loadService(UNIT, [{ name: 'u', text: '[Service]\nEnvironment=IP=1\nExecStart=:/bin/a ${IP} $IP\n' }]);
    expect(execService(service, noFiles).commands[0].argv).toEqual(['/bin/a', '${IP}', '$IP']);
  });

  test('EnvironmentFile= overrides Environment=; a missing file fails unless it has the - prefix', () => {
    const text = '[Service]\nEnvironment=A=unit B=unit\nEnvironmentFile=/run/env\nEnvironmentFile=-/run/missing\nExecStart=/bin/a ${A} ${B}\n';
    const service = loadService(UNIT, [{ name: 'u', text }]);
    const files: FileReader = (p) => (p === '/run/env' ? 'A=file\n' : undefined);
    expect(execService(service, files).commands[0].argv).toEqual(['/bin/a', 'file', 'unit']);
    const strict = loadService(UNIT, [{ name: 'u', text: text.replace('-/run/missing', '/run/missing') }]);
    expect(() => execService(strict, files)).toThrow(/\/run\/missing/);
  });

  test('environment files: comments, export, quotes, escapes, trailing blanks', () => {
    const vars = parseEnvironmentFile('# c\n; c\nA=1\n export B=two words  \nC="q \\"x\\" \\$y"\nD=\'s \\n\'\nE=a\\ b\n\nF\nG=\n');
    expect(Object.fromEntries(vars)).toEqual({ A: '1', B: 'two words', C: 'q "x" $y', D: 's \\n', E: 'a b', G: '' });
  });

  test('a service without ExecStart (reset by a drop-in, nothing after) is refused', () => {
    const service = loadService(UNIT, [
      { name: 'u', text: '[Service]\nExecStart=/bin/a\n' },
      { name: 'd', text: '[Service]\nExecStart=\n' },
    ]);
    expect(() => execService(service, noFiles)).toThrow(/no ExecStart/);
  });
});

describe('etcd-wrapper to etcd', () => {
  const machine: MemberMachine = { name: 'm1', dnsName: 'm1.us-central1-a.c.p.internal', ip: '127.0.0.11' };

  test('dynamic data from ct (platform gce) reaches etcd as the metadata values; the wrapper is stripped', () => {
    const { ignition } = transpile(
      `etcd:
  version: 3.3.25
  name: "{HOSTNAME}"
  advertise_client_urls: "http://{PRIVATE_IPV4}:2379"
  initial_cluster: "m1=http://m1.us-central1-a.c.p.internal:2380"
  discovery_srv: "{HOSTNAME}{HOSTNAME}.{PRIVATE_IPV4}"
`,
      { platform: 'gce' },
    );
    const dropin = etcdDropin(ignition);
    expect(dropin).toContain('EnvironmentFile=/run/metadata/coreos');
    expect(dropin).toContain('--advertise-client-urls="http://${COREOS_GCE_IP_LOCAL_0}:2379"');
    const inv = etcdInvocation(dropin, machine);
    expect(inv.args).toEqual([
      '--name=m1.us-central1-a.c.p.internal',
      '--initial-cluster=m1=http://m1.us-central1-a.c.p.internal:2380',
      '--advertise-client-urls=http://127.0.0.11:2379',
      '--discovery-srv=m1.us-central1-a.c.p.internalm1.us-central1-a.c.p.internal.127.0.0.11',
    ]);
    expect(flagValue(inv.args, 'name')).toBe(machine.dnsName);
    expect(inv.environment.get('COREOS_GCE_IP_LOCAL_0')).toBe('127.0.0.11');
    expect(inv.environment.get('ETCD_IMAGE_TAG')).toBe('v3.3.25');
  });

  test('fake metadata has the variables ct gce dynamic data uses', () => {
    expect(parseEnvironmentFile(fakeMetadata(machine))).toEqual(
      new Map([
        ['COREOS_GCE_HOSTNAME', machine.dnsName],
        ['COREOS_GCE_IP_LOCAL_0', machine.ip],
        ['COREOS_GCE_IP_EXTERNAL_0', machine.ip],
      ]),
    );
  });

  test('an ExecStart that is not etcd-wrapper, or a word that is not a flag, is refused', () => {
    expect(() => etcdInvocation('[Service]\nExecStart=\nExecStart=/bin/sh -c etcd\n', machine)).toThrow(/not \/usr\/lib\/coreos\/etcd-wrapper/);
    expect(() => etcdInvocation('[Service]\nExecStart=\nExecStart=/usr/lib/coreos/etcd-wrapper --a=1 b\n', machine)).toThrow(/not an etcd flag/);
  });
});

describeIfAvailable('systemd itself agrees (systemd --test dump)', systemdOracleUnavailable(), () => {
  test('decodeCommandLine reverses systemd quoting', () => {
    expect(decodeCommandLine('/bin/a "" "x y" "\\"\\\\\\$\\`" "\\t\\001" plain')).toEqual(['/bin/a', '', 'x y', '"\\$`', '\t\x01', 'plain']);
  });

  test('every case reads the same in systemd', () => {
    const units: OracleUnit[] = CASES.map((c, i) => {
      const name = c.title.startsWith('ct etcd-string') ? ETCD_MEMBER_UNIT : unitNameOf(c, i);
      return { name, text: c.unit, dropins: (c.dropins ?? []).map((text, k) => ({ name: `${k}.conf`, text })) };
    });
    const { results, log } = askSystemd(units);
    CASES.forEach((c, i) => {
      const result = results.get(units[i].name);
      expect({ title: c.title, argv: result?.execStart }).toEqual({ title: c.title, argv: c.argv });
      if (c.environment) expect({ title: c.title, environment: result?.environment }).toEqual({ title: c.title, environment: c.environment });
    });
    expect(log.filter((l) => /Ignoring unknown escape/.test(l))).toHaveLength(CASES.reduce((n, c) => n + (c.warnings ?? 0), 0));
  });

  test('systemd also ignores unbalanced quotes and unknown specifiers', () => {
    const { results, log } = askSystemd([
      { name: 'quote.service', text: '[Service]\nExecStart=/bin/a "b\n' },
      { name: 'spec.service', text: '[Service]\nExecStart=/bin/a %z\n' },
    ]);
    for (const name of ['quote.service', 'spec.service']) expect(results.get(name)?.execStart ?? []).toEqual([]);
    expect(log.join('\n')).toMatch(/Unbalanced quoting/);
    expect(log.join('\n')).toMatch(/Failed to resolve unit specifiers/);
  });

  test('the etcd drop-in of a ct-rendered member reads the same in systemd, over the stand-in base unit', () => {
    const { ignition } = transpile(
      'etcd:\n  name: m1\n  initial_cluster: "m1=http://m1.z.c.p.internal:2380"\n  listen_peer_urls: "http://{PRIVATE_IPV4}:2380"\n',
      { platform: 'gce' },
    );
    const dropin = etcdDropin(ignition);
    const ours = loadService(UNIT, [
      { name: 'base', text: ETCD_MEMBER_BASE_UNIT },
      { name: 'dropin', text: dropin },
    ]);
    const { results } = askSystemd([{ name: ETCD_MEMBER_UNIT, text: ETCD_MEMBER_BASE_UNIT, dropins: [{ name: '20-clct-etcd-member.conf', text: dropin }] }]);
    expect(results.get(ETCD_MEMBER_UNIT)?.execStart).toEqual(ours.execStart.map((c) => c.argv));
    expect(results.get(ETCD_MEMBER_UNIT)?.environment).toEqual(ours.environment);
  });
});
