/**
 * The shared path from a Container Linux Config to `metadata.user-data`: transpile for GCE with the
 * config's cdktf tokens carried through, check the result against the image and the metadata size
 * limit, and escape it for Terraform. Used by CoreOSInstance and WorkerPool's instance template.
 */
import { createHash } from 'node:crypto';
import { transpile, TranspileError, type TranspileResult } from '../transpiler';
import type { IgnitionVersion } from '../transpiler/api';
import type { ConfigFingerprint } from './config-change';
import type { ConfigSource } from './config-source';
import { ConfigTokens } from './config-tokens';
import { checkUserDataSize } from './gce-validation';
import { sectionProblems, type Image } from './image';
import { renderUserDataTemplate } from './user-data-template';
import { configJson } from './config-json';

export interface RenderUserDataOptions {
  /** The boot image: Fedora CoreOS refuses Container Linux-only sections. */
  readonly image: Image;
  /** @default - ct's own 2.2.0 */
  readonly ignitionVersion?: IgnitionVersion;
  /** The instance (or template) name, for size messages. */
  readonly name: string;
  /** How messages show a token that is not a config variable, e.g. `${var.project}`. @default - the token itself */
  readonly describeToken?: (token: string) => string;
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
}

/** Renders `source`; throws an Error with every problem (without the construct's path). */
export function renderUserData(source: ConfigSource, options: RenderUserDataOptions): RenderedUserData {
  const tokens = new ConfigTokens(configText(source), (token) => labelOf(token, source, options));
  const input = typeof source.input === 'string' ? tokens.hideInText(source.input, source.origin) : tokens.hideInObject(source.input, source.origin);
  let result: TranspileResult;
  try {
    result = transpile(input, { platform: 'gce', origin: source.origin, filesDir: source.filesDir, ignitionVersion: options.ignitionVersion });
  } catch (error) {
    if (error instanceof TranspileError) throw new Error(tokens.reveal(error.message));
    throw error;
  }
  const warnings = result.warnings.map((warning) => {
    const at = warning.line !== 0 ? `${source.origin}:${warning.line}:${warning.column}` : source.origin;
    const path = warning.path ? ` (at ${warning.path})` : '';
    return `${at}: ${warning.severity}: ${tokens.reveal(warning.message)}${path}`;
  });
  const problems = sectionProblems(options.image, () => result.ignition);
  if (problems.length > 0) throw new Error(problems.join('; '));
  const rendered = renderUserDataTemplate(result.json, () => result.ignition, tokens);
  warnings.push(...rendered.warnings.map((warning) => `${source.origin}: warning: ${warning}`));
  const size = checkUserDataSize(options.name, rendered.sizeBytes);
  if (size.error) throw new Error(size.error);
  if (size.warning) warnings.push(size.warning);
  return new Rendered(result, tokens, rendered.template, warnings);
}

/**
 * Most renders are only read for their user-data: the parsed Ignition and the hash are built on
 * first read (parsing costs about as much as a tenth of a transpile).
 */
class Rendered implements RenderedUserData {
  private parsed?: Record<string, unknown>;
  private hashed?: ConfigFingerprint;

  constructor(
    private readonly result: TranspileResult,
    private readonly tokens: ConfigTokens,
    readonly userData: string,
    readonly warnings: readonly string[],
  ) {}

  get ignition(): Record<string, unknown> {
    return (this.parsed ??= this.tokens.restoreInObject(this.result.ignition));
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
