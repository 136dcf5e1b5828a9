/**
 * Test helper: a stack holding one EtcdPki for the `demo` cluster's three members (the names, zones
 * and zonal DNS names EtcdCluster gives them in us-central1, project `proof-project`) and two client
 * roles, synthesized to Terraform JSON.
 */
import { TerraformStack, Testing } from 'cdktf';
import { EtcdPki, type EtcdPkiMember, type EtcdPkiProps } from '../../constructs/cluster-pki';

export const PROJECT = 'proof-project';
export const CLIENT_ROLES = ['kube-apiserver', 'flannel'] as const;

/** `demo-etcd-<i>` in us-central1-a, -b, -c; `ip` adds each member's address as an IP SAN. */
export function demoMembers(ips?: readonly string[]): EtcdPkiMember[] {
  return ['a', 'b', 'c'].map((z, i) => ({
    name: `demo-etcd-${i}`,
    dnsName: `demo-etcd-${i}.us-central1-${z}.c.${PROJECT}.internal`,
    ...(ips ? { ipAddress: ips[i] } : {}),
  }));
}

export interface SynthesizedPki {
  readonly pki: EtcdPki;
  readonly json: Record<string, unknown>;
}

/** The PKI in a stack of its own, and the stack's Terraform JSON. */
export function synthesizePki(props: Partial<EtcdPkiProps> = {}): SynthesizedPki {
  const stack = new TerraformStack(Testing.app(), 'pki-stack');
  const pki = new EtcdPki(stack, 'etcd-pki', { clusterName: 'demo', members: demoMembers(), clientRoles: [...CLIENT_ROLES], ...props });
  return { pki, json: JSON.parse(Testing.synth(stack)) as Record<string, unknown> };
}
