import { deserializeUnit, installSectionWarning, validateUnitContent } from '../../transpiler/go/systemd-unit';

const opts = (contents: string) => {
  const r = deserializeUnit(contents);
  expect(r.error).toBeUndefined();
  return (r.options ?? []).map((o) => [o.section, o.name, o.value]);
};

describe('deserializeUnit (go-systemd unit.Deserialize)', () => {
  // Cases from go-systemd's TestDeserialize whose values do not involve continuations.
  it.each<[string, string[][]]>([
    ['[Unit]\nDescription=Foo\nDescription=Bar\nRequires=baz.service\nAfter=baz.service\n', [
      ['Unit', 'Description', 'Foo'], ['Unit', 'Description', 'Bar'], ['Unit', 'Requires', 'baz.service'], ['Unit', 'After', 'baz.service'],
    ]],
    ['[Unit]\nDescription=Foo\n\n[Service]\nExecStart=/usr/bin/sleep infinity\n\n[X-Third-Party]\nPants=on\n\n', [
      ['Unit', 'Description', 'Foo'], ['Service', 'ExecStart', '/usr/bin/sleep infinity'], ['X-Third-Party', 'Pants', 'on'],
    ]],
    ['[Unit]\n[Service]\n[X-Third-Party]\n', []],
    ['[Service]\nEnvironment= "FOO=BAR" "BAZ=QUX"\n', [['Service', 'Environment', '"FOO=BAR" "BAZ=QUX"']]],
    ['; comment alpha\n# comment bravo\n[Unit]\n; comment charlie\n# comment delta\n#Description=Foo\nDescription=Bar\n; comment echo\n# comment foxtrot\n', [
      ['Unit', 'Description', 'Bar'],
    ]],
    ['Description=Foo\n[Unit]\nDescription=Bar\n', [['Unit', 'Description', 'Bar']]],
    ['<<<<<<<<\n[Unit]\nDescription=Bar\n', [['Unit', 'Description', 'Bar']]],
    ['[Unit]\n<<<<<<<<=Bar\n', [['Unit', '<<<<<<<<', 'Bar']]],
    ['[Unit]\nSome Thing = Bar\n', [['Unit', 'Some Thing', 'Bar']]],
    ['[Unit]\nDescription=Bar', [['Unit', 'Description', 'Bar']]],
    ['[©]\nµ☃=ÇôrèÕ$', [['©', 'µ☃', 'ÇôrèÕ$']]],
    ['[Unit]\n Description   =words here\n', [['Unit', 'Description', 'words here']]],
    ['[Unit]\nDescription= words here ', [['Unit', 'Description', 'words here']]],
    ['ExecStart=/bin/true\n', []],
  ])('parses %j', (contents, want) => {
    expect(opts(contents)).toEqual(want);
  });

  it('keeps continuation lines with their newline (go-systemd with LINE_MAX support)', () => {
    expect(opts('[Unit]\nDescription= Unnecessarily wrapped \\\n    words here\n')).toEqual([
      ['Unit', 'Description', 'Unnecessarily wrapped \\\n    words here'],
    ]);
    expect(opts('[Unit]\nDescription=Bar \\')).toEqual([['Unit', 'Description', 'Bar \\']]);
    // A blank line ends a continued value, which then keeps its trailing newline.
    expect(opts('[Unit]\nA=x \\\n\nB=y\n')).toEqual([['Unit', 'A', 'x \\\n'], ['Unit', 'B', 'y']]);
  });

  it('returns null options when nothing parsed (Go nil slice)', () => {
    expect(deserializeUnit('[Service]\n')).toEqual({ options: null });
    expect(deserializeUnit('')).toEqual({ options: null });
  });

  it.each([
    ['[Unit\nDescription=Foo\n', 'unable to find end of section'],
    ['[Unit] pants\nDescription=Foo\n', 'found garbage after section name : [112 97 110 116 115]'],
    ['[Service] trailing\n', 'found garbage after section name : [116 114 97 105 108 105 110 103]'],
    ['[Unit]\nDescription\n', 'unexpected newline encountered while parsing option name'],
    ['[Unit]\n<<<<<<\nDescription=Foo\n', 'unexpected newline encountered while parsing option name'],
    ['[Unit]\nDescription', 'EOF'],
    ['[Match]\nName=' + 'a'.repeat(3000) + '\n', 'line too long (max 2048 bytes)'],
    ['[Match]\nName=' + 'a'.repeat(2100), 'line too long (max 2048 bytes)'],
  ])('rejects %j', (contents, error) => {
    expect(deserializeUnit(contents).error).toBe(error);
  });

  it('only checks line length when 2048 bytes are buffered, like bufio does', () => {
    // The long line starts past the middle of the first 4096-byte read, so the check never sees it.
    const head = '[A]\n' + 'B=c\n'.repeat(750); // 3004 bytes
    expect(deserializeUnit(head + 'D=' + 'e'.repeat(3000)).error).toBeUndefined();
    expect(deserializeUnit('[A]\nD=' + 'e'.repeat(3000)).error).toBe('line too long (max 2048 bytes)');
  });

  it('keeps options parsed before an error', () => {
    expect(deserializeUnit('[Unit]\nA=b\n[Broken')).toEqual({ options: [{ section: 'Unit', name: 'A', value: 'b' }], error: 'unable to find end of section' });
  });
});

describe('Ignition unit checks', () => {
  it('prefixes errors and drops options on failure', () => {
    expect(validateUnitContent('[Service\nExecStart=/bin/true\n')).toEqual({ options: null, error: 'invalid unit content: unable to find end of section' });
    expect(validateUnitContent('[Service]\nExecStart=/bin/true\n').error).toBeUndefined();
  });

  it('warns for an enabled unit with options but none in [Install]', () => {
    const contents = '[Service]\nExecStart=/bin/true\n';
    const { options } = validateUnitContent(contents);
    expect(installSectionWarning('both.service', true, contents, options)).toBe(
      'unit "both.service" is enabled, but has no install section so enable does nothing',
    );
    expect(installSectionWarning('both.service', false, contents, options)).toBeUndefined();
  });

  it('does not warn with an [Install] option, empty contents, no options, or a parse error', () => {
    const ok = '[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n';
    expect(installSectionWarning('a.service', true, ok, validateUnitContent(ok).options)).toBeUndefined();
    expect(installSectionWarning('a.service', true, '', null)).toBeUndefined();
    const onlyInstallHeader = '[Service]\n[Install]\n';
    expect(installSectionWarning('a.service', true, onlyInstallHeader, validateUnitContent(onlyInstallHeader).options)).toBeUndefined();
    const broken = '[Service\n';
    expect(installSectionWarning('a.service', true, broken, validateUnitContent(broken).options)).toBeUndefined();
  });

  it('an empty [Install] section still warns when other options exist', () => {
    const c = '[Service]\nExecStart=/bin/true\n[Install]\n';
    expect(installSectionWarning('a.service', true, c, validateUnitContent(c).options)).toMatch(/no install section/);
  });
});
