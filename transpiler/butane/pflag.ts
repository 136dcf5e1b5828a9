/**
 * The part of spf13/pflag that Butane's `main` uses (docs/butane.md §2): `--long`, `--long=v`,
 * `--long v`, `-s`, grouped `-ps`, `-dv`/`-d v`/`-d=v`, flags between arguments, `--` ends flags,
 * hidden and deprecated flags, and the `PrintDefaults` layout (sorted by long name, one column).
 */

export interface PflagDef {
  readonly name: string;
  readonly short?: string;
  readonly kind: 'bool' | 'string';
  readonly usage: string;
  readonly hidden?: boolean;
  /** pflag prints `Flag --<name> has been deprecated, <text>` when such a flag is used. */
  readonly deprecated?: string;
}

export type PflagResult =
  | { readonly ok: true; readonly values: Record<string, string | boolean>; readonly args: string[]; readonly notices: string }
  | { readonly ok: false; readonly error: string };

export function parsePflags(defs: readonly PflagDef[], argv: readonly string[]): PflagResult {
  const values: Record<string, string | boolean> = {};
  for (const d of defs) values[d.name] = d.kind === 'bool' ? false : '';
  const args: string[] = [];
  let notices = '';
  const set = (d: PflagDef, value: string | true): string | undefined => {
    if (d.kind === 'bool') {
      if (value === true || value === 'true' || value === '1' || value === 't' || value === 'T' || value === 'TRUE' || value === 'True') values[d.name] = true;
      else if (['false', '0', 'f', 'F', 'FALSE', 'False'].includes(value)) values[d.name] = false;
      else return `invalid argument "${value}" for "${d.short ? `-${d.short}, ` : ''}--${d.name}" flag: strconv.ParseBool: parsing "${value}": invalid syntax`;
    } else {
      values[d.name] = value as string;
    }
    if (d.deprecated) notices += `Flag --${d.name} has been deprecated, ${d.deprecated}\n`;
    return undefined;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const d = defs.find((f) => f.name === name);
      if (!d) return { ok: false, error: `unknown flag: --${name}` };
      let value: string | true;
      if (eq >= 0) value = a.slice(eq + 1);
      else if (d.kind === 'bool') value = true;
      else if (i + 1 < argv.length) value = argv[++i];
      else return { ok: false, error: `flag needs an argument: --${name}` };
      const err = set(d, value);
      if (err) return { ok: false, error: err };
    } else if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        const d = defs.find((f) => f.short === c);
        if (!d) return { ok: false, error: `unknown shorthand flag: '${c}' in ${a}` };
        let value: string | true;
        if (d.kind === 'bool') {
          if (a[j + 1] === '=') {
            value = a.slice(j + 2);
            j = a.length;
          } else value = true;
        } else if (j + 1 < a.length) {
          value = a.slice(a[j + 1] === '=' ? j + 2 : j + 1);
          j = a.length;
        } else if (i + 1 < argv.length) {
          value = argv[++i];
        } else {
          return { ok: false, error: `flag needs an argument: '${c}' in -${c}` };
        }
        const err = set(d, value);
        if (err) return { ok: false, error: err };
      }
    } else {
      args.push(a);
    }
  }
  return { ok: true, values, args, notices };
}

/** `PrintDefaults`: visible flags sorted by name, usage text aligned two columns after the longest. */
export function pflagDefaults(defs: readonly PflagDef[]): string {
  const visible = defs.filter((d) => !d.hidden).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const heads = visible.map((d) => `${d.short ? `  -${d.short}, ` : '      '}--${d.name}${d.kind === 'string' ? ' string' : ''}`);
  const width = Math.max(...heads.map((h) => h.length));
  return visible.map((d, i) => `${heads[i]}${' '.repeat(width - heads[i].length + 3)}${d.usage}\n`).join('');
}
