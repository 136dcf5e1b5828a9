/**
 * The Container Linux Config Transpiler (ct) as a library: `transpile` turns a CLC (YAML text,
 * bytes, or a typed `ContainerLinuxConfig`) into Ignition JSON, byte for byte like ct v0.9.0
 * (or Flatcar's ct v0.9.4 with `dialect: 'flatcar'`); `transpileButane` does the same for Butane
 * v0.23.0 configs (`flatcar` and `fcos` variants, Ignition 3).
 */
/* eslint-disable @typescript-eslint/no-require-imports -- require() inside the functions is what defers loading */
import type * as ButaneModule from './butane';
import type * as ClcValueModule from './clc-value';
import type * as Ign3Module from './ign3';
import type * as TranspileModule from './transpile';

// The entry loads only small modules itself: the transpilers load on their first call, so that a
// program that only asks cheap questions (is this Butane? is this an unknown key?) or reuses
// cached results (a re-synth) does not compile the whole transpiler, about 130 modules and 80 ms.
const transpileModule = (): typeof TranspileModule => require('./transpile') as typeof TranspileModule;
const butaneModule = (): typeof ButaneModule => require('./butane') as typeof ButaneModule;
const ign3Module = (): typeof Ign3Module => require('./ign3') as typeof Ign3Module;

/**
 * Transpiles a Container Linux Config (YAML text, bytes, or a typed object) to Ignition JSON,
 * byte for byte like ct. Throws `TranspileError` (with ct's exact stderr) where ct exits 1.
 */
export const transpile: typeof TranspileModule.transpile = (...args) => transpileModule().transpile(...args);
/** `transpile` with an explicit reader for `contents.local` (the CLI reads relative to its cwd). */
export const transpileWith: typeof TranspileModule.transpileWith = (...args) => transpileModule().transpileWith(...args);
/** Reads relative to `cwd` and words failures like Go's `ioutil.ReadFile`. */
export const goFileReader: typeof TranspileModule.goFileReader = (...args) => transpileModule().goFileReader(...args);
export type { LocalFileReader } from './transpile';
export { TranspileError, TranspilePanic, type Diagnostic, type Severity } from './diagnostics';
export { SUPPORTED_PLATFORMS } from './sections/platform';
export type { GeneratedDropin, GeneratedFile, GeneratedKey, GeneratedOutput, TranspileOptions, TranspileResult, ValueEncoding } from './api';
export type { Dialect } from './convert';
export { isUnrecognizedKey } from './validate';
export type * from './sections';

/** Flatcar's boot-time translation of an Ignition 2.x config to spec 3.3.0. */
export const translateToV33: typeof Ign3Module.translateToV33 = (...args) => ign3Module().translateToV33(...args);
/** Writes a 3.3.0 config as Flatcar's translation marshals it. */
export const marshalV33: typeof Ign3Module.marshalV33 = (...args) => ign3Module().marshalV33(...args);
export { Ign3TranslationError } from './ign3/errors';
export type { V33Translation } from './ign3';
export type { IgnitionVersion } from './api';

/** Translates a Butane config; throws TranspileError (Butane's stderr and the diagnostics) where `butane` exits 1. */
export const transpileButane: typeof ButaneModule.transpileButane = (...args) => butaneModule().transpileButane(...args);
/** Ignition's own merge of a child config into a parent, as Ignition applies `ignition.config.merge`. */
export const mergeIgnitionConfigs: typeof ButaneModule.mergeIgnitionConfigs = (...args) => butaneModule().mergeIgnitionConfigs(...args);
export { isButaneConfig } from './butane/detect';
export { SUPPORTED_SPECS as SUPPORTED_BUTANE_SPECS, type SupportedSpec as ButaneSpec } from './butane/specs';
export type { ButaneConfig, ButaneIgnitionVersion, ButaneResult, ButaneTranspileOptions } from './butane';

// What the constructs need besides `transpile` (they import nothing else of the transpiler):
/** Reads CLC YAML text into a plain object as ct's YAML reader would, to merge it with other configs. */
export const clcValueFromText: typeof ClcValueModule.clcValueFromText = (...args) => (require('./clc-value') as typeof ClcValueModule).clcValueFromText(...args);
/**
 * Go's JSON encoding of one string, as it stands in `transpile`'s output: lets a caller find a
 * value it passed in within the Ignition JSON text.
 */
export { goJsonString } from './go/json';
/** Decodes a `data:` URL as Ignition does (the file sources in `transpile`'s output). */
export { decodeDataUrl, type DataUrl, type DecodeDataUrlResult } from './go/dataurl';
