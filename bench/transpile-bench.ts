/**
 * Section 1: every valid config of the ct conformance corpus, transpiled in-process, many rounds;
 * and every Butane vector that translates, with its own flags. A round transpiles each config
 * once; its figure is the mean microseconds per config.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { translateButane } from '../transpiler/butane/transpile';
import { loadButaneVectors } from '../scripts/conformance-butane';
import type { TranspileOptions } from '../transpiler/api';
import type { Dialect } from '../transpiler/convert';
import { goFileReader, transpileWith, type LocalFileReader } from '../transpiler/transpile';
import { DIALECTS, expectedFor, findVectorsDir, loadVectors } from '../scripts/conformance';
import { summarize, type Summary } from './stats';

/** `ignitionVersion` is being added to TranspileOptions; detected at run time until then. */
type BenchOptions = TranspileOptions & { readonly ignitionVersion?: string };

export const IGNITION_3_VARIANT = 'coreos, ignitionVersion 3.3.0';
export const BUTANE_VARIANT = 'butane';

interface BenchConfig {
  readonly name: string;
  /** One transpile; returns the JSON. */
  readonly run: () => string;
  /** The reference tool's stdout, or undefined where there is no byte-exact reference. */
  readonly expectedJson?: string;
  /** A text the JSON must hold (the Ignition version asked for), where there is no reference. */
  readonly mustContain?: string;
}

export interface TranspileVariantResult {
  readonly variant: string;
  readonly configs: number;
  /** Valid configs this variant rejected or got wrong; left out of the timing. */
  readonly skipped: readonly string[];
  readonly microsecondsPerConfig?: Summary;
  /** Process CPU time (user + system) per config: less sensitive to other load than wall time. */
  readonly cpuMicrosecondsPerConfig?: Summary;
  /** The median config's own median time (the corpus has one 28 KB outlier that lifts the mean). */
  readonly medianConfigMicroseconds?: number;
  /** The configs with the highest median time, for profiling. */
  readonly slowest: readonly { readonly name: string; readonly medianMicroseconds: number }[];
  readonly note?: string;
}

export interface TranspileBenchPlan {
  readonly warmupRounds: number;
  readonly rounds: number;
}

