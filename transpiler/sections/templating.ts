/**
 * Dynamic data and drop-in assembly for the etcd and flannel units (ct's
 * `config/templating/templating.go`, `assembleUnit`/`getArgs` in `config/types/common.go` and
 * `config/types/util/unit.go`); docs/ct.md §5.12, §5.13 and §8.
 */
import { quoteGo } from '../go/quote';
import type { IgnitionSystemdUnit } from '../ignition/types';
import { bool, decodedOptionsDef, field, int, ptr, str, type FieldDef, type GoStruct, type StructDef } from '../schema';

export const ERR_PLATFORM_UNSPECIFIED = 'platform must be specified to use templating';
export const ERR_UNKNOWN_FIELD = 'unknown field';
export const ERR_UNKNOWN_PLATFORM = 'unsupported platform';

/** Metadata variables that coreos-metadata writes to /run/metadata/coreos, per platform (docs/ct.md §8.2). */
export const PLATFORM_TEMPLATE_FIELDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  azure: {
    PRIVATE_IPV4: 'COREOS_AZURE_IPV4_DYNAMIC',
    PUBLIC_IPV4: 'COREOS_AZURE_IPV4_VIRTUAL',
  },
  digitalocean: {
    HOSTNAME: 'COREOS_DIGITALOCEAN_HOSTNAME',
    PRIVATE_IPV4: 'COREOS_DIGITALOCEAN_IPV4_PRIVATE_0',
    PUBLIC_IPV4: 'COREOS_DIGITALOCEAN_IPV4_PUBLIC_0',
    PRIVATE_IPV6: 'COREOS_DIGITALOCEAN_IPV6_PRIVATE_0',
    PUBLIC_IPV6: 'COREOS_DIGITALOCEAN_IPV6_PUBLIC_0',
  },
  ec2: {
    HOSTNAME: 'COREOS_EC2_HOSTNAME',
    PRIVATE_IPV4: 'COREOS_EC2_IPV4_LOCAL',
    PUBLIC_IPV4: 'COREOS_EC2_IPV4_PUBLIC',
  },
  gce: {
    HOSTNAME: 'COREOS_GCE_HOSTNAME',
    PRIVATE_IPV4: 'COREOS_GCE_IP_LOCAL_0',
    PUBLIC_IPV4: 'COREOS_GCE_IP_EXTERNAL_0',
  },
  packet: {
    HOSTNAME: 'COREOS_PACKET_HOSTNAME',
    PRIVATE_IPV4: 'COREOS_PACKET_IPV4_PRIVATE_0',
    PUBLIC_IPV4: 'COREOS_PACKET_IPV4_PUBLIC_0',
    PUBLIC_IPV6: 'COREOS_PACKET_IPV6_PUBLIC_0',
  },
  'openstack-metadata': {
    HOSTNAME: 'COREOS_OPENSTACK_HOSTNAME',
    PRIVATE_IPV4: 'COREOS_OPENSTACK_IPV4_LOCAL',
    PUBLIC_IPV4: 'COREOS_OPENSTACK_IPV4_PUBLIC',
  },
  'vagrant-virtualbox': {
    HOSTNAME: 'COREOS_VAGRANT_VIRTUALBOX_HOSTNAME',
    PRIVATE_IPV4: 'COREOS_VAGRANT_VIRTUALBOX_PRIVATE_IPV4',
  },
  'cloudstack-configdrive': {
    HOSTNAME: 'CLOUDSTACK_LOCAL_HOSTNAME',
  },
  custom: {
    HOSTNAME: 'COREOS_CUSTOM_HOSTNAME',
    PRIVATE_IPV4: 'COREOS_CUSTOM_PRIVATE_IPV4',
    PUBLIC_IPV4: 'COREOS_CUSTOM_PUBLIC_IPV4',
    PRIVATE_IPV6: 'COREOS_CUSTOM_PRIVATE_IPV6',
    PUBLIC_IPV6: 'COREOS_CUSTOM_PUBLIC_IPV6',
  },
};

/** A unit "uses templating" when any argument holds a `{` or a `}` (docs/ct.md §8.1). */
export function hasTemplating(args: readonly string[]): boolean {
  return args.some((a) => a.includes('{') || a.includes('}'));
}

/** Result of a step that fails with one of ct's position-less convert errors. */
export type Fallible<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** Replaces `{FIELD}` placeholders in every argument with `${ENV}` (docs/ct.md §8.2). */
export function performTemplating(platform: string, args: readonly string[]): Fallible<string[]> {
  const fields = PLATFORM_TEMPLATE_FIELDS[platform];
  if (!fields) return { ok: false, error: ERR_UNKNOWN_PLATFORM };
  const out: string[] = [];
  for (const arg of args) {
    const substituted = substitute(arg, fields);
    if (substituted === undefined) return { ok: false, error: ERR_UNKNOWN_FIELD };
    out.push(substituted);
  }
  return { ok: true, value: out };
}

/**
 * ct's scan: the first `{` and first `}`; after a replacement, the next `{` is searched from the
 * *old* `}` index and the next `}` from that `{`. Works on UTF-8 bytes, as Go does, so index
 * arithmetic matches byte for byte. Undefined means an unknown field.
 */
function substitute(arg: string, fields: Readonly<Record<string, string>>): string | undefined {
  const OPEN = 0x7b;
  const CLOSE = 0x7d;
  let text = Buffer.from(arg, 'utf8');
  let start = text.indexOf(OPEN);
  let end = text.indexOf(CLOSE);
  while (start !== -1 && end !== -1 && start < end) {
    const name = text.subarray(start + 1, end).toString('utf8');
    if (!Object.prototype.hasOwnProperty.call(fields, name)) return undefined;
    const placeholder = Buffer.from(`{${name}}`, 'utf8');
    const at = text.indexOf(placeholder);
    text = Buffer.concat([text.subarray(0, at), Buffer.from(`\${${fields[name]}}`, 'utf8'), text.subarray(at + placeholder.length)]);
    start = text.indexOf(OPEN, end);
    if (start !== -1) end = text.indexOf(CLOSE, start);
  }
  return text.toString('utf8');
}

