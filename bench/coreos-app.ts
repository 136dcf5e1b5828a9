/**
 * Synth benchmark, our side: `node dist/bench/coreos-app.js N OUTDIR` synthesizes a stack of N
 * CoreOSInstances, each transpiling its own config.
 */
import { App, TerraformStack } from 'cdktf';
import { CoreOSInstance } from '../constructs/coreos-instance';
import { GoogleProvider } from '../constructs/google';
import { FLEET_IMAGE, FLEET_MACHINE_TYPE, FLEET_NETWORK, FLEET_ZONE, fleetConfig, fleetInstanceName } from './fleet';
import { parseSynthAppArgs, reportPeakRss } from './synth-args';

/** Adds the fleet to `stack`. Reading an instance's `userData` renders its config (at synth otherwise). */
export function addCoreOSFleet(stack: TerraformStack, instances: number): CoreOSInstance[] {
  new GoogleProvider(stack, 'google', { project: 'bench-project', region: 'us-central1' });
  return Array.from({ length: instances }, (_, index) =>
    new CoreOSInstance(stack, fleetInstanceName(index), {
      name: fleetInstanceName(index),
      zone: FLEET_ZONE,
      machineType: FLEET_MACHINE_TYPE,
      image: FLEET_IMAGE,
      network: FLEET_NETWORK,
      config: fleetConfig(index),
    }),
  );
}

if (require.main === module) {
  const args = parseSynthAppArgs(process.argv.slice(2));
  const app = new App({ outdir: args.outdir });
  addCoreOSFleet(new TerraformStack(app, 'bench'), args.instances);
  app.synth();
  reportPeakRss();
}
