/**
 * InstanceProps: the VM props CoreOSInstance, EtcdCluster and WorkerPool share mean the same and
 * are checked the same in all three, and `externalIp` still works as assignExternalIp's former name.
 * The service account is the exception: an EtcdCluster whose keys come from the bucket (the
 * default) runs each member as an account it makes, so it takes scopes but no account.
 */
import 'cdktf/lib/testing/adapters/jest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AnnotationMetadataEntryType } from 'cdktf';
import type { Construct } from 'constructs';
import { CoreOSInstance } from '../../constructs/coreos-instance';
import { EtcdCluster, SecretDelivery } from '../../constructs/etcd-cluster';
import { Image } from '../../constructs/image';
import type { InstanceProps } from '../../constructs/instance-props';
import { STORAGE_READ_SCOPE } from '../../constructs/secret-store';
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
  'EtcdCluster with USER_DATA': (props) => {
    const stack = newStack();
    new EtcdCluster(stack, 'etcd', { clusterName: 'demo', region: 'us-central1', project: 'my-project', size: 1, secretDelivery: SecretDelivery.USER_DATA, ...props });
    return synthJson(stack);
  },
  WorkerPool: (props) => {
    const stack = newStack();
    new WorkerPool(stack, 'workers', { name: 'demo-workers', region: 'us-central1', ...props });
    return synthJson(stack);
  },
};

/** The one VM (or template) the construct made. */
function vmOf(terraform: Json): Json {
  const vms = [...resourcesOf(terraform, 'google_compute_instance'), ...resourcesOf(terraform, 'google_compute_region_instance_template')];
  expect(vms).toHaveLength(1);
  return vms[0][1];
}

/** The network interface of the one VM (or template) the construct made. */
function networkInterfaceOf(terraform: Json): Json {
  return vmOf(terraform).network_interface[0];
}

describe.each(Object.keys(BUILDERS))('%s', (kind) => {
  const build = BUILDERS[kind];

  test.each<[string, InstanceProps, RegExp]>([
    ['a bad tag', { tags: ['Bad_Tag'] }, /tag "Bad_Tag" must be 1-63 characters/],
    ['a bad label', { labels: { Role: 'x' } }, /label key "Role" must be/],
    ['user-data in metadata', { metadata: { 'user-data': 'x' } }, /user-data/],
    ['a boot disk size that is not a whole number of GB', { bootDiskSizeGb: 2.5 }, /bootDiskSizeGb must be a whole number/],
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

  test('configFile with configVariables is read', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'instance-props-'));
    const file = path.join(dir, 'base.yaml');
    writeFileSync(file, 'passwd:\n  users:\n    - name: "{{ user }}"\n');
    const ignitionOf = (terraform: Json): string => JSON.stringify(terraform);
    expect(ignitionOf(build({ config: undefined, configFile: file, configVariables: { user: 'deploy' } }))).toContain('\\"name\\":\\"deploy\\"');
  });
});

// The constructs that run as the service account they are given (an EtcdCluster only when its keys are in the user-data).
describe.each(['CoreOSInstance', 'EtcdCluster with USER_DATA', 'WorkerPool'])('%s: the service account is the user\'s', (kind) => {
  const build = BUILDERS[kind];

  test('refuses scopes without a service account with the shared check', () => {
    expect(() => build({ scopes: ['logging-write'] })).toThrow(/scopes need serviceAccountEmail/);
  });

  test('a service account gets the cloud-platform scope by default', () => {
    expect(vmOf(build({ serviceAccountEmail: 'vm@p.iam.gserviceaccount.com' })).service_account).toEqual({ email: 'vm@p.iam.gserviceaccount.com', scopes: ['cloud-platform'] });
  });

  test('no service account by default: the VM gets no Google credentials', () => {
    expect(vmOf(build({}))).not.toHaveProperty('service_account');
  });
});

describe('EtcdCluster with CLOUD_STORAGE (the default): each member runs as the account EtcdCluster makes for it', () => {
  const build = BUILDERS.EtcdCluster;
  const memberAccount = (terraform: Json): string => {
    const accounts = resourcesOf(terraform, 'google_service_account');
    expect(accounts.map(([, a]) => a.account_id)).toEqual(['demo-etcd-0']);
    return `\${google_service_account.${accounts[0][0]}.email}`;
  };

  test('only the read-only storage scope by default: the grant narrows it to the member\'s own objects', () => {
    const terraform = build({});
    expect(vmOf(terraform).service_account).toEqual({ email: memberAccount(terraform), scopes: [STORAGE_READ_SCOPE] });
    expect(STORAGE_READ_SCOPE).toBe('https://www.googleapis.com/auth/devstorage.read_only');
  });

  test('scopes need no service account: they are added to the member\'s own, once each', () => {
    const terraform = build({ scopes: ['logging-write', STORAGE_READ_SCOPE, 'monitoring-write'] });
    expect(vmOf(terraform).service_account).toEqual({ email: memberAccount(terraform), scopes: [STORAGE_READ_SCOPE, 'logging-write', 'monitoring-write'] });
  });

  test('refuses serviceAccountEmail, saying what to do instead', () => {
    expect(() => build({ serviceAccountEmail: 'vm@p.iam.gserviceaccount.com' })).toThrow(
      'EtcdCluster stack/etcd: serviceAccountEmail: with SecretDelivery.CLOUD_STORAGE each member runs as a service account EtcdCluster makes, which may read only that member\'s key; ' +
        'grant extra roles to those accounts (members[i].secretReader.email) instead, or use SecretDelivery.USER_DATA to bring your own',
    );
    expect(() => build({ serviceAccountEmail: 'vm@p.iam.gserviceaccount.com', scopes: ['logging-write'] })).toThrow(/serviceAccountEmail: with SecretDelivery\.CLOUD_STORAGE/);
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
