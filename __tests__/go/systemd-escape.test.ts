import { unitNameEscape, unitNamePathEscape } from '../../transpiler/go/systemd-escape';

describe('unitNamePathEscape (go-systemd unit.UnitNamePathEscape)', () => {
  // Unit names and systemd-fsck@ instances in the Butane v0.23.0 vectors
  // ok-flatcar-1_0-mount-unit-escaping, -storage-swap-mount-unit and -storage-filesystems.
  it.each([
    ['/var/lib/my-data/sub dir', 'var-lib-my\\x2ddata-sub\\x20dir'],
    ['/dev/disk/by-label/my-data', 'dev-disk-by\\x2dlabel-my\\x2ddata'],
    ['/dev/disk/by-label/Über', 'dev-disk-by\\x2dlabel-\\xc3\\x9cber'],
    ['/.dotdir/nested', '\\x2edotdir-nested'],
    ['/var/lib/a:b_c.d', 'var-lib-a:b_c.d'],
    ['/dev/disk/by-id/wwn-0x5000c500a1b2c3d4', 'dev-disk-by\\x2did-wwn\\x2d0x5000c500a1b2c3d4'],
    ['/dev/disk/by-partlabel/swap', 'dev-disk-by\\x2dpartlabel-swap'],
    ['/dev/vdf', 'dev-vdf'],
    ['/var/lib/data', 'var-lib-data'],
  ])('vector path %j', (input, expected) => {
    expect(unitNamePathEscape(input)).toBe(expected);
  });

  // Cases where Debian's `systemd-escape --path` gives the same answer.
  it.each([
    ['//a//b/', 'a-b'],
    ['/a//b///', 'a-b'],
    ['/', '-'],
    ['/a/.b', 'a-.b'],
    ['/x\\y', 'x\\x5cy'],
    ['/ü', '\\xc3\\xbc'],
    ['rel/path', 'rel-path'],
  ])('agrees with systemd-escape --path for %j', (input, expected) => {
    expect(unitNamePathEscape(input)).toBe(expected);
  });

  it('writes bytes below 0x10 without zero padding, unlike systemd (\\x09)', () => {
    expect(unitNamePathEscape('/tab\tx')).toBe('tab\\x9x');
    expect(unitNamePathEscape('/a\nb')).toBe('a\\xab');
  });

  it('turns an empty path into "-"', () => {
    expect(unitNamePathEscape('')).toBe('-');
    expect(unitNamePathEscape('///')).toBe('-');
  });
});

describe('unitNameEscape (go-systemd unit.UnitNameEscape)', () => {
  // Same answers as Debian's `systemd-escape`.
  it.each([
    ['a/b-c', 'a-b\\x2dc'],
    ['.hidden/x', '\\x2ehidden-x'],
    ['a.b', 'a.b'],
    ['', ''],
  ])('%j', (input, expected) => {
    expect(unitNameEscape(input)).toBe(expected);
  });

  it('keeps every slash in non-path mode', () => {
    expect(unitNameEscape('//a/')).toBe('--a-');
  });
});
