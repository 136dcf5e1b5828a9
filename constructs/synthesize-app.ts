/**
 * Builds and synthesizes an app so that a bad input is reported once, as a message a person can
 * act on, instead of an uncaught exception with our stack frames.
 */
import { AnnotationMetadataEntryType, type App } from 'cdktf';
import { ConstructError } from './construct-error';
import { runSynthChecks } from './synth-checks';

// Set by the cdktf CLI: it then prints the error annotations of the manifest itself, once each.
const CLI_COLLECTS_ERRORS = 'CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS';

/**
 * Runs `build(app)`, the checks that can only run once the app is built (a config merged from
 * snippets, see synth-checks.ts), and `app.synth()`. A `ConstructError` from building or from
 * those checks becomes, under the cdktf CLI, an error annotation on its construct (the CLI prints
 * it once and fails); run directly (`node dist/main.js`), it is printed to stderr once and the
 * exit code is 1. Any other error is a bug and propagates with its stack.
 */
export function synthesizeApp(app: App, build: (app: App) => void, env: NodeJS.ProcessEnv = process.env): void {
  const errors = buildAndCheck(app, build);
  if (errors.length > 0 && env[CLI_COLLECTS_ERRORS] === undefined) {
    printAndFail(errors);
    return;
  }
  for (const error of errors) {
    // The CLI prints the construct path itself: `ERROR [stack/vm]: configs/core.yaml:1:1: error: ...`.
    error.construct.node.addMetadata(AnnotationMetadataEntryType.ERROR, error.detail, { stackTrace: false });
  }
  try {
    app.synth();
  } catch (error) {
    // Only from what changed the app during synth (an aspect adding a snippet, say): the checks
    // above covered the rest.
    if (!(error instanceof ConstructError)) throw error;
    printAndFail([error]);
  }
}

/** The construction error, or else the errors of the synth checks. */
function buildAndCheck(app: App, build: (app: App) => void): ConstructError[] {
  try {
    build(app);
  } catch (error) {
    if (!(error instanceof ConstructError)) throw error;
    // The app is half built: checking the rest would report what follows from this error.
    return [error];
  }
  return runSynthChecks(app);
}

function printAndFail(errors: readonly ConstructError[]): void {
  // Not `error.message`: cdktf prefixes that with "Resolution error: " when a value's producer throws it.
  for (const error of errors) process.stderr.write(`Error: ${error.constructDescription}: ${error.detail}\n`);
  process.exitCode = 1;
}
