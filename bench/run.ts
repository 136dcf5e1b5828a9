/**
 * `npm run bench`: transpile, the ct and butane commands, synth at scale, cluster stacks and (with --with-tests) `npm test`,
 * each against its target. `--smoke` runs one small round of everything, for CI.
 */
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../main';
import { runClusterBench } from './cluster-bench';
import { runCommandBench } from './command-bench';
import { peakRssSource } from './measure-process';
import { formatReport, writeResults, type RunInfo } from './report';
import { runSynthBench } from './synth-bench';
import { judgeTargets, type BenchResults } from './targets';
import { runTestsBench } from './tests-bench';
import { runTranspileBench } from './transpile-bench';

const USAGE = 'usage: node dist/bench/run.js [--smoke] [--with-tests]';

const FULL_PLAN = {
  transpile: { warmupRounds: 20, rounds: 100 },
  command: { warmupRuns: 3, runs: 21 },
  synth: { sizes: [10, 100, 1000], warmupRuns: 1, runs: 7, budgetMsPerSize: 90_000 },
  clusters: { warmupRuns: 1, runs: 7 },
};
const SMOKE_PLAN = {
  transpile: { warmupRounds: 2, rounds: 5 },
  command: { warmupRuns: 1, runs: 3 },
  synth: { sizes: [10], warmupRuns: 0, runs: 1, budgetMsPerSize: 30_000 },
  clusters: { warmupRuns: 0, runs: 1 },
};

function main(argv: readonly string[]): void {
  const unknown = argv.filter((arg) => arg !== '--smoke' && arg !== '--with-tests');
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown.join(' ')}\n${USAGE}`);
  const smoke = argv.includes('--smoke');
  const withTests = argv.includes('--with-tests') && !smoke;
  const plan = smoke ? SMOKE_PLAN : FULL_PLAN;
  // npm runs scripts from the project root; the compiled bench may live elsewhere (a private outDir)
  const root = projectRoot(process.cwd());
  const startedAt = new Date().toISOString();
  const loadAverageAtStart = loadavg();

  const progress = (step: string) => process.stderr.write(`bench: ${step}...\n`);
  progress('transpile');
  const transpile = runTranspileBench(plan.transpile, root);
  progress('ct and butane commands');
  const command = runCommandBench(plan.command);
  progress(`synth ${plan.synth.sizes.join(', ')} instances`);
  const synth = runSynthBench(plan.synth);
  progress('synth the kubernetes stack and a cluster of 5 controllers and 10 pools');
  const clusters = runClusterBench(plan.clusters);
  if (withTests) progress('npm test');
  const results: BenchResults = { transpile, command, synth, clusters, tests: withTests ? runTestsBench(root) : undefined };

  const info: RunInfo = {
    startedAt,
    mode: smoke ? 'smoke' : 'full',
    node: process.version,
    cpus: cpus().length,
    loadAverageAtStart,
    loadAverageAtEnd: loadavg(),
    peakRssSource,
  };
  const verdicts = judgeTargets(results);
  process.stdout.write(`${formatReport(info, results, verdicts)}\n`);
  const file = writeResults(join(root, 'bench', 'results'), info, results, verdicts);
  process.stdout.write(`\nwritten: ${file} and latest.json\n`);
}

main(process.argv.slice(2));
