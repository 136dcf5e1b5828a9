/**
 * The default app: one CoreOS instance on Google Cloud, the product's original example.
 * `npm run synth` (or `node dist/main.js`) writes `cdktf.out/stacks/coreos/cdk.tf.json`.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { App, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { CoreOSInstance } from './constructs/coreos-instance';
import { GoogleProvider } from './constructs/google';
import { Image } from './constructs/image';

/** The directory holding cdktf.json, found from here so that `dist/main.js` and `main.ts` agree. */
export function projectRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'cdktf.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no cdktf.json in ${from} or above`);
  }
}

export class CoreOSStack extends TerraformStack {
  /** The one instance. */
  public readonly instance: CoreOSInstance;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Credentials come from the environment (gcloud ADC or GOOGLE_CREDENTIALS), never from code.
    const project = new TerraformVariable(this, 'project', { type: 'string', description: 'Google Cloud project ID' });
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
      image: Image.coreos('stable'),
      network: 'default',
      externalIp: true,
      configFile: path.join(projectRoot(), 'configs', 'core.yaml'),
      configVariables: { ssh_public_key: sshPublicKey.stringValue },
    });
    new TerraformOutput(this, 'instance_name', { value: this.instance.name, description: 'Name of the instance' });
    new TerraformOutput(this, 'external_ip', { value: this.instance.externalIp, description: 'Ephemeral external IP of the instance' });
  }
}

if (require.main === module) {
  const app = new App();
  new CoreOSStack(app, 'coreos');
  app.synth();
}
