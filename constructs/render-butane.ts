/**
 * The Butane side of renderUserData: a config that names a `variant` is translated by the Butane
 * port for the image's Ignition 3, with the same token, unknown-key, strict and size rules as a
 * Container Linux Config.
 */
import {
  isUnrecognizedKey,
  mergeIgnitionConfigs,
  SUPPORTED_BUTANE_SPECS,
  TranspileError,
  type ButaneConfig,
  type ButaneResult,
  type ContainerLinuxConfig,
  type Diagnostic,
  type GeneratedOutput,
} from '../transpiler';
import { cachedTranspile, cachedTranspileButane } from './cached-transpile';
import type { ConfigSource } from './config-source';
import type { ConfigTokens } from './config-tokens';
import { dialectOf, formatProblems } from './image';
import type { RenderUserDataOptions } from './render-user-data';


/**
 * Translates a Butane config; errors, unknown keys unless allowUnknownKeys, an image that cannot
 * boot it, and props that only apply to Container Linux Configs throw one Error, a located line each.
 */
export function transpileButaneChecked(
  input: string | ButaneConfig,
  source: Pick<ConfigSource, 'origin' | 'filesDir'>,
  options: Omit<RenderUserDataOptions, 'name'>,
  describe: (diagnostic: Diagnostic) => string,
): ButaneResult {
  let result: ButaneResult;
  try {
    result = cachedTranspileButane(input, { filesDir: source.filesDir, origin: source.origin });
  } catch (error) {
    if (error instanceof TranspileError) throw new Error(error.diagnostics.filter((d) => d.severity === 'error').map(describe).join('\n'));
    throw error;
  }
  const unknownKeys = options.allowUnknownKeys ? [] : result.warnings.filter(isUnrecognizedKey);
  if (unknownKeys.length > 0) {
    const fix = `fix the key (a typo, or a field ${result.variant} ${result.version} does not have, leaves that part of the config out), or set allowUnknownKeys: true to accept it`;
    throw new Error(unknownKeys.map((d) => `${describe({ ...d, severity: 'error' })}; ${fix}`).join('\n'));
  }
  const problems = formatProblems(options.image, 'butane', result.variant);
  if (options.dialect !== undefined) problems.push('dialect chooses the ct of a Container Linux Config; a Butane config has none: remove it');
  if (options.ignitionVersion !== undefined && options.ignitionVersion !== result.ignitionVersion) {
    const table = SUPPORTED_BUTANE_SPECS.map((spec) => `${spec.variant} ${spec.version} → ${spec.ignition}`).join(', ');
    problems.push(`ignitionVersion ${options.ignitionVersion} applies to Container Linux Configs; a Butane config's variant and version decide its spec (${table}): remove it`);
  }
  if (problems.length > 0) throw new Error(problems.map((p) => `${source.origin}: ${p}`).join('\n'));
  return result;
}

/** A translated Butane config with the constructs' Container Linux Config snippets merged in. */
export interface ButaneWithSnippets extends ButaneResult {
  /** What ct generated for the snippets' sections (names and paths as in Ignition 3). */
  readonly generated: readonly GeneratedOutput[];
}

/**
 * Merges each snippet (transpiled alone by ct for the image, to Ignition 3.3.0 the way Flatcar's
 * Ignition translates it) into the Butane result as Ignition merges a child config: a unit or file
 * of the same name or path is merged into, others are appended.
 */
export function withClcSnippets(
  base: ButaneResult,
  snippets: readonly ContainerLinuxConfig[],
  source: Pick<ConfigSource, 'origin'>,
  options: Omit<RenderUserDataOptions, 'name'>,
  tokens: ConfigTokens,
): ButaneWithSnippets {
  let ignition = base.ignition;
  let json = base.json;
  const generated: GeneratedOutput[] = [];
  snippets.forEach((snippet, i) => {
    const hidden = tokens.hideInObject(snippet, `${source.origin} snippet ${i + 1}`);
    const child = cachedTranspile(hidden, { platform: 'gce', dialect: dialectOf(options.image), ignitionVersion: '3.3.0' });
    generated.push(...child.generated);
    const merged = mergeIgnitionConfigs(ignition, child.ignition, base.ignitionVersion);
    if (merged.errors.length > 0) {
      throw new Error(merged.errors.map((e) => `${source.origin} merged with a Container Linux snippet: error: ${e.message} (at ${e.path})`).join('\n'));
    }
    ({ ignition, json } = merged);
  });
  return { ...base, ignition, json, generated };
}
