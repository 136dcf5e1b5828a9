/**
 * Where a CoreOSInstance's config comes from: inline text, a file, or an object; a Container Linux
 * Config, or a Butane config (one that names a `variant`).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { isButaneConfig, type ButaneConfig, type ContainerLinuxConfig } from '../transpiler';
import type { ConfigFormat } from './image';
import type { InstanceProps } from './instance-props';

/** The config ready for `transpile` or `transpileButane`, with a name for messages. */
export interface ConfigSource {
  readonly input: string | ContainerLinuxConfig | ButaneConfig;
  /** Butane when the config names a `variant` (Butane requires one; a Container Linux Config has no such key). */
  readonly format: ConfigFormat;
  /** The file path (relative to the working directory when below it), or `inline config`. */
  readonly origin: string;
  /** Base directory for `contents.local` (CLC) and Butane's `local` files: the config file's directory. */
  readonly filesDir?: string;
  /** The config variable names, keyed by the token (or text) each one was given. */
  readonly variableNames: ReadonlyMap<string, string>;
}

/** The config props, as InstanceProps declares and documents them. */
export type ConfigSourceProps = Pick<InstanceProps, 'config' | 'configFile' | 'configVariables'>;

export const INLINE_ORIGIN = 'inline config';

// `{{ name }}`, with optional spaces inside the braces.
const VARIABLE_REFERENCE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export function loadConfigSource(props: ConfigSourceProps): ConfigSource {
  if ((props.config === undefined) === (props.configFile === undefined)) {
    throw new Error('set exactly one of config (Container Linux or Butane config, as text or an object) and configFile (path to such a file)');
  }
  const variables = props.configVariables ?? {};
  const variableNames = new Map(Object.entries(variables).map(([name, value]) => [value, name]));
  if (props.configFile !== undefined) {
    const text = readConfigFile(props.configFile);
    const input = props.configVariables ? substituteVariables(text, variables, displayPath(props.configFile)) : text;
    return { input, format: formatOf(input), origin: displayPath(props.configFile), filesDir: path.dirname(path.resolve(props.configFile)), variableNames };
  }
  if (typeof props.config === 'string') {
    const input = props.configVariables ? substituteVariables(props.config, variables, INLINE_ORIGIN) : props.config;
    return { input, format: formatOf(input), origin: INLINE_ORIGIN, variableNames };
  }
  if (props.configVariables) {
    throw new Error('configVariables apply to config text only; in a typed config object, use the values directly');
  }
  const input = props.config as ContainerLinuxConfig | ButaneConfig;
  return { input, format: formatOf(input), origin: INLINE_ORIGIN, variableNames };
}

function formatOf(input: string | object): ConfigFormat {
  return isButaneConfig(input) ? 'butane' : 'clc';
}

function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), path.resolve(file));
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

function readConfigFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new Error(`configFile ${file}: ${reason} (resolved to ${path.resolve(file)})`);
  }
}

/** Replaces each `{{ name }}`; an unknown name, or a variable never referenced, is an error. */
function substituteVariables(text: string, variables: { readonly [name: string]: string }, origin: string): string {
  const unused = new Set(Object.keys(variables));
  const substituted = text.replace(VARIABLE_REFERENCE, (reference, name: string, offset: number) => {
    if (!Object.prototype.hasOwnProperty.call(variables, name)) {
      const defined = Object.keys(variables).join(', ') || 'none';
      throw new Error(`${origin}:${lineColumn(text, offset)}: ${reference} is not in configVariables (defined: ${defined})`);
    }
    unused.delete(name);
    return variables[name];
  });
  if (unused.size > 0) {
    throw new Error(`configVariables ${[...unused].join(', ')} not used in ${origin} (reference them as {{ name }})`);
  }
  return substituted;
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}
