/**
 * The Ignition type descriptors drive the JSON encoder: hand-built outputs must marshal to the real
 * ct's bytes (key order, omitempty, pointers, Flatcar's always-present keys), and validate cleanly.
 */
import type { Dialect } from '../../transpiler/convert';
import { marshalGo } from '../../transpiler/go/json';
import { ignitionConfigType, validateIgnition } from '../../transpiler/ignition';
import type { GoStruct } from '../../transpiler/schema';
import { config, make, vectorFile, vectorInput } from './builders';
import { astFromYaml } from './yaml-tree';

const dialects: Dialect[] = ['coreos', 'flatcar'];

const cases: Record<string, (d: Dialect) => GoStruct> = {
  'empty-input': (d) => config(d, {}),
  'raid-without-devices': (d) => config(d, { storage: { raid: [{ name: 'md-empty', level: 'raid1' }] } }),
  'raid-mirror': (d) =>
    config(d, {
      storage: {
        raid: [
          {
            name: 'md0',
            level: 'raid1',
            devices: ['/dev/disk/by-partlabel/raid.1.1', '/dev/disk/by-partlabel/raid.1.2'],
            spares: 1,
            options: ['--metadata=1.2', '--bitmap=internal'],
          },
        ],
      },
    }),
  'link-hard-without-target': (d) =>
    config(d, { storage: { links: [make(d, 'storage.links', { filesystem: 'root', path: '/etc/hard-no-target', hard: true })] } }),
  'passwd-user-and-group-without-name': (d) => config(d, { passwd: { users: [{ uid: 1234 }], groups: [{ gid: 4321 }] } }),
  'disk-label-with-colon': (d) => config(d, { storage: { disks: [{ device: '/dev/sde', partitions: [{ label: 'data:backup', number: 1 }] }] } }),
  'filesystem-create-legacy': (d) =>
    config(d, {
      storage: { filesystems: [{ name: 'legacy', mount: { device: '/dev/sdb1', format: 'xfs', create: { force: true, options: ['-m', 'crc=1'] } } }] },
    }),
  'ignition-timeouts': (d) => config(d, { ignition: { timeouts: { httpResponseHeaders: 25, httpTotal: 0 } } }),
  'ignition-security-tls': (d) =>
    config(d, {
      ignition: {
        security: {
          tls: {
            certificateAuthorities: [
              {
                source: 'https://pki.example.org/root-ca.pem',
                verification: {
                  hash: 'sha512-8fb9d6efc486cbbbd6f7aff25d33dac4e0c7cf4a1e87163eed5388f402d5b7f2db1cf36ccdc8811a45919f17e6b8047a53dca1beb658830231045b0b82eac3f4',
                },
              },
              { source: 'data:,-----BEGIN%20CERTIFICATE-----%0AMIIB%0A-----END%20CERTIFICATE-----%0A' },
            ],
          },
        },
      },
    }),
  'file-user-group-ids': (d) =>
    config(d, {
      storage: {
        files: [
          make(d, 'storage.files', {
            filesystem: 'root',
            path: '/home/core/.config/app.conf',
            mode: 0o640,
            user: { id: 500 },
            group: { id: 500 },
            contents: { source: 'data:,owned%20by%20ids%0A' },
          }),
          make(d, 'storage.files', { filesystem: 'root', path: '/root/.secret', mode: 0o600, user: { id: 0 }, group: { id: 0 }, contents: { source: 'data:,' } }),
        ],
      },
    }),
  'directories-mixed': (d) =>
    config(d, {
      storage: {
        directories: [
          make(d, 'storage.directories', { filesystem: 'root', path: '/var/lib/app', mode: 0o750, user: { name: 'app' }, group: { id: 1001 }, overwrite: true }),
          make(d, 'storage.directories', { filesystem: 'root', path: '/opt/nomode', mode: 0o755 }),
          make(d, 'storage.directories', { filesystem: 'root', path: '/srv/www', mode: 0o2775, user: { id: 33 } }),
        ],
      },
    }),
};

describe('Ignition types marshal like ct', () => {
  for (const [name, build] of Object.entries(cases)) {
    for (const dialect of dialects) {
      it(`${name} (${dialect})`, () => {
        const out = build(dialect);
        const pretty = vectorFile(name, 'args').includes('--pretty');
        expect(marshalGo(out, ignitionConfigType(dialect), pretty)).toBe(vectorFile(name, dialect === 'flatcar' ? 'expected.flatcar.ign' : 'expected.ign'));
        const report = validateIgnition(out, dialect, astFromYaml(vectorInput(name) || '{}'));
        expect(report.entries.filter((e) => e.severity === 'error')).toEqual([]);
      });
    }
  }
});
