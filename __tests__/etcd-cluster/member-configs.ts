/**
 * Test helper: the etcd members' configs as Terraform would hand them to GCE. The `cluster` stack
 * of main.ts (ClusterStack, project left a Terraform variable), or a stack of one EtcdCluster, is
 * synthesized; each member's
 * `metadata.user-data` is taken from the Terraform JSON and evaluated the way Terraform would
 * (`$${` -> `${`, `%%{` -> `%{`, `${"$"}` -> `$`, variable references replaced by test values).
 * Member identities (name, zone, DNS name) and the cluster's own view of each member
 * (EtcdCluster.memberConfigs(), the hook) come along, with their cdktf tokens resolved the same way,
 * and the Terraform JSON itself (its tls_* resources and bucket objects).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DefaultTokenResolver, StringConcat, TerraformStack, TerraformVariable, Testing, Tokenization, type App } from 'cdktf';
import { EtcdCluster, type EtcdClusterProps } from '../../constructs/etcd-cluster';
import { GoogleProvider } from '../../constructs/google';
import { Image } from '../../constructs/image';
import { ClusterStack } from '../../main';
import { etcdDropin } from './etcd-member';
import { evaluateTemplate } from './terraform-template';

/** Values the test gives the stack's variables. */
export const TEST_VARIABLES: Readonly<Record<string, string>> = {
  project: 'proof-project',
  ssh_public_key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIProofProofProofProofProofProofProofProof proof@test',
};

export interface RenderedMember {
  /** Instance name, which is also the etcd member name. */
  readonly name: string;
  readonly zone: string;
  /** Zonal internal DNS name: `NAME.ZONE.c.PROJECT.internal`. */
  readonly dnsName: string;
  /** The member's peer URL in initial_cluster, per the cluster construct. */
  readonly peerUrl: string;
  /** Its client URL (clientEndpoints), per the cluster construct. */
  readonly clientUrl: string;
  /** The user-data as Terraform would send it (Ignition JSON), and parsed. */
  readonly userData: string;
  readonly ignition: Record<string, unknown>;
  /** The `etcd-member.service` drop-in `20-clct-etcd-member.conf`, from the user-data. */
  readonly dropin: string;
  /** What EtcdCluster.memberConfigs() says (tokens resolved): its drop-in text and its reading of the flags. */
  readonly hook: { readonly dropin: string; readonly etcdArgs: readonly string[] };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** A synthesized stack: its members, its Terraform JSON, and the values its references take here. */
export interface SynthesizedCluster {
  readonly members: RenderedMember[];
  readonly terraform: Json;
  /** TEST_VARIABLES and, with STATIC_IP, each reserved address (`google_compute_address.ID.address`). */
  readonly references: Readonly<Record<string, string>>;
}

const TOKEN = /\$\{TfToken\[TOKEN\.\d+\]\}/g;

/** Replaces the cdktf tokens in `text` by what Terraform would make of them with the test values. */
function resolveTokens(stack: TerraformStack, text: string, references: Readonly<Record<string, string>>): string {
  return text.replace(TOKEN, (token) => {
    const expression = Tokenization.resolve(token, { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()), preparing: false });
    return evaluateTemplate(String(expression), references);
  });
}

/** Synthesizes main.ts's cluster stack and decodes each etcd member's user-data. */
export function synthesizedMembers(): SynthesizedCluster & { source: string } {
  const synthesized = renderedMembers((app) => {
    const stack = new ClusterStack(app, 'cluster');
    return { stack, etcd: stack.cluster.etcd };
  });
  return { source: 'main.ts ClusterStack (cluster), EtcdCluster.memberConfigs()', ...synthesized };
}

/**
 * A stack of one EtcdCluster on Flatcar named `clusterName` in us-central1 (project left the
 * Terraform variable `project`), synthesized and decoded as Terraform would hand it to GCE. With
 * STATIC_IP, `addresses[i]` is what member i's reserved address comes out as.
 */
export function synthesizedEtcdCluster(props: Partial<EtcdClusterProps> & { clusterName: string }, addresses: readonly string[] = []): SynthesizedCluster {
  return renderedMembers((app) => {
    const stack = new TerraformStack(app, 'etcd');
    const project = new TerraformVariable(stack, 'project', { type: 'string' });
    new GoogleProvider(stack, 'google', { project: project.stringValue });
    const etcd = new EtcdCluster(stack, 'etcd', { region: 'us-central1', project: project.stringValue, image: Image.flatcar('stable'), ...props });
    return { stack, etcd };
  }, addresses);
}

/** Test values of the stack's reserved addresses, by the member name each is reserved for. */
function addressReferences(terraform: Json, names: readonly string[], addresses: readonly string[]): Record<string, string> {
  const reserved = Object.entries<Json>(terraform.resource?.google_compute_address ?? {});
  if (reserved.length > addresses.length) throw new Error(`the stack reserves ${reserved.length} addresses; give as many test addresses`);
  return Object.fromEntries(reserved.map(([id, r]) => [`google_compute_address.${id}.address`, addresses[names.indexOf(r.name)]]));
}

/** Synthesizes the stack `build` makes and decodes each member of its EtcdCluster. */
function renderedMembers(build: (app: App) => { stack: TerraformStack; etcd: EtcdCluster }, addresses: readonly string[] = []): SynthesizedCluster {
  const outdir = mkdtempSync(path.join(tmpdir(), 'etcd-proof-synth-'));
  let built: { stack: TerraformStack; etcd: EtcdCluster };
  let terraform: Json;
  try {
    built = build(Testing.app({ outdir }));
    terraform = JSON.parse(Testing.synth(built.stack));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
  const { stack, etcd } = built;
  const hooks = etcd.memberConfigs();
  const references = { ...TEST_VARIABLES, ...addressReferences(terraform, hooks.map((h) => h.name), addresses) };
  const instances: Json[] = Object.values(terraform.resource?.google_compute_instance ?? {});
  const members = hooks.map((hook) => {
    const instance = instances.find((i) => i.name === hook.name);
    if (!instance) throw new Error(`no google_compute_instance named ${hook.name} in the synthesized stack`);
    const userData = evaluateTemplate(instance.metadata['user-data'], references);
    const ignition = JSON.parse(userData);
    const resolve = (text: string) => resolveTokens(stack, text, references);
    return {
      name: hook.name,
      zone: hook.zone,
      dnsName: resolve(hook.dnsName),
      peerUrl: resolve(hook.peerUrl),
      clientUrl: resolve(hook.clientUrl),
      userData,
      ignition,
      dropin: etcdDropin(ignition),
      hook: { dropin: resolve(hook.etcdDropin), etcdArgs: hook.etcdArgs.map(resolve) },
    };
  });
  return { members, terraform, references };
}
