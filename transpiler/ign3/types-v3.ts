/**
 * Ignition spec 3.1.0 and 3.3.0 `types.Config` (coreos/ignition v2 `config/v3_1/types/schema.go`,
 * `config/v3_3/types/schema.go`), from the descriptors Butane's port uses (ignition-v3/types.ts):
 * go/json.ts marshals them like Go, structs always emitted (docs/ignition-2to3.md §7).
 */
import type { GoType } from '../schema';
import { ignitionType } from '../ignition-v3/types';

/** Go type names, also the keys of the 3.x validation hooks (validate-v31.ts). */
export const V3_TYPE = {
  config: 'types.Config',
  ignitionConfig: 'types.IgnitionConfig',
  resource: 'types.Resource',
  tls: 'types.TLS',
  user: 'types.PasswdUser',
  storage: 'types.Storage',
  file: 'types.File',
  directory: 'types.Directory',
  link: 'types.Link',
  /** The owner check of Go's `NodeGroup` and `NodeUser` (validate-v31.ts runs it at both). */
  nodeOwner: 'types.NodeOwner',
  disk: 'types.Disk',
  partition: 'types.Partition',
  filesystem: 'types.Filesystem',
  raid: 'types.Raid',
  unit: 'types.Unit',
  dropin: 'types.Dropin',
  header: 'types.HTTPHeader',
  group: 'types.PasswdGroup',
  luks: 'types.Luks',
  proxy: 'types.Proxy',
  systemd: 'types.Systemd',
} as const;

/** Spec 3.1.0, the translator's own output (Flatcar marshals it and re-parses the bytes). */
export const ignitionConfigV31: GoType = ignitionType('3.1.0');
/** Spec 3.3.0, what this port emits (Butane's descriptor; ct marshals it with Go's own `omitempty`). */
export const ignitionConfigV33: GoType = ignitionType('3.3.0');

/** Go-shaped 3.x values (schema.ts representation: undefined = nil pointer, null = nil slice). */
export interface V3Resource {
  compression?: string;
  httpHeaders: { name: string; value?: string }[] | null;
  source?: string;
  verification: { hash?: string };
}
