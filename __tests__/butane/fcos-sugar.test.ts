import { readFileSync } from 'fs';
import { join } from 'path';
import type { GoStruct } from '../../transpiler/schema';
import { marshalIgnition } from '../../transpiler/ignition-v3/marshal';
import type { IgnitionVersion } from '../../transpiler/ignition-v3/types';
import {
  checkReservedPartitionLabels,
  ERR_WRONG_PARTITION_NUMBER,
  processBootDevice,
} from '../../transpiler/butane/fcos-boot-device';
import { buildGrubConfig, handleUserGrubCfg } from '../../transpiler/butane/fcos-grub';
import { goShaped } from '../../transpiler/butane/mount-units';
import { TranslationSet } from '../../transpiler/butane/translation-set';

const VECTORS = join(__dirname, '../conformance/butane');
const expectedIgn = (name: string): string => readFileSync(join(VECTORS, name, 'expected.ign'), 'utf8').replace(/\n$/, '');

/** What the base translation gives for a config with no storage of its own: the version and its translation. */
function baseTranslation(version: IgnitionVersion, extra: GoStruct = {}): { config: GoStruct; ts: TranslationSet } {
  const ts = new TranslationSet('yaml', 'json');
  ts.addTranslation(['version'], ['ignition', 'version']);
  ts.addTranslation(['ignition'], ['ignition']);
  return { config: goShaped(version, [], { ignition: { version }, ...extra }), ts };
}

/** fcos `ToIgn3_xUnvalidated` after the base translation: boot_device, then (1.5+) grub. */
function fcosSugar(yaml: GoStruct, version: IgnitionVersion, base = baseTranslation(version)) {
  const boot = processBootDevice(yaml, base.config, base.ts, version);
  return { ...handleUserGrubCfg(yaml, boot.config, boot.ts, version), jsonEntries: boot.jsonEntries };
}

describe('processBootDevice reproduces the v0.23.0 vectors', () => {
  it('ok-fcos-1_4-boot-device-mirror (x86_64 default layout)', () => {
    const { config } = fcosSugar({ boot_device: { mirror: { devices: ['/dev/vda', '/dev/vdb'] }, luks: {} } }, '3.3.0');
    expect(marshalIgnition(config, '3.3.0', true)).toBe(expectedIgn('ok-fcos-1_4-boot-device-mirror'));
  });

  it('ok-fcos-1_4-boot-device-ppc64le-mirror', () => {
    const yaml = { boot_device: { layout: 'ppc64le', mirror: { devices: ['/dev/sda', '/dev/sdb'] } } };
    const { config } = fcosSugar(yaml, '3.3.0');
    expect(marshalIgnition(config, '3.3.0', true)).toBe(expectedIgn('ok-fcos-1_4-boot-device-ppc64le-mirror'));
  });

  it('ok-fcos-1_5-boot-device-luks-tpm2 (discard is copied in 1.5)', () => {
    const { config } = fcosSugar({ boot_device: { luks: { tpm2: true, discard: true, tang: null } } }, '3.4.0');
    expect(marshalIgnition(config, '3.4.0', true)).toBe(expectedIgn('ok-fcos-1_5-boot-device-luks-tpm2'));
  });

  it('ok-fcos-1_5-boot-device-mirror-luks-tang-aarch64', () => {
    const yaml = {
      boot_device: {
        layout: 'aarch64',
        luks: {
          tang: [
            {
              url: 'https://tang1.example.com',
              thumbprint: 'REPLACE-THIS-WITH-YOUR-TANG-THUMBPRINT',
              advertisement:
                '{"payload": "eyJrZXlzIjogW119", "protected": "eyJhbGciOiJFUzUxMiIsImN0eSI6Imp3ay1zZXQranNvbiJ9", "signature": "AAAA"}',
            },
            { url: 'http://tang2.example.com', thumbprint: 'SECOND-THUMBPRINT' },
          ],
          threshold: 2,
          tpm2: true,
        },
        mirror: { devices: ['/dev/sda', '/dev/sdb', '/dev/sdc'] },
      },
    };
    const { config } = fcosSugar(yaml, '3.4.0');
    expect(marshalIgnition(config, '3.4.0', true)).toBe(expectedIgn('ok-fcos-1_5-boot-device-mirror-luks-tang-aarch64'));
  });

  it('leaves the config alone when only layout/threshold/discard are set (spec §5.7 inert case)', () => {
    const base = baseTranslation('3.4.0');
    const yaml = { boot_device: { layout: 'aarch64', luks: { threshold: 2, discard: true, tpm2: false } } };
    const result = processBootDevice(yaml, base.config, base.ts, '3.4.0');
    expect(result.config).toBe(base.config);
    expect(result.jsonEntries).toEqual([]);
  });

  it('rejects a layout validation should have refused (err-fcos-1_5-bad-layout: s390x-virt in 1.5)', () => {
    const base = baseTranslation('3.4.0');
    expect(() => processBootDevice({ boot_device: { layout: 's390x-virt', luks: { tpm2: true } } }, base.config, base.ts, '3.4.0')).toThrow(
      /layout/,
    );
  });

  // config/fcos/v1_6/translate.go: s390x layouts put LUKS on a partition of boot_device.luks.device.
  it('fcos 1.6 s390x-eckd: LUKS on partition 2 of the given device, no generated partitions', () => {
    const yaml = { boot_device: { layout: 's390x-eckd', luks: { device: '/dev/dasda', tpm2: true } } };
    const { config } = fcosSugar(yaml, '3.5.0');
    expect(config.storage.disks).toBeUndefined();
    expect(config.storage.luks[0]).toMatchObject({ device: '/dev/dasda2', name: 'root', clevis: { tpm2: true } });
    expect(config.storage.filesystems.map((f: GoStruct) => f.device)).toEqual(['/dev/mapper/root']);
  });

  it('drops discard for fcos 1.4 (Ignition 3.3 has no luks.discard)', () => {
    const { config } = fcosSugar({ boot_device: { luks: { tpm2: true, discard: true } } }, '3.3.0');
    expect(config.storage.luks[0].discard).toBeUndefined();
    expect(marshalIgnition(config, '3.3.0', false)).not.toContain('discard');
  });
});

