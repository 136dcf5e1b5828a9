/**
 * `transpile` and `transpileButane` through the process's transpile cache (transpile-cache.ts),
 * when it is on; results are the transpilers' own, field for field.
 */
import {
  goFileReader,
  transpileButane,
  transpileWith,
  type ButaneConfig,
  type ButaneResult,
  type ButaneTranspileOptions,
  type ContainerLinuxConfig,
  type Diagnostic,
  type GeneratedOutput,
  type TranspileOptions,
  type TranspileResult,
} from '../transpiler';
import { processTranspileCache, type ValueCodec } from './transpile-cache';

const transpilerEntry = (): string => require.resolve('../transpiler');

/** `transpile(input, options)`, reading `local:` files relative to the working directory as it does. */
export function cachedTranspile(input: string | ContainerLinuxConfig, options: TranspileOptions): TranspileResult {
  const cwd = process.cwd();
  const cache = processTranspileCache(transpilerEntry);
  const compute = (readFile: (path: string) => Uint8Array): TranspileResult => transpileWith(input, options, readFile);
  if (!cache) return compute(goFileReader(cwd));
  // made on first read: goFileReader loads the whole transpiler, which a cache hit never needs
  let reader: ((path: string) => Uint8Array) | undefined;
  const readLocal = (path: string): Uint8Array => (reader ??= goFileReader(cwd))(path);
  return cache.get(['ct', cwd, options, input], readLocal, compute, CT_CODEC);
}

/** `transpileButane(input, options)`; with a files directory (whose trees a hit could not check) uncached. */
export function cachedTranspileButane(input: string | ButaneConfig, options: ButaneTranspileOptions): ButaneResult {
  const cache = options.filesDir === undefined ? processTranspileCache(transpilerEntry) : undefined;
  const compute = (): ButaneResult => transpileButane(input, options);
  if (!cache) return compute();
  return cache.get(['butane', options, input], () => new Uint8Array(), compute, BUTANE_CODEC);
}

/** A cached ct result; `ignition` is parsed from `json` when first read, as the transpiler's own result does. */
class CachedTranspileResult implements TranspileResult {
  private parsed?: Record<string, unknown>;

  constructor(readonly json: string, readonly warnings: readonly Diagnostic[], readonly stderr: string, readonly generated: readonly GeneratedOutput[]) {}

  get ignition(): Record<string, unknown> {
    return (this.parsed ??= JSON.parse(this.json) as Record<string, unknown>);
  }
}

type Stored = Record<string, unknown>;
const isObject = (value: unknown): value is Stored => typeof value === 'object' && value !== null;
const isStringField = (value: Stored, field: string): boolean => typeof value[field] === 'string';

const CT_CODEC: ValueCodec<TranspileResult> = {
  encode: (result) => ({
    json: result.json,
    warnings: result.warnings,
    stderr: result.stderr,
    generated: result.generated,
  }),
  decode: (stored) => {
    if (!isObject(stored) || !isStringField(stored, 'json') || !isStringField(stored, 'stderr')) return undefined;
    if (!Array.isArray(stored.warnings) || !Array.isArray(stored.generated)) return undefined;
    return new CachedTranspileResult(stored.json as string, stored.warnings as Diagnostic[], stored.stderr as string, stored.generated as GeneratedOutput[]);
  },
};

const BUTANE_CODEC: ValueCodec<ButaneResult> = {
  encode: ({ ignition: _parsed, ...rest }) => rest,
  decode: (stored) => {
    if (!isObject(stored) || !['json', 'stderr', 'ignitionVersion', 'variant', 'version'].every((field) => isStringField(stored, field))) return undefined;
    if (!Array.isArray(stored.warnings)) return undefined;
    const result = stored as unknown as Omit<ButaneResult, 'ignition'>;
    return {
      ...result,
      ignition: JSON.parse(result.json) as Record<string, unknown>,
    };
  },
};
