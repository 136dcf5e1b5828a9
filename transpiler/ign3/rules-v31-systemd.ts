/**
 * The spec 3.1 checks about systemd units (coreos/ignition v2.24.0 `config/v3_1/types`: `Config`,
 * `Systemd`, `Unit` and `Dropin` `Validate`), with go-systemd v22's parser semantics: a unit whose
 * contents parse holds a non-nil (maybe empty) option list, so an enabled unit of only section
 * headers or comments still "has no install section".
 */
import { quoteGo } from '../go/quote';
import { deserializeUnit } from '../go/systemd-unit';
import { pathExt, SYSTEMD_UNIT_EXTS } from '../ignition/rules';
import type { GoStruct } from '../schema';
import type { Hook, V3Reporter } from './rules-v31';

const list = (v: unknown): GoStruct[] => (Array.isArray(v) ? (v as GoStruct[]) : []);
const notEmpty = (s: unknown): s is string => typeof s === 'string' && s !== '';

/**
 * Ignition's `parse.ParseUnitContents` over go-systemd v22 `unit.Deserialize`: whether the text
 * parsed, whether an option sits in [Install], and the error text. go-systemd v22 returns a
 * non-nil option list on success even when it is empty (older releases returned nil there).
 */
function parseUnitContents(contents: string): { readonly parsed: boolean; readonly hasInstall: boolean; readonly error?: string } {
  const { options, error } = deserializeUnit(contents);
  if (error !== undefined) return { parsed: false, hasInstall: false, error: `invalid unit content: ${error}` };
  return { parsed: true, hasInstall: options?.some((o) => o.section === 'Install') ?? false };
}

/** `Config.Validate`: a file, directory or link where a unit or drop-in with contents will be written. */
export const configHook: Hook = (config, r) => {
  const unitPaths = new Set<string>();
  for (const unit of list(config.systemd?.units)) {
    // the name is not cleaned here, unlike node paths
    if (notEmpty(unit.contents)) unitPaths.add(`/etc/systemd/system/${unit.name as string}`);
    for (const dropin of list(unit.dropins)) {
      if (notEmpty(dropin.contents)) unitPaths.add(`/etc/systemd/system/${unit.name as string}.d/${dropin.name as string}`);
    }
  }
  if (unitPaths.size === 0) return;
  for (const kind of ['files', 'directories', 'links']) {
    list(config.storage?.[kind]).forEach((node, i) => {
      if (unitPaths.has(node.path as string)) r.add('error', 'path conflicts with systemd unit or dropin', 'storage', kind, i, 'path');
    });
  }
};

/** Go's `^(.+?)@(.+?)\.service$`: Go's `.` excludes only "\n", JS's also "\r", U+2028 and U+2029. */
const INSTANCE_UNIT = /^([^\n]+?)@([^\n]+?)\.service$/;

/** `Systemd.Validate`: an enabled instance `x@y.service` whose template `x@.service` has contents without [Install]. */
export const systemdHook: Hook = (systemd, r) => {
  const units = list(systemd.units);
  if (units.length === 0) return;
  // Go fills a map by name: the last unit of a name wins (names are unique after merging)
  const byName = new Map(units.map((u) => [u.name as string, u]));
  units.forEach((unit, i) => {
    if (unit.enabled !== true) return;
    const match = INSTANCE_UNIT.exec(unit.name as string);
    if (!match) return;
    const template = `${match[1]}@.service`;
    const contents = byName.get(template)?.contents;
    if (!notEmpty(contents)) return;
    const { parsed, hasInstall } = parseUnitContents(contents);
    if (parsed && !hasInstall) {
      r.add('warning', `template unit ${quoteGo(template)} for ${quoteGo(unit.name as string)} doesn't have Install section`, 'units', i, 'contents');
    }
  });
};

/** `Unit.Validate`: the extension, the contents, and `ValidateInstallSection`. */
export const unitHook: Hook = (u, r: V3Reporter) => {
  const name = u.name as string;
  r.add('error', SYSTEMD_UNIT_EXTS.includes(pathExt(name)) ? undefined : 'invalid systemd unit extension', 'name');
  const contents = u.contents as string | undefined;
  const enabled = u.enabled === true;
  // checked contents parsed under the 2.x rules; only the install-section warning still needs them
  if (r.checked(u) && !(enabled && notEmpty(contents))) return;
  const { parsed, hasInstall, error } = parseUnitContents(contents ?? '');
  r.add('error', error, 'contents');
  const warn = enabled && notEmpty(contents) && parsed && !hasInstall;
  r.add('warning', warn ? `unit ${quoteGo(name)} is enabled, but has no install section so enable does nothing` : undefined, 'contents');
};

/** `Dropin.Validate`. */
export const dropinHook: Hook = (d, r) => {
  r.add('error', pathExt(d.name as string) === '.conf' ? undefined : 'invalid systemd drop-in extension', 'name');
  if (!r.checked(d)) r.add('error', parseUnitContents((d.contents as string | undefined) ?? '').error, 'contents');
};