describe('boot_device translations (config/fcos/v1_5/translate.go)', () => {
  const yaml = {
    boot_device: {
      luks: { tang: [{ url: 'https://tang.example.com', thumbprint: 'x' }], threshold: 1, discard: false },
      mirror: { devices: ['/dev/sda', '/dev/sdb'] },
    },
  };
  const { ts } = fcosSugar(yaml, '3.4.0');
  const from = (...to: (string | number)[]) => ts.get(to)?.from;

  it('maps disks and their partitions to the mirror device entry', () => {
    expect(from('storage', 'disks', 1, 'partitions', 2, 'label')).toEqual(['boot_device', 'mirror', 'devices', 1]);
    expect(from('storage', 'disks', 0, 'wipeTable')).toEqual(['boot_device', 'mirror', 'devices', 0]);
    expect(from('storage', 'filesystems', 1, 'label')).toEqual(['boot_device', 'mirror', 'devices', 1]);
  });

  it('maps RAIDs and the boot filesystem to mirror, the root filesystem to boot_device', () => {
    expect(from('storage', 'raid', 1, 'devices', 0)).toEqual(['boot_device', 'mirror']);
    expect(from('storage', 'filesystems', 2, 'device')).toEqual(['boot_device', 'mirror']);
    expect(from('storage', 'filesystems', 3, 'format')).toEqual(['boot_device']);
  });

  it('maps clevis fields field by field and the rest of the volume to boot_device.luks', () => {
    expect(from('storage', 'luks', 0, 'clevis', 'tang', 0, 'url')).toEqual(['boot_device', 'luks', 'tang', 0, 'url']);
    expect(from('storage', 'luks', 0, 'clevis', 'threshold')).toEqual(['boot_device', 'luks', 'threshold']);
    expect(from('storage', 'luks', 0, 'discard')).toEqual(['boot_device', 'luks', 'discard']);
    expect(from('storage', 'luks', 0, 'name')).toEqual(['boot_device', 'luks']);
    expect(from('storage', 'luks', 0, 'device')).toEqual(['boot_device', 'luks']);
  });
});

describe('merging boot_device with user storage', () => {
  it('keeps generated items first and merges a user filesystem with the same device in place', () => {
    const base = baseTranslation('3.4.0', {
      storage: {
        filesystems: [
          { device: '/dev/disk/by-label/data', format: 'ext4', path: '/var/data' },
          { device: '/dev/mapper/root', format: 'ext4' },
        ],
      },
    });
    const { config } = fcosSugar({ boot_device: { luks: { tpm2: true } } }, '3.4.0', base);
    const filesystems = config.storage.filesystems as GoStruct[];
    expect(filesystems.map((f) => f.device)).toEqual(['/dev/mapper/root', '/dev/disk/by-label/data']);
    expect(filesystems[0]).toMatchObject({ format: 'ext4', label: 'root', wipeFilesystem: true });
  });
});

