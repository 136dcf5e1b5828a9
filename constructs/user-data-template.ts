/**
 * Turns the transpiled Ignition JSON, whose config tokens are still placeholders, into the
 * Terraform string for `metadata.user-data`: literal text escaped, each token a live interpolation
 * rendered so that Terraform yields the bytes ct would have written for the token's value.
 */
import { gunzipSync } from 'node:zlib';
import { Fn } from 'cdktf';
import { decodeDataUrl, goJsonString, type GeneratedDropin, type GeneratedFile, type GeneratedKey, type GeneratedOutput } from '../transpiler';
import type { ConfigTokens } from './config-tokens';
import { escapeTerraformTemplate, hclStringArgument, terraformTemplate, type TemplatePart } from './terraform-escaping';

export interface UserDataTemplate {
  /** The Terraform template string. */
  readonly template: string;
  /** Size of the Ignition JSON Terraform will produce, counting each token as its placeholder. */
  readonly sizeBytes: number;
  /** Where a token's final value escapes a check or a byte-exact rendering. */
  readonly warnings: readonly string[];
}

type Ignition = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DATA_URL_BASE64 = 'data:;base64,';

/**
 * `ignition` (the parsed `json`) is only read when the config holds tokens; `generated` is what
 * the transpiler says it generated (`TranspileResult.generated`), and how it wrote values there.
 */
export function renderUserDataTemplate(json: string, ignition: () => Ignition, generated: readonly GeneratedOutput[], tokens: ConfigTokens): UserDataTemplate {
  if (tokens.isEmpty) return { template: escapeTerraformTemplate(json), sizeBytes: Buffer.byteLength(json), warnings: [] };
  return new TemplateBuilder(json, tokens).build(ignition(), generated);
}

class TemplateBuilder {
  private readonly warnings = new Set<string>();
  private readonly fileExpressions: string[] = [];
  private readonly renderedSources = new Set<string>();
  private measured: string;

  constructor(
    private text: string,
    private readonly tokens: ConfigTokens,
  ) {
    this.measured = text;
  }

  build(ignition: Ignition, generated: readonly GeneratedOutput[]): UserDataTemplate {
    const quoting = generated.filter((output): output is GeneratedDropin => output.kind === 'dropin' && output.values === 'go-%q');
    for (const unit of ignition.systemd?.units ?? []) {
      for (const dropin of unit.dropins ?? []) {
        if (quoting.some((output) => output.unit === unit.name && output.dropin === dropin.name)) this.markQuotedOptions(dropin.contents, unit.name);
      }
    }
    const files: Ignition[] = ignition.storage?.files ?? [];
    for (const output of generated) {
      if (output.kind === 'file') this.renderDataUrlWithTokens(lastWithPath(files, output.path)?.contents?.source, output);
    }
    this.renderDataUrlsWithTokens(ignition);
    this.warnAboutUnvalidated(ignition, '');
    return { template: terraformTemplate(this.parts()), sizeBytes: Buffer.byteLength(this.measured), warnings: [...this.warnings] };
  }

  /** Option values in etcd and flannel drop-ins are `%q`-quoted by ct; mark their tokens `q`. */
  private markQuotedOptions(contents: string, unit: string): void {
    const marked = contents.replace(this.tokens.placeholderRegex(), (placeholder, index: string, offset: number) => {
      if (!insideQuotes(contents, offset)) return placeholder;
      if (!this.tokens.quoteSafeAt(Number(index))) this.warnings.add(
        `${this.tokens.labelAt(Number(index))} in an option of ${unit} is quoted by Terraform's jsonencode, which equals ct's Go %q ` +
          'only for printable ASCII other than <, > and &: make sure the value has no other characters, and declare it ' +
          'with declareQuoteSafe() on this construct; or keep the value out of the option',
      );
      return `${this.tokens.placeholderPrefix}${index}q`;
    });
    this.replaceJsonString(contents, marked);
  }

