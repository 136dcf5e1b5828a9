/**
 * The Container Linux Config Transpiler (ct) as a library: `transpile` turns a CLC (YAML text,
 * bytes, or a typed `ContainerLinuxConfig`) into Ignition JSON, byte for byte like ct v0.9.0
 * (or Flatcar's ct v0.9.4 with `dialect: 'flatcar'`).
 */
export { transpile, TranspilePanic } from './transpile';
export { SUPPORTED_PLATFORMS } from './sections/platform';
export type { TranspileOptions, TranspileResult } from './api';
export type { Dialect } from './convert';
export { TranspileError, type Diagnostic, type Severity } from './diagnostics';
export { isUnrecognizedKey } from './validate';
export type * from './sections';
export { translateToV33, marshalV33, Ign3TranslationError, type V33Translation } from './ign3';
export type { IgnitionVersion } from './api';
