/** Prints one run's results as a table and writes them as JSON under bench/results/. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatRatio, type Summary } from './stats';
import type { BenchResults, TargetVerdict } from './targets';

export interface RunInfo {
  readonly startedAt: string;
  readonly mode: 'smoke' | 'full';
  readonly node: string;
  readonly cpus: number;
  readonly loadAverageAtStart: readonly number[];
  readonly loadAverageAtEnd: readonly number[];
  readonly peakRssSource: string;
}

type Row = readonly string[];

function formatTable(header: Row, rows: readonly Row[]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column].length)));
  const line = (row: Row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

function summaryCells(summary: Summary | undefined, digits: number): string[] {
  if (!summary) return ['-', '-', '-', '-'];
  return [summary.median.toFixed(digits), summary.p95.toFixed(digits), summary.max.toFixed(digits), String(summary.samples)];
}

function measurementRows(results: BenchResults): Row[] {
  const rows: Row[] = [];
  for (const variant of results.transpile) {
    const name = `transpile ${variant.variant} (${variant.configs} configs)`;
    rows.push([name, 'µs/config', ...summaryCells(variant.microsecondsPerConfig, 1)]);
    rows.push([`${name} CPU`, 'µs/config', ...summaryCells(variant.cpuMicrosecondsPerConfig, 1)]);
    const medianConfig = variant.medianConfigMicroseconds;
    if (medianConfig !== undefined) rows.push([`${name} median config`, 'µs', medianConfig.toFixed(1), '-', '-', '-']);
  }
  rows.push(['ct --pretty, cold process', 'ms', ...summaryCells(results.command.ct.ms, 1)]);
  rows.push(['butane --pretty, cold process', 'ms', ...summaryCells(results.command.butane.ms, 1)]);
  rows.push(['node -e 0', 'ms', ...summaryCells(results.command.nodeBaselineMs, 1)]);
  for (const size of results.synth) {
    const ours = `synth ${size.instances} CoreOSInstance`;
    const raw = `synth ${size.instances} raw ComputeInstance`;
    rows.push([`${ours}, re-synth`, 'ms', ...summaryCells(size.ours.wallMs, 0)]);
    rows.push([`${ours}, first synth`, 'ms', ...summaryCells(size.oursCold?.wallMs, 0)]);
    rows.push([raw, 'ms', ...summaryCells(size.baseline.wallMs, 0)]);
    rows.push([`${ours}, re-synth CPU`, 'ms', ...summaryCells(size.ours.cpuMs, 0)]);
    rows.push([`${ours}, first synth CPU`, 'ms', ...summaryCells(size.oursCold?.cpuMs, 0)]);
    rows.push([`${raw} CPU`, 'ms', ...summaryCells(size.baseline.cpuMs, 0)]);
    rows.push([`${ours}, re-synth peak RSS`, 'MiB', ...summaryCells(size.ours.peakRssMiB, 0)]);
    rows.push([`${raw} peak RSS`, 'MiB', ...summaryCells(size.baseline.peakRssMiB, 0)]);
  }
  for (const cluster of results.clusters ?? []) {
    const ours = `synth ${cluster.kind} (${cluster.resources} resources)`;
    rows.push([`${ours}, re-synth`, 'ms', ...summaryCells(cluster.ours.wallMs, 0)]);
    rows.push([`${ours}, first synth`, 'ms', ...summaryCells(cluster.oursCold?.wallMs, 0)]);
    rows.push([`synth ${cluster.kind}, plain cdktf replay`, 'ms', ...summaryCells(cluster.baseline.wallMs, 0)]);
  }
  if (results.tests) rows.push(['npm test', 's', (results.tests.wallMs / 1000).toFixed(1), '-', '-', '1']);
  return rows;
}

function ratioRows(results: BenchResults): Row[] {
  return [
    ...(['ct', 'butane'] as const).map((name): Row => {
      const command = results.command[name];
      return [`${name} / node -e 0 (median wall, CPU)`, [command.ratio, command.cpuRatio].map(formatRatio).join(', ')];
    }),
    ...results.synth.flatMap((size): Row[] => [
      [`synth ${size.instances}: re-synth / baseline (median wall, CPU, peak RSS)`, [size.wallRatio, size.cpuRatio, size.rssRatio].map(formatRatio).join(', ')],
      [`synth ${size.instances}: first synth / baseline (median wall, CPU)`, [size.coldWallRatio, size.coldCpuRatio].map(formatRatio).join(', ')],
    ]),
    ...(results.clusters ?? []).flatMap((cluster): Row[] => [
      [`synth ${cluster.kind}: re-synth / plain cdktf (median wall, CPU)`, [cluster.wallRatio, cluster.cpuRatio].map(formatRatio).join(', ')],
      [`synth ${cluster.kind}: first synth / plain cdktf (median wall, CPU)`, [cluster.coldWallRatio, cluster.coldCpuRatio].map(formatRatio).join(', ')],
    ]),
  ];
}

function verdictRows(verdicts: readonly TargetVerdict[]): Row[] {
  return verdicts.map((verdict) => [verdict.target, verdict.measured, verdict.pass === undefined ? '-' : verdict.pass ? 'PASS' : 'FAIL']);
}

export function formatReport(info: RunInfo, results: BenchResults, verdicts: readonly TargetVerdict[]): string {
  const load = (values: readonly number[]) => values.map((value) => value.toFixed(2)).join(' ');
  return [
    `npm run bench (${info.mode}), ${info.startedAt}, node ${info.node}, ${info.cpus} CPUs, ` +
      `load average ${load(info.loadAverageAtStart)} -> ${load(info.loadAverageAtEnd)}, peak RSS from ${info.peakRssSource}`,
    '',
    formatTable(['measurement', 'unit', 'median', 'p95', 'max', 'n'], measurementRows(results)),
    '',
    formatTable(['ratio', 'value'], ratioRows(results)),
    '',
    formatTable(['target', 'measured', 'verdict'], verdictRows(verdicts)),
  ].join('\n');
}

/** Writes `<timestamp>.json` and `latest.json`; returns the timestamped path. */
export function writeResults(dir: string, info: RunInfo, results: BenchResults, verdicts: readonly TargetVerdict[]): string {
  mkdirSync(dir, { recursive: true });
  const text = `${JSON.stringify({ ...info, results, targets: verdicts }, null, 2)}\n`;
  const file = join(dir, `${info.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, text);
  writeFileSync(join(dir, 'latest.json'), text);
  return file;
}
