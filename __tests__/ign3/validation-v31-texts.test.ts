/**
 * What Flatcar's 3.1 validation (coreos/ignition v2.24.0 `config/v3_1/types`, go-systemd v22) and
 * `Check2_4`'s refusal report add to a translation: path conflicts with units, the install-section
 * warnings, hard-link owners, filesystems on disks, proxies, zero-valued list elements and the
 * `permissions unset` lines. Expected texts follow the Go source; positions are columns in the
 * compact 3.1 JSON written out here.
 */
import { runCt } from '../../transpiler/cli';
import { Ign3TranslationError, translateToV33 } from '../../transpiler/ign3';
import { transpile } from '../../transpiler/transpile';

const TRANSLATE = 'unable to translate 2.x ignition to 3.1: ';
const IGNITION_31 = '{"ignition":{"config":{"replace":{"verification":{}}},"proxy":{},"security":{"tls":{}},"timeouts":{},"version":"3.1.0"}';

/** The report of a successful translation ('' when none). */
function warnings(input: string): string {
  return translateToV33(input).report;
}

/** Flatcar's error text for a refused translation. */
function refusal(input: string): string {
  try {
    translateToV33(input);
  } catch (err) {
    if (err instanceof Ign3TranslationError) return err.flatcarMessage;
    throw err;
  }
  throw new Error('translated');
}

/** `line 1 col N` of the first `marker` at or after `after` in `json`. */
const col = (json: string, marker: string, after = ''): number => json.indexOf(marker, json.indexOf(after)) + 1;

const v23 = (rest: string): string => `{"ignition":{"version":"2.3.0"},${rest}}`;
const unit = (name: string, extra: string): string => `{"name":"${name}"${extra}}`;
const NO_INSTALL = (name: string): string => `unit "${name}" is enabled, but has no install section so enable does nothing`;

describe('path conflicts with systemd unit or dropin (Config.Validate)', () => {
  const aService = unit('a.service', ',"contents":"[Service]\\nExecStart=/bin/true\\n"');

  test.each([
    ['files', '{"filesystem":"root","path":"/etc/systemd/system/a.service","mode":420,"contents":{"source":"data:,x"}}'],
    ['directories', '{"filesystem":"root","path":"/etc/systemd/system/a.service","mode":493}'],
    ['links', '{"filesystem":"root","path":"/etc/systemd/system/a.service","target":"/dev/null"}'],
  ])('a node in %s at a unit with contents', (kind, node) => {
    const input = v23(`"storage":{"${kind}":[${node}]},"systemd":{"units":[${aService}]}`);
    expect(refusal(input)).toBe(`${TRANSLATE}error at $.storage.${kind}.0.path: path conflicts with systemd unit or dropin\n`);
  });

  test('a drop-in with contents counts, the node path is cleaned, and the check comes first', () => {
    const dropin = unit('a.service', ',"dropins":[{"name":"x.conf","contents":"[Service]\\n"}]');
    const input =
      '{"ignition":{"version":"2.3.0","config":{"append":[{}]}},' +
      '"storage":{"directories":[{"filesystem":"root","path":"/etc/systemd/system//a.service.d/x.conf/","mode":493}]},' +
      `"systemd":{"units":[${dropin}]}}`;
    expect(refusal(input)).toBe(
      `${TRANSLATE}error at $.storage.directories.0.path: path conflicts with systemd unit or dropin\n` + 'error at $.ignition.config.merge.0: source is required\n',
    );
  });

  test('units and drop-ins without contents, and unit names (not cleaned), do not conflict', () => {
    const units = [
      unit('a.service', ',"mask":true'),
      unit('b.service', ',"dropins":[{"name":"x.conf"}]'),
      unit('sub/../c.service', ',"contents":"[Service]\\n"'),
    ];
    const files = ['/etc/systemd/system/a.service', '/etc/systemd/system/b.service.d/x.conf', '/etc/systemd/system/c.service'];
    const input = v23(`"storage":{"files":[${files.map((p) => `{"filesystem":"root","path":"${p}","mode":420}`).join(',')}]},"systemd":{"units":[${units.join(',')}]}`);
    expect(warnings(input)).toBe('');
  });

  test('merged units keep the earlier contents, so the conflict stays', () => {
    const input = v23(`"storage":{"files":[{"filesystem":"root","path":"/etc/systemd/system/a.service","mode":420}]},"systemd":{"units":[${aService},${unit('a.service', ',"enabled":false')}]}`);
    expect(refusal(input)).toBe(`${TRANSLATE}error at $.storage.files.0.path: path conflicts with systemd unit or dropin\n`);
  });

  test.each(['coreos', 'flatcar'] as const)('reachable from a CLC (%s)', (dialect) => {
    const clc =
      'storage:\n  files:\n    - path: /etc/systemd/system/a.service\n      filesystem: root\n      mode: 0644\n      contents:\n        inline: x\n' +
      'systemd:\n  units:\n    - name: a.service\n      contents: "[Service]\\nExecStart=/bin/true\\n"\n';
    const run = runCt(['--dialect', dialect, '--ignition-version', '3.3.0'], Buffer.from(clc), '.');
    expect({ stdout: run.stdout, stderr: run.stderr, exitCode: run.exitCode }).toEqual({
      stdout: '',
      stderr: `${TRANSLATE}error at $.storage.files.0.path: path conflicts with systemd unit or dropin\n\n`,
      exitCode: 1,
    });
  });
});

