/**
 * Carries cdktf tokens (Terraform references such as `var.ssh_public_key`) through the transpiler.
 * Each string token is swapped for a placeholder before transpiling and put back afterwards, so
 * Terraform fills in the value inside the Ignition JSON at plan time.
 */
import { Token } from 'cdktf';

// cdktf's string-token encoding, `${TfToken[TOKEN.12]}` (cdktf/lib/tokens/private/encoding.js).
const STRING_TOKEN = /\$\{TfToken\[[a-zA-Z0-9:._-]+\]\}/g;
// Any other encoded token (list, map) that has no place inside one JSON string.
const OTHER_TOKEN = /[#$]\{TfToken\[/;

/** The string tokens in `text`, e.g. the one token of a TerraformVariable's `stringValue`. */
export function stringTokensIn(text: string): string[] {
  return text.match(STRING_TOKEN) ?? [];
}

/**
 * Swaps tokens for placeholders and back. A placeholder is lower-case letters and digits only,
 * which YAML, Go's JSON and `%q` quoting, data-URL encoding and ct's lower-casing all leave as is.
 */
export class ConfigTokens {
  private readonly tokens: string[] = [];
  private readonly labels: string[] = [];
  private readonly prefix: string;

  /**
   * @param sourceText the config text (or its JSON), so the placeholder prefix cannot occur in it
   * @param labelOf how a token is named in messages
   */
  constructor(
    sourceText: string,
    private readonly labelOf: (token: string) => string = (token) => token,
    /** Whether a token's value is known to be quoted alike by Go's %q and Terraform's jsonencode. */
    private readonly isQuoteSafe: (token: string) => boolean = () => false,
  ) {
    let prefix = 'cdktftoken';
    while (sourceText.toLowerCase().includes(prefix)) prefix += 'q';
    this.prefix = prefix;
  }

  get isEmpty(): boolean {
    return this.tokens.length === 0;
  }

  /** Replaces every string token in `text`; any other kind of token is refused. */
  hideInText(text: string, where: string): string {
    const hidden = text.replace(STRING_TOKEN, (token) => this.placeholderFor(token));
    if (OTHER_TOKEN.test(hidden)) {
      throw new Error(`${where} contains a list or map token; only string tokens can go into a config (use Fn.join or Token.asString)`);
    }
    return hidden;
  }

  /** Replaces the tokens in every string of a typed config; number tokens are refused. */
  hideInObject<T>(value: T, where: string): T {
    if (typeof value === 'string') return this.hideInText(value, where) as T;
    if (typeof value === 'number' && Token.isUnresolved(value)) {
      throw new Error(`${where} is a number token; only string tokens can go into a config`);
    }
    if (Array.isArray(value)) return value.map((item, i) => this.hideInObject(item, `${where}[${i}]`)) as T;
    if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value).map(([key, item]) => [key, this.hideInObject(item, `${where}.${key}`)]);
      return Object.fromEntries(entries) as T;
    }
    return value;
  }

  /** Puts the original tokens back into every string of a transpiled object. */
  restoreInObject<T>(value: T): T {
    if (this.isEmpty) return value;
    if (typeof value === 'string') return this.mapPlaceholders(value, (i) => this.tokens[i]) as T;
    if (Array.isArray(value)) return value.map((item) => this.restoreInObject(item)) as T;
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.restoreInObject(item)])) as T;
    }
    return value;
  }

  /** A message with each placeholder shown as the token's label. */
  reveal(message: string): string {
    const revealed = this.mapPlaceholders(message, (i) => this.labels[i]);
    // go-yaml shortens long values in its messages (`cdktfto...`), beyond mapping back.
    const shortened = !this.isEmpty && revealed.includes(this.prefix.slice(0, 7));
    return shortened ? `${revealed}\n  (${this.prefix}… stands for a Terraform value, which can only be used where the config takes a string)` : revealed;
  }

  /** Every token, in placeholder order. */
  get values(): readonly string[] {
    return this.tokens;
  }

  /** The prefix of every placeholder, e.g. `cdktftoken`. */
  get placeholderPrefix(): string {
    return this.prefix;
  }

  /** The token behind placeholder number `index`. */
  tokenAt(index: number): string {
    return this.tokens[index];
  }

  /** Whether the token behind placeholder `index` was declared quote-safe (ConfigOwner.declareQuoteSafe). */
  quoteSafeAt(index: number): boolean {
    return this.isQuoteSafe(this.tokens[index]);
  }

  /** The token's name in messages, e.g. `{{ ssh_public_key }}`. */
  labelAt(index: number): string {
    return this.labels[index];
  }

  /** Matches placeholders; group 1 is the token's index. */
  placeholderRegex(): RegExp {
    return new RegExp(`${this.prefix}(\\d+)x`, 'g');
  }

  private placeholderFor(token: string): string {
    let index = this.tokens.indexOf(token);
    if (index < 0) {
      index = this.tokens.push(token) - 1;
      this.labels.push(this.labelOf(token));
    }
    return `${this.prefix}${index}x`;
  }

  private mapPlaceholders(text: string, replacement: (index: number) => string): string {
    return text.replace(this.placeholderRegex(), (placeholder, index: string) => replacement(Number(index)) ?? placeholder);
  }
}
