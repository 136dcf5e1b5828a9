/**
 * The constructs read what ct generated from `TranspileResult.generated` (exposed as
 * `CoreOSInstance.generated`), so a user's own unit or file that looks like ct's output is not
 * mistaken for it.
 */
import { etcdDropinOf } from '../../constructs/etcd-member';
import { Image } from '../../constructs/image';
import { construct } from './synth-helpers';

const CONFIG = 'passwd:\n  users:\n    - name: core\n';
const ETCD = 'etcd:\n  name: node-0\n  initial_advertise_peer_urls: http://10.0.0.1:2380\n';
// A user's own units and file under the names ct gives its generated output.
const LOOKALIKES = [
  'systemd:\n  units:\n',
  '    - name: etcd-member.service\n      dropins:\n        - name: 20-clct-etcd-member.conf\n          contents: "[Service]\\n"\n',
  '    - name: flanneld.service\n      dropins:\n        - name: 20-clct-flannel.conf\n          contents: "[Service]\\n"\n',
  'storage:\n  files:\n    - filesystem: root\n      path: /etc/coreos/update.conf\n      mode: 0644\n      contents:\n        inline: GROUP=stable\n',
].join('');

describe('CoreOSInstance.generated', () => {
  test.each([
    ['coreos', Image.coreos(), undefined],
    ['flatcar', Image.flatcar(), undefined],
    ['flatcar 3.3.0', Image.flatcar(), '3.3.0' as const],
  ])('names the etcd drop-in, which etcdDropinOf finds (%s)', (_, image, ignitionVersion) => {
    const vm = construct({ config: CONFIG + ETCD, image, ignitionVersion });
    expect(vm.generated).toEqual([expect.objectContaining({ kind: 'dropin', section: 'etcd', unit: 'etcd-member.service', values: 'go-%q' })]);
    expect(etcdDropinOf(vm.ignition, vm.generated)).toContain('--name="node-0"');
  });

  test('etcdDropinOf refuses a config without an etcd section, even with a look-alike drop-in', () => {
    const vm = construct({ config: CONFIG + LOOKALIKES });
    expect(vm.generated).toEqual([]);
    expect(() => etcdDropinOf(vm.ignition, vm.generated)).toThrow('the config has no etcd section');
  });

  test("a user's own units and files under ct's names are not taken for sections (spec 3 output too)", () => {
    expect(construct({ config: CONFIG + LOOKALIKES, image: Image.flatcar(), ignitionVersion: '3.3.0' }).generated).toEqual([]);
  });
});
