/**
 * The 2.x config types Flatcar's Ignition parses with (flatcar/ignition v0.36.2 `config/v2_*`),
 * derived from ct's 2.2 and 2.3 descriptors (`ignition/`), which ct itself needs unchanged:
 * - 2.4: 2.3 plus `httpHeaders` on references and file contents, `ignition.proxy`, and the
 *   `HTTPHeaders.Validate` rules; the version ceiling is 2.4.0.
 * - 2.3: as ct's Flatcar dialect validates it (same library).
 * - 2.2: Flatcar's own 2.2 rules, laxer and stricter than ct v0.9.0's vendored ones: no soft-link
 *   target check, and sources as 2.3 checks them (`efi` allowed, s3 `versionId` checked).
 */
import { Report } from '../diagnostics';
import { ignitionConfigV22, ignitionConfigV23 } from '../ignition';
import * as rules from '../ignition/rules';
import { quoteGo } from '../go/quote';
import { field, slice, str, struct, type FieldDef, type GoStruct, type GoType, type StructDef } from '../schema';
import { compareSemver, newVersion, semver } from '../go/semver';

type Edit = (def: StructDef) => StructDef;

/** `type` with every struct definition passed through `edit` (shared definitions stay shared). */
export function rebuildConfig(type: GoType, edit: Edit, seen = new Map<StructDef, StructDef>()): GoType {
  switch (type.kind) {
    case 'ptr':
    case 'slice':
      return { kind: type.kind, elem: rebuildConfig(type.elem, edit, seen) };
    case 'named':
      return { ...type, elem: rebuildConfig(type.elem, edit, seen) };
    case 'struct': {
      let def = seen.get(type.def);
      if (!def) {
        const fields = type.def.fields.map((f) => ({ ...f, type: rebuildConfig(f.type, edit, seen) }));
        def = edit({ ...type.def, fields });
        seen.set(type.def, def);
      }
      return { kind: 'struct', def };
    }
    default:
      return type;
  }
}

const opt = (name: string, key: string, type: GoType): FieldDef => field(name, key, type, true);

/** `HTTPHeaders.Validate` (v2_4): empty names, then repeated ones, one entry per header. */
function headersRule(headers: GoStruct[] | null): Report {
  const r = new Report();
  const found = new Set<string>();
  for (const h of headers ?? []) {
    const name = h.name as string;
    if (name === '') r.add('error', "HTTP header name can't be empty");
    else if (found.has(name)) r.add('error', `Found duplicate HTTP header: ${quoteGo(name)}`);
    else found.add(name);
  }
  return r;
}

const headersType: GoType = slice(struct({ goName: 'types.HTTPHeader', fields: [opt('Name', 'name', str), opt('Value', 'value', str)] }));

const proxyType: GoType = struct({
  goName: 'types.Proxy',
  fields: [opt('HTTPProxy', 'httpProxy', str), opt('HTTPSProxy', 'httpsProxy', str), opt('NoProxy', 'noProxy', slice(str))],
});

/** `Ignition.Validate` of a spec whose newest version is `max`. */
function versionRule(version: string, max: [number, number, number]): Report {
  const v = newVersion(version);
  if (!v) return Report.of('error', "invalid config version (couldn't parse)");
  const top = semver(...max);
  if (top.major > v.major) return Report.of('error', 'incorrect config version (too old)');
  return compareSemver(top, v) < 0 ? Report.of('error', 'incorrect config version (too new)') : new Report();
}

const WITH_HEADERS = new Set(['types.ConfigReference', 'types.CaReference', 'types.FileContents']);

/** `Ignition.Validate` with go-semver's own parsing (ct's rule only needs ct's own versions). */
const withVersionRule = (def: StructDef, max: [number, number, number]): StructDef => ({
  ...def,
  validate: (i) => versionRule(i.version as string, max),
});

function toFlatcarV23(def: StructDef): StructDef {
  if (def.goName === 'types.Ignition') return withVersionRule(def, [2, 3, 0]);
  return def;
}

function toV24(def: StructDef): StructDef {
  if (WITH_HEADERS.has(def.goName)) {
    return {
      ...def,
      fields: [opt('HTTPHeaders', 'httpHeaders', headersType), ...def.fields],
      fieldValidators: { ...def.fieldValidators, HTTPHeaders: (v) => headersRule(v.httpHeaders as GoStruct[] | null) },
    };
  }
  if (def.goName === 'types.Ignition') {
    const fields = [...def.fields];
    fields.splice(fields.findIndex((f) => f.key === 'security'), 0, opt('Proxy', 'proxy', proxyType));
    return withVersionRule({ ...def, fields }, [2, 4, 0]);
  }
  return def;
}

/** Flatcar's 2.2 source check: what 2.3 accepts, with 2.2's plain messages (only pass/fail is read). */
function flatcarSourceRule(source: unknown): Report {
  const err = rules.urlError(source as string, '2.3');
  return err === undefined ? new Report() : Report.of('error', err);
}

function toFlatcarV22(def: StructDef): StructDef {
  switch (def.goName) {
    case 'types.Ignition':
      return withVersionRule(def, [2, 2, 0]);
    case 'types.Link': {
      const { Target: _target, ...rest } = def.fieldValidators ?? {};
      return { ...def, fieldValidators: rest };
    }
    case 'types.ConfigReference':
    case 'types.CaReference':
    case 'types.FileContents':
      return { ...def, fieldValidators: { ...def.fieldValidators, Source: (c) => flatcarSourceRule(c.source) } };
    default:
      return def;
  }
}

/** 2.3 as Flatcar's parse checks it: ct's 2.3 rules, with int64-exact partition checks. */
export const ignitionConfigV23Flatcar: GoType = rebuildConfig(ignitionConfigV23, toFlatcarV23);
export const ignitionConfigV24: GoType = rebuildConfig(ignitionConfigV23Flatcar, toV24);
export const ignitionConfigV22Flatcar: GoType = rebuildConfig(ignitionConfigV22, toFlatcarV22);
