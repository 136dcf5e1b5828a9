/**
 * The default app: the product's original example, one CoreOS instance on Google Cloud (stack
 * `coreos`), a Container Linux cluster (stack `cluster`) and Kubernetes on Flatcar (stack
 * `kubernetes`). `npx cdktf synth` (which runs scripts/app-launcher.js: rebuild what changed, then
 * `main()`) writes `cdktf.out/stacks/<stack>/cdk.tf.json`.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { App, Fn, GcsBackend, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { ContainerLinuxCluster } from './constructs/container-linux-cluster';
import { CoreOSInstance } from './constructs/coreos-instance';
import { GoogleProvider } from './constructs/google';
import { Image } from './constructs/image';
import { KubernetesCluster } from './constructs/kubernetes/kubernetes-cluster';
import { synthesizeApp } from './constructs/synthesize-app';

/** The directory holding cdktf.json, found from here so that `dist/main.js` and `main.ts` agree. */
export function projectRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'cdktf.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no cdktf.json in ${from} or above`);
  }
}

/**
 * The variable `project`, refused at plan unless it is a Google Cloud project id (6-30 of a-z,
 * 0-9, -, optionally behind a legacy `domain:` prefix): the cluster's etcd options hold it, quoted alike by ct and Terraform only for such text.
 */
export function projectVariable(stack: TerraformStack): TerraformVariable {
  return new TerraformVariable(stack, 'project', {
    type: 'string',
    description: 'Google Cloud project ID',
    validation: [
      {
        // A variable's own validation can only name it as text: its token is not there yet.
        condition: '${can(regex("^([a-z0-9.-]+:)?[a-z][-a-z0-9]{4,28}[a-z0-9]$", var.project))}',
        errorMessage: 'project must be a Google Cloud project ID: 6 to 30 lower-case letters, digits and hyphens, starting with a letter.',
      },
    ],
  });
}

export class CoreOSStack extends TerraformStack {
  /** The one instance. */
  public readonly instance: CoreOSInstance;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Credentials come from the environment (gcloud ADC or GOOGLE_CREDENTIALS), never from code.
    const project = projectVariable(this);
    const region = new TerraformVariable(this, 'region', {
      type: 'string',
      default: 'us-central1',
      description: 'Google Cloud region of the provider',
    });
    const sshPublicKey = new TerraformVariable(this, 'ssh_public_key', {
      type: 'string',
      description: 'SSH public key for user adrian, e.g. the contents of ~/.ssh/id_ed25519.pub',
    });
    new GoogleProvider(this, 'google', { project: project.stringValue, region: region.stringValue });

    this.instance = new CoreOSInstance(this, 'us-central1-c--f1-micro', {
      name: 'us-central1-c--f1-micro',
      machineType: 'f1-micro',
      zone: 'us-central1-c',
      // The product's original image: retired from GCE in 2020 (synth warns); Image.flatcar('stable') boots the same config.
      image: Image.coreos('stable'),
      network: 'default',
      assignExternalIp: true,
      configFile: path.join(projectRoot(), 'configs', 'core.yaml'),
      configVariables: { ssh_public_key: sshPublicKey.stringValue },
    });
    new TerraformOutput(this, 'instance_name', { value: this.instance.name, description: 'Name of the instance' });
    new TerraformOutput(this, 'external_ip', { value: this.instance.externalIp, description: 'Ephemeral external IP of the instance' });
  }
}

export interface ClusterStackProps {
  /**
   * The project id. Tests and tools pass a literal so that the etcd members' DNS names are plain text.
   * @default - the Terraform variable `project`
   */
  readonly project?: string;
  /**
   * The region: a literal, since zones and the etcd members' DNS names are built from it.
   * @default 'us-central1'
   */
  readonly region?: string;
}

/**
 * Three etcd members (mutual TLS, keys fetched at boot from the cluster's bucket) and a pool of
 * three flannel + docker workers, on a new VPC with Cloud NAT.
 */
export class ClusterStack extends TerraformStack {
  public readonly cluster: ContainerLinuxCluster;

  constructor(scope: Construct, id: string, props: ClusterStackProps = {}) {
    super(scope, id);
    const region = props.region ?? 'us-central1';
    const project = props.project ?? projectVariable(this).stringValue;
    const sshPublicKey = new TerraformVariable(this, 'ssh_public_key', {
      type: 'string',
      description: 'SSH public key for user core on every node, e.g. the contents of ~/.ssh/id_ed25519.pub',
    });
    new GoogleProvider(this, 'google', { project, region });

    this.cluster = new ContainerLinuxCluster(this, 'cluster', {
      clusterName: 'demo',
      region,
      project,
      image: Image.flatcar('stable'),
      config: { passwd: { users: [{ name: 'core', ssh_authorized_keys: [sshPublicKey.stringValue] }] } },
      etcdSize: 3,
      workerCount: 3,
    });
    const members = this.cluster.etcd.members;
    new TerraformOutput(this, 'etcd_member_names', { value: members.map((m) => m.name), description: 'Names of the etcd members' });
    new TerraformOutput(this, 'etcd_internal_ips', { value: members.map((m) => m.internalIp), description: 'Internal IPs of the etcd members' });
    new TerraformOutput(this, 'etcd_dns_names', { value: members.map((m) => m.dnsName), description: 'Zonal internal DNS names of the etcd members' });
    new TerraformOutput(this, 'etcd_client_endpoints', {
      value: Fn.join(',', [...this.cluster.etcd.clientEndpoints]),
      description: 'etcd client URLs, comma-separated (ETCDCTL_ENDPOINTS)',
    });
    new TerraformOutput(this, 'secrets_bucket', {
      value: this.cluster.secretStore?.bucketName,
      description: 'The bucket the nodes fetch their TLS keys from at boot (docs/security.md §2)',
    });
    new TerraformOutput(this, 'etcd_ca_certificate', {
      value: this.cluster.etcd.pki.caCertPem,
      description: 'The etcd CA certificate (public), for clients of the cluster\'s etcd',
    });
    new TerraformOutput(this, 'worker_instance_group', {
      value: this.cluster.workerPools[0].instanceGroup,
      description: 'The workers\' regional managed instance group',
    });
  }
}

