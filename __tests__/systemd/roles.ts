/**
 * Test helper: the Ignition each cluster role boots with, as the VM gets it. A small
 * ContainerLinuxCluster (and an EtcdCluster on Ignition 3.3.0, and a ContainerLinuxCluster on a
 * Butane base config) is synthesized; each etcd member's `user-data` comes from its
 * google_compute_instance and each worker pool's from its instance template, evaluated as
 * Terraform would (the secret bucket's name is a stand-in: it is known only at apply). Whatever
 * the constructs produce at test time is what gets checked.
 */
import type { TerraformStack } from 'cdktf';
import { EtcdCluster } from '../../constructs/etcd-cluster';
import { ContainerLinuxCluster } from '../../constructs/container-linux-cluster';
import { decodeUserData, newStack, resourcesOf, synthJson, type Json } from '../cluster/cluster-helpers';

export interface RoleConfig {
  /** e.g. `etcd member graph-etcd-0 (Ignition 2.3.0)`. */
  readonly label: string;
  readonly ignition: Json;
}

const CLUSTER = { clusterName: 'graph', region: 'us-central1', project: 'graph-project' } as const;

/** The base config of the Butane-based cluster: Butane's flatcar variant, so every node's Ignition is 3.3.0. */
const BUTANE_BASE = `variant: flatcar
version: 1.0.0
passwd:
  users:
    - name: core
      ssh_authorized_keys: [ssh-ed25519 AAAA core@example]
`;

const label = (role: string, name: string, ignition: Json, base = '') => `${role} ${name} (Ignition ${ignition.ignition.version}${base})`;

/** Every etcd member and worker pool of a small cluster: 3 members, the default pool, and a pool on Ignition 3.3.0. */
export function clusterRoles(): { etcdMembers: RoleConfig[]; workers: RoleConfig[] } {
  const stack = newStack();
  const cluster = new ContainerLinuxCluster(stack, 'cluster', { ...CLUSTER, etcdSize: 3, workerCount: 1 });
  cluster.addWorkerPool('v3', { name: 'graph-v3', size: 1, ignitionVersion: '3.3.0' });
  return rolesOf(stack, cluster);
}

/** The member and the worker pool of a cluster whose base config is Butane. */
export function butaneClusterRoles(): { etcdMembers: RoleConfig[]; workers: RoleConfig[] } {
  const stack = newStack();
  const cluster = new ContainerLinuxCluster(stack, 'cluster', { ...CLUSTER, clusterName: 'graphb', etcdSize: 1, workerCount: 1, config: BUTANE_BASE });
  return rolesOf(stack, cluster, ', Butane base');
}

function rolesOf(stack: TerraformStack, cluster: ContainerLinuxCluster, base = ''): { etcdMembers: RoleConfig[]; workers: RoleConfig[] } {
  const terraform = synthJson(stack);
  const instances = resourcesOf(terraform, 'google_compute_instance').map(([, i]) => i);
  const templates = resourcesOf(terraform, 'google_compute_region_instance_template').map(([, t]) => t);
  const etcdMembers = cluster.etcd.members.map((member) => {
    const instance = instances.find((i) => i.name === member.name);
    if (!instance) throw new Error(`no google_compute_instance ${member.name}`);
    const ignition = decodeUserData(instance.metadata['user-data']);
    return { label: label('etcd member', member.name, ignition, base), ignition };
  });
  const workers = cluster.workerPools.map((pool) => {
    const template = templates.find((t) => t.name_prefix === `${pool.name}-`);
    if (!template) throw new Error(`no instance template for pool ${pool.name}`);
    const ignition = decodeUserData(template.metadata['user-data']);
    return { label: label('worker of pool', pool.name, ignition, base), ignition };
  });
  return { etcdMembers, workers };
}

/** The members of an EtcdCluster whose config is Ignition 3.3.0 (`enabled`, optional drop-in contents). */
export function etcdMembersV3(): RoleConfig[] {
  const stack = newStack();
  const etcd = new EtcdCluster(stack, 'etcd', { ...CLUSTER, clusterName: 'graphv3', size: 1, ignitionVersion: '3.3.0' });
  const terraform = synthJson(stack);
  const instances = resourcesOf(terraform, 'google_compute_instance').map(([, i]) => i);
  return etcd.members.map((member) => {
    const instance = instances.find((i) => i.name === member.name);
    if (!instance) throw new Error(`no google_compute_instance ${member.name}`);
    const ignition = decodeUserData(instance.metadata['user-data']);
    return { label: label('etcd member', member.name, ignition), ignition };
  });
}
