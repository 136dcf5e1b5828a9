/**
 * The top-level CLC struct (ct's `types.Config` in `config/types/config.go`), derived from the
 * section list in `translators.ts`: each section that owns a top-level field says where ct
 * declares it, so the field order is ct's even though the converter order differs.
 */
import type { Dialect } from '../convert';
import type { Report } from '../diagnostics';
import type { FieldDef, GoStruct, StructDef } from '../schema';
import type { SectionDescriptor } from '../section';
import { sections } from '../translators';

/** `types.Config` for a dialect from a section list; field order is ct's (docs/ct.md §10.6). */
export function buildConfigDef(list: readonly SectionDescriptor[], dialect: Dialect): StructDef {
  const owned = list
    .flatMap(({ source, configField }) => (configField ? [{ source, ...configField }] : []))
    .sort((a, b) => a.index - b.index);
  const fields: FieldDef[] = [];
  const validators: Record<string, (value: GoStruct) => Report> = {};
  for (const owner of owned) {
    const def = owner.def(dialect);
    if (!def) continue;
    if (def.key !== owner.key) throw new Error(`${owner.source}: field ${def.name} has key ${def.key}, not ${owner.key}`);
    if (fields.some((f) => f.key === def.key)) throw new Error(`${owner.source}: another section owns the config key ${def.key}`);
    fields.push(def);
    if (owner.validate) validators[def.name] = owner.validate;
  }
  return {
    goName: 'types.Config',
    fields,
    fieldValidators: Object.keys(validators).length > 0 ? validators : undefined,
  };
}

const configDefs = new Map<Dialect, StructDef>();

/** The CLC root struct for a dialect, built once from `sections`. */
export function configDef(dialect: Dialect): StructDef {
  let def = configDefs.get(dialect);
  if (!def) {
    def = buildConfigDef(sections, dialect);
    configDefs.set(dialect, def);
  }
  return def;
}
