/**
 * ct's pipeline (docs/ct.md §2, §4, §10): Parse (decode + CLC checks) -> platform check -> convert
 * (translators in order) -> Ignition validation -> marshal. A pure function of its input; file
 * reads for `contents.local` go through an injectable reader.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { GeneratedOutput, TranspileOptions, TranspileResult } from './api';
import { AstNode } from './ast';
import type { ConvertContext, Dialect } from './convert';
import { goSprintfNoArgs, Report, TranspileError, TranspilePanic, type Diagnostic } from './diagnostics';
import { marshalGo } from './go/json';
import { goReadFileError } from './go/os-error';
import { emitV33, ignitionVersionError, wantsV33 } from './ign3/ct-output';
import { ignitionConfigType, newIgnitionConfig, validateIgnition } from './ignition';
import { struct, zeroValue, type GoStruct, type GoType } from './schema';
import { GoPanic } from './sections/common';
import { configDef } from './sections/config';
import type { ContainerLinuxConfig } from './sections';
import { isSupportedPlatform } from './sections/platform';
import { translators } from './translators';
import { validate } from './validate';
import { decode, nodeFromValue, parseDocument, YamlError, type YamlPosition } from './yaml';
import type { YamlNode } from './yaml/node';

const YAML_FLAVOR = { coreos: 'v2', flatcar: 'v3' } as const;

/** Reads `contents.local` files; throws an Error whose message is Go's. */
export type LocalFileReader = (path: string) => Uint8Array;

/** Reads relative to `cwd` and words failures like Go's `ioutil.ReadFile` (docs/ct.md §5.5.3). */
export function goFileReader(cwd: string): LocalFileReader {
  return (path) => {
    try {
      return readFileSync(resolve(cwd, path));
    } catch (err) {
      throw new Error(goReadFileError(path, err));
    }
  };
}

/** One report as ct's `stderr()` prints it: through printf, then one newline (docs/ct.md §10.1). */
export function printReport(report: Report): string {
  return goSprintfNoArgs(report.toString()).replace(/\n$/, '') + '\n';
}

export { TranspilePanic };

interface Outcome {
  readonly ok: boolean;
  readonly panicked?: boolean;
  readonly stderr: string;
  readonly diagnostics: readonly Diagnostic[];
  readonly json?: string;
  readonly generated?: readonly GeneratedOutput[];
}

type Input = string | Uint8Array | ContainerLinuxConfig;

function parseInput(input: Input, dialect: Dialect): YamlNode | undefined {
  if (typeof input === 'string' || input instanceof Uint8Array) return parseDocument(input, YAML_FLAVOR[dialect]);
  return nodeFromValue(input);
}

/** A typed object has no source text: its diagnostics keep their path but no line and column. */
function dropPositions(report: Report): void {
  report.entries.forEach((e, i) => (report.entries[i] = { ...e, line: 0, column: 0 }));
}

interface Parsed {
  readonly report: Report;
  /** Where the YAML library failed (a syntax error, or refused nesting or aliasing): for the diagnostics only. */
  readonly refusedAt?: YamlPosition;
  /** The YAML library's message without its own line number, when it has one. */
  readonly unplacedMessage?: string;
  readonly config?: GoStruct;
  readonly ast?: AstNode;
}

/** ct's `config.Parse` (docs/ct.md §10.2). */
function parse(input: Input, dialect: Dialect): Parsed {
  const type = struct(configDef(dialect));
  let doc: YamlNode | undefined;
  let config: GoStruct;
  try {
    doc = parseInput(input, dialect);
    config = decode(doc, type, YAML_FLAVOR[dialect]) as GoStruct;
  } catch (err) {
    // a decode failure is one positionless entry (docs/ct.md §9)
    // (a syntax error or a refusal of unbounded work also knows its place: kept for the diagnostics, never printed)
    if (err instanceof YamlError) {
      const unplacedMessage = err.unplacedMessage !== err.message ? err.unplacedMessage : undefined;
      return { report: Report.of('error', err.message), refusedAt: err.position, unplacedMessage };
    }
    throw err;
  }
  const ast = doc && AstNode.fromDocument(doc);
  const report = new Report();
  if (!ast) {
    report.add('warning', 'Configuration is empty');
    report.merge(validate(config, type, undefined, false));
  } else {
    report.merge(validate(config, type, ast, true));
  }
  return { report, config, ast };
}

/**
 * Completes the translators' output: fields they leave out get Go's zero value, as in a Go struct
 * literal (nil pointers stay undefined). Only changed slots are written: most already hold their
 * final value, and a store costs more than the read. Indexed loops: until this is optimised, for-of
 * allocates an iterator and a result per step.
 */
function fillGoZeros(value: unknown, type: GoType): unknown {
  switch (type.kind) {
    case 'named':
      return fillGoZeros(value, type.elem);
    case 'ptr':
      return value === undefined || value === null ? undefined : fillGoZeros(value, type.elem);
    case 'slice':
      if (!Array.isArray(value)) return null;
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        const filled = fillGoZeros(item, type.elem);
        if (filled !== item) value[i] = filled;
      }
      return value;
    case 'struct': {
      const obj: GoStruct = value && typeof value === 'object' ? (value as GoStruct) : {};
      const fields = type.def.fields;
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i];
        const current: unknown = obj[f.key];
        if (current === undefined) {
          if (f.type.kind !== 'ptr') obj[f.key] = zeroValue(f.type);
          continue;
        }
        const filled = fillGoZeros(current, f.type);
        if (filled !== current) obj[f.key] = filled;
      }
      return obj;
    }
    default:
      return value ?? zeroValue(type);
  }
}