  /**
   * ct percent-encodes file contents into a `data:,` URL, which Terraform cannot reproduce; such a
   * file is written as `data:;base64,${base64encode(...)}` instead, an equivalent Ignition 2.2 URL.
   */
  private renderDataUrlWithTokens(source: unknown, generatedFile?: GeneratedFile, gzipped = false): void {
    if (typeof source !== 'string' || !source.startsWith('data:')) return;
    // A placeholder shows in a percent-encoded URL; in a base64 one (Butane's choice when shorter,
    // gzipped or not) only in the decoded contents
    const base64 = /^data:[^,]*;base64,/.test(source);
    if (!gzipped && !base64 && !this.tokens.placeholderRegex().test(source)) return;
    if (this.renderedSources.has(source)) return;
    this.renderedSources.add(source);
    const decoded = decodeDataUrl(source).dataUrl;
    if (!decoded) return;
    // Butane gzips longer contents (`compression: gzip`): Terraform's base64gzip gzips them alike
    // (other bytes than Go's deflate, the same contents after Ignition's gunzip)
    const payload = gzipped ? gunzipped(decoded.data) : decoded.data;
    if (!payload) return;
    const contents = Buffer.from(payload).toString('utf8');
    if ((gzipped || base64) && !this.tokens.placeholderRegex().test(contents)) return;
    const elements = this.fileElements(contents, generatedFile);
    const joined = elements.length === 1 ? elements[0] : Fn.join('', elements);
    const encoded = gzipped ? Fn.base64gzip(joined) : Fn.base64encode(joined);
    const marker = `${this.tokens.placeholderPrefix}${this.fileExpressions.push(encoded) - 1}f`;
    this.replaceJsonString(source, marker);
    this.measured = this.measured.split(goJsonString(source)).join(goJsonString(DATA_URL_BASE64 + Buffer.from(contents).toString('base64')));
  }

  /** Every other `source` (file contents and appends, config merges, CA certificates) with a token. */
  private renderDataUrlsWithTokens(node: unknown): void {
    if (Array.isArray(node)) node.forEach((item) => this.renderDataUrlsWithTokens(item));
    else if (node !== null && typeof node === 'object') {
      const gzipped = (node as Ignition).compression === 'gzip';
      for (const [key, value] of Object.entries(node)) {
        if (key === 'source') this.renderDataUrlWithTokens(value, undefined, gzipped);
        else this.renderDataUrlsWithTokens(value);
      }
    }
  }

  /** The file's text as join() elements: quoted literals and tokens, rendered as ct renders them. */
  private fileElements(contents: string, generatedFile?: GeneratedFile): string[] {
    const elements: string[] = [];
    let last = 0;
    for (const match of contents.matchAll(this.tokens.placeholderRegex())) {
      if (match.index > last) elements.push(hclStringArgument(contents.slice(last, match.index)));
      elements.push(generatedFile ? this.generatedFileToken(contents, match.index, Number(match[1]), generatedFile) : this.tokens.tokenAt(Number(match[1])));
      last = match.index + match[0].length;
    }
    if (last < contents.length) elements.push(hclStringArgument(contents.slice(last)));
    return elements;
  }

  /**
   * A token in a `KEY=value` line of a file ct generated (update.conf), rendered the way the
   * transpiler says it wrote that key: lower-cased, `%q`-quoted or raw.
   */
  private generatedFileToken(contents: string, offset: number, index: number, file: GeneratedFile): string {
    const token = this.tokens.tokenAt(index);
    const line = contents.slice(contents.lastIndexOf('\n', offset) + 1);
    const key: GeneratedKey | undefined = file.keys[line.slice(0, line.indexOf('='))];
    if (key?.values === 'lower-case') return Fn.lower(token);
    if (key?.values === 'go-%q') {
      this.warnings.add(`${this.tokens.labelAt(index)} in ${key.from} is quoted by Terraform's jsonencode, which equals ct's Go %q only for printable ASCII other than <, > and &`);
      return jsonStringBody(token);
    }
    if (key?.validatedAs) this.warnings.add(`${this.tokens.labelAt(index)} in ${key.from}: the ${key.validatedAs} is not validated (ct checked a stand-in)`);
    return token;
  }

