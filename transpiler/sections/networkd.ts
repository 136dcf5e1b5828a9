/** CLC `networkd` (ct's `config/types/networkd.go`): networkd units, copied one to one. */
import { Report } from '../diagnostics';
import type { Translator } from '../convert';
import { field, slice, str, struct, type GoStruct, type StructDef } from '../schema';
import { appendTo } from './common';
import type { SectionDescriptor } from '../section';

/** A drop-in for a networkd unit. */
export interface NetworkdDropinConfig {
  /** File name of the drop-in; must end in `.conf`. */
  readonly name: string;
  /** Drop-in text. */
  readonly contents?: string;
}

/** A systemd-networkd unit written to `/etc/systemd/network`. */
export interface NetworkdUnitConfig {
  /** Unit name ending in `.network`, `.netdev` or `.link`. */
  readonly name: string;
  /** Unit text. */
  readonly contents?: string;
  /** Drop-ins for the unit. */
  readonly dropins?: readonly NetworkdDropinConfig[];
}

/** The `networkd` section. */
export interface NetworkdConfig {
  /** Units to write, in order. */
  readonly units?: readonly NetworkdUnitConfig[];
}

const networkdDropinDef: StructDef = {
  goName: 'types.NetworkdUnitDropIn',
  fields: [field('Name', 'name', str), field('Contents', 'contents', str)],
};

const networkdUnitDef: StructDef = {
  goName: 'types.NetworkdUnit',
  fields: [
    field('Name', 'name', str),
    field('Contents', 'contents', str),
    field('Dropins', 'dropins', slice(struct(networkdDropinDef))),
  ],
};

export const networkdDef: StructDef = {
  goName: 'types.Networkd',
  fields: [field('Units', 'units', slice(struct(networkdUnitDef)))],
};

export const networkdTranslator: Translator = (config, _ast, out) => {
  for (const unit of (config.networkd as GoStruct).units ?? []) {
    const dropins = ((unit.dropins as GoStruct[] | null) ?? []).map((d) => ({ name: d.name, contents: d.contents }));
    appendTo(out.networkd, 'units', {
      name: unit.name,
      contents: unit.contents,
      dropins: dropins.length > 0 ? dropins : null,
    });
  }
  return new Report();
};

/** The section's part of `ContainerLinuxConfig`. */
export interface NetworkdSectionConfig {
  /** systemd-networkd units. */
  readonly networkd?: NetworkdConfig;
}

/** The top-level field (ct's `types.Config`). */
const networkdField = field('Networkd', 'networkd', struct(networkdDef));

/** The networkd section (ct's `config/types/networkd.go`). */
export const networkdSection: SectionDescriptor<NetworkdSectionConfig> = {
  source: 'config/types/networkd.go',
  configField: { key: 'networkd', index: 4, def: () => networkdField },
  translate: networkdTranslator,
};
