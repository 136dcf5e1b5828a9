/** Test helpers: Go-shaped Ignition values built from zero values plus overrides, and vector files. */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { Dialect } from '../../transpiler/convert';
import { goSprintfNoArgs, type Report } from '../../transpiler/diagnostics';
import { ignitionConfigType, newIgnitionConfig, type IgnitionConfig } from '../../transpiler/ignition';
import { zeroValue, type GoStruct, type GoType } from '../../transpiler/schema';

/** The Go type at a dotted JSON path of the config (`storage.files` gives the file element type). */
function typeAt(dialect: Dialect, path: string): GoType {
  let t = ignitionConfigType(dialect);
  for (const key of path.split('.')) {
    while (t.kind === 'ptr' || t.kind === 'slice') t = t.elem;
    if (t.kind !== 'struct') throw new Error(`no struct at ${key}`);
    const f = t.def.fields.find((x) => x.key === key);
    if (!f) throw new Error(`no field ${key}`);
    t = f.type;
  }
  while (t.kind === 'ptr' || t.kind === 'slice') t = t.elem;
  return t;
}

/** Deep-merges `over` into a zero value of `type` (objects merge, everything else replaces). */
function fill(type: GoType, over: unknown): unknown {
  if (type.kind === 'ptr') return over === undefined ? undefined : fill(type.elem, over);
  if (type.kind === 'slice') return over === undefined || over === null ? null : (over as unknown[]).map((x) => fill(type.elem, x));
  if (type.kind !== 'struct' || over === undefined) return over === undefined ? zeroValue(type) : over;
  const out = zeroValue(type) as GoStruct;
  for (const f of type.def.fields) {
    const v = (over as GoStruct)[f.key];
    if (v !== undefined) out[f.key] = fill(f.type, v);
  }
  return out;
}

/** An element of the list (or the struct) at `path`, e.g. `make('coreos', 'storage.files', {...})`. */
export function make(dialect: Dialect, path: string, over: GoStruct): GoStruct {
  return fill(typeAt(dialect, path), over) as GoStruct;
}

/** A config for `dialect` with the given sections filled in (ct's output before validation). */
export function config(dialect: Dialect, over: GoStruct): IgnitionConfig {
  const base = newIgnitionConfig(dialect) as unknown as GoStruct;
  for (const [section, value] of Object.entries(over)) {
    const t = typeAt(dialect, section);
    base[section] = fill(t, { ...(section === 'ignition' ? { version: base.ignition.version } : {}), ...(value as GoStruct) });
  }
  return base as unknown as IgnitionConfig;
}

const vectorDir = join(__dirname, '..', 'conformance', 'ct');

export const vectorFile = (name: string, file: string): string => readFileSync(join(vectorDir, name, file), 'utf8');

export const vectorInput = (name: string): string => vectorFile(name, 'input.yaml');

/** ct's stderr for the vector (without the final newline main prints). */
export function vectorStderr(name: string, dialect: Dialect): string {
  return vectorFile(name, dialect === 'flatcar' ? 'stderr.flatcar.txt' : 'stderr.txt').replace(/\n$/, '');
}

/** A report as ct prints it (printf-mangled, no trailing newline). */
export const printed = (report: Report): string => goSprintfNoArgs(report.toString());
