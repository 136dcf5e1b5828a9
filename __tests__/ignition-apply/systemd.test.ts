/**
 * systemd units and drop-ins, the units behind docker/etcd, networkd units, and update.conf from
 * update + locksmith, applied by the real Ignition (platform gce, as CoreOSInstance transpiles).
 */
import { describeWithIgnition } from './gate';
import { applyIgnition, type IgnitionRun } from './harness';
import { ScratchRoot } from './inspect';
import { readCase, toIgnition3 } from './to-ignition-3';

const UNITS = '/etc/systemd/system';

describeWithIgnition('real Ignition applies systemd, networkd, update and locksmith (cases/systemd.yaml)', () => {
  let run: IgnitionRun;
  let root: ScratchRoot;
  beforeAll(async () => {
    run = await applyIgnition(toIgnition3(readCase('systemd.yaml'), { platform: 'gce' }).json);
    root = new ScratchRoot(run.root);
  });
  afterAll(() => run?.cleanup());

  const expectConfigFile = (inRoot: string, text: string) => {
    expect(root.text(inRoot)).toBe(text);
    expect(root.node(inRoot)).toMatchObject({ type: 'file', mode: 0o644, uid: 0, gid: 0 });
  };

  it('writes unit contents under /etc/systemd/system', () => {
    expectConfigFile(
      `${UNITS}/hello.service`,
      '[Unit]\nDescription=Hello\n[Service]\nType=oneshot\nExecStart=/opt/bin/hello world\n[Install]\nWantedBy=multi-user.target\n',
    );
    expectConfigFile(`${UNITS}/legacy-enable.timer`, '[Timer]\nOnCalendar=daily\n[Install]\nWantedBy=timers.target\n');
    expectConfigFile(`${UNITS}/app.service`, '[Service]\nExecStart=/usr/bin/sleep infinity\n');
  });

  it('writes drop-ins in <unit>.d, skipping those without contents', () => {
    expectConfigFile(`${UNITS}/containerd.service.d/10-limits.conf`, '[Service]\nLimitNOFILE=1048576\n');
    expect(root.list(`${UNITS}/app.service.d`)).toEqual(['10-env.conf']);
    expectConfigFile(`${UNITS}/app.service.d/10-env.conf`, '[Service]\nEnvironment=MODE=prod\n');
  });

  it('records enabled, enable (deprecated), disabled and instantiated units in the Ignition preset file, not as wants links', () => {
    const preset = root.text('/etc/systemd/system-preset/20-ignition.preset');
    // Ignition keeps the presets in a Go map: the line order varies from run to run.
    expect(preset.trimEnd().split('\n').sort()).toEqual([
      'disable sshd.socket',
      'enable docker.service',
      'enable etcd-member.service',
      'enable getty@.service tty1 ttyS0',
      'enable hello.service',
      'enable legacy-enable.timer',
    ]);
    expect(preset.endsWith('\n')).toBe(true);
    expect(root.list(UNITS).filter((name) => name.endsWith('.wants'))).toEqual([]);
  });

  it('masks a unit with a link to /dev/null', () => {
    expect(root.node(`${UNITS}/update-engine.service`).type).toBe('symlink');
    expect(root.linkTarget(`${UNITS}/update-engine.service`)).toBe('/dev/null');
  });

  it('configures docker through its drop-in', () => {
    expectConfigFile(`${UNITS}/docker.service.d/20-clct-docker.conf`, '[Service]\nEnvironment="DOCKER_OPTS=--log-level=warn"');
  });

  it('configures etcd-member with GCE metadata variables through its drop-in', () => {
    expectConfigFile(
      `${UNITS}/etcd-member.service.d/20-clct-etcd-member.conf`,
      [
        '[Unit]',
        'Requires=coreos-metadata.service',
        'After=coreos-metadata.service',
        '',
        '[Service]',
        'EnvironmentFile=/run/metadata/coreos',
        'Environment="ETCD_IMAGE_TAG=v3.3.9"',
        'ExecStart=',
        'ExecStart=/usr/lib/coreos/etcd-wrapper $ETCD_OPTS \\',
        '  --name="${COREOS_GCE_HOSTNAME}" \\',
        '  --listen-client-urls="http://0.0.0.0:2379" \\',
        '  --advertise-client-urls="http://${COREOS_GCE_IP_LOCAL_0}:2379"',
      ].join('\n'),
    );
  });

  it('writes networkd units and their drop-ins under /etc/systemd/network', () => {
    expect(root.list('/etc/systemd/network')).toEqual(['00-eth0.network', '00-eth0.network.d']);
    expectConfigFile('/etc/systemd/network/00-eth0.network', '[Match]\nName=eth0\n[Network]\nDHCP=yes\n');
    expectConfigFile('/etc/systemd/network/00-eth0.network.d/50-mtu.conf', '[Link]\nMTUBytes=1460\n');
  });

  it('writes update.conf from update and locksmith', () => {
    expectConfigFile(
      '/etc/coreos/update.conf',
      'GROUP=beta\nSERVER=https://update.example.com/v1/update/\nREBOOT_STRATEGY="reboot"\n' +
        'LOCKSMITHD_REBOOT_WINDOW_START="Sun 03:00"\nLOCKSMITHD_REBOOT_WINDOW_LENGTH="1h"',
    );
  });
});
