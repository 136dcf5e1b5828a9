/** CLC `systemd` (ct's `config/types/systemd.go`): user units, copied one to one. */
import { Report } from '../diagnostics';
import type { Translator } from '../convert';
import { bool, field, ptr, slice, str, struct, type GoStruct, type StructDef } from '../schema';
import { appendTo } from './common';
import type { SectionDescriptor } from '../section';

/** A systemd drop-in for a unit. */
export interface SystemdDropinConfig {
  /** File name of the drop-in; must end in `.conf`. */
  readonly name: string;
  /** Drop-in text (unit-file syntax). */
  readonly contents?: string;
}

/** A systemd unit written to `/etc/systemd/system`. */
export interface SystemdUnitConfig {
  /** Unit name including its type suffix, e.g. `app.service`. */
  readonly name: string;
  /** Deprecated form of `enabled: true` (emitted as `enable`). */
  readonly enable?: boolean;
  /** Enable (true) or disable (false) the unit; left alone when unset. */
  readonly enabled?: boolean;
  /** Mask the unit (link it to /dev/null). */
  readonly mask?: boolean;
  /** Full unit text; omit to only add drop-ins. */
  readonly contents?: string;
  /** Drop-ins for the unit. */
  readonly dropins?: readonly SystemdDropinConfig[];
}

/** The `systemd` section. */
export interface SystemdConfig {
  /** Units to write; generated units (docker, etcd, flannel) come before these (docs/ct.md §4). */
  readonly units?: readonly SystemdUnitConfig[];
}

const systemdDropinDef: StructDef = {
  goName: 'types.SystemdUnitDropIn',
  fields: [field('Name', 'name', str), field('Contents', 'contents', str)],
};

const systemdUnitDef: StructDef = {
  goName: 'types.SystemdUnit',
  fields: [
    field('Name', 'name', str),
    field('Enable', 'enable', bool),
    field('Enabled', 'enabled', ptr(bool)),
    field('Mask', 'mask', bool),
    field('Contents', 'contents', str),
    field('Dropins', 'dropins', slice(struct(systemdDropinDef))),
  ],
};

export const systemdDef: StructDef = {
  goName: 'types.Systemd',
  fields: [field('Units', 'units', slice(struct(systemdUnitDef)))],
};

export const systemdTranslator: Translator = (config, _ast, out) => {
  for (const unit of (config.systemd as GoStruct).units ?? []) {
    const dropins = ((unit.dropins as GoStruct[] | null) ?? []).map((d) => ({ name: d.name, contents: d.contents }));
    appendTo(out.systemd, 'units', {
      name: unit.name,
      enable: unit.enable,
      enabled: unit.enabled,
      mask: unit.mask,
      contents: unit.contents,
      dropins: dropins.length > 0 ? dropins : null,
    });
  }
  return new Report();
};

/** The section's part of `ContainerLinuxConfig`. */
export interface SystemdSectionConfig {
  /** systemd units. */
  readonly systemd?: SystemdConfig;
}

/** The top-level field (ct's `types.Config`). */
const systemdField = field('Systemd', 'systemd', struct(systemdDef));

/** The systemd section (ct's `config/types/systemd.go`). */
export const systemdSection: SectionDescriptor<SystemdSectionConfig> = {
  source: 'config/types/systemd.go',
  configField: { key: 'systemd', index: 3, def: () => systemdField },
  translate: systemdTranslator,
};
