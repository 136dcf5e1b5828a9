/**
 * Builds and synthesizes an app so that a bad input is reported once, as a message a person can
 * act on, instead of an uncaught exception with our stack frames.
 */
import { AnnotationMetadataEntryType, type App } from 'cdktf';
import { ConstructError } from './construct-error';

// Set by the cdktf CLI: it then prints the error annotations of the manifest itself, once each.
const CLI_COLLECTS_ERRORS = 'CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS';

/**
 * Runs `build(app)` and `app.synth()`. A `ConstructError` thrown while building becomes, under the
 * cdktf CLI, an error annotation on its construct (the CLI prints it once and fails); run
 * directly (`node dist/main.js`), it is printed to stderr once and the exit code is 1.
 * Any other error is a bug and propagates with its stack.
 */
export function synthesizeApp(app: App, build: (app: App) => void, env: NodeJS.ProcessEnv = process.env): void {
  try {
    build(app);
  } catch (error) {
    if (!(error instanceof ConstructError)) throw error;
    if (env[CLI_COLLECTS_ERRORS] === undefined) {
      process.stderr.write(`Error: ${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    // The CLI prints the construct path itself: `ERROR [stack/vm]: configs/core.yaml:1:1: error: ...`.
    error.construct.node.addMetadata(AnnotationMetadataEntryType.ERROR, error.detail, { stackTrace: false });
  }
  app.synth();
}
