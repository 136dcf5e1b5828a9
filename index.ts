/**
 * cdktf-coreos: CoreOS-style instances on Google Cloud with CDK for Terraform, and `transpile`,
 * a byte-exact TypeScript port of the Container Linux Config Transpiler (ct).
 */
export { CoreOSInstance, type CoreOSInstanceProps } from './constructs/coreos-instance';
export { ConfigChangeBehavior } from './constructs/config-change';
export {
  Image,
  ImageDistribution,
  type CoreOSChannel,
  type FedoraCoreOSStream,
  type FlatcarChannel,
} from './constructs/image';
export * from './transpiler';
