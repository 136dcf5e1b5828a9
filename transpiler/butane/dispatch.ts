/**
 * Butane's `config.TranslateBytes` front door (docs/butane.md §1): read `variant` and `version`
 * with a first yaml.v3 pass, then pick the translator registered under `variant+version`.
 */
import { newVersion, semverString } from '../go/semver';
import { field, str, struct, type GoStruct } from '../schema';
import { decode, YamlError, type YamlNode } from '../yaml';
import { SUPPORTED_SPECS, type SupportedSpec } from './specs';

export { SUPPORTED_SPECS, type SupportedSpec };

/** Every pair Butane v0.23.0 registers (`config/config.go`); the ones not in SUPPORTED_SPECS are refused with our own message. */
const REGISTERED: ReadonlySet<string> = new Set([
  ...['1.0.0', '1.1.0', '1.2.0', '1.3.0', '1.4.0', '1.5.0', '1.6.0', '1.7.0-experimental'].map((v) => `fcos+${v}`),
  ...['1.0.0', '1.1.0', '1.2.0-experimental'].map((v) => `flatcar+${v}`),
  ...['4.8.0', '4.9.0', '4.10.0', '4.11.0', '4.12.0', '4.13.0', '4.14.0', '4.15.0', '4.16.0', '4.17.0', '4.18.0-experimental'].map((v) => `openshift+${v}`),
  ...['1.0.0', '1.1.0', '1.2.0-experimental'].map((v) => `r4e+${v}`),
  ...['1.0.0', '1.1.0-experimental'].map((v) => `fiot+${v}`),
  'rhcos+0.1.0',
]);

const COMMON_FIELDS = struct({
  goName: 'config.commonFields',
  fields: [field('Version', 'version', str), field('Variant', 'variant', str)],
});

export type Dispatch = { readonly ok: true; readonly spec: SupportedSpec } | { readonly ok: false; readonly error: string };

/**
 * Butane's dispatch on the parsed document (a syntax error is the caller's to report, as
 * `Error unmarshaling yaml: ...`); errors are worded as `config/common/errors.go` and printed after
 * `Error translating config: `.
 */
export function dispatch(doc: YamlNode | undefined): Dispatch {
  let common: GoStruct;
  try {
    common = decode(doc, COMMON_FIELDS, 'v3') as GoStruct;
  } catch (err) {
    if (err instanceof YamlError) return { ok: false, error: `Error unmarshaling yaml: ${err.message}` };
    throw err;
  }
  const variant = common.variant as string;
  if (variant === '') return { ok: false, error: 'error parsing variant; must be specified' };
  const parsed = newVersion(common.version as string);
  if (!parsed) return { ok: false, error: 'error parsing version; must be a valid semver' };
  const version = semverString(parsed);
  const supported = SUPPORTED_SPECS.find((s) => s.variant === variant && s.version === version);
  if (supported) return { ok: true, spec: supported };
  if (variant === 'rhcos' && version === '0.1.0') {
    return { ok: false, error: 'rhcos variant has been removed; use openshift variant instead: https://coreos.github.io/butane/upgrading-openshift/' };
  }
  if (REGISTERED.has(`${variant}+${version}`)) {
    // Butane translates these; this port does not (README: "Butane: what differs").
    const ours = SUPPORTED_SPECS.map((s) => `${s.variant} ${s.version}`).join(', ');
    return { ok: false, error: `variant ${variant} with version ${version} is not supported by this Butane port; supported: ${ours}` };
  }
  return { ok: false, error: `No translator exists for variant ${variant} with version ${version}` };
}
