/**
 * Test helper: evaluates a Terraform template string from cdk.tf.json the way Terraform would, for
 * the expressions our constructs write into user-data: `$${` -> `${` and `%%{` -> `%{` escapes,
 * and `${...}` interpolations built from string literals, `var.NAME`, `local.NAME` or resource
 * attribute references (values supplied by the test) and the functions jsonencode, trimprefix,
 * trimsuffix, lower, upper, base64encode and join, nested to any depth. Anything else throws, so an
 * unexpected shape fails the test instead of being guessed at. A resource attribute `TYPE.ID.ATTR`
 * takes the test's value for that reference, else for `TYPE.ATTR`, else APPLY_TIME_VALUES' (the
 * constructs tests' stand-ins, e.g. a secret bucket's name).
 */
import { APPLY_TIME_VALUES, goJsonStringBody } from '../constructs/evaluate-terraform-template';

type Value = string | Value[];

export function evaluateTemplate(template: string, references: Readonly<Record<string, string>>): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    if (template.startsWith('$${', i) || template.startsWith('%%{', i)) {
      out += `${template[i]}{`;
      i += 3;
    } else if (template.startsWith('${', i)) {
      const parser = new ExpressionParser(template, i + 2, references);
      const value = parser.expression();
      parser.skipSpaces();
      if (template[parser.pos] !== '}') throw new Error(`expected } at ${parser.pos}: ${template.slice(parser.pos, parser.pos + 40)}`);
      out += asString(value);
      i = parser.pos + 1;
    } else if (template.startsWith('%{', i)) {
      throw new Error(`template directive at ${i}: ${template.slice(i, i + 40)}`);
    } else {
      out += template[i++];
    }
  }
  return out;
}

function asString(value: Value): string {
  if (typeof value !== 'string') throw new Error('a list where a string is needed');
  return value;
}

class ExpressionParser {
  constructor(
    private readonly text: string,
    public pos: number,
    private readonly references: Readonly<Record<string, string>>,
  ) {}

  skipSpaces(): void {
    while (/\s/.test(this.text[this.pos] ?? '')) this.pos++;
  }

  expression(): Value {
    this.skipSpaces();
    const c = this.text[this.pos];
    if (c === '"') return this.stringLiteral();
    if (c === '[') return this.list();
    const name = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.text.slice(this.pos));
    if (!name) throw new Error(`unexpected expression at ${this.pos}: ${this.text.slice(this.pos, this.pos + 40)}`);
    this.pos += name[0].length;
    this.skipSpaces();
    if (this.text[this.pos] === '(') return this.call(name[0]);
    // A reference: NAME(.attr|[n])*
    let reference = name[0];
    for (;;) {
      const more = /^(\.[A-Za-z_][A-Za-z0-9_-]*|\[\d+\])/.exec(this.text.slice(this.pos));
      if (!more) break;
      reference += more[0];
      this.pos += more[0].length;
    }
    if (reference.startsWith('var.')) {
      const name = reference.slice(4);
      if (!(name in this.references)) throw new Error(`no test value for ${reference}`);
      return this.references[name];
    }
    if (reference in this.references) return this.references[reference];
    const parts = reference.split('.');
    const byType = parts.length === 3 ? `${parts[0]}.${parts[2]}` : undefined;
    const value = byType === undefined ? undefined : (this.references[byType] ?? APPLY_TIME_VALUES[byType]);
    if (value === undefined) throw new Error(`no test value for ${reference}`);
    return value;
  }

  private list(): Value[] {
    this.pos++; // [
    const items: Value[] = [];
    for (;;) {
      this.skipSpaces();
      if (this.text[this.pos] === ']') {
        this.pos++;
        return items;
      }
      items.push(this.expression());
      this.skipSpaces();
      if (this.text[this.pos] === ',') this.pos++;
    }
  }

  private call(fn: string): Value {
    this.pos++; // (
    const args: Value[] = [];
    for (;;) {
      this.skipSpaces();
      if (this.text[this.pos] === ')') {
        this.pos++;
        break;
      }
      args.push(this.expression());
      this.skipSpaces();
      if (this.text[this.pos] === ',') this.pos++;
    }
    const s = (k: number) => asString(args[k]);
    switch (fn) {
      case 'jsonencode':
        return `"${goJsonStringBody(s(0))}"`;
      case 'trimprefix':
        return s(0).startsWith(s(1)) ? s(0).slice(s(1).length) : s(0);
      case 'trimsuffix':
        return s(1) !== '' && s(0).endsWith(s(1)) ? s(0).slice(0, -s(1).length) : s(0);
      case 'lower':
        return s(0).toLowerCase();
      case 'upper':
        return s(0).toUpperCase();
      case 'base64encode':
        return Buffer.from(s(0), 'utf8').toString('base64');
      case 'join': {
        const list = args[1];
        if (!Array.isArray(list)) throw new Error('join needs a list');
        return list.map(asString).join(s(0));
      }
      default:
        throw new Error(`unsupported function ${fn}()`);
    }
  }

  /** An HCL quoted string: escapes, and (nested) `${...}` interpolations. */
  private stringLiteral(): string {
    this.pos++; // "
    let out = '';
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined) throw new Error('unterminated string literal');
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c === '\\') {
        const e = this.text[this.pos + 1];
        const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
        if (e in simple) {
          out += simple[e];
          this.pos += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) {
          out += String.fromCharCode(parseInt(this.text.slice(this.pos + 2, this.pos + 6), 16));
          this.pos += 6;
        } else if (e === 'U' && /^[0-9a-fA-F]{8}$/.test(this.text.slice(this.pos + 2, this.pos + 10))) {
          out += String.fromCodePoint(parseInt(this.text.slice(this.pos + 2, this.pos + 10), 16));
          this.pos += 10;
        } else throw new Error(`unknown escape \\${e} in a string literal`);
      } else if (this.text.startsWith('$${', this.pos) || this.text.startsWith('%%{', this.pos)) {
        out += `${c}{`;
        this.pos += 3;
      } else if (this.text.startsWith('${', this.pos)) {
        this.pos += 2;
        out += asString(this.expression());
        this.skipSpaces();
        if (this.text[this.pos] !== '}') throw new Error(`expected } at ${this.pos}`);
        this.pos++;
      } else if (this.text.startsWith('%{', this.pos)) {
        throw new Error('template directive in a string literal');
      } else {
        out += c;
        this.pos++;
      }
    }
  }
}