  /** Swaps one JSON string of the transpiled text for another, wherever it occurs. */
  private replaceJsonString(before: string, after: string): void {
    if (before !== after) this.text = this.text.split(goJsonString(before)).join(goJsonString(after));
  }

  /** Paths and URLs that hold a token were checked by the transpiler with a placeholder only. */
  private warnAboutUnvalidated(node: unknown, path: string): void {
    if (Array.isArray(node)) {
      node.forEach((item, i) => this.warnAboutUnvalidated(item, `${path}[${i}]`));
    } else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        const at = path ? `${path}.${key}` : key;
        if (typeof value !== 'string') this.warnAboutUnvalidated(value, at);
        else if (VALIDATED_KEYS[key] && !(key === 'source' && value.startsWith('data:'))) this.warnAboutToken(value, at, VALIDATED_KEYS[key]);
      }
    }
  }

  private warnAboutToken(value: string, at: string, what: string): void {
    for (const match of value.matchAll(this.tokens.placeholderRegex())) {
      this.warnings.add(`${this.tokens.labelAt(Number(match[1]))} in ${at}: the ${what} is not validated (the transpiler checked a stand-in)`);
    }
  }

  private parts(): TemplatePart[] {
    const parts: TemplatePart[] = [];
    const marker = new RegExp(`${this.tokens.placeholderPrefix}(\\d+)([xqf])`, 'g');
    let last = 0;
    for (const match of this.text.matchAll(marker)) {
      parts.push({ literal: this.text.slice(last, match.index) });
      const index = Number(match[1]);
      if (match[2] === 'f') parts.push({ literal: DATA_URL_BASE64 }, { interpolation: this.fileExpressions[index] });
      else if (match[2] === 'q') parts.push({ interpolation: jsonStringBody(jsonStringBody(this.tokens.tokenAt(index))) });
      else parts.push({ interpolation: jsonStringBody(this.tokens.tokenAt(index)) });
      last = match.index + match[0].length;
    }
    parts.push({ literal: this.text.slice(last) });
    return parts;
  }
}

/** The gunzipped bytes, or undefined for data that is not gzip (a source the user compressed some other way). */
function gunzipped(data: Uint8Array): Uint8Array | undefined {
  try {
    return gunzipSync(data);
  } catch {
    return undefined;
  }
}

/** The last file at `path`: ct appends its own after the user's. */
function lastWithPath(files: readonly Ignition[], path: string): Ignition | undefined {
  for (let i = files.length - 1; i >= 0; i--) if (files[i].path === path) return files[i];
  return undefined;
}

/** Ignition keys whose values the transpiler validates: a token there is only checked as a stand-in. */
const VALIDATED_KEYS: Readonly<Record<string, string>> = { path: 'path', target: 'link target', device: 'device path', source: 'URL' };

/** Whether `offset` lies inside a `"…"` (with `\` escapes) on its line. */
function insideQuotes(text: string, offset: number): boolean {
  let inside = false;
  for (let i = text.lastIndexOf('\n', offset - 1) + 1; i < offset; i++) {
    if (inside && text[i] === '\\') i++;
    else if (text[i] === '"') inside = !inside;
  }
  return inside;
}

/**
 * `jsonencode(value)` without its surrounding quotes: the value as the inside of a JSON string,
 * escaped like Go's encoding/json (which is how ct writes every string).
 */
export function jsonStringBody(token: string): string {
  const quote = Fn.rawString('"');
  return Fn.trimsuffix(Fn.trimprefix(Fn.jsonencode(token), quote), quote);
}
