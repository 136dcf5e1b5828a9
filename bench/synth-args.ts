/** Command-line arguments shared by the two synth apps: `<instances> <outdir> [user-data.json]`. */

export interface SynthAppArgs {
  readonly instances: number;
  readonly outdir: string;
  readonly userDataFile?: string;
}

export function parseSynthAppArgs(argv: readonly string[]): SynthAppArgs {
  const [count, outdir, userDataFile] = argv;
  const instances = Number(count);
  if (!Number.isInteger(instances) || instances < 1 || !outdir) {
    throw new Error(`usage: <instances> <outdir> [user-data.json], got: ${argv.join(' ')}`);
  }
  return { instances, outdir, userDataFile };
}

/** The peak RSS of this process, printed last so a parent without /usr/bin/time can read it. */
export function reportPeakRss(): void {
  process.stdout.write(`${JSON.stringify({ peakRssKiB: process.resourceUsage().maxRSS })}\n`);
}