/** ct's flags (`args`) as TranspileOptions; `--files-dir` is relative to the vector folder. */
function optionsFromArgs(args: readonly string[], dir: string, dialect: Dialect): BenchOptions {
  const valueOf = (flag: string): string | undefined => {
    const at = args.findIndex((arg) => arg.replace(/^--?/, '') === flag);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const has = (flag: string): boolean => args.some((arg) => arg.replace(/^--?/, '') === flag);
  const filesDir = valueOf('files-dir');
  return {
    dialect,
    pretty: has('pretty'),
    strict: has('strict'),
    platform: valueOf('platform'),
    filesDir: filesDir === undefined ? undefined : resolve(dir, filesDir),
  };
}

function corpusConfigs(vectorsDir: string, dialect: Dialect, extra: Partial<BenchOptions>): BenchConfig[] {
  return loadVectors(vectorsDir)
    .map((vector) => ({ vector, expected: expectedFor(vector, dialect) }))
    .filter(({ expected }) => expected.exitCode === 0)
    .map(({ vector, expected }) => {
      const text = Buffer.from(vector.input).toString('utf8');
      const options: BenchOptions = { ...optionsFromArgs(vector.args, vector.dir, dialect), ...extra };
      const readFile: LocalFileReader = goFileReader(vector.dir);
      return {
        name: vector.name,
        run: () => transpileWith(text, options, readFile).json,
        expectedJson: extra.ignitionVersion ? undefined : expected.stdout.toString('utf8'),
        mustContain: extra.ignitionVersion && `"${extra.ignitionVersion}"`,
      };
    });
}

/**
 * The Butane vectors that translate without `-d`, each with `--pretty`: the set and flags the
 * Go butane's in-process figure (BUTANE_MICROSECONDS_PER_CONFIG) was measured on.
 */
function butaneConfigs(projectRoot: string): BenchConfig[] {
  return loadButaneVectors(resolve(findVectorsDir(projectRoot), '..', 'butane'))
    .filter((vector) => !vector.args.some((arg) => arg.startsWith('-d') || arg.startsWith('--files-dir')))
    .map((vector) => ({ vector, input: readFileSync(resolve(vector.dir, 'input.bu')) }))
    .filter(({ input }) => translateButane(input).json !== undefined)
    .map(({ vector, input }) => ({ name: vector.name, run: () => translateButane(input, { pretty: true }).json ?? '' }));
}

/** Why a config cannot be timed (it throws, or differs from ct), or undefined when it is fine. */
function problemWith(config: BenchConfig): string | undefined {
  try {
    const json = config.run();
    if (config.expectedJson !== undefined && json !== config.expectedJson) return `${config.name} (output differs from the reference)`;
    if (config.mustContain && !json.includes(config.mustContain)) return `${config.name} (no ${config.mustContain})`;
    return undefined;
  } catch (error) {
    return `${config.name} (${(error as Error).message.split('\n')[0].slice(0, 80)})`;
  }
}

interface RoundTimes {
  /** Wall µs per config, one value per round. */
  readonly perRound: number[];
  /** CPU µs per config, one value per round. */
  readonly cpuPerRound: number[];
  /** Wall µs of each config, one array per config. */
  readonly perConfig: number[][];
}

function timeRounds(configs: readonly BenchConfig[], plan: TranspileBenchPlan): RoundTimes {
  const perRound: number[] = [];
  const cpuPerRound: number[] = [];
  const perConfig = configs.map(() => [] as number[]);
  for (let round = 0; round < plan.warmupRounds + plan.rounds; round++) {
    let roundNs = 0n;
    const cpuBefore = process.cpuUsage();
    configs.forEach((config, i) => {
      const start = process.hrtime.bigint();
      config.run();
      const elapsed = process.hrtime.bigint() - start;
      roundNs += elapsed;
      if (round >= plan.warmupRounds) perConfig[i].push(Number(elapsed) / 1000);
    });
    const cpu = process.cpuUsage(cpuBefore);
    if (round < plan.warmupRounds) continue;
    perRound.push(Number(roundNs) / 1000 / configs.length);
    cpuPerRound.push((cpu.user + cpu.system) / configs.length);
  }
  return { perRound, cpuPerRound, perConfig };
}

function benchVariant(variant: string, all: readonly BenchConfig[], plan: TranspileBenchPlan): TranspileVariantResult {
  const skipped: string[] = [];
  const configs = all.filter((config) => {
    const problem = problemWith(config);
    if (problem) skipped.push(problem);
    return !problem;
  });
  if (configs.length === 0) return { variant, configs: 0, skipped, slowest: [], note: 'no config transpiles in this variant' };
  const { perRound, cpuPerRound, perConfig } = timeRounds(configs, plan);
  const byTime = configs
    .map((config, i) => ({ name: config.name, medianMicroseconds: summarize(perConfig[i]).median }))
    .sort((a, b) => b.medianMicroseconds - a.medianMicroseconds);
  return {
    variant,
    configs: configs.length,
    skipped,
    microsecondsPerConfig: summarize(perRound),
    cpuMicrosecondsPerConfig: summarize(cpuPerRound),
    medianConfigMicroseconds: summarize(byTime.map((config) => config.medianMicroseconds)).median,
    slowest: byTime.slice(0, 5),
  };
}

/** True when `transpile` honours `ignitionVersion: '3.3.0'` (the option is being added). */
function supportsIgnition3(): boolean {
  const options: BenchOptions = { ignitionVersion: '3.3.0' };
  try {
    const { ignition } = transpileWith('passwd: {users: [{name: core}]}\n', options, goFileReader(process.cwd()));
    return (ignition.ignition as { version?: string } | undefined)?.version === '3.3.0';
  } catch {
    return false;
  }
}

/** Times the corpus found in or above `projectRoot` (`__tests__/conformance/ct`). */
export function runTranspileBench(plan: TranspileBenchPlan, projectRoot: string): TranspileVariantResult[] {
  const vectorsDir = findVectorsDir(projectRoot);
  const results = DIALECTS.map((dialect) => benchVariant(dialect, corpusConfigs(vectorsDir, dialect, {}), plan));
  if (!supportsIgnition3()) {
    return [...results, { variant: IGNITION_3_VARIANT, configs: 0, skipped: [], slowest: [], note: 'transpile has no ignitionVersion option yet' }];
  }
  return [
    ...results,
    benchVariant(IGNITION_3_VARIANT, corpusConfigs(vectorsDir, 'coreos', { ignitionVersion: '3.3.0' }), plan),
    benchVariant(BUTANE_VARIANT, butaneConfigs(projectRoot), plan),
  ];
}
