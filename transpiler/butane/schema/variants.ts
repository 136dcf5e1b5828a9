/**
 * The top-level YAML struct of each supported variant/version (`config/flatcar/v1_x/schema.go`,
 * `config/fcos/v1_x/schema.go`): `base.Config` embedded with `yaml:",inline"`, plus fcos's own
 * sections. go-yaml flattens an inline struct into its parent's key set, and vcontext's walk
 * (`validate.GetFields`) flattens it in field order, so each Config here lists the base fields
 * (`version`, `variant`, ...) first and the variant's own fields after them.
 */
import { bool, field, int, ptr, slice, str, type GoType, type StructDef, struct } from '../../schema';
import { v0_4, v0_5, v0_6, type ButaneBase } from './base';

export type { ButaneBase } from './base';

export interface ButaneConfigSchema {
  readonly variant: 'flatcar' | 'fcos';
  /** go-semver's `String()` of the version, e.g. `1.5.0`. */
  readonly version: string;
  readonly base: ButaneBase;
  /** The embedded `base.Config` (`v0_5.Config`). */
  readonly baseConfig: StructDef;
  /** The variant's `Config` with the base fields flattened in (`v1_5.Config`). */
  readonly config: StructDef;
}

/** `base.Config` inlined into a variant's `Config` named `goName`, followed by `extra`. */
const inline = (goName: string, base: StructDef, extra: StructDef['fields'] = []): StructDef => ({
  goName,
  fields: [...base.fields, ...extra],
});

const pstr = ptr(str);
const pint = ptr(int);
const pbool = ptr(bool);

/**
 * fcos 1.4.0 to 1.6.0 (`config/fcos/v1_x/schema.go`): `boot_device`, and from 1.5.0 `grub`.
 * 1.5.0 is v1_5_exp without `extensions` (dropped in Butane 0.18); 1.6.0 is as `v1_7_exp` has it
 * (s390x `device` and `cex` on the boot LUKS).
 */
function fcos(minor: 4 | 5 | 6, base: typeof v0_4) {
  const def = (name: string, fields: StructDef['fields']): StructDef => ({ goName: `v1_${minor}.${name}`, fields });
  const BootDeviceLuks = def('BootDeviceLuks', [
    ...(base.Cex ? [field('Cex', 'cex', struct(base.Cex))] : []),
    ...(minor >= 5 ? [field('Discard', 'discard', pbool)] : []),
    ...(minor >= 6 ? [field('Device', 'device', pstr)] : []),
    field('Tang', 'tang', slice(struct(base.Tang))),
    field('Threshold', 'threshold', pint),
    field('Tpm2', 'tpm2', pbool),
  ]);
  const BootDeviceMirror = def('BootDeviceMirror', [field('Devices', 'devices', slice(str))]);
  const BootDevice = def('BootDevice', [
    field('Layout', 'layout', pstr),
    field('Luks', 'luks', struct(BootDeviceLuks)),
    field('Mirror', 'mirror', struct(BootDeviceMirror)),
  ]);
  const bootDevice = field('BootDevice', 'boot_device', struct(BootDevice));
  if (minor === 4) return { Config: inline('v1_4.Config', base.Config, [bootDevice]), BootDevice, BootDeviceLuks, BootDeviceMirror };
  const GrubUser = def('GrubUser', [field('Name', 'name', str), field('PasswordHash', 'password_hash', pstr)]);
  const Grub = def('Grub', [field('Users', 'users', slice(struct(GrubUser)))]);
  const Config = inline(`v1_${minor}.Config`, base.Config, [bootDevice, field('Grub', 'grub', struct(Grub))]);
  return { Config, BootDevice, BootDeviceLuks, BootDeviceMirror, Grub, GrubUser };
}

export const fcos_v1_4 = fcos(4, v0_4);
export const fcos_v1_5 = fcos(5, v0_5);
export const fcos_v1_6 = fcos(6, v0_6);

/** flatcar 1.0.0 and 1.1.0 (`config/flatcar/v1_x/schema.go`): the base config and nothing else. */
export const flatcar_v1_0 = { Config: inline('v1_0.Config', v0_4.Config) };
export const flatcar_v1_1 = { Config: inline('v1_1.Config', v0_5.Config) };

const SCHEMAS: readonly ButaneConfigSchema[] = [
  { variant: 'flatcar', version: '1.0.0', base: 'v0_4', baseConfig: v0_4.Config, config: flatcar_v1_0.Config },
  { variant: 'flatcar', version: '1.1.0', base: 'v0_5', baseConfig: v0_5.Config, config: flatcar_v1_1.Config },
  { variant: 'fcos', version: '1.4.0', base: 'v0_4', baseConfig: v0_4.Config, config: fcos_v1_4.Config },
  { variant: 'fcos', version: '1.5.0', base: 'v0_5', baseConfig: v0_5.Config, config: fcos_v1_5.Config },
  { variant: 'fcos', version: '1.6.0', base: 'v0_6', baseConfig: v0_6.Config, config: fcos_v1_6.Config },
];

/** The schema registered for `variant` and `version` (go-semver's `String()`), if this port supports it. */
export function butaneConfigSchema(variant: string, version: string): ButaneConfigSchema | undefined {
  return SCHEMAS.find((s) => s.variant === variant && s.version === version);
}

/** The Go type the whole document is decoded into (`decode(doc, type, 'v3')`), if supported. */
export function butaneConfigType(variant: string, version: string): GoType | undefined {
  const s = butaneConfigSchema(variant, version);
  return s && struct(s.config);
}
