/**
 * Test helper: the etcd members' configs as Terraform would hand them to GCE. The `cluster` stack
 * of main.ts (ClusterStack, project left a Terraform variable), or a stack of one EtcdCluster, is
 * synthesized; each member's
 * `metadata.user-data` is taken from the Terraform JSON and evaluated the way Terraform would
 * (`$${` -> `${`, `%%{` -> `%{`, `${"$"}` -> `$`, variable references replaced by test values).
 * Member identities (name, zone, DNS name) and the cluster's own view of each member
 * (EtcdCluster.memberConfigs(), the hook) come along, with their cdktf tokens resolved the same way.
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
  /** The user-data as Terraform would send it (Ignition JSON), and parsed. */
  readonly userData: string;
  readonly ignition: Record<string, unknown>;
  /** The `etcd-member.service` drop-in `20-clct-etcd-member.conf`, from the user-data. */
  readonly dropin: string;
  /** What EtcdCluster.memberConfigs() says (tokens resolved): its drop-in text and its reading of the flags. */
  readonly hook: { readonly dropin: string; readonly etcdArgs: readonly string[] };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const TOKEN = /\$\{TfToken\[TOKEN\.\d+\]\}/g;

/** Replaces the cdktf tokens in `text` by what Terraform would make of them with the test values. */
function resolveTokens(stack: TerraformStack, text: string): string {
  return text.replace(TOKEN, (token) => {
    const expression = Tokenization.resolve(token, { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()), preparing: false });
    return evaluateTemplate(String(expression), TEST_VARIABLES);
  });
}

/** Synthesizes main.ts's cluster stack and decodes each etcd member's user-data. */
export function synthesizedMembers(): { source: string; members: RenderedMember[] } {
  const members = renderedMembers((app) => {
    const stack = new ClusterStack(app, 'cluster');
    return { stack, etcd: stack.cluster.etcd };
  });
  return { source: 'main.ts ClusterStack (cluster), EtcdCluster.memberConfigs()', members };
}

/**
 * A stack of one EtcdCluster on Flatcar named `clusterName` in us-central1 (project left the
 * Terraform variable `project`), synthesized and decoded as Terraform would hand it to GCE.
 */
export function synthesizedEtcdCluster(props: Partial<EtcdClusterProps> & { clusterName: string }): RenderedMember[] {
  return renderedMembers((app) => {
    const stack = new TerraformStack(app, 'etcd');
    const project = new TerraformVariable(stack, 'project', { type: 'string' });
    new GoogleProvider(stack, 'google', { project: project.stringValue });
    const etcd = new EtcdCluster(stack, 'etcd', { region: 'us-central1', project: project.stringValue, image: Image.flatcar('stable'), ...props });
    return { stack, etcd };
  });
}

/** Synthesizes the stack `build` makes and decodes each member of its EtcdCluster. */
function renderedMembers(build: (app: App) => { stack: TerraformStack; etcd: EtcdCluster }): RenderedMember[] {
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
  const instances: Json[] = Object.values(terraform.resource?.google_compute_instance ?? {});
  return etcd.memberConfigs().map((hook) => {
    const instance = instances.find((i) => i.name === hook.name);
    if (!instance) throw new Error(`no google_compute_instance named ${hook.name} in the synthesized stack`);
    const userData = evaluateTemplate(instance.metadata['user-data'], TEST_VARIABLES);
    const ignition = JSON.parse(userData);
    return {
      name: hook.name,
      zone: hook.zone,
      dnsName: resolveTokens(stack, hook.dnsName),
      peerUrl: resolveTokens(stack, hook.peerUrl),
      userData,
      ignition,
      dropin: etcdDropin(ignition),
      hook: { dropin: resolveTokens(stack, hook.etcdDropin), etcdArgs: hook.etcdArgs.map((arg) => resolveTokens(stack, arg)) },
    };
  });
}
