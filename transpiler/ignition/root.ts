/** Checks on the whole config (`Config.Validate`) and on `ignition.version` (`Ignition.Validate`). */
import { Report } from '../diagnostics';
import type { GoStruct } from '../schema';
import { quoteGo } from '../go/quote';
import type { IgnitionSpec } from './rules';

/** `Config.Validate`: nodes on unknown filesystems (files, links, directories), then shadowed filesystems. */
export function configRule(config: GoStruct): Report {
  const r = new Report();
  const storage = config.storage as GoStruct;
  const filesystems = (storage.filesystems as GoStruct[] | null) ?? [];
  const known = new Set<string>(['root', ...filesystems.map((fs) => fs.name as string)]);
  const nodes: [string, string][] = [
    ['files', 'File'],
    ['links', 'Link'],
    ['directories', 'Directory'],
  ];
  for (const [key, kind] of nodes) {
    for (const node of (storage[key] as GoStruct[] | null) ?? []) {
      const fs = node.filesystem as string;
      // An empty filesystem is the node's own error (`no filesystem specified`), not this warning.
      if (fs === '' || known.has(fs)) continue;
      r.add(
        'warning',
        `${kind} ${quoteGo(node.path as string)} references nonexistent filesystem ${quoteGo(fs)}. (This is ok if it is defined in a referenced config)`,
      );
    }
  }
  const defined = new Set<string>(['root']);
  for (const fs of filesystems) {
    const name = fs.name as string;
    // "exising" is Ignition's spelling.
    if (defined.has(name)) r.add('warning', `Filesystem ${quoteGo(name)} shadows exising filesystem definition`);
    defined.add(name);
  }
  return r;
}

/** go-semver `NewVersion` reduced to what the comparison needs; undefined when it does not parse. */
function parseSemver(v: string): { major: number; minor: number; patch: number; pre: string } | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(v);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), pre: m[4] ?? '' };
}

/** `Ignition.Validate`: the version must parse, share the major version, and not exceed the spec. */
export function versionRule(ignition: GoStruct, spec: IgnitionSpec): Report {
  const v = parseSemver(ignition.version as string);
  if (!v) return Report.of('error', 'invalid config version (couldn\'t parse)');
  const max = { major: 2, minor: spec === '2.2' ? 2 : 3, patch: 0 };
  if (max.major > v.major) return Report.of('error', 'incorrect config version (too old)');
  const newer =
    v.major !== max.major ? v.major > max.major : v.minor !== max.minor ? v.minor > max.minor : v.patch > max.patch;
  return newer ? Report.of('error', 'incorrect config version (too new)') : new Report();
}