describe('enabled units without an [Install] option (go-systemd v22: an empty option list is not nil)', () => {
  const v31 = (contents: string): string => `${IGNITION_31},"passwd":{},"storage":{},"systemd":{"units":[{"contents":${JSON.stringify(contents)},"enabled":true,"name":"a.service"}]}}`;

  test.each(['[Unit]\n', '[Install]\n', '# only a comment\n', '[Install]\n; WantedBy=multi-user.target\n'])('%j warns', (contents) => {
    const input = v23(`"systemd":{"units":[${unit('a.service', `,"enabled":true,"contents":${JSON.stringify(contents)}`)}]}`);
    expect(col(v31(contents), '"contents":') + '"contents":'.length).toBe(178);
    expect(warnings(input)).toBe(`warning at $.systemd.units.0.contents, line 1 col 178: ${NO_INSTALL('a.service')}\n`);
  });

  test('the deprecated enable counts; an [Install] option, a disabled unit or no contents do not warn', () => {
    expect(warnings(v23(`"systemd":{"units":[${unit('a.service', ',"enable":true,"contents":"[Unit]\\n"')}]}`))).toBe(
      `warning at $.systemd.units.0.contents, line 1 col 178: ${NO_INSTALL('a.service')}\n`,
    );
    expect(warnings(v23(`"systemd":{"units":[${unit('a.service', ',"enabled":true,"contents":"[Install]\\nWantedBy=multi-user.target\\n"')}]}`))).toBe('');
    expect(warnings(v23(`"systemd":{"units":[${unit('a.service', ',"enabled":false,"contents":"[Unit]\\n"')}]}`))).toBe('');
    expect(warnings(v23(`"systemd":{"units":[${unit('a.service', ',"enabled":true,"dropins":[{"name":"x.conf","contents":"[Unit]\\n"}]')}]}`))).toBe('');
  });

  const CLC = 'systemd:\n  units:\n    - name: a.service\n      enabled: true\n      contents: "[Unit]\\n"\n';

  test.each(['coreos', 'flatcar'] as const)('through ct --ignition-version 3.3.0 (%s), while the 2.x output stays silent', (dialect) => {
    const run = runCt(['--dialect', dialect, '--ignition-version', '3.3.0'], Buffer.from(CLC), '.');
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe(`warning at $.systemd.units.0.contents, line 1 col 178: ${NO_INSTALL('a.service')}\n\n`);
    expect(transpile(CLC, { dialect }).warnings).toEqual([]);
    expect(transpile(CLC, { dialect, ignitionVersion: '3.3.0' }).warnings.map((w) => w.message)).toEqual([NO_INSTALL('a.service')]);
  });
});

describe('template units (Systemd.Validate)', () => {
  const template = (contents: string): string => unit('foo@.service', `,"contents":${JSON.stringify(contents)}`);
  const TEMPLATE_WARNING = 'template unit "foo@.service" for "foo@bar.service" doesn\'t have Install section';

  test('an enabled instance of a template without [Install] options: at the instance (its deepest node when it has no contents)', () => {
    const input = v23(`"systemd":{"units":[${template('[Service]\nExecStart=/bin/true\n')},${unit('foo@bar.service', ',"enabled":true')}]}`);
    const v31 = `${IGNITION_31},"passwd":{},"storage":{},"systemd":{"units":[{"contents":"[Service]\\nExecStart=/bin/true\\n","name":"foo@.service"},{"enabled":true,"name":"foo@bar.service"}]}}`;
    expect(warnings(input)).toBe(`warning at $.systemd.units.1.contents, line 1 col ${col(v31, '{"enabled"')}: ${TEMPLATE_WARNING}\n`);
  });

  test('before the instance\'s own install warning; a bare [Install] header is still no option', () => {
    const input = v23(`"systemd":{"units":[${template('[Install]\n')},${unit('foo@bar.service', ',"enabled":true,"contents":"[Unit]\\n"')}]}`);
    const v31 = `${IGNITION_31},"passwd":{},"storage":{},"systemd":{"units":[{"contents":"[Install]\\n","name":"foo@.service"},{"contents":"[Unit]\\n","enabled":true,"name":"foo@bar.service"}]}}`;
    const at = col(v31, '"[Unit]');
    expect(warnings(input)).toBe(
      `warning at $.systemd.units.1.contents, line 1 col ${at}: ${TEMPLATE_WARNING}\n` + `warning at $.systemd.units.1.contents, line 1 col ${at}: ${NO_INSTALL('foo@bar.service')}\n`,
    );
  });

  test('no warning for a template with an [Install] option, a disabled instance, or a template without contents', () => {
    const instance = unit('foo@bar.service', ',"enabled":true');
    expect(warnings(v23(`"systemd":{"units":[${template('[Install]\nWantedBy=multi-user.target\n')},${instance}]}`))).toBe('');
    expect(warnings(v23(`"systemd":{"units":[${template('[Service]\n')},${unit('foo@bar.service', ',"enabled":false')}]}`))).toBe('');
    expect(warnings(v23(`"systemd":{"units":[${unit('foo@.service', ',"mask":true')},${instance}]}`))).toBe('');
  });
});

