/**
 * A config that other constructs add to after construction: the base config (rendered at once,
 * so its errors point at its lines) plus snippets, merged by ClcMerge's rules and rendered once,
 * when the user-data is first read (at synth, through a value produced then).
 */
import { clcValueFromText, type ContainerLinuxConfig, type FileConfig, type SystemdUnitConfig, type UserConfig } from '../transpiler';
import { ClcMerge } from './clc-merge';
import type { ConfigSource } from './config-source';
import { ConfigTokens } from './config-tokens';
import { describeDiagnostic, renderUserData, throwAsStrict, transpileChecked, type RenderedUserData, type RenderUserDataOptions } from './render-user-data';
import { configJson } from './config-json';
import { sectionProblems } from './image';

/** More Container Linux Config: YAML text or a typed object. */
export type ClcSnippet = string | ContainerLinuxConfig;

export class ConfigComposition {
  /** The base config alone, rendered at construction. */
  public readonly base: RenderedUserData;
  private readonly origins: string[] = [];
  private merge?: ClcMerge;
  /** For a Butane base config: the snippets, merged into its Ignition at render. */
  private readonly butaneSnippets: ContainerLinuxConfig[] = [];
  private final?: RenderedUserData;

  constructor(
    private readonly source: ConfigSource,
    private readonly options: RenderUserDataOptions,
  ) {
    this.base = renderUserData(source, options);
  }

  /** Whether anything was added to the base config. */
  get hasSnippets(): boolean {
    return this.origins.length > 0;
  }

  /**
   * Merges `snippet` in. The snippet must transpile on its own, and must not conflict with what is
   * already there; both are checked now, so the error points at the caller.
   */
  add(snippet: ClcSnippet, origin: string): void {
    const value = readSnippet(snippet, origin, this.options);
    this.origins.push(origin);
    this.final = undefined;
    if (this.source.format === 'butane') {
      this.butaneSnippets.push(value);
      return;
    }
    if (!this.merge) {
      this.merge = new ClcMerge();
      this.merge.add(typeof this.source.input === 'string' ? readText(this.source.input, this.source.origin) : (this.source.input as ContainerLinuxConfig), this.source.origin);
    }
    this.merge.add(value, origin);
  }

  /** The config as Terraform gets it: the base, or the merge of the base and every snippet. */
  render(): RenderedUserData {
    if (this.butaneSnippets.length > 0) return (this.final ??= renderUserData(this.source, this.options, this.butaneSnippets));
    if (!this.merge) return this.base;
    if (!this.final) {
      const origin = `${this.source.origin} merged with ${this.origins.join(', ')}`;
      this.final = renderUserData({ ...this.source, input: this.merge.config, origin }, this.options);
    }
    return this.final;
  }

  /** `rendered`'s warnings that the base config did not have: those were reported at construction. */
  warningsBeyondBase(rendered: RenderedUserData): string[] {
    const known = new Set(this.base.warnings.map(withoutOrigin));
    return rendered.warnings.filter((warning) => !known.has(withoutOrigin(warning)));
  }
}

/** Typed helpers' snippets. */
export function unitSnippet(unit: SystemdUnitConfig): ContainerLinuxConfig {
  return { systemd: { units: [unit] } };
}

export function fileSnippet(file: FileConfig): ContainerLinuxConfig {
  return { storage: { files: [{ filesystem: 'root', ...file }] } };
}

export function userSnippet(user: UserConfig): ContainerLinuxConfig {
  return { passwd: { users: [user] } };
}

/** The snippet as a plain value (tokens in place), after checking that it transpiles alone. */
function readSnippet(snippet: ClcSnippet, origin: string, options: RenderUserDataOptions): ContainerLinuxConfig {
  const tokens = new ConfigTokens(typeof snippet === 'string' ? snippet : (configJson(snippet) ?? ''));
  const hidden = typeof snippet === 'string' ? tokens.hideInText(snippet, origin) : tokens.hideInObject(snippet, origin);
  // Checked alone, in the config's dialect, so that its errors, unknown keys, sections the image
  // lacks and (with strict) warnings point at the caller and its lines, not at the merged config.
  const result = transpileChecked(hidden, { origin }, { ...options, ignitionVersion: undefined }, tokens);
  const problems = sectionProblems(options.image, result.generated).map((problem) => `${origin}: ${problem}`);
  if (problems.length > 0) throw new Error(problems.join('; '));
  if (options.strict) throwAsStrict(result.warnings.map((diagnostic) => describeDiagnostic(diagnostic, origin, tokens)));
  return typeof hidden === 'string' ? tokens.restoreInObject(clcValueFromText(hidden)) : (snippet as ContainerLinuxConfig);
}

/** YAML text with tokens, as a plain value with the tokens in place. */
function readText(text: string, origin: string): ContainerLinuxConfig {
  const tokens = new ConfigTokens(text);
  return tokens.restoreInObject(clcValueFromText(tokens.hideInText(text, origin)));
}

function withoutOrigin(warning: string): string {
  return warning.replace(/^[^:]*(:\d+:\d+)?: /, '');
}
