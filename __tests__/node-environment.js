/**
 * Jest's node environment, with one change: the stack traces that cdktf and constructs capture on
 * plain objects for every token and construct (`captureStackTrace` in their private/stack-trace.js:
 * `Error.captureStackTrace({ stack: '' })`, unlimited depth) are formatted as Node formats them,
 * not through Jest's source-map formatter. That formatter copies every frame of every trace, and
 * on Jest's deep stacks it was an eighth of a construct suite's CPU. Those traces only feed cdktf's
 * metadata and its resolution errors, which then name positions in the JavaScript Jest runs rather
 * than .ts lines. The stack of every Error (a failing assertion, a thrown error) is mapped as before.
 */
'use strict';
const { isNativeError } = require('node:util').types;
const { TestEnvironment } = require('jest-environment-node');

/** Node's default format (lib/internal/errors.js, defaultPrepareStackTrace). */
function plainStack(holder, frames) {
  const head = Error.prototype.toString.call(holder);
  return frames.length === 0 ? head : `${head}\n    at ${frames.join('\n    at ')}`;
}

class NodeEnvironment extends TestEnvironment {
  handleTestEvent(event) {
    // Node formats a trace made in the test's realm with this realm's Error.prepareStackTrace, which
    // Jest sets to its formatter for each test file before the file's 'setup' event.
    if (event.name !== 'setup') return;
    const mapped = Error.prepareStackTrace;
    if (typeof mapped !== 'function') return;
    Error.prepareStackTrace = (holder, frames) => (isNativeError(holder) ? mapped(holder, frames) : plainStack(holder, frames));
  }
}

module.exports = NodeEnvironment;
