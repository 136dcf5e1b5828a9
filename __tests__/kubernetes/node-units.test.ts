/**
 * The kubelet unit and its companions, read the way systemd reads them (systemd-exec.ts): the
 * exact docker argv, the mounts, the order after docker (and what else it is told to wait for),
 * and a refusal of flags that systemd would split or expand.
 */
import { kubeletUnit, waitForDnsUnit } from '../../constructs/kubernetes/node-units';
import { parseUnitFile, serviceCommands } from '../etcd-cluster/systemd-exec';

const IMAGE = 'quay.io/poseidon/kubelet:v1.36.2';
const FLAGS = ['--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubeconfig', '--config=/etc/kubernetes/kubelet.json', '--node-labels=node.kubernetes.io/node'];

test('docker runs the kubelet image privileged on the host network with its flags, then follows its log', () => {
  const unit = kubeletUnit({ image: IMAGE, flags: FLAGS, after: ['fetch-secrets.service'] });
  const files = [{ name: 'kubelet.service', text: unit }];
  const pre = serviceCommands(files, 'ExecStartPre').map((c) => c.argv);
  const run = pre[pre.length - 1];
  expect(run.slice(0, 9)).toEqual(['/usr/bin/docker', 'run', '-d', '--name', 'kubelet', '--privileged', '--pid', 'host', '--network']);
  expect(run.slice(-4)).toEqual([IMAGE, ...FLAGS]);
  const mounts = run.filter((_, i) => run[i - 1] === '-v');
  expect(mounts).toContain('/etc/kubernetes:/etc/kubernetes:ro');
  expect(mounts).toContain('/var/lib/kubelet:/var/lib/kubelet:rshared');
  expect(pre.slice(0, 4).map((argv) => argv.join(' '))).toEqual([
    '/bin/mkdir -p /etc/cni/net.d',
    '/bin/mkdir -p /etc/kubernetes/manifests',
    '/bin/mkdir -p /opt/cni/bin',
    '/bin/mkdir -p /var/lib/kubelet/volumeplugins',
  ]);
  expect(serviceCommands(files, 'ExecStart')[0].argv).toEqual(['/usr/bin/docker', 'logs', '-f', 'kubelet']);
  const after = parseUnitFile(unit).filter((a) => a.section === 'Unit' && a.key === 'After').map((a) => a.value);
  expect(after).toEqual(['docker.service fetch-secrets.service']);
});

test('refuses flags systemd would split, expand or unquote', () => {
  for (const flag of ['--node-labels=a b', '--x=$HOME', '--x=50%', "--x='y'", 'node-labels=x', '--x=a\\b']) {
    expect(() => kubeletUnit({ image: IMAGE, flags: [flag] })).toThrow(/kubelet flags must be --name or --name=value without spaces, quotes, \$, % or \\/);
  }
});

test('wait-for-dns holds the kubelet until resolv.conf names a server', () => {
  const unit = waitForDnsUnit();
  expect(serviceCommands([{ name: 'wait-for-dns.service', text: unit }], 'ExecStart')[0].argv).toEqual([
    '/bin/sh',
    '-c',
    'while ! /usr/bin/grep "^[^#[:space:]]" /etc/resolv.conf > /dev/null; do sleep 1; done',
  ]);
  expect(unit).toContain('Before=kubelet.service\n');
  expect(unit).toContain('[Install]\nRequiredBy=kubelet.service\n');
});
