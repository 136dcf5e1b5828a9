/**
 * Butane's JSON output (butane `config/util/util.go` `marshal`): `github.com/clarketm/json`, a fork of
 * Go's encoding/json whose `omitempty` also drops a struct when every field of it is empty,
 * recursively (docs/butane.md §7). Compact is `json.Marshal`, pretty is
 * `json.MarshalIndent(v, "", "  ")`; the encoding is go/json.ts's, strings HTML-escaped as in Go.
 * The result has no trailing newline: the CLI prints one.
 */
import { isEmpty, jsonMarshaller } from '../go/json';
import type { GoType } from '../schema';
import { ignitionType, type IgnitionVersion } from './types';

/** clarketm/json `isEmptyValue`: Go's rules, plus a struct is empty when all its exported fields are. */
export function isEmptyValue(type: GoType, v: unknown): boolean {
  if (type.kind === 'named') return isEmptyValue(type.elem, v);
  if (type.kind !== 'struct') return isEmpty(type, v);
  return v === undefined || v === null || type.def.fields.every((f) => isEmptyValue(f.type, (v as Record<string, unknown>)[f.key]));
}

/** Marshals a value of Go type `type` as clarketm/json does (compact, or indented by two spaces). */
export const marshalGoValue: (value: unknown, type: GoType, pretty: boolean) => string = jsonMarshaller(isEmptyValue);

/** Butane's output bytes for an Ignition config of spec `version`, without the final newline. */
export function marshalIgnition(config: unknown, version: IgnitionVersion, pretty: boolean): string {
  return marshalGoValue(config, ignitionType(version), pretty);
}