describe('storage warnings', () => {
  test('each owner field of a hard link', () => {
    const link = '{"filesystem":"root","path":"/a","target":"/b","hard":true,"user":{"id":0},"group":{"name":"core"}}';
    const v31 = `${IGNITION_31},"passwd":{},"storage":{"links":[{"group":{"name":"core"},"path":"/a","user":{"id":0},"hard":true,"target":"/b"}]},"systemd":{}}`;
    expect(warnings(v23(`"storage":{"links":[${link}]}`))).toBe(
      `warning at $.storage.links.0.user.id, line 1 col ${col(v31, '0}', '"user"')}: user/group ignored for hard link\n` +
        `warning at $.storage.links.0.group.name, line 1 col ${col(v31, '"core"')}: user/group ignored for hard link\n`,
    );
    expect(warnings(v23('"storage":{"links":[{"filesystem":"root","path":"/a","target":"/b","user":{"id":0}}]}'))).toBe('');
  });

  test('a filesystem on a declared disk: partitioned, or with wipeTable and no wipeFilesystem', () => {
    const fs = '"filesystems":[{"name":"data","mount":{"device":"/dev/sdb","format":"ext4"}}]';
    const wiped = `${IGNITION_31},"passwd":{},"storage":{"disks":[{"device":"/dev/sdb","wipeTable":true}],"filesystems":[{"device":"/dev/sdb","format":"ext4","path":"/tmp/data-ign1"}]},"systemd":{}}`;
    expect(warnings(v23(`"storage":{"disks":[{"device":"/dev/sdb","wipeTable":true}],${fs}}`))).toBe(
      `warning at $.storage.filesystems.0.device, line 1 col ${col(wiped, '"/dev/sdb"', '"filesystems"')}: device matches disk with wipeTable enabled; filesystem will be wiped\n`,
    );
    const parted = `${IGNITION_31},"passwd":{},"storage":{"disks":[{"device":"/dev/sdb","partitions":[{"number":1}]}],"filesystems":[{"device":"/dev/sdb","format":"ext4","path":"/tmp/data-ign1"}]},"systemd":{}}`;
    expect(warnings(v23(`"storage":{"disks":[{"device":"/dev/sdb","partitions":[{"number":1}]}],${fs}}`))).toBe(
      `warning at $.storage.filesystems.0.device, line 1 col ${col(parted, '"/dev/sdb"', '"filesystems"')}: filesystem overwrites partitioned device\n`,
    );
    const wipedFs = '"filesystems":[{"name":"data","mount":{"device":"/dev/sdb","format":"ext4","wipeFilesystem":true}}]';
    expect(warnings(v23(`"storage":{"disks":[{"device":"/dev/sdb","wipeTable":true}],${wipedFs}}`))).toBe('');
  });
});

describe('proxies (validateProxyURL)', () => {
  const v24 = (proxy: string): string => `{"ignition":{"version":"2.4.0","proxy":${proxy}}}`;

  test('http(s) only, then the URL must parse', () => {
    expect(refusal(v24('{"httpProxy":"ftp://p","httpsProxy":"http://[::1]a"}'))).toBe(
      `${TRANSLATE}error at $.ignition.proxy.httpProxy: proxies must be http(s)\nerror at $.ignition.proxy.httpsProxy: unable to parse url\n`,
    );
    expect(refusal(v24('{"httpsProxy":"p:3128"}'))).toBe(`${TRANSLATE}error at $.ignition.proxy.httpsProxy: proxies must be http(s)\n`);
  });

  test('a plain-http proxy warns for HTTPS resources only; empty ones are not set', () => {
    const v31 = '{"ignition":{"config":{"replace":{"verification":{}}},"proxy":{"httpsProxy":"http://p:3128"},"security"';
    expect(warnings(v24('{"httpProxy":"","httpsProxy":"http://p:3128"}'))).toBe(
      `warning at $.ignition.proxy.httpsProxy, line 1 col ${col(v31, '"http://')}: insecure plaintext HTTP proxy specified for HTTPS resources\n`,
    );
    expect(warnings(v24('{"httpProxy":"http://p:3128","httpsProxy":"HTTPS://p:3128"}'))).toBe('');
  });
});