describe('reserved partition label warning', () => {
  it('warn-fcos-1_5-reserved-partition-label-strict: root with number 0 on a disk not wiped', () => {
    const ts = new TranslationSet('yaml', 'json');
    const label = ['storage', 'disks', 0, 'partitions', 0, 'label'];
    ts.addTranslation(label, label);
    ts.addTranslation(['storage', 'disks', 0, 'partitions', 0, 'number'], ['storage', 'disks', 0, 'partitions', 0, 'number']);
    const base = baseTranslation('3.4.0', {
      storage: { disks: [{ device: '/dev/disk/by-id/coreos-boot-disk', partitions: [{ label: 'root', number: 0, sizeMiB: 8192 }] }] },
    });
    base.ts.merge(ts);
    const result = fcosSugar({ boot_device: {}, grub: { users: null } }, '3.4.0', base);
    expect(result.jsonEntries).toEqual([{ kind: 'warning', message: ERR_WRONG_PARTITION_NUMBER, path: label }]);
    // the stderr line names $.storage.disks.0.partitions.0.label: the JSON path maps back to that YAML key
    expect(result.ts.get(label)?.from).toEqual(label);
  });

  it('checks every reserved label against its number, and skips wiped disks', () => {
    const disk = (wipeTable: boolean | undefined, partitions: GoStruct[]) => ({ device: '/dev/vda', wipeTable, partitions });
    const config = goShaped('3.4.0', [], {
      storage: {
        disks: [
          disk(undefined, [
            { label: 'BIOS-BOOT', number: 1 },
            { label: 'PowerPC-PReP-boot', number: 2 },
            { label: 'EFI-SYSTEM', number: 2 },
            { label: 'boot', number: 4 },
            { label: 'root', number: 4 },
            { label: 'data', number: 9 },
            { number: 3 },
          ]),
          disk(true, [{ label: 'root' }]),
          disk(false, [{ label: 'EFI-SYSTEM', number: 1 }]),
        ],
      },
    });
    expect(checkReservedPartitionLabels(config).map((e) => e.path)).toEqual([
      ['storage', 'disks', 0, 'partitions', 1, 'label'],
      ['storage', 'disks', 0, 'partitions', 3, 'label'],
      ['storage', 'disks', 2, 'partitions', 0, 'label'],
    ]);
  });

  it('does not warn about the mirror layout, whose disks are wiped', () => {
    const { jsonEntries } = fcosSugar({ boot_device: { mirror: { devices: ['/dev/vda', '/dev/vdb'] } } }, '3.4.0');
    expect(jsonEntries).toEqual([]);
  });
});

describe('handleUserGrubCfg', () => {
  const users = [
    { name: 'root', password_hash: 'grub.pbkdf2.sha512.10000.AAAA.BBBB' },
    { name: 'admin', password_hash: 'grub.pbkdf2.sha512.10000.CCCC.DDDD' },
  ];

  it('ok-fcos-1_5-grub-users', () => {
    const { config } = fcosSugar({ grub: { users }, boot_device: {} }, '3.4.0');
    expect(marshalIgnition(config, '3.4.0', true)).toBe(expectedIgn('ok-fcos-1_5-grub-users'));
  });

  it('builds the user.cfg text of spec §5.8', () => {
    expect(buildGrubConfig(users)).toBe(
      '# Generated by Butane\n\nset superusers="root admin"\n' +
        'password_pbkdf2 root grub.pbkdf2.sha512.10000.AAAA.BBBB\npassword_pbkdf2 admin grub.pbkdf2.sha512.10000.CCCC.DDDD\n',
    );
  });

  it('maps the generated storage to grub.users', () => {
    const { ts } = fcosSugar({ grub: { users } }, '3.4.0');
    expect(ts.get(['storage', 'files', 0, 'append', 0, 'source'])?.from).toEqual(['grub', 'users']);
    expect(ts.get(['storage', 'filesystems', 0, 'path'])?.from).toEqual(['grub', 'users']);
  });

  it('puts the generated filesystem and file before the user ones', () => {
    const base = baseTranslation('3.4.0', {
      storage: {
        files: [{ path: '/etc/motd', contents: { source: 'data:,hi', compression: '' } }],
        filesystems: [{ device: '/dev/vdb', format: 'xfs', path: '/var' }],
      },
    });
    const { config } = fcosSugar({ grub: { users } }, '3.4.0', base);
    expect((config.storage.files as GoStruct[]).map((f) => f.path)).toEqual(['/boot/grub2/user.cfg', '/etc/motd']);
    expect((config.storage.filesystems as GoStruct[]).map((f) => f.device)).toEqual(['/dev/disk/by-label/boot', '/dev/vdb']);
  });

  it('has nothing to do for fcos 1.4', () => {
    const base = baseTranslation('3.3.0');
    const result = handleUserGrubCfg({ grub: { users } }, base.config, base.ts, '3.3.0');
    expect(result.config).toBe(base.config);
  });
});
