/**
 * Disk partition checks (`Disk.ValidatePartitions` and `Partition` hooks). Ignition 2.2 works on
 * plain sector ints; 2.3 has pointer sector fields next to `sizeMiB`/`startMiB`, and ct only sets
 * the MiB ones there, so overlap and alignment are never seen in Flatcar (docs/ct.md §10.4).
 */
import { Report } from '../diagnostics';
import type { GoStruct } from '../schema';
import type { IgnitionSpec } from './rules';

/** Go `int` (int64) arithmetic: `start + size - 1` wraps around, and values may be past 2^53 (bigints). */
const wrap = (v: bigint): bigint => BigInt.asIntN(64, v);
const int64 = (v: unknown): bigint => (typeof v === 'bigint' ? v : BigInt((v as number | undefined) ?? 0));

interface Extent {
  readonly start: bigint;
  /** Last sector; a size of 0 means "fill", so the start stands for the end. */
  readonly end: bigint;
}

/** Sector start and end; 2.3's nil pointers count as 0 (not given). */
function extentOf(p: GoStruct): Extent {
  const start = int64(p.start);
  const size = int64(p.size);
  return { start, end: size === 0n ? start : wrap(wrap(start + size) - 1n) };
}

function numbersCollide(parts: readonly GoStruct[]): boolean {
  const seen = new Set<bigint>();
  for (const p of parts) {
    const n = int64(p.number);
    if (n === 0n) continue;
    if (seen.has(n)) return true;
    seen.add(n);
  }
  return false;
}

/**
 * Go compares partitions with `==`: in 2.2 that is value equality, so identical entries never
 * overlap each other; in 2.3 the pointer fields make only the same element equal.
 */
function samePartition(a: GoStruct, b: GoStruct, spec: IgnitionSpec): boolean {
  if (a === b) return true;
  if (spec === '2.3') return false;
  return ['guid', 'label', 'number', 'size', 'start', 'typeGuid'].every((k) => a[k] === b[k]);
}

function partitionsOverlap(parts: readonly GoStruct[], spec: IgnitionSpec): boolean {
  for (const p of parts) {
    const pe = extentOf(p);
    if (pe.start === 0n) continue;
    for (const o of parts) {
      const oe = extentOf(o);
      if (oe.start === 0n || samePartition(p, o, spec)) continue;
      if (pe.start >= oe.start && pe.start <= oe.end) return true;
      if (pe.end >= oe.start && pe.end <= oe.end) return true;
      if (pe.start < oe.start && pe.end > oe.end) return true;
    }
  }
  return false;
}

/** Starts must sit on 2048-sector (1 MiB) boundaries. */
const misaligned = (parts: readonly GoStruct[]): boolean => parts.some((p) => extentOf(p).start % 2048n !== 0n);

const shouldNotExist = (p: GoStruct): boolean => p.shouldExist === false;

/** `Disk.ValidatePartitions`. */
export function diskPartitionsRule(disk: GoStruct, spec: IgnitionSpec): Report {
  const parts = (disk.partitions as GoStruct[] | null) ?? [];
  const r = new Report();
  if (numbersCollide(parts)) r.add('error', 'partition numbers collide');
  if (partitionsOverlap(parts, spec)) r.add('error', 'partitions overlap');
  if (misaligned(parts)) r.add('error', 'partitions misaligned');
  if (spec === '2.3') {
    if (parts.some(shouldNotExist) && parts.some((p) => int64(p.number) === 0n)) {
      r.add('error', 'shouldExist is false for a partition and other partition(s) has start or size 0');
    }
    const sectors = parts.some((p) => p.size !== undefined || p.start !== undefined);
    const mib = parts.some((p) => p.sizeMiB !== undefined || p.startMiB !== undefined);
    if (sectors && mib) r.add('error', 'cannot mix MBs and sectors within a disk');
  }
  return r;
}

/** 2.3 `Partition.Validate`. */
export function partitionRuleV23(p: GoStruct): Report {
  const r = new Report();
  const sectors = p.start !== undefined || p.size !== undefined;
  if (sectors && (p.startMiB !== undefined || p.sizeMiB !== undefined)) r.add('error', 'cannot mix MBs and sectors within a disk');
  if (shouldNotExist(p) && (p.label !== undefined || p.typeGuid !== '' || p.guid !== '' || sectors)) {
    r.add('error', 'shouldExist specified false with other options also specified');
  }
  return r;
}

/** 2.3 deprecations of the sector fields. */
export const partitionSizeRuleV23 = (p: GoStruct): Report =>
  p.size !== undefined ? Report.of('deprecated', 'size is deprecated; use sizeMB instead') : new Report();
export const partitionStartRuleV23 = (p: GoStruct): Report =>
  p.start !== undefined ? Report.of('deprecated', 'start is deprecated; use startMB instead') : new Report();