/** The sections of a generated drop-in (ct's `util.SystemdUnit`). */
export class DropinText {
  readonly unit: string[] = [];
  readonly service: string[] = [];
  readonly install: string[] = [];

  /** Non-empty sections, separated by a blank line, with no trailing newline. */
  render(): string {
    const sections: [string, string[]][] = [
      ['Unit', this.unit],
      ['Service', this.service],
      ['Install', this.install],
    ];
    return sections
      .filter(([, lines]) => lines.length > 0)
      .map(([name, lines]) => [`[${name}]`, ...lines].join('\n'))
      .join('\n\n');
  }
}

/**
 * ct's `assembleUnit`: the metadata dependency when templating is used, `Environment=` lines for
 * `vars`, and `ExecStart=` with one ` \`-continued line per argument (docs/ct.md §5.12, §8.1).
 */
export function assembleUnit(exec: string, args: readonly string[], vars: readonly string[], platform: string): Fallible<DropinText> {
  const out = new DropinText();
  let finalArgs = args;
  if (hasTemplating(args)) {
    if (platform === '') return { ok: false, error: ERR_PLATFORM_UNSPECIFIED };
    out.unit.push('Requires=coreos-metadata.service', 'After=coreos-metadata.service');
    out.service.push('EnvironmentFile=/run/metadata/coreos');
    const templated = performTemplating(platform, args);
    if (!templated.ok) return templated;
    finalArgs = templated.value;
  }
  for (const v of vars) out.service.push(`Environment="${v}"`);
  out.service.push('ExecStart=', `ExecStart=${exec}${finalArgs.map((a) => ` \\\n  ${a}`).join('')}`);
  return { ok: true, value: out };
}

export type OptionKind = 'string' | 'int' | 'bool';

/** One option of a versioned options struct: its YAML key, command-line flag and Go type. */
export interface OptionSpec {
  readonly key: string;
  readonly flag: string;
  readonly kind: OptionKind;
}

/** A versioned options struct (etcd/flannel): the schema to decode it, and how to render it. */
export interface OptionSet {
  readonly def: StructDef;
  readonly options: readonly OptionSpec[];
}

const KIND_SUFFIX: Readonly<Record<string, OptionKind>> = { i: 'int', b: 'bool' };

/**
 * Builds an options struct from `key`, `key:i` (int) or `key:b` (bool) entries. Every option is a
 * pointer in ct, so a present `false`, `0` or `""` is still emitted (docs/ct.md §5.12). The flag is
 * the key with `_` turned into `-` unless `flags` renames it.
 */
export function optionSet(goName: string, entries: readonly string[], flags: Readonly<Record<string, string>> = {}): OptionSet {
  // built on first use: a dozen sets of up to 70 options at load time were the biggest part of a cold `ct` start
  let built: OptionSet | undefined;
  const build = (): OptionSet => {
    if (built) return built;
    const options = entries.map((entry): OptionSpec => {
      const [key, suffix] = entry.split(':');
      return { key, flag: flags[key] ?? key.replace(/_/g, '-'), kind: suffix ? KIND_SUFFIX[suffix] : 'string' };
    });
    const fields: FieldDef[] = options.map((o) => field(goFieldName(o.key), o.key, ptr(goTypeOf(o.kind))));
    built = { def: { goName, fields }, options };
    optionSetsByDef.set(built.def, set);
    return built;
  };
  const set: OptionSet = {
    get def() {
      return build().def;
    },
    get options() {
      return build().options;
    },
  };
  return set;
}

const optionSetsByDef = new WeakMap<StructDef, OptionSet>();

/**
 * The option set whose struct a decoded etcd/flannel value holds (schema.ts `decodedOptionsDef`),
 * else `bySelection`: the set its version selects.
 */
export function heldOptionSet(value: GoStruct, bySelection: OptionSet | undefined): OptionSet | undefined {
  const def = decodedOptionsDef(value);
  return (def && optionSetsByDef.get(def)) ?? bySelection;
}

function goTypeOf(kind: OptionKind) {
  return kind === 'int' ? int : kind === 'bool' ? bool : str;
}

/** `advertise_client_urls` -> `AdvertiseClientUrls` (Go field names key the validator hooks). */
function goFieldName(key: string): string {
  return key
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** `%q` for strings, `%v` for ints and bools: Go's rendering of an option value (docs/ct.md §6). */
export function renderValue(value: string | number | bigint | boolean): string {
  return typeof value === 'string' ? quoteGo(value) : String(value);
}

/** ct's `getCliArgs`: `--flag=value` for every option present in the YAML, in struct order. */
export function renderArgs(set: OptionSet | undefined, value: GoStruct): string[] {
  if (!set) return [];
  return set.options
    .filter((o) => value[o.key] !== undefined && value[o.key] !== null)
    .map((o) => `--${o.flag}=${renderValue(value[o.key] as string | number | bigint | boolean)}`);
}

/** A unit ct generates: enabled (`enable: true`) with one drop-in (docs/ct.md §5.11 to §5.13). */
export function generatedUnit(name: string, dropinName: string, contents: string): IgnitionSystemdUnit {
  return {
    name,
    enable: true,
    enabled: undefined,
    mask: false,
    contents: '',
    dropins: [{ name: dropinName, contents }],
  };
}
