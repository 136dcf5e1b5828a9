/**
 * The shared path from a Container Linux Config to `metadata.user-data`: transpile for GCE with the
 * config's cdktf tokens carried through, check the result against the image and the metadata size
 * limit, and escape it for Terraform. Used by CoreOSInstance and WorkerPool's instance template.
 */
import { createHash } from 'node:crypto';
import { isUnrecognizedKey, TranspileError, type ButaneConfig, type ContainerLinuxConfig, type Diagnostic, type Dialect, type GeneratedOutput, type IgnitionVersion, type TranspileResult } from '../transpiler';
import type { ConfigFingerprint } from './config-change';
import type { ConfigSource } from './config-source';
import { ConfigTokens } from './config-tokens';
import { checkUserDataSize } from './gce-validation';
import { dialectOf, formatProblems, sectionProblems, type Image } from './image';
import { transpileButaneChecked, withClcSnippets } from './render-butane';
import { renderUserDataTemplate } from './user-data-template';
import { configJson } from './config-json';
import { cachedTranspile } from './cached-transpile';

export interface RenderUserDataOptions {
  /** The boot image: Fedora CoreOS refuses Container Linux-only sections. */
  readonly image: Image;
  /**
   * The Ignition spec of the user-data (see InstanceProps.ignitionVersion).
   * @default - ct's own 2.2.0
   */
  readonly ignitionVersion?: IgnitionVersion;
  /** The instance (or template) name, for size messages. */
  readonly name: string;
  /** How messages show a token that is not a config variable, e.g. `${var.project}`. @default - the token itself */
  readonly describeToken?: (token: string) => string;
  /** Whether a token's value is known to be printable ASCII without <, > and &. @default - no token is */
  readonly isQuoteSafe?: (token: string) => boolean;
  /** Which ct a Container Linux Config is written for. @default - the image's: `flatcar` for Flatcar images, `coreos` otherwise */
  readonly dialect?: Dialect;
  /** Every warning is an error, as with `ct --strict`. @default false */
  readonly strict?: boolean;
  /** An unknown key is only a warning, as in ct. @default false: an unknown key is an error */
  readonly allowUnknownKeys?: boolean;
}

/** The dialect a config is transpiled with: the given one, or the image's. */
export function dialectFor(options: Pick<RenderUserDataOptions, 'dialect' | 'image'>): Dialect {
  return options.dialect ?? dialectOf(options.image);
}

export interface RenderedUserData {
  /** The Ignition config as ct wrote it, with the config's tokens back in place. */
  readonly ignition: Record<string, unknown>;
  /** The Ignition JSON as Terraform receives it: escaped, with tokens as interpolations. */
  readonly userData: string;
  /** What identifies this config, for ConfigChangeBehavior.REPLACE. */
  readonly fingerprint: ConfigFingerprint;
  /** Transpiler and rendering warnings, ready to become annotations. */
  readonly warnings: readonly string[];
  /** What ct generated for the config's sections (`TranspileResult.generated`). */
  readonly generated: readonly GeneratedOutput[];
}

/**
 * Renders `source`; throws an Error with every problem (without the construct's path). A Butane
 * config gets `clcSnippets` (Container Linux Config that other constructs added, tokens in place)
 * merged in as Ignition merges a child config.
 */
export function renderUserData(source: ConfigSource, options: RenderUserDataOptions, clcSnippets: readonly ContainerLinuxConfig[] = []): RenderedUserData {
  const allText = [configText(source), ...clcSnippets.map((snippet) => configJson(snippet) ?? '')].join('\n');
  const tokens = new ConfigTokens(allText, (token) => labelOf(token, source, options), options.isQuoteSafe);
  const input = typeof source.input === 'string' ? tokens.hideInText(source.input, source.origin) : tokens.hideInObject(source.input, source.origin);
  const describe = (diagnostic: Diagnostic): string => describeDiagnostic(diagnostic, source.origin, tokens);
  const result: Transpiled =
    source.format === 'butane'
      ? withClcSnippets(transpileButaneChecked(input as string | ButaneConfig, source, options, describe), clcSnippets, source, options, tokens)
      : transpileChecked(input as string | ContainerLinuxConfig, source, options, tokens);
  const warnings = result.warnings.map(describe);
  const problems = source.format === 'butane' ? [] : [...formatProblems(options.image, 'clc'), ...sectionProblems(options.image, result.generated)];
  if (problems.length > 0) throw new Error(problems.join('; '));
  const rendered = renderUserDataTemplate(result.json, () => result.ignition, result.generated, tokens);
  warnings.push(...rendered.warnings.map((warning) => `${source.origin}: warning: ${warning}`));
  const size = checkUserDataSize(options.name, rendered.sizeBytes);
  if (size.error) throw new Error(size.error);
  if (size.warning) warnings.push(size.warning);
  if (options.strict) throwAsStrict(warnings);
  return new Rendered(result, tokens, rendered.template, warnings);
}

