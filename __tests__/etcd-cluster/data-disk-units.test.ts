/**
 * The data disk's systemd side, read by systemd itself (`systemd --test`, see systemd-oracle.ts):
 * the units an etcd member's user-data installs make etcd-member.service require the mount of
 * its data disk at /var/lib/etcd and start after it, and the mount waits for the disk's device,
 * so etcd never starts on the boot disk with an empty data dir. What Ignition does with the
 * filesystem (format only while blank) and the device's name on a real VM are proven on GCE only
 * (docs/etcd.md §6).
 */
import { describeIfAvailable } from './gate';
import { ETCD_MEMBER_BASE_UNIT, ETCD_MEMBER_UNIT } from './etcd-member';
import { FETCH_SECRETS_UNIT } from './node-tls';
import { synthesizedEtcdCluster } from './member-configs';
import { askSystemd, systemdOracleUnavailable } from './systemd-oracle';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const MOUNT_UNIT = 'var-lib-etcd.mount';
const DEVICE_UNIT = 'dev-disk-by\\x2did-google\\x2detcd\\x2ddata.device';

describeIfAvailable("an etcd member's data disk units, as systemd reads them", systemdOracleUnavailable(), () => {
  const [member] = synthesizedEtcdCluster({ clusterName: 'disk', size: 1 }).members;
  const ignition: Json = member.ignition;
  const units: Json[] = ignition.systemd.units;
  const dropins = units.filter((u) => u.name === ETCD_MEMBER_UNIT).flatMap((u) => u.dropins ?? []);
  const mount = units.find((u) => u.name === MOUNT_UNIT);
  // The unit etcd-member also requires (its TLS key), so that systemd resolves every dependency.
  const fetchSecrets = units.find((u) => u.name === FETCH_SECRETS_UNIT);
  const { results, log } = askSystemd([
    { name: ETCD_MEMBER_UNIT, text: ETCD_MEMBER_BASE_UNIT, dropins: dropins.map((d: Json) => ({ name: d.name, text: d.contents })) },
    { name: MOUNT_UNIT, text: mount.contents },
    { name: FETCH_SECRETS_UNIT, text: fetchSecrets.contents },
  ]);

  test("the user-data installs the mount unit and etcd-member's drop-ins (ct's flags, the data disk, the TLS key's fetch, the TLS directory)", () => {
    expect(dropins.map((d: Json) => d.name).sort()).toEqual(['20-clct-etcd-member.conf', '20-fetch-secrets.conf', '30-etcd-data-disk.conf', '30-etcd-tls.conf']);
    expect(ignition.storage.filesystems).toEqual([
      { name: 'etcd-data', mount: { device: '/dev/disk/by-id/google-etcd-data', format: 'ext4', label: 'etcd-data' } },
    ]);
  });

  test('etcd-member.service requires the data disk mount and is ordered after it', () => {
    const etcd = results.get(ETCD_MEMBER_UNIT);
    expect(etcd?.execStart?.[0]?.[0]).toBe('/usr/lib/coreos/etcd-wrapper');
    expect(etcd?.properties.get('Requires')).toEqual(expect.arrayContaining([MOUNT_UNIT, 'coreos-metadata.service']));
    expect(etcd?.properties.get('After')).toEqual(expect.arrayContaining([MOUNT_UNIT]));
  });

  test('the mount puts the disk (by its GCE device name) at /var/lib/etcd as ext4, and waits for the device', () => {
    const props = results.get(MOUNT_UNIT)?.properties;
    expect(props?.get('Unit Load State')).toEqual(['loaded']);
    expect(props?.get('What')).toEqual(['/dev/disk/by-id/google-etcd-data']);
    expect(props?.get('Where')).toEqual(['/var/lib/etcd']);
    expect(props?.get('File System Type')).toEqual(['ext4']);
    expect(props?.get('Requires')).toEqual(expect.arrayContaining([DEVICE_UNIT]));
    expect(props?.get('After')).toEqual(expect.arrayContaining([DEVICE_UNIT]));
    expect(props?.get('RequiredBy')).toEqual([ETCD_MEMBER_UNIT]);
  });

  test('systemd has nothing to say about either unit', () => {
    expect(log).toEqual([]);
  });
});
