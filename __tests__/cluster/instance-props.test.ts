/**
 * InstanceProps: the VM props CoreOSInstance, EtcdCluster and WorkerPool share mean the same and
 * are checked the same in all three, and `externalIp` still works as assignExternalIp's former name.
 */
import 'cdktf/lib/testing/adapters/jest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AnnotationMetadataEntryType } from 'cdktf';
import type { Construct } from 'constructs';
import { CoreOSInstance } from '../../constructs/coreos-instance';
import { EtcdCluster } from '../../constructs/etcd-cluster';
import { Image } from '../../constructs/image';
import type { InstanceProps } from '../../constructs/instance-props';
import { WorkerPool } from '../../constructs/worker-pool';
import { newStack, resourcesOf, synthJson, type Json } from './cluster-helpers';

const CONFIG = 'passwd:\n  users:\n    - name: core\n';

/** Builds one of the three constructs with the shared props on top of what it needs. */
const BUILDERS: Record<string, (props: InstanceProps) => Json> = {
  CoreOSInstance: (props) => {
    const stack = newStack();
    new CoreOSInstance(stack, 'vm', { zone: 'us-central1-c', machineType: 'e2-small', config: CONFIG, ...props });
    return synthJson(stack);
  },
  EtcdCluster: (props) => {
    const stack = newStack();
    new EtcdCluster(stack, 'etcd', { clusterName: 'demo', region: 'us-central1', project: 'my-project', size: 1, ...props });
    return synthJson(stack);
  },
  WorkerPool: (props) => {
    const stack = newStack();
    new WorkerPool(stack, 'workers', { name: 'demo-workers', region: 'us-central1', ...props });
    return synthJson(stack);
  },
};

/** The network interface of the one VM (or template) the construct made. */
function networkInterfaceOf(terraform: Json): Json {
  const vms = [...resourcesOf(terraform, 'google_compute_instance'), ...resourcesOf(terraform, 'google_compute_region_instance_template')];
  expect(vms).toHaveLength(1);
  return vms[0][1].network_interface[0];
}

describe.each(Object.keys(BUILDERS))('%s', (kind) => {
  const build = BUILDERS[kind];

  test.each<[string, InstanceProps, RegExp]>([
    ['a bad tag', { tags: ['Bad_Tag'] }, /tag "Bad_Tag" must be 1-63 characters/],
    ['a bad label', { labels: { Role: 'x' } }, /label key "Role" must be/],
    ['user-data in metadata', { metadata: { 'user-data': 'x' } }, /user-data/],
    ['a boot disk size that is not a whole number of GB', { bootDiskSizeGb: 2.5 }, /bootDiskSizeGb must be a whole number/],
    ['scopes without a service account', { scopes: ['logging-write'] }, /scopes need serviceAccountEmail/],
    ['a CoreOS image with Ignition 3', { image: Image.coreos('stable'), ignitionVersion: '3.3.0' }, /boots Ignition spec 2 only/],
    ['both names of the external IP prop', { assignExternalIp: true, externalIp: true }, /set assignExternalIp only/],
  ])('refuses %s with the shared check', (_, props, message) => {
    expect(() => build(props)).toThrow(message);
  });

  test('assignExternalIp gives the VM an ephemeral external IP', () => {
    expect(networkInterfaceOf(build({ assignExternalIp: true })).access_config).toEqual([{}]);
    expect(networkInterfaceOf(build({ assignExternalIp: false })).access_config).toBeUndefined();
  });

  test('the deprecated externalIp still does the same', () => {
    expect(networkInterfaceOf(build({ externalIp: true })).access_config).toEqual([{}]);
    expect(networkInterfaceOf(build({ externalIp: false })).access_config).toBeUndefined();
  });

  test('a service account gets the cloud-platform scope by default', () => {
    const terraform = build({ serviceAccountEmail: 'vm@p.iam.gserviceaccount.com' });
    const vm = [...resourcesOf(terraform, 'google_compute_instance'), ...resourcesOf(terraform, 'google_compute_region_instance_template')][0][1];
    expect(vm.service_account).toEqual({ email: 'vm@p.iam.gserviceaccount.com', scopes: ['cloud-platform'] });
  });

  test('configFile with configVariables is read', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'instance-props-'));
    const file = path.join(dir, 'base.yaml');
    writeFileSync(file, 'passwd:\n  users:\n    - name: "{{ user }}"\n');
    const ignitionOf = (terraform: Json): string => JSON.stringify(terraform);
    expect(ignitionOf(build({ config: undefined, configFile: file, configVariables: { user: 'deploy' } }))).toContain('\\"name\\":\\"deploy\\"');
  });
});

describe('per-construct defaults', () => {
  test('only a single CoreOSInstance gets an external IP by default', () => {
    expect(networkInterfaceOf(BUILDERS.CoreOSInstance({})).access_config).toEqual([{}]);
    expect(networkInterfaceOf(BUILDERS.EtcdCluster({})).access_config).toBeUndefined();
    expect(networkInterfaceOf(BUILDERS.WorkerPool({})).access_config).toBeUndefined();
  });

  test('the retired-image warning is the same for an instance and a pool', () => {
    const stack = newStack();
    const vm = new CoreOSInstance(stack, 'vm', { zone: 'us-central1-c', machineType: 'e2-small', config: CONFIG });
    const pool = new WorkerPool(stack, 'workers', { name: 'demo-workers', region: 'us-central1', image: Image.coreos('stable') });
    const warnings = (construct: Construct): string[] =>
      construct.node.metadata.filter((entry) => entry.type === AnnotationMetadataEntryType.WARN).map((entry) => String(entry.data));
    expect(warnings(vm)).toEqual(warnings(pool));
    expect(warnings(pool)).toEqual([expect.stringMatching(/CoreOS Container Linux reached end of life in 2020/)]);
  });
});
