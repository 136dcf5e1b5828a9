/**
 * `validateURL` of ignition v2.20.0 `config/v3_{3,4,5}/types/url.go` and the small URL checks built
 * on it: the error text Ignition reports for a resource source, or undefined when it is acceptable.
 * 3.4 added `arn:` S3 URLs (aws-sdk-go `arn.IsARN`/`arn.Parse` semantics).
 */
import { decodeDataUrl } from '../go/dataurl';
import { parseUrl, type GoUrl } from '../go/url';
import { queryValues } from '../ignition/query';
import type { IgnitionVersion } from './types';

export const ERR_INVALID_URL = 'unable to parse url';
export const ERR_INVALID_SCHEME = 'invalid url scheme';
const ERR_S3_VERSION_ID = 'invalid S3 object VersionId';
const ERR_S3_ARN = 'invalid S3 ARN format';

/** `u.Query()["versionId"]` present but empty or holding "" first. */
function badVersionId(u: GoUrl): boolean {
  const v = queryValues(u.rawQuery, 'versionId');
  return v !== undefined && (v.length === 0 || v[0] === '');
}

/** aws-sdk-go: `IsARN` needs the `arn:` prefix and five colons; `Parse` then splits six sections. */
function s3ArnError(u: GoUrl): string | undefined {
  const full = `${u.scheme}:${u.opaque}`;
  if (!full.startsWith('arn:') || full.split(':').length - 1 < 5) return ERR_S3_ARN;
  const sections = full.split(':');
  const service = sections[2];
  const resource = sections.slice(5).join(':');
  if (service !== 's3') return ERR_S3_ARN;
  const slashParts = full.split('/').length;
  if (resource.startsWith('accesspoint/') ? slashParts < 3 : slashParts < 2) return ERR_S3_ARN;
  return badVersionId(u) ? ERR_S3_VERSION_ID : undefined;
}

/** `validateURL(s)`. */
export function urlError(source: string, version: IgnitionVersion): string | undefined {
  const { url } = parseUrl(source);
  if (!url) return ERR_INVALID_URL;
  switch (url.scheme) {
    case 'http':
    case 'https':
    case 'tftp':
    case 'gs':
      return undefined;
    case 's3':
      return badVersionId(url) ? ERR_S3_VERSION_ID : undefined;
    case 'arn':
      return version === '3.3.0' ? ERR_INVALID_SCHEME : s3ArnError(url);
    case 'data':
      return decodeDataUrl(source).error;
    default:
      return ERR_INVALID_SCHEME;
  }
}

const nilOrEmpty = (s: unknown): boolean => s === undefined || s === null || s === '';

/** `validateURLNilOK`: a nil or empty source is fine. */
export function urlErrorNilOk(source: unknown, version: IgnitionVersion): string | undefined {
  return nilOrEmpty(source) ? undefined : urlError(source as string, version);
}

/** `Resource.validateRequiredSource`, for config merges and CAs, which need a source. */
export function requiredSourceError(source: unknown, version: IgnitionVersion): string | undefined {
  return nilOrEmpty(source) ? 'source is required' : urlError(source as string, version);
}

/** The scheme of `s` when Go's `url.Parse` accepts it (tang URLs, proxies, HTTP-header sources). */
export function urlScheme(s: string): string | undefined {
  return parseUrl(s).url?.scheme;
}
