import { pathString } from '../../transpiler/butane/path';
import { contextRoot, correlate, formatEntry } from '../../transpiler/butane/report';
import { butaneConfigType } from '../../transpiler/butane/schema/variants';
import { looksDecimal, validateSource } from '../../transpiler/butane/validate-source';
import type { GoType } from '../../transpiler/schema';
import { decode, parseDocument } from '../../transpiler/yaml';
import { dispatchText, read, vectorNames } from './vector-files';


/** Every message the YAML-side `Validate` methods can give (docs/butane.md §9.3, §5.2). */
const SOURCE_MESSAGES = [
  'only one of the following can be set: inline, local, source',
  'only one of the following can be set: contents, contents_local',
  'local is required',
  'unreasonable mode would be reasonable if specified in octal; remember to add a leading zero',
  'format is required if with_mount_unit is true',
  'path is required if with_mount_unit is true and format is not swap',
  'path must be under /etc or /var if with_mount_unit is true',
  'layout must be one of: aarch64, ppc64le, s390x-eckd, s390x-virt, s390x-zfcp, x86_64',
  'mirroring requires at least two devices',
  'field "name" is required',
  'field "password_hash" is required',
];
const isSourceLine = (line: string): boolean => SOURCE_MESSAGES.some((m) => line.endsWith(`: ${m}`));

/** Source validation of a Butane document, correlated and printed as Butane prints it. */
function validateText(input: string): string[] {
  const routed = dispatchText(input);
  if (!routed.ok) throw new Error(routed.error);
  const type = butaneConfigType(routed.spec.variant, routed.spec.version) as GoType;
  const doc = parseDocument(input, 'v3');
  const value = decode(doc, type, 'v3');
  return correlate(validateSource(value, type), contextRoot(doc)).map(formatEntry);
}

/** The vectors whose document decodes. */
const decodable = vectorNames.filter((name) => {
  const input = read(name, 'input.bu');
  if (!dispatchText(input).ok) return false;
  return !read(name, 'stderr.txt').startsWith('Error translating config: yaml: ');
});

describe('butane source validation: vectors', () => {
  it('has vectors with source errors and warnings', () => {
    const withSource = decodable.filter((n) => read(n, 'stderr.txt').split('\n').some(isSourceLine));
    expect(withSource.length).toBeGreaterThanOrEqual(8);
  });

  it.each(decodable)('%s', (name) => {
    const expected = read(name, 'stderr.txt').split('\n').filter(isSourceLine);
    expect(validateText(read(name, 'input.bu'))).toEqual(expected);
  });
});

/** `path: message` pairs of a document's source validation (paths as Butane prints them). */
function entriesOf(variant: string, version: string, body: string): string[] {
  const type = butaneConfigType(variant, version) as GoType;
  const value = decode(parseDocument(`variant: ${variant}\nversion: ${version}\n${body}`, 'v3'), type, 'v3');
  return validateSource(value, type).map((e) => `${e.kind} ${pathString(e.path)}: ${e.message}`);
}

