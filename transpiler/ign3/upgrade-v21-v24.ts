/**
 * The 2.1 types and the upgrades 2.1 -> 2.2 -> 2.3 -> 2.4 (`TranslateFromV2_1` in
 * `config/v2_2/translate.go`, `config/v2_3/translate.go`, `config/v2_4/translate.go` of
 * flatcar/ignition v0.36.2), in place on Go-shaped values. Each upgrade copies what both versions
 * have; the version becomes the newer spec's.
 */
import { int, type GoStruct, type GoType, type StructDef } from '../schema';
import { ignitionConfigV22Flatcar, rebuildConfig } from './types-v2';

const list = (v: unknown): GoStruct[] => (Array.isArray(v) ? (v as GoStruct[]) : []);

const without = (def: StructDef, ...keys: string[]): StructDef => ({ ...def, fields: def.fields.filter((f) => !keys.includes(f.key)) });

/** 2.1's nodes: no `overwrite`, owners are plain structs, `mode` a plain int. */
function nodeV21(def: StructDef): StructDef {
  const fields = def.fields
    .filter((f) => f.key !== 'overwrite' && f.key !== 'append')
    .map((f) => {
      if ((f.key === 'user' || f.key === 'group') && f.type.kind === 'ptr') return { ...f, type: f.type.elem };
      if (f.key === 'mode') return { ...f, type: int };
      return f;
    });
  return { ...def, fields };
}

function toV21(def: StructDef): StructDef {
  switch (def.goName) {
    case 'types.Ignition':
      return without(def, 'security');
    case 'types.File':
    case 'types.Directory':
    case 'types.Link':
      return nodeV21(def);
    case 'types.Networkdunit':
      return without(def, 'dropins');
    case 'types.Raid':
      return without(def, 'options');
    default:
      return def;
  }
}

/** Ignition 2.1's `types.Config` (`config/v2_1/types/schema.go`), checked with the 2.2 rules of what it has. */
export const ignitionConfigV21: GoType = rebuildConfig(ignitionConfigV22Flatcar, toV21);

/** `TranslateFromV2_1`: owners become non-nil pointers, modes pointers even when 0. */
export function upgradeV21ToV22(config: GoStruct): GoStruct {
  const storage = config.storage as GoStruct;
  for (const key of ['files', 'directories', 'links']) {
    for (const node of list(storage[key])) {
      node.overwrite = undefined;
      if (key !== 'links') node.mode ??= 0;
      if (key === 'files') node.append = false;
    }
  }
  for (const unit of list(config.networkd.units)) unit.dropins = null;
  for (const raid of list(storage.raid)) raid.options = null;
  config.ignition.security = { tls: { certificateAuthorities: null } };
  config.ignition.version = '2.2.0';
  return config;
}

/** 2.2 -> 2.3 (`config/v2_3/translate.go`): sector sizes and the label become pointers, set even when 0. */
export function upgradeV22ToV23(config: GoStruct): GoStruct {
  for (const disk of list(config.storage.disks)) {
    for (const p of list(disk.partitions)) {
      p.wipePartitionEntry = false;
    }
  }
  config.ignition.version = '2.3.0';
  return config;
}

const EMPTY_PROXY = (): GoStruct => ({ httpProxy: '', httpsProxy: '', noProxy: null });

/** 2.3 -> 2.4: no headers, no proxy. */
export function upgradeV23ToV24(config: GoStruct): GoStruct {
  const ignition = config.ignition as GoStruct;
  for (const ref of list(ignition.config.append)) ref.httpHeaders = null;
  if (ignition.config.replace) ignition.config.replace.httpHeaders = null;
  for (const ca of list(ignition.security.tls.certificateAuthorities)) ca.httpHeaders = null;
  for (const f of list(config.storage.files)) f.contents.httpHeaders = null;
  ignition.proxy = EMPTY_PROXY();
  ignition.version = '2.4.0';
  return config;
}

