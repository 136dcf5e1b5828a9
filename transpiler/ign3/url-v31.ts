/** Spec 3.1 `validateURL` as Flatcar patches it (`oem` kept; no `gs`, `arn`, `efi`; ignition-2to3 §6.2). */
import { decodeDataUrl } from '../go/dataurl';
import { parseUrl } from '../go/url';
import { queryValues } from '../ignition/query';

/** The error text for `source`, or undefined when acceptable. Callers skip nil and `""` sources. */
export function urlErrorV31(source: string): string | undefined {
  const { url } = parseUrl(source);
  if (!url) return 'unable to parse url';
  switch (url.scheme) {
    case 'http':
    case 'https':
    case 'tftp':
    case 'oem':
      return undefined;
    case 's3': {
      const versionId = queryValues(url.rawQuery, 'versionId');
      return versionId && (versionId.length === 0 || versionId[0] === '') ? 'invalid S3 object VersionId' : undefined;
    }
    case 'data':
      return decodeDataUrl(source).error;
    default:
      return 'invalid url scheme';
  }
}