describe('butane source validation: cases of Butane\'s own tests', () => {
  // base/v0_6/validate_test.go TestValidateFileMode / TestValidateDirMode
  it('flags modes written in decimal', () => {
    expect(looksDecimal(0o600, false)).toBe(false);
    expect(looksDecimal(600, false)).toBe(true);
    expect(looksDecimal(0o1770, true)).toBe(false);
    expect(looksDecimal(1770, true)).toBe(true);
  });

  // base/v0_6/validate_test.go TestValidateResource: the error sits on the last source set
  it('reports too many sources at the last of local, inline, source', () => {
    const files = (contents: string): string =>
      `storage:\n  files:\n    - path: /a\n      contents: {${contents}}\n`;
    const err = 'only one of the following can be set: inline, local, source';
    expect(entriesOf('fcos', '1.6.0', files('source: "data:,a", inline: a'))).toEqual([`error $.storage.files.0.contents.source: ${err}`]);
    expect(entriesOf('fcos', '1.6.0', files('inline: a, local: a'))).toEqual([`error $.storage.files.0.contents.inline: ${err}`]);
    expect(entriesOf('fcos', '1.6.0', files('source: "data:,a", inline: a, local: a'))).toEqual([
      `error $.storage.files.0.contents.source: ${err}`,
    ]);
  });

  // config/fcos/v1_6/validate_test.go TestValidateBootDevice
  it.each([
    ['layout: s390x-eckd\n  luks: {device: /dev/dasda, cex: {enabled: true}}', []],
    ['layout: x86_64\n  luks: {device: /dev/sda, cex: {enabled: true}}', ['error $.boot_device.layout: when using cex the targeted architecture must match s390x']],
    ['luks: {device: /dev/sda, cex: {enabled: true}}', ['error $.boot_device.luks.cex: when using cex the targeted architecture must match s390x']],
    ['layout: sparc', ['error $.boot_device.layout: layout must be one of: aarch64, ppc64le, s390x-eckd, s390x-virt, s390x-zfcp, x86_64']],
    ['layout: s390x-eckd', ['error $.boot_device.layout: device is required for layouts: s390x-eckd, s390x-zfcp']],
    [
      'layout: s390x-zfcp\n  luks: {device: /dev/sda, tpm2: true}\n  mirror: {devices: [/dev/sda, /dev/sdb]}',
      ['error $.boot_device.layout: mirroring not supported on layouts: s390x-eckd, s390x-zfcp, s390x-virt'],
    ],
    [
      'layout: s390x-eckd\n  luks: {device: /dev/sda, tpm2: true}',
      ['error $.boot_device.layout: device name must start with /dev/dasd on s390x-eckd layout or /dev/sd on s390x-zfcp layout'],
    ],
    [
      'layout: s390x-eckd\n  luks: {device: /dev/dasd, tpm2: true}',
      ['error $.boot_device.layout: device name must start with /dev/dasd on s390x-eckd layout or /dev/sd on s390x-zfcp layout'],
    ],
  ])('fcos 1.6 boot_device, case %#', (body, expected) => {
    expect(entriesOf('fcos', '1.6.0', `boot_device:\n  ${body}\n`)).toEqual(expected);
  });

  // config/fcos/v1_6/validate_test.go TestValidateMountPoints / TestValidateConfig
  it('checks fcos 1.6 mount points and partitions reused by label', () => {
    const fs = (path: string): string => `storage:\n  filesystems:\n    - {path: "${path}", with_mount_unit: true, format: ext4, device: /dev/x}\n`;
    for (const ok of ['/etc/foo', '/var']) expect(entriesOf('fcos', '1.6.0', fs(ok))).toEqual([]);
    for (const bad of ['/', '/boot', '/varnish', '/foo/var']) {
      expect(entriesOf('fcos', '1.6.0', fs(bad))).toEqual([
        'error $.storage.filesystems.0.path: path must be under /etc or /var if with_mount_unit is true',
      ]);
    }
    const reuse =
      'warning $.storage.disks.0.partitions.0.number: partitions cannot be reused by label; number must be specified except on boot disk (/dev/disk/by-id/coreos-boot-disk) or when wipe_table is true';
    const disk = (extra: string): string => `storage:\n  disks:\n    - device: /dev/vda\n      partitions: [{label: foo}, {label: bar, number: 2}]\n${extra}`;
    expect(entriesOf('fcos', '1.6.0', disk(''))).toEqual([reuse]);
    expect(entriesOf('fcos', '1.6.0', disk('      wipe_table: false\n'))).toEqual([reuse]);
    expect(entriesOf('fcos', '1.6.0', disk('      wipe_table: true\n'))).toEqual([]);
    // fcos 1.5 has no such check (Butane 0.19 added it to 1.6.0-experimental only)
    expect(entriesOf('fcos', '1.5.0', disk(''))).toEqual([]);
  });

  // config/fcos/v1_5/validate_test.go TestValidateGrubUser
  it('requires both GRUB user fields', () => {
    expect(entriesOf('fcos', '1.5.0', 'grub:\n  users:\n    - password_hash: x\n    - name: n\n')).toEqual([
      'error $.grub.users.0.name: field "name" is required',
      'error $.grub.users.1.password_hash: field "password_hash" is required',
    ]);
  });

  // docs/butane.md §5.7: BootDevice.Validate checks the mirror, and the walk checks it again
  it('reports a one-device mirror twice', () => {
    const err = 'error $.boot_device.mirror.devices: mirroring requires at least two devices';
    expect(entriesOf('fcos', '1.4.0', 'boot_device:\n  mirror:\n    devices: [/dev/vda]\n')).toEqual([err, err]);
  });
});