/**
 * Transpiles for GCE in the options' dialect. Errors, and unknown keys unless allowUnknownKeys,
 * throw an Error with one located line per diagnostic.
 */
export function transpileChecked(
  input: string | ContainerLinuxConfig,
  source: Pick<ConfigSource, 'origin' | 'filesDir'>,
  options: Omit<RenderUserDataOptions, 'name'>,
  tokens: ConfigTokens,
): TranspileResult {
  const describe = (diagnostic: Diagnostic): string => describeDiagnostic(diagnostic, source.origin, tokens);
  let result: TranspileResult;
  try {
    result = cachedTranspile(input, {
      platform: 'gce',
      origin: source.origin,
      filesDir: source.filesDir,
      ignitionVersion: options.ignitionVersion,
      dialect: dialectFor(options),
    });
  } catch (error) {
    if (error instanceof TranspileError) throw new Error(error.diagnostics.map(describe).join('\n'));
    throw error;
  }
  const unknownKeys = options.allowUnknownKeys ? [] : result.warnings.filter(isUnrecognizedKey);
  if (unknownKeys.length > 0) {
    const fix = 'fix the key (a typo leaves that part of the config out), or set allowUnknownKeys: true to accept it';
    throw new Error(unknownKeys.map((d) => `${describe({ ...d, severity: 'error' })}; ${fix}`).join('\n'));
  }
  return result;
}

/** Under `strict`, warnings (described) are one error. */
export function throwAsStrict(warnings: readonly string[]): void {
  if (warnings.length > 0) throw new Error(`${warnings.join('\n')}\n(strict: true makes every warning an error)`);
}

/**
 * `file:line:column: severity: message (at path)`, or `origin: ...` where there is no position
 * (typed configs: the path says where).
 */
export function describeDiagnostic(diagnostic: Diagnostic, origin: string, tokens: ConfigTokens): string {
  const at = diagnostic.line !== 0 ? `${origin}:${diagnostic.line}:${diagnostic.column}` : origin;
  const path = diagnostic.path ? ` (at ${diagnostic.path})` : '';
  // go-yaml's own line number is 0-based in ct; the position above is the one to look at.
  const message = diagnostic.line !== 0 ? (diagnostic.unplacedMessage ?? diagnostic.message) : diagnostic.message;
  return `${at}: ${diagnostic.severity}: ${tokens.reveal(message)}${path}`;
}

/**
 * Most renders are only read for their user-data: the parsed Ignition and the hash are built on
 * first read (parsing costs about as much as a tenth of a transpile).
 */
/** What a render needs of either transpiler's result. */
type Transpiled = Pick<TranspileResult, 'json' | 'ignition' | 'generated' | 'warnings'>;

class Rendered implements RenderedUserData {
  private parsed?: Record<string, unknown>;
  private hashed?: ConfigFingerprint;

  constructor(
    private readonly result: Transpiled,
    private readonly tokens: ConfigTokens,
    readonly userData: string,
    readonly warnings: readonly string[],
  ) {}

  get ignition(): Record<string, unknown> {
    return (this.parsed ??= this.tokens.restoreInObject(this.result.ignition));
  }

  get generated(): readonly GeneratedOutput[] {
    return this.result.generated;
  }

  get fingerprint(): ConfigFingerprint {
    return (this.hashed ??= { ignition_sha256: createHash('sha256').update(this.result.json).digest('hex'), token_values: [...this.tokens.values] });
  }
}

function configText(source: ConfigSource): string {
  return typeof source.input === 'string' ? source.input : (configJson(source.input) ?? '');
}

function labelOf(token: string, source: ConfigSource, options: RenderUserDataOptions): string {
  const variable = source.variableNames.get(token);
  if (variable) return `{{ ${variable} }}`;
  return options.describeToken ? options.describeToken(token) : token;
}
