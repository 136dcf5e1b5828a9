/**
 * The `Validate(c)` methods of ignition v2.20.0 `config/v3_{3,4,5}/types`, keyed by Go type name,
 * for one spec version: config.go, ignition.go, tls.go, proxy.go, resource.go, headers.go,
 * verification.go, systemd.go and unit.go here, the storage types in rules-storage.ts.
 * Where spec 3.1 (ign3/rules-v31*.ts) checks the same way with the same texts, its hook is reused.
 */
import { newVersion } from '../go/semver';
import type { GoStruct } from '../schema';
import { HOOKS as V31_HOOKS, list, type Hook } from '../ign3/rules-v31';
import { configHook, systemdHook, unitHook } from '../ign3/rules-v31-systemd';
import { V3_TYPE } from '../ign3/types-v3';
import { deserializeUnit } from '../go/systemd-unit';
import { pathExt } from '../ignition/rules';
import { storageHooks } from './rules-storage';
import type { IgnitionVersion } from './types';
import { ERR_INVALID_URL, requiredSourceError, urlErrorNilOk, urlScheme } from './url';

const nilOrEmpty = (s: unknown): boolean => s === undefined || s === null || s === '';
const isNil = (v: unknown): boolean => v === undefined || v === null;

/** `Ignition.Validate`: the version must parse as semver and equal the package's `MaxVersion`. */
function ignitionHook(version: IgnitionVersion): Hook {
  return (ign, r) => {
    const v = newVersion(ign.version as string);
    if (!v) return r.add('error', "invalid config version (couldn't parse)", 'version');
    const same = `${v.major}.${v.minor}.${v.patch}` === version && v.preRelease === '' && v.metadata === '';
    r.add('error', same ? undefined : 'unsupported config version', 'version');
  };
}

/** `Resource.validateSchemeForHTTPHeaders`. */
function headersSchemeError(res: GoStruct): string | undefined {
  if (list(res.httpHeaders).length === 0) return undefined;
  if (nilOrEmpty(res.source)) return ERR_INVALID_URL;
  const scheme = urlScheme(res.source as string);
  if (scheme === undefined) return ERR_INVALID_URL;
  return scheme === 'http' || scheme === 'https' ? undefined : 'cannot use HTTP headers with this source scheme';
}

function resourceHook(version: IgnitionVersion): Hook {
  return (res, r) => {
    const compression = res.compression as string | undefined;
    const badCompression = !isNil(compression) && compression !== '' && compression !== 'gzip';
    r.add('error', badCompression ? 'invalid compression method' : undefined, 'compression');
    const hashWithoutSource = !isNil((res.verification as GoStruct | undefined)?.hash) && isNil(res.source);
    r.add('error', hashWithoutSource ? 'source must be specified if verification is specified' : undefined, 'verification', 'hash');
    r.add('error', urlErrorNilOk(res.source, version), 'source');
    r.add('error', headersSchemeError(res), 'httpHeaders');
  };
}

/** `Verification.Validate`: `<function>-<hex sum>` with sha256 or sha512 and the matching length. */
const verificationHook: Hook = (v, r) => {
  const hash = v.hash as string | undefined;
  if (isNil(hash)) return;
  const dash = (hash as string).indexOf('-');
  if (dash < 0) return r.add('error', 'malformed hash specifier', 'hash');
  const sumLength = { sha512: 128, sha256: 64 }[(hash as string).slice(0, dash)];
  if (sumLength === undefined) return r.add('error', 'unrecognized hash function', 'hash');
  r.add('error', Buffer.byteLength((hash as string).slice(dash + 1)) !== sumLength ? 'incorrect size for hash sum' : undefined, 'hash');
};

const headerHook: Hook = (h, r) => {
  r.add('error', h.name === '' ? "HTTP header name can't be empty" : undefined, 'name');
  r.add('error', h.value === '' ? 'unable to parse HTTP header' : undefined, 'value');
};

/** `Dropin.Validate`: contents first, then the extension. */
const dropinHook: Hook = (d, r) => {
  r.add('error', isNil(d.contents) ? undefined : contentsError(d.contents as string), 'contents');
  r.add('error', pathExt(d.name as string) === '.conf' ? undefined : 'invalid systemd drop-in extension', 'name');
};

/** `parse.ParseUnitContents`'s error. */
function contentsError(contents: string): string | undefined {
  const { error } = deserializeUnit(contents);
  return error === undefined ? undefined : `invalid unit content: ${error}`;
}

/** Every hook of spec `version`, by Go type name (types without one have none). */
export function ignitionHooks(version: IgnitionVersion): Readonly<Record<string, Hook>> {
  const requiredSources =
    (key: string): Hook =>
    (s, r) =>
      list(s[key]).forEach((res, i) => r.add('error', requiredSourceError(res.source, version), key, i));
  return {
    'types.Config': configHook,
    'types.Ignition': ignitionHook(version),
    'types.IgnitionConfig': requiredSources('merge'),
    'types.TLS': requiredSources('certificateAuthorities'),
    'types.Proxy': V31_HOOKS[V3_TYPE.proxy],
    'types.Resource': resourceHook(version),
    'types.HTTPHeader': headerHook,
    'types.Verification': verificationHook,
    ...storageHooks(version),
    'types.Systemd': systemdHook,
    'types.Unit': unitHook,
    'types.Dropin': dropinHook,
  };
}
