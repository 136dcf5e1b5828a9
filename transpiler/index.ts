/**
 * The Container Linux Config Transpiler (ct) as a library: `transpile` turns a CLC (YAML text,
 * bytes, or a typed `ContainerLinuxConfig`) into Ignition JSON, byte for byte like ct v0.9.0
 * (or Flatcar's ct v0.9.4 with `dialect: 'flatcar'`); `transpileButane` does the same for Butane
 * v0.23.0 configs (`flatcar` and `fcos` variants, Ignition 3).
 */
export { transpile, transpileWith, goFileReader, TranspilePanic, type LocalFileReader } from './transpile';
export { SUPPORTED_PLATFORMS } from './sections/platform';
export type { GeneratedDropin, GeneratedFile, GeneratedKey, GeneratedOutput, TranspileOptions, TranspileResult, ValueEncoding } from './api';
export type { Dialect } from './convert';
export { TranspileError, type Diagnostic, type Severity } from './diagnostics';
export { isUnrecognizedKey } from './validate';
export type * from './sections';
export { translateToV33, marshalV33, Ign3TranslationError, type V33Translation } from './ign3';
export type { IgnitionVersion } from './api';
export {
  isButaneConfig,
  mergeIgnitionConfigs,
  transpileButane,
  SUPPORTED_BUTANE_SPECS,
  type ButaneConfig,
  type ButaneIgnitionVersion,
  type ButaneResult,
  type ButaneSpec,
  type ButaneTranspileOptions,
} from './butane';

// What the constructs need besides `transpile` (they import nothing else of the transpiler):
/** Reads CLC YAML text into a plain object as ct's YAML reader would, to merge it with other configs. */
export { clcValueFromText } from './clc-value';
/**
 * Go's JSON encoding of one string, as it stands in `transpile`'s output: lets a caller find a
 * value it passed in within the Ignition JSON text.
 */
export { goJsonString } from './go/json';
/** Decodes a `data:` URL as Ignition does (the file sources in `transpile`'s output). */
export { decodeDataUrl, type DataUrl, type DecodeDataUrlResult } from './go/dataurl';
