/**
 * Synth benchmark, the baseline: `node dist/bench/raw-app.js N OUTDIR USER_DATA_JSON` synthesizes
 * N plain ComputeInstances carrying precomputed user-data strings (no transpiling).
 */
import { readFileSync } from 'node:fs';
import { App, TerraformStack } from 'cdktf';
import { ComputeInstance, GoogleProvider } from '../constructs/google';
import { loadedClass } from '../constructs/loaded-on-first-use';
import { FLEET_IMAGE, FLEET_MACHINE_TYPE, FLEET_NETWORK, FLEET_ZONE, fleetInstanceName } from './fleet';
import { parseSynthAppArgs, reportPeakRss } from './synth-args';

function addRawFleet(stack: TerraformStack, userData: readonly string[]): void {
  new GoogleProvider(stack, 'google', { project: 'bench-project', region: 'us-central1' });
  // The class itself, as a deep import would give it: no Proxy frames in cdktf's creation stacks.
  const Instance = loadedClass(ComputeInstance);
  userData.forEach((data, index) => {
    new Instance(stack, fleetInstanceName(index), {
      name: fleetInstanceName(index),
      zone: FLEET_ZONE,
      machineType: FLEET_MACHINE_TYPE,
      bootDisk: { initializeParams: { image: FLEET_IMAGE } },
      networkInterface: [{ network: FLEET_NETWORK, accessConfig: [{}] }],
      metadata: { 'user-data': data },
    });
  });
}

if (require.main === module) {
  const args = parseSynthAppArgs(process.argv.slice(2));
  if (!args.userDataFile) throw new Error('raw-app needs the user-data JSON file as its third argument');
  const userData = (JSON.parse(readFileSync(args.userDataFile, 'utf8')) as string[]).slice(0, args.instances);
  if (userData.length !== args.instances) throw new Error(`${args.userDataFile} holds ${userData.length} user-data strings, need ${args.instances}`);
  const app = new App({ outdir: args.outdir });
  addRawFleet(new TerraformStack(app, 'bench'), userData);
  app.synth();
  reportPeakRss();
}
