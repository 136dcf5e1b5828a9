/**
 * What butane `config/util/util.go` `Translate` runs on the Ignition config it generated:
 * `validate.ValidateCustom(final, "json", ignvalidate.ValidateDups)`, then
 * `validate.Validate(final, "json")` (vcontext), merged in that order. Both are vcontext's pre-order
 * walk over the value: at every non-pointer value the check runs first (a type's `Validate`, or the
 * duplicate check at structs), then struct fields in Go order, slice elements, pointer targets.
 * Entries carry JSON paths; the caller maps them back to YAML.
 */
import type { ButaneEntry } from '../butane/entry';
import type { Path } from '../butane/path';
import type { FieldDef, GoStruct, GoType, StructDef } from '../schema';
import type { Hook, V3Kind } from '../ign3/rules-v31';
import { V3Walk } from '../ign3/validate-v31';
import { callKey, ignoresDuplicates, keyHandle } from './keys';
import { ignitionHooks } from './rules';
import { ignitionType, type IgnitionVersion } from './types';

const isNil = (v: unknown): boolean => v === undefined || v === null;

/** Whether walking into a value of type `t` can reach a hook or a struct (the rest is skipped). */
function worthWalking(t: GoType, hooks: Readonly<Record<string, Hook>>): boolean {
  switch (t.kind) {
    case 'struct':
      return true;
    case 'named':
      return t.goName in hooks || worthWalking(t.elem, hooks);
    case 'ptr':
    case 'slice':
      return worthWalking(t.elem, hooks);
    default:
      return false;
  }
}

/** `ValidateDups` at one struct: a key seen earlier in the same (or a merged) list is an error. */
function duplicates(def: StructDef, value: GoStruct, at: Path, out: ButaneEntry[]): void {
  const seen = new Map<string, Set<string>>();
  for (const f of def.fields) {
    let t = f.type;
    while (t.kind === 'named') t = t.elem;
    if (t.kind !== 'slice' || ignoresDuplicates(def.goName, f.name)) continue;
    const handle = keyHandle(def.goName, f.name);
    const keys = seen.get(handle) ?? new Set<string>();
    seen.set(handle, keys);
    const items = Array.isArray(value[f.key]) ? (value[f.key] as unknown[]) : [];
    items.forEach((item, i) => {
      const key = callKey(t.kind === 'slice' ? t.elem : t, item);
      if (keys.has(key)) out.push({ kind: 'error', message: 'duplicate entry defined', path: [...at, f.key, i] });
      keys.add(key);
    });
  }
}

/** Per struct type, the fields worth descending into (struct descriptors are unique per version). */
const walkedFields = new WeakMap<StructDef, readonly FieldDef[]>();
const hooksByVersion = new Map<IgnitionVersion, Readonly<Record<string, Hook>>>();

/** Hooks run at structs and named values, by Go type name; `ValidateDups` at every struct. */
class Walk extends V3Walk {
  readonly dups: ButaneEntry[] = [];
  readonly entries: ButaneEntry[] = [];

  constructor(private readonly hooks: Readonly<Record<string, Hook>>) {
    super();
  }

  add(kind: V3Kind, message: string | undefined, ...steps: (string | number)[]): void {
    if (message !== undefined) this.entries.push({ kind, message, path: [...this.path, ...steps] });
  }

  /** No value here went through an earlier validation (that is ct's 2.x translation only). */
  checked(): boolean {
    return false;
  }

  protected named(value: unknown, goName: string): void {
    this.hooks[goName]?.(value as GoStruct, this);
  }

  protected struct(value: GoStruct, def: StructDef): void {
    this.hooks[def.goName]?.(value, this);
    duplicates(def, value, this.path, this.dups);
    for (const f of this.fieldsToWalk(def)) this.at(f.key, value[f.key], f.type);
  }

  private fieldsToWalk(def: StructDef): readonly FieldDef[] {
    let fields = walkedFields.get(def);
    if (!fields) {
      fields = def.fields.filter((f) => worthWalking(f.type, this.hooks));
      walkedFields.set(def, fields);
    }
    return fields;
  }
}

/**
 * `value` with Go's zero values filled in where it leaves a non-pointer field out (JSON decoded from
 * Butane's own output omits `number: 0`, empty names, empty structs), so the rules see Go's values.
 */
function withZeroValues(value: unknown, type: GoType): unknown {
  switch (type.kind) {
    case 'string':
      return isNil(value) ? '' : value;
    case 'int':
    case 'uint':
      return isNil(value) ? 0 : value;
    case 'bool':
      return isNil(value) ? false : value;
    case 'named':
      return withZeroValues(value, type.elem);
    case 'ptr':
      return isNil(value) ? undefined : withZeroValues(value, type.elem);
    case 'slice':
      return Array.isArray(value) ? value.map((v) => withZeroValues(v, type.elem)) : undefined;
    case 'struct': {
      const obj = (value ?? {}) as GoStruct;
      const out: GoStruct = {};
      for (const f of type.def.fields) {
        const v = withZeroValues(obj[f.key], f.type);
        if (v !== undefined) out[f.key] = v;
      }
      return out;
    }
  }
}

function walkConfig(config: GoStruct, version: IgnitionVersion): Walk {
  let hooks = hooksByVersion.get(version);
  if (!hooks) {
    hooks = ignitionHooks(version);
    hooksByVersion.set(version, hooks);
  }
  const walk = new Walk(hooks);
  const type = ignitionType(version);
  walk.value(withZeroValues(config, type), type);
  return walk;
}

/** `validate.ValidateCustom(final, "json", ignvalidate.ValidateDups)`: `duplicate entry defined` entries. */
export const validateDuplicates = (config: GoStruct, version: IgnitionVersion): ButaneEntry[] => walkConfig(config, version).dups;

/** `validate.Validate(final, "json")`: every type's `Validate` findings, in walk order. */
export const validateConfig = (config: GoStruct, version: IgnitionVersion): ButaneEntry[] => walkConfig(config, version).entries;

/**
 * The whole report Butane makes of a generated Ignition config of spec `version` (JSON keys,
 * Go-shaped as in schema.ts): the duplicate entries first, then the `Validate` findings.
 */
export function validateIgnition(config: GoStruct, version: IgnitionVersion): ButaneEntry[] {
  const walk = walkConfig(config, version);
  return [...walk.dups, ...walk.entries];
}

/** Whether a report has an error (vcontext `IsFatal`), which makes Butane fail with `config generated was invalid`. */
export const hasError = (entries: readonly ButaneEntry[]): boolean => entries.some((e) => e.kind === 'error');
