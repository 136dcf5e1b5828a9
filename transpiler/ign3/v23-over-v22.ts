/**
 * What `Check2_4`'s validation of the upgraded config (2.4 rules: 2.3's plus header checks, and
 * ct emits no headers) can add to ct's own valid 2.2.0 or 2.3.0 output, as far as `Check2_4`
 * cares: errors and deprecations (its warnings are only printed next to one of those). Against
 * ct's 2.2 (`ignition/` built for '2.2' vs '2.3'), 2.3 is laxer on efi sources, soft-link targets
 * and the version ceiling, words some errors differently, and adds only two checks: s3
 * `versionId` and the partition ones below. Output ct validated as 2.3 can only meet the latter.
 */
import type { GoStruct } from '../schema';
import { urlError } from '../ignition/rules';

const list = (v: unknown): GoStruct[] => (Array.isArray(v) ? (v as GoStruct[]) : []);

/** Go lower-cases the scheme it reads up to the first ':', so only these sources parse as s3. */
const isS3 = (source: unknown): boolean => typeof source === 'string' && /^s3:/i.test(source);

/** 2.3 rejects an s3 source whose `versionId` query is empty; 2.2 accepts any s3 URL. */
const badS3 = (source: unknown): boolean => isS3(source) && urlError(source as string, '2.3') !== undefined;

/** An s3 source with an empty `versionId`: ct v0.9.0's 2.2 rules pass it, Flatcar's 2.2 and 2.3 refuse it. */
export function hasBadS3Source(config: GoStruct): boolean {
  const cfg = config.ignition.config as GoStruct;
  if (list(cfg.append).some((r) => badS3(r.source))) return true;
  if (cfg.replace && badS3((cfg.replace as GoStruct).source)) return true;
  if (list(config.ignition.security.tls.certificateAuthorities).some((r) => badS3(r.source))) return true;
  return list((config.storage as GoStruct).files).some((f) => badS3((f.contents as GoStruct).source));
}

/**
 * False when 2.3 validation of `config` (decoded as 2.3 from a 2.2 config that passed 2.2
 * validation) provably yields no error and no deprecation. True when it may: then the full report
 * is needed.
 */
export function v23MayObject(config: GoStruct): boolean {
  const storage = config.storage as GoStruct;
  // upgraded 2.2 partitions always have `size` and `start` set, which 2.3 deprecates (docs/ignition-2to3.md §4.5);
  // 2.3 also compares partitions by pointer, so identical ones overlap
  if (list(storage.disks).some((d) => list(d.partitions).length > 0)) return true;
  return hasBadS3Source(config);
}
