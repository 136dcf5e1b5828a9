/** Errors in what a user gave a construct (props, config), as opposed to bugs. */
import type { IConstruct } from 'constructs';

/**
 * Bad input to a construct: the message is complete (construct, file:line:column, what to
 * change), so apps print it without a stack trace (see synthesizeApp).
 */
export class ConstructError extends Error {
  constructor(
    /** The construct whose input is wrong. */
    readonly construct: IConstruct,
    /** The construct as messages name it, e.g. `CoreOSInstance stack/vm`. */
    readonly constructDescription: string,
    /** What is wrong and where, without the construct: `configs/core.yaml:1:1: error: ...`. */
    readonly detail: string,
  ) {
    super(`${constructDescription}: ${detail}`);
    this.name = 'ConstructError';
    // Not enumerable: Node prints an uncaught error's own properties, and this one holds the whole tree.
    Object.defineProperty(this, 'construct', { enumerable: false });
  }
}
