/**
 * A string produced at synth, like cdktf's `Lazy.stringValue` without the unlimited stack trace
 * cdktf captures and formats for every Lazy value (`creationStack`): at a thousand instances that
 * trace is a measurable share of the synth. cdktf attaches no stack when the array is empty; the
 * producers here throw errors that name their construct instead.
 */
import { Token, type IResolvable } from 'cdktf';

export function producedString(produce: () => string): string {
  return Token.asString(new ProducedString(produce));
}

class ProducedString implements IResolvable {
  readonly creationStack: string[] = [];

  constructor(private readonly produce: () => string) {}

  resolve(): string {
    return this.produce();
  }

  toString(): string {
    return Token.asString(this);
  }

  /** What JSON.stringify shows of the unresolved value, as for cdktf's Lazy. */
  toJSON(): string {
    return '<unresolved-lazy>';
  }
}
