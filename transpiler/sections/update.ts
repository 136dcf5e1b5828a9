/**
 * CLC `update` (ct's `config/types/update.go`; docs/ct.md §5.14): update group and server, which
 * together with `locksmith` become `/etc/coreos/update.conf`.
 */
import type { GeneratedFile, GeneratedKey } from '../api';
import type { Dialect, Translator } from '../convert';
import { Report } from '../diagnostics';
import { escapeDataUrl } from '../go/dataurl';
import { parseUrl } from '../go/url';
import type { IgnitionFile } from '../ignition/types';
import { field, named, ptr, str, struct, type FieldDef, type GoStruct, type StructDef } from '../schema';
import { appendTo } from './common';
import { LOCKSMITH_UPDATE_CONF_KEYS, locksmithLines } from './locksmith';
import type { SectionDescriptor } from '../section';

export const ERR_UNKNOWN_GROUP = 'unknown update group';

/** Typed form of the CLC `update` section. */
export interface UpdateConfig {
  /** Release channel (`stable`, `beta`, `alpha`; Flatcar also `lts`), lower-cased into GROUP. */
  readonly group?: string;
  /** Update server URL (SERVER); a custom group without a server gets a warning. */
  readonly server?: string;
  /** Flatcar only: PCR policy server (PCR_POLICY_SERVER). */
  readonly pcr_policy_server?: string;
  /** Flatcar only: update download user (DOWNLOAD_USER). */
  readonly download_user?: string;
  /** Flatcar only: update download password (DOWNLOAD_PASSWORD). */
  readonly download_password?: string;
  /** Flatcar only: machine alias shown by the update server (MACHINE_ALIAS). */
  readonly machine_alias?: string;
}

/** ct's `Update.Validate`: the group list is the same in Flatcar, so `lts` warns too (docs/ct.md §5.14). */
function validateGroup(u: GoStruct): Report {
  if (['stable', 'beta', 'alpha'].includes(((u.group as string | undefined) ?? '').toLowerCase())) return new Report();
  return u.server ? new Report() : Report.of('warning', ERR_UNKNOWN_GROUP);
}

/** ct's `UpdateServer.Validate`: Go's `url.Parse` error text. */
function validateServer(server: unknown): Report {
  const parsed = parseUrl(server as string);
  return parsed.error === undefined ? new Report() : Report.of('error', parsed.error);
}

/** Flatcar's extra keys: YAML key, Go type and update.conf variable, in emission order. */
const FLATCAR_KEYS: readonly [name: string, key: string, env: string][] = [
  ['PCRPolicyServer', 'pcr_policy_server', 'PCR_POLICY_SERVER'],
  ['DownloadUser', 'download_user', 'DOWNLOAD_USER'],
  ['DownloadPassword', 'download_password', 'DOWNLOAD_PASSWORD'],
  ['MachineAlias', 'machine_alias', 'MACHINE_ALIAS'],
];

function updateDef(dialect: Dialect): StructDef {
  const extra = dialect === 'flatcar' ? FLATCAR_KEYS.map(([name, key]) => field(name, key, named(`types.Update${name}`, str))) : [];
  return {
    goName: 'types.Update',
    fields: [
      field('Group', 'group', named('types.UpdateGroup', str)),
      field('Server', 'server', named('types.UpdateServer', str, validateServer)),
      ...extra,
    ],
    validate: validateGroup,
  };
}

const updateFields: Record<Dialect, FieldDef> = {
  coreos: field('Update', 'update', ptr(struct(updateDef('coreos')))),
  flatcar: field('Update', 'update', ptr(struct(updateDef('flatcar')))),
};

/** The top-level `update` field; Flatcar knows four more keys (docs/ct.md §11). */
export function updateField(dialect: Dialect): FieldDef {
  return updateFields[dialect];
}

/**
 * The update.conf text. Update values are raw, locksmith values `%q`-quoted; a missing group
 * leaves a leading newline and there is no trailing one (docs/ct.md §5.14, §12 item 8).
 */
export function updateConfText(update: GoStruct | undefined | null, locksmith: GoStruct | undefined | null, dialect: Dialect): string {
  let text = '';
  if (update) {
    if (update.group) text += `GROUP=${(update.group as string).toLowerCase()}`;
    if (update.server) text += `\nSERVER=${update.server as string}`;
    if (dialect === 'flatcar') {
      for (const [, key, env] of FLATCAR_KEYS) if (update[key]) text += `\n${env}=${update[key] as string}`;
    }
  }
  const lines = locksmith ? locksmithLines(locksmith) : [];
  if (lines.length > 0) text += '\n' + lines.join('\n');
  return text;
}

const UPDATE_CONF = '/etc/coreos/update.conf';

/** The update.conf keys the update section writes: GROUP lower-cased, the rest raw. */
function updateKeys(dialect: Dialect): Record<string, GeneratedKey> {
  const keys: Record<string, GeneratedKey> = {
    GROUP: { from: 'update.group', values: 'lower-case' },
    SERVER: { from: 'update.server', values: 'raw', validatedAs: 'URL' },
  };
  if (dialect === 'flatcar') for (const [, key, env] of FLATCAR_KEYS) keys[env] = { from: `update.${key}`, values: 'raw' };
  return keys;
}

const updateConfKeys: Record<Dialect, Readonly<Record<string, GeneratedKey>>> = {
  coreos: { ...updateKeys('coreos'), ...LOCKSMITH_UPDATE_CONF_KEYS },
  flatcar: { ...updateKeys('flatcar'), ...LOCKSMITH_UPDATE_CONF_KEYS },
};

/** What the update and locksmith sections generated: update.conf, with the sections that wrote lines into it. */
function updateConfGenerated(config: GoStruct, dialect: Dialect): GeneratedFile {
  const sections: string[] = [];
  if (updateConfText(config.update, undefined, dialect) !== '') sections.push('update');
  if (config.locksmith && locksmithLines(config.locksmith).length > 0) sections.push('locksmith');
  return { kind: 'file', sections, path: UPDATE_CONF, keys: updateConfKeys[dialect] };
}

/** Runs last, so the file follows the user's files; nothing is de-duplicated (docs/ct.md §4). */
export const updateTranslator: Translator = (config, _ast, out, ctx) => {
  const text = updateConfText(config.update, config.locksmith, ctx.dialect);
  if (text !== '') {
    const file: IgnitionFile = {
      filesystem: 'root',
      group: undefined,
      overwrite: undefined,
      path: UPDATE_CONF,
      user: undefined,
      append: false,
      contents: { compression: '', source: `data:,${escapeDataUrl(text)}`, verification: { hash: undefined } },
      mode: 0o644,
    };
    appendTo(out.storage, 'files', file);
    ctx.generated.push(updateConfGenerated(config, ctx.dialect));
  }
  return new Report();
};

/** The section's part of `ContainerLinuxConfig`. */
export interface UpdateSectionConfig {
  /** Update channel and server (`/etc/coreos/update.conf`). */
  readonly update?: UpdateConfig;
}

/** The update section (ct's `config/types/update.go`). */
export const updateSection: SectionDescriptor<UpdateSectionConfig> = {
  source: 'config/types/update.go',
  configField: { key: 'update', index: 8, def: updateField },
  translate: updateTranslator,
  capability: 'update',
};