export interface KubernetesStackProps {
  /**
   * The project id. Tests and tools pass a literal.
   * @default - the Terraform variable `project`
   */
  readonly project?: string;
  /**
   * The region.
   * @default 'us-central1'
   */
  readonly region?: string;
}

/**
 * Kubernetes on Flatcar (docs/kubernetes.md): one controller and one worker, as Typhoon's
 * defaults, the API on an internal load balancer, no SSH, every secret fetched at boot.
 */
export class KubernetesStack extends TerraformStack {
  public readonly cluster: KubernetesCluster;

  constructor(scope: Construct, id: string, props: KubernetesStackProps = {}) {
    super(scope, id);
    const region = props.region ?? 'us-central1';
    const project = props.project ?? projectVariable(this).stringValue;
    new GoogleProvider(this, 'google', { project, region });
    this.cluster = new KubernetesCluster(this, 'kubernetes', { clusterName: 'yavin', region, project });
    new TerraformOutput(this, 'kubeconfig_admin', {
      value: this.cluster.adminKubeconfig,
      sensitive: true,
      description: 'Admin kubeconfig (group cdktf-coreos:cluster-admins, bound to cluster-admin): terraform output -raw kubeconfig_admin',
    });
    new TerraformOutput(this, 'kubeconfig_bootstrap', {
      value: this.cluster.bootstrapKubeconfig,
      sensitive: true,
      description: 'The kubelets\' bootstrap kubeconfig (a bootstrap token), for worker pools defined elsewhere',
    });
    new TerraformOutput(this, 'api_endpoint', { value: this.cluster.apiEndpoint, description: 'The API server on the internal load balancer' });
    new TerraformOutput(this, 'network_name', { value: this.cluster.network.networkName, description: 'The cluster\'s VPC network' });
    new TerraformOutput(this, 'network_self_link', { value: this.cluster.network.network?.selfLink, description: 'Self link of the cluster\'s VPC network' });
    new TerraformOutput(this, 'worker_instance_group', { value: this.cluster.workers.instanceGroup, description: 'The workers\' regional managed instance group' });
    // What a KubernetesWorkerPool in another Terraform configuration needs (KubernetesClusterReference); none of it is secret.
    new TerraformOutput(this, 'subnetwork_name', { value: this.cluster.network.subnetworkName, description: 'The cluster\'s subnetwork' });
    new TerraformOutput(this, 'worker_service_account', { value: this.cluster.workerReader.email, description: 'The workers\' service account: it may read the workers\' objects in the secrets bucket' });
    new TerraformOutput(this, 'secrets_bucket', { value: this.cluster.secretStore.bucketName, description: 'The bucket the nodes fetch their secrets from at boot (docs/security.md)' });
  }
}

/**
 * Keeps state in a GCS bucket when one is configured (env `TF_STATE_BUCKET`, or context
 * `stateBucket`), under `<prefix>/<stack>`; otherwise state stays local (`terraform.<stack>.tfstate`).
 */
export function useStateBucket(stack: TerraformStack, bucket: string | undefined, prefix = 'cdktf-coreos'): void {
  if (bucket) new GcsBackend(stack, { bucket, prefix: `${prefix}/${stack.node.id}` });
}

/** The app's stacks: `coreos` (the original instance), `cluster` and `kubernetes`, with state where configured. */
export function addStacks(app: App, env: NodeJS.ProcessEnv = process.env): [CoreOSStack, ClusterStack, KubernetesStack] {
  const bucket = env.TF_STATE_BUCKET || (app.node.tryGetContext('stateBucket') as string | undefined);
  const stacks: [CoreOSStack, ClusterStack, KubernetesStack] = [new CoreOSStack(app, 'coreos'), new ClusterStack(app, 'cluster'), new KubernetesStack(app, 'kubernetes')];
  for (const stack of stacks) useStateBucket(stack, bucket);
  return stacks;
}

/** Builds and synthesizes the default app: what `cdktf synth` runs (through scripts/app-launcher.js). */
export function main(): void {
  synthesizeApp(new App(), (app) => addStacks(app));
}

if (require.main === module) main();