/** ct's `config.Convert` (docs/ct.md §4). */
function convert(config: GoStruct, ast: AstNode | undefined, ctx: ConvertContext): { report: Report; out?: GoStruct } {
  if (!isSupportedPlatform(ctx.platform)) {
    return { report: Report.of('error', 'unsupported platform') };
  }
  const type: GoType = ignitionConfigType(ctx.dialect);
  const jsonAst = ast?.withTagMode('json');
  const out = newIgnitionConfig(ctx.dialect) as unknown as GoStruct;
  const report = new Report();
  for (const translate of translators) report.merge(translate(config, jsonAst, out, ctx));
  if (report.isFatal()) return { report };
  fillGoZeros(out, type);
  report.merge(validateIgnition(out, ctx.dialect, jsonAst));
  return report.isFatal() ? { report } : { report, out };
}

function run(input: Input, options: TranspileOptions, readFile: LocalFileReader): Outcome {
  const dialect = options.dialect ?? 'coreos';
  const strict = options.strict ?? false;
  const versionError = ignitionVersionError(dialect, options.ignitionVersion);
  if (versionError) throw new Error(versionError);
  const typed = typeof input !== 'string' && !(input instanceof Uint8Array);
  const parsed = parse(input, dialect);
  if (typed) dropPositions(parsed.report);
  let stderr = parsed.report.isEmpty ? '' : printReport(parsed.report);
  const diagnostics = [...parsed.report.entries];
  if (parsed.refusedAt && !typed) diagnostics[0] = { ...diagnostics[0], ...parsed.refusedAt, ...(parsed.unplacedMessage !== undefined && { unplacedMessage: parsed.unplacedMessage }) };
  if (!parsed.config || parsed.report.isFatal(strict)) {
    return { ok: false, stderr: stderr + 'Failed to parse config\n', diagnostics };
  }

  const ctx: ConvertContext = { dialect, platform: options.platform ?? '', filesDir: options.filesDir ?? '', readFile, generated: [] };
  let converted: ReturnType<typeof convert>;
  try {
    converted = convert(parsed.config, parsed.ast, ctx);
  } catch (err) {
    if (!(err instanceof GoPanic)) throw err;
    // the Go stack trace that follows cannot be reproduced; its header can
    return { ok: false, panicked: true, stderr: `${stderr}panic: ${err.panicMessage}\n\ngoroutine 1 [running]:\n`, diagnostics };
  }
  if (typed) dropPositions(converted.report);
  diagnostics.push(...converted.report.entries);
  if (!converted.report.isEmpty) stderr += printReport(converted.report);
  // the convert phase prints no trailer (docs/ct.md §2)
  if (!converted.out || converted.report.isFatal(strict)) return { ok: false, stderr, diagnostics };

  const type = ignitionConfigType(dialect);
  const json = marshalGo(converted.out, type, options.pretty ?? false);
  if (wantsV33(options.ignitionVersion)) {
    // Flatcar's boot-time 2.x -> 3 translation of exactly these bytes (docs/ignition-2to3.md §2)
    const v33 = emitV33(json, options.pretty ?? false, true);
    if (!v33.ok) return { ok: false, stderr: stderr + v33.stderr, diagnostics: [...diagnostics, v33.error] };
    return { ok: true, stderr: stderr + v33.stderr, diagnostics: [...diagnostics, ...v33.warnings], json: v33.json, generated: ctx.generated };
  }
  return { ok: true, stderr, diagnostics, json, generated: ctx.generated };
}

/**
 * A successful result. `ignition` is parsed from `json` when first read (many callers only want
 * the text), so it is a getter of the class; an object literal with a per-result getter closure
 * would cost V8 a new hidden class for every result.
 */
class TranspileOutput implements TranspileResult {
  private parsed?: Record<string, unknown>;

  constructor(
    readonly json: string,
    readonly warnings: readonly Diagnostic[],
    readonly stderr: string,
    readonly generated: readonly GeneratedOutput[],
  ) {}

  get ignition(): Record<string, unknown> {
    return (this.parsed ??= JSON.parse(this.json) as Record<string, unknown>);
  }
}

/** `transpile` with an explicit reader for `contents.local` (the CLI reads relative to its cwd). */
export function transpileWith(input: Input, options: TranspileOptions, readFile: LocalFileReader): TranspileResult {
  const outcome = run(input, options, readFile);
  if (outcome.panicked) throw new TranspilePanic(outcome.diagnostics, outcome.stderr, options.origin);
  if (!outcome.ok || outcome.json === undefined) {
    throw new TranspileError(outcome.diagnostics, outcome.stderr, options.origin);
  }
  return new TranspileOutput(outcome.json, outcome.diagnostics, outcome.stderr, outcome.generated ?? []);
}

/**
 * Transpiles a Container Linux Config (YAML text, bytes, or a typed object) to Ignition JSON,
 * byte for byte like ct. Throws `TranspileError` (with ct's exact stderr) where ct exits 1.
 */
export function transpile(input: Input, options: TranspileOptions = {}): TranspileResult {
  return transpileWith(input, options, goFileReader(process.cwd()));
}