test('noProxy entries are keyed by their text (a string slice): a repeat is a duplicate', () => {
  expect(refusal('{"ignition":{"version":"2.4.0","proxy":{"noProxy":["a","b","a"]}}}')).toBe(`${TRANSLATE}error at $.ignition.proxy.noProxy.2: duplicate entry defined\n`);
});

test('a refusal report also lists the warnings, in walk order, without positions', () => {
  const input =
    '{"ignition":{"version":"2.3.0","config":{"append":[{}]}},' +
    '"storage":{"links":[{"filesystem":"root","path":"/a","target":"/b","hard":true,"user":{"id":0}}]}}';
  expect(refusal(input)).toBe(
    `${TRANSLATE}error at $.ignition.config.merge.0: source is required\n` + 'warning at $.storage.links.0.user.id: user/group ignored for hard link\n',
  );
});

describe('zero-valued list elements', () => {
  test('merge entries and CAs need a source; the second empty one is also a duplicate', () => {
    expect(refusal('{"ignition":{"version":"2.3.0","config":{"append":[{}]}}}')).toBe(`${TRANSLATE}error at $.ignition.config.merge.0: source is required\n`);
    expect(refusal('{"ignition":{"version":"2.3.0","security":{"tls":{"certificateAuthorities":[{},{}]}}}}')).toBe(
      `${TRANSLATE}error at $.ignition.security.tls.certificateAuthorities.0: source is required\n` +
        'error at $.ignition.security.tls.certificateAuthorities.1: source is required\n' +
        'error at $.ignition.security.tls.certificateAuthorities.1: duplicate entry defined\n',
    );
  });

  test('a JSON null element is that zero value', () => {
    expect(refusal('{"ignition":{"version":"2.3.0","config":{"append":[null]}}}')).toBe(`${TRANSLATE}error at $.ignition.config.merge.0: source is required\n`);
    expect(refusal(v23('"passwd":{"users":[{"name":"u","sshAuthorizedKeys":[null,null]}]}'))).toBe(
      `${TRANSLATE}error at $.passwd.users.0.sshAuthorizedKeys.1: duplicate entry defined\n`,
    );
  });

  const LISTS = [
    'ignition.config.append', 'ignition.security.tls.certificateAuthorities', 'ignition.proxy.noProxy', 'passwd.users', 'passwd.groups',
    'storage.disks', 'storage.raid', 'storage.filesystems', 'storage.files', 'storage.directories', 'storage.links', 'systemd.units', 'networkd.units',
  ];

  test.each(LISTS)('null elements in %s translate or are refused, in every 2.x version', (path) => {
    for (const version of ['2.0.0', '2.1.0', '2.2.0', '2.3.0', '2.4.0']) {
      for (const elements of [[null], [null, null], [{}, null]]) {
        const config: Record<string, unknown> = { ignition: { version } };
        const keys = path.split('.');
        let at = config;
        for (const key of keys.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
        at[keys[keys.length - 1]] = elements;
        try {
          translateToV33(JSON.stringify(config));
        } catch (err) {
          expect(err).toBeInstanceOf(Ign3TranslationError);
        }
      }
    }
  });

  test('a partition with neither number nor label', () => {
    expect(refusal(v23('"storage":{"disks":[{"device":"/dev/sdb","partitions":[{}]}]}'))).toBe(
      `${TRANSLATE}error at $.storage.disks.0.partitions.0: a partition number >= 1 or a label must be specified\n`,
    );
  });
});

describe('Check2_4 refusal report (2.4 rules)', () => {
  test('lists every entry in walk order, with the unset-mode warnings of directories and files', () => {
    const input =
      '{"ignition":{"version":"2.2.0"},"storage":{' +
      '"directories":[{"filesystem":"root","path":"/d"}],' +
      '"disks":[{"device":"/dev/sdb","partitions":[{"number":1}]}],' +
      '"files":[{"filesystem":"root","path":"/f","contents":{"source":"data:,x"}},{"filesystem":"root","path":"/g","mode":420}]}}';
    expect(refusal(input)).toBe(
      `${TRANSLATE}Invalid input config:\n` +
        'warning: permissions unset, defaulting to 0755\n' +
        'deprecated: size is deprecated; use sizeMB instead\n' +
        'deprecated: start is deprecated; use startMB instead\n' +
        'warning: permissions unset, defaulting to 0644',
    );
  });
});
