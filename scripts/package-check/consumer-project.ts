/**
 * The fresh consumer project that package-check installs the packed library into: a cdktf 0.21
 * app of someone else's, with its own copies of cdktf, constructs and the Google, tls and random providers.
 */

/** What the consumer depends on, besides the tarball. */
export interface ConsumerVersions {
  readonly cdktf: string;
  readonly constructs: string;
  readonly providerGoogle: string;
  readonly providerTls: string;
  readonly providerRandom: string;
  readonly typescript: string;
  readonly typesNode: string;
}

/** The consumer's package.json: the library from the tarball, the peers at the consumer's own versions. */
export function consumerPackageJson(tarball: string, versions: ConsumerVersions): string {
  const pkg = {
    name: 'package-check-consumer',
    version: '0.0.0',
    private: true,
    dependencies: {
      '@cdktf/provider-google': versions.providerGoogle,
      '@cdktf/provider-random': versions.providerRandom,
      '@cdktf/provider-tls': versions.providerTls,
      'cdktf': versions.cdktf,
      'cdktf-coreos': `file:${tarball}`,
      'constructs': versions.constructs,
    },
    devDependencies: { '@types/node': versions.typesNode, 'typescript': versions.typescript },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/**
 * Strict settings, CommonJS with `node10` resolution as `cdktf init` generates it (`main`/`types`);
 * skipLibCheck off, so our declarations are checked under the consumer's settings too.
 */
export const CONSUMER_TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2022'],
      module: 'commonjs',
      moduleResolution: 'node10',
      strict: true,
      noImplicitAny: true,
      noImplicitReturns: true,
      noUnusedLocals: true,
      noUnusedParameters: true,
      noFallthroughCasesInSwitch: true,
      forceConsistentCasingInFileNames: true,
      skipLibCheck: false,
      types: ['node'],
      rootDir: '.',
      outDir: 'dist',
    },
    files: ['main.ts', 'readme-example.ts'],
  },
  null,
  2,
)}\n`;

/** The same with `node16` resolution, which reads the package's `exports` map (and its `types`). */
export const CONSUMER_TSCONFIG_NODE16 = `${JSON.stringify(
  { extends: './tsconfig.json', compilerOptions: { module: 'node16', moduleResolution: 'node16', noEmit: true } },
  null,
  2,
)}\n`;

/**
 * The consumer's app: one stack with a CoreOSInstance, an EtcdCluster and a WorkerPool from the
 * package, passed the consumer's own TerraformStack (the TS2345 of issue 12 when the package
 * brought its own cdktf). It checks `instanceof` against the consumer's classes, then synthesizes
 * into the directory given as its first argument.
 */
export const CONSUMER_MAIN_TS = `import * as assert from 'node:assert/strict';
import { ComputeInstance } from '@cdktf/provider-google/lib/compute-instance';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { CoreOSInstance, EtcdCluster, Image, WorkerPool, transpile } from 'cdktf-coreos';

const outdir = process.argv[2];
if (!outdir) throw new Error('usage: node dist/main.js OUTDIR');

const config = \`passwd:
  users:
    - name: core
      ssh_authorized_keys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPackageCheck check@consumer"]
\`;

const app = new App({ outdir });
const stack = new TerraformStack(app, 'consumer');
new GoogleProvider(stack, 'google', { project: 'package-check', region: 'us-central1' });

const web = new CoreOSInstance(stack, 'web', {
  zone: 'us-central1-c',
  machineType: 'e2-small',
  image: Image.flatcar('stable'),
  config,
});
const etcd = new EtcdCluster(stack, 'etcd', {
  clusterName: 'check',
  region: 'us-central1',
  project: 'package-check',
  size: 3,
  config,
});
const workers = new WorkerPool(stack, 'workers', { name: 'check-workers', region: 'us-central1', size: 2, config });

// One copy of each class across the package boundary: what the package built is an instance of
// the consumer's own ComputeInstance, Construct and TerraformStack.
const instances: ComputeInstance[] = [web.instance, ...etcd.members.map((member) => member.instance.instance)];
for (const instance of instances) assert.ok(instance instanceof ComputeInstance, \`\${instance.node.path} is not the consumer's ComputeInstance\`);
for (const construct of [web, etcd, workers, ...etcd.members.map((member) => member.instance)]) {
  assert.ok(construct instanceof Construct, \`\${construct.node.path} is not the consumer's Construct\`);
  assert.ok(TerraformStack.of(construct) === stack, \`\${construct.node.path} is not in the consumer's stack\`);
}
assert.ok(etcd.members[0].instance instanceof CoreOSInstance);
assert.ok(web.node.scope instanceof TerraformStack);

// The transpiler from the same entry point.
assert.equal(JSON.parse(transpile(config, { platform: 'gce' }).json).ignition.version, '2.2.0');

app.synth();
`;

/** The first TypeScript example of the README's "Use it in your own stack", so that it stays true. */
export function readmeExample(readme: string): string {
  const section = readme.split(/^## /m).find((part) => part.startsWith('Use it in your own stack\n'));
  const example = section && /```ts\n([\s\S]*?)```/.exec(section);
  if (!example) throw new Error('README.md: no ```ts example under "## Use it in your own stack"');
  return example[1];
}
