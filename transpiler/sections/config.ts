/** The top-level CLC struct (ct's `types.Config` in `config/types/config.go`). */
import type { Dialect } from '../convert';
import { Report } from '../diagnostics';
import { field, int, struct, type FieldDef, type StructDef } from '../schema';
import { dockerField } from './docker';
import { etcdField } from './etcd';
import { flannelField } from './flannel';
import { ignitionDef } from './ignition';
import { locksmithField } from './locksmith';
import { networkdDef } from './networkd';
import { passwdDef } from './passwd';
import { storageDef } from './storage';
import { systemdDef } from './systemd';
import { updateField } from './update';

/** Flatcar's undocumented `version` key; only 0 is accepted (docs/ct.md §5). */
const flatcarVersionField = field('Version', 'version', int);

function versionCheck(config: Record<string, unknown>): Report {
  return config.version === 0 ? new Report() : Report.of('error', 'Invalid version. Only version 0 is supported');
}

function buildConfigDef(dialect: Dialect): StructDef {
  const fields: FieldDef[] = [
    ...(dialect === 'flatcar' ? [flatcarVersionField] : []),
    field('Ignition', 'ignition', struct(ignitionDef)),
    field('Storage', 'storage', struct(storageDef(dialect))),
    field('Systemd', 'systemd', struct(systemdDef)),
    field('Networkd', 'networkd', struct(networkdDef)),
    field('Passwd', 'passwd', struct(passwdDef)),
    etcdField(dialect),
    flannelField(dialect),
    updateField(dialect),
    dockerField,
    locksmithField,
  ];
  return {
    goName: 'types.Config',
    fields,
    fieldValidators: dialect === 'flatcar' ? { Version: versionCheck } : undefined,
  };
}

const configDefs = new Map<Dialect, StructDef>();

/** The CLC root struct for a dialect; field order is ct's (docs/ct.md §10.6). */
export function configDef(dialect: Dialect): StructDef {
  let def = configDefs.get(dialect);
  if (!def) {
    def = buildConfigDef(dialect);
    configDefs.set(dialect, def);
  }
  return def;
}
