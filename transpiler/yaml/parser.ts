/** libyaml's parser (parserc.go): the LL(1) state machine turning tokens into events. */
import { type Mark, YamlSyntaxError, ZERO_MARK } from './errors';
import type { Scanner } from './scanner';
import { Ev, type EventKind, Style, Tok, type Token, type YamlEvent } from './tokens';

const S = {
  StreamStart: 0,
  ImplicitDocumentStart: 1,
  DocumentStart: 2,
  DocumentContent: 3,
  DocumentEnd: 4,
  BlockNode: 5,
  BlockNodeOrIndentlessSequence: 6,
  FlowNode: 7,
  BlockSequenceFirstEntry: 8,
  BlockSequenceEntry: 9,
  IndentlessSequenceEntry: 10,
  BlockMappingFirstKey: 11,
  BlockMappingKey: 12,
  BlockMappingValue: 13,
  FlowSequenceFirstEntry: 14,
  FlowSequenceEntry: 15,
  FlowSequenceEntryMappingKey: 16,
  FlowSequenceEntryMappingValue: 17,
  FlowSequenceEntryMappingEnd: 18,
  FlowMappingFirstKey: 19,
  FlowMappingKey: 20,
  FlowMappingValue: 21,
  FlowMappingEmptyValue: 22,
  End: 23,
} as const;
type State = (typeof S)[keyof typeof S];

interface TagDirective {
  readonly handle: string;
  readonly prefix: string;
}

const DEFAULT_TAG_DIRECTIVES: readonly TagDirective[] = [
  { handle: '!', prefix: '!' },
  { handle: '!!', prefix: 'tag:yaml.org,2002:' },
];

function event(
  kind: EventKind,
  start: Mark,
  end: Mark,
  anchor = '',
  tag = '',
  value = '',
  implicit = false,
  style = 0,
  flow = false,
): YamlEvent {
  return { kind, start, end, anchor, tag, value, implicit, style, flow };
}

export class Parser {
  private state: State = S.StreamStart;
  private readonly states: State[] = [];
  private readonly marks: Mark[] = [];
  private tagDirectives: TagDirective[] = [];

  constructor(private readonly scanner: Scanner) {}

  /** The next event, or undefined once the stream has ended. */
  next(): YamlEvent | undefined {
    if (this.scanner.streamEndProduced || this.state === S.End) return undefined;
    return this.dispatch();
  }

  private error(problem: string, problemMark: Mark, context?: Mark): never {
    throw new YamlSyntaxError('parser', problem, problemMark, context ?? ZERO_MARK);
  }

  private peek(): Token {
    return this.scanner.peekToken();
  }

  private skip(): void {
    this.scanner.skipToken();
  }

  private pop(): void {
    this.state = this.states.pop() as State;
  }

  private dispatch(): YamlEvent {
    switch (this.state) {
      case S.StreamStart:
        return this.streamStart();
      case S.ImplicitDocumentStart:
        return this.documentStart(true);
      case S.DocumentStart:
        return this.documentStart(false);
      case S.DocumentContent:
        return this.documentContent();
      case S.DocumentEnd:
        return this.documentEnd();
      case S.BlockNode:
        return this.node(true, false);
      case S.BlockNodeOrIndentlessSequence:
        return this.node(true, true);
      case S.FlowNode:
        return this.node(false, false);
      case S.BlockSequenceFirstEntry:
        return this.blockSequenceEntry(true);
      case S.BlockSequenceEntry:
        return this.blockSequenceEntry(false);
      case S.IndentlessSequenceEntry:
        return this.indentlessSequenceEntry();
      case S.BlockMappingFirstKey:
        return this.blockMappingKey(true);
      case S.BlockMappingKey:
        return this.blockMappingKey(false);
      case S.BlockMappingValue:
        return this.blockMappingValue();
      case S.FlowSequenceFirstEntry:
        return this.flowSequenceEntry(true);
      case S.FlowSequenceEntry:
        return this.flowSequenceEntry(false);
      case S.FlowSequenceEntryMappingKey:
        return this.flowSequenceEntryMappingKey();
      case S.FlowSequenceEntryMappingValue:
        return this.flowSequenceEntryMappingValue();
      case S.FlowSequenceEntryMappingEnd:
        return this.flowSequenceEntryMappingEnd();
      case S.FlowMappingFirstKey:
        return this.flowMappingKey(true);
      case S.FlowMappingKey:
        return this.flowMappingKey(false);
      case S.FlowMappingValue:
        return this.flowMappingValue(false);
      case S.FlowMappingEmptyValue:
        return this.flowMappingValue(true);
      default:
        throw new Error('invalid parser state');
    }
  }

  private streamStart(): YamlEvent {
    const t = this.peek();
    if (t.kind !== Tok.StreamStart) this.error('did not find expected <stream-start>', t.start);
    this.state = S.ImplicitDocumentStart;
    this.skip();
    return event(Ev.StreamStart, t.start, t.end);
  }

  private documentStart(implicit: boolean): YamlEvent {
    let t = this.peek();
    if (!implicit) {
      while (t.kind === Tok.DocumentEnd) {
        this.skip();
        t = this.peek();
      }
    }
    if (
      implicit &&
      t.kind !== Tok.VersionDirective &&
      t.kind !== Tok.TagDirective &&
      t.kind !== Tok.DocumentStart &&
      t.kind !== Tok.StreamEnd
    ) {
      this.processDirectives();
      this.states.push(S.DocumentEnd);
      this.state = S.BlockNode;
      return event(Ev.DocumentStart, t.start, t.end, '', '', '', true);
    }
    if (t.kind !== Tok.StreamEnd) {
      const start = t.start;
      this.processDirectives();
      t = this.peek();
      if (t.kind !== Tok.DocumentStart) this.error('did not find expected <document start>', t.start);
      this.states.push(S.DocumentEnd);
      this.state = S.DocumentContent;
      this.skip();
      return event(Ev.DocumentStart, start, t.end);
    }
    this.state = S.End;
    this.skip();
    return event(Ev.StreamEnd, t.start, t.end);
  }

  private documentContent(): YamlEvent {
    const t = this.peek();
    if (
      t.kind === Tok.VersionDirective ||
      t.kind === Tok.TagDirective ||
      t.kind === Tok.DocumentStart ||
      t.kind === Tok.DocumentEnd ||
      t.kind === Tok.StreamEnd
    ) {
      this.pop();
      return this.emptyScalar(t.start);
    }
    return this.node(true, false);
  }

  private documentEnd(): YamlEvent {
    const t = this.peek();
    const start = t.start;
    let end = t.start;
    let implicit = true;
    if (t.kind === Tok.DocumentEnd) {
      end = t.end;
      this.skip();
      implicit = false;
    }
    this.tagDirectives = [];
    this.state = S.DocumentStart;
    return event(Ev.DocumentEnd, start, end, '', '', '', implicit);
  }

  private node(block: boolean, indentlessSequence: boolean): YamlEvent {
    let t = this.peek();
    if (t.kind === Tok.Alias) {
      this.pop();
      this.skip();
      return event(Ev.Alias, t.start, t.end, t.value);
    }
    let start = t.start;
    let end = t.start;
    let tagToken = false;
    let tagHandle = '';
    let tagSuffix = '';
    let anchor = '';
    let tagMark = ZERO_MARK;
    if (t.kind === Tok.Anchor) {
      anchor = t.value;
      start = t.start;
      end = t.end;
      this.skip();
      t = this.peek();
      if (t.kind === Tok.Tag) {
        tagToken = true;
        tagHandle = t.value;
        tagSuffix = t.suffix;
        tagMark = t.start;
        end = t.end;
        this.skip();
        t = this.peek();
      }
    } else if (t.kind === Tok.Tag) {
      tagToken = true;
      tagHandle = t.value;
      tagSuffix = t.suffix;
      start = t.start;
      tagMark = t.start;
      end = t.end;
      this.skip();
      t = this.peek();
      if (t.kind === Tok.Anchor) {
        anchor = t.value;
        end = t.end;
        this.skip();
        t = this.peek();
      }
    }
    let tag = '';
    if (tagToken) {
      if (tagHandle.length === 0) {
        tag = tagSuffix;
      } else {
        const d = this.tagDirectives.find((x) => x.handle === tagHandle);
        if (d) tag = d.prefix + tagSuffix;
        if (tag.length === 0) this.error('found undefined tag handle', tagMark, start);
      }
    }
    const implicit = tag.length === 0;
    if (indentlessSequence && t.kind === Tok.BlockEntry) {
      this.state = S.IndentlessSequenceEntry;
      return event(Ev.SequenceStart, start, t.end, anchor, tag, '', implicit);
    }
    if (t.kind === Tok.Scalar) {
      const plainImplicit = (tag.length === 0 && t.style === Style.Plain) || tag === '!';
      this.pop();
      this.skip();
      return event(Ev.Scalar, start, t.end, anchor, tag, t.value, plainImplicit, t.style);
    }
    if (t.kind === Tok.FlowSequenceStart) {
      this.state = S.FlowSequenceFirstEntry;
      return event(Ev.SequenceStart, start, t.end, anchor, tag, '', implicit, 0, true);
    }
    if (t.kind === Tok.FlowMappingStart) {
      this.state = S.FlowMappingFirstKey;
      return event(Ev.MappingStart, start, t.end, anchor, tag, '', implicit, 0, true);
    }
    if (block && t.kind === Tok.BlockSequenceStart) {
      this.state = S.BlockSequenceFirstEntry;
      return event(Ev.SequenceStart, start, t.end, anchor, tag, '', implicit);
    }
    if (block && t.kind === Tok.BlockMappingStart) {
      this.state = S.BlockMappingFirstKey;
      return event(Ev.MappingStart, start, t.end, anchor, tag, '', implicit);
    }
    if (anchor.length > 0 || tag.length > 0) {
      this.pop();
      return event(Ev.Scalar, start, end, anchor, tag, '', implicit, Style.Plain);
    }
    this.error('did not find expected node content', t.start, start);
  }

  private blockSequenceEntry(first: boolean): YamlEvent {
    if (first) {
      this.marks.push(this.peek().start);
      this.skip();
    }
    let t = this.peek();
    if (t.kind === Tok.BlockEntry) {
      const mark = t.end;
      this.skip();
      t = this.peek();
      if (t.kind !== Tok.BlockEntry && t.kind !== Tok.BlockEnd) {
        this.states.push(S.BlockSequenceEntry);
        return this.node(true, false);
      }
      this.state = S.BlockSequenceEntry;
      return this.emptyScalar(mark);
    }
    if (t.kind === Tok.BlockEnd) {
      this.pop();
      this.marks.pop();
      this.skip();
      return event(Ev.SequenceEnd, t.start, t.end);
    }
    const context = this.marks.pop() as Mark;
    this.error("did not find expected '-' indicator", t.start, context);
  }

  private indentlessSequenceEntry(): YamlEvent {
    let t = this.peek();
    if (t.kind === Tok.BlockEntry) {
      const mark = t.end;
      this.skip();
      t = this.peek();
      if (t.kind !== Tok.BlockEntry && t.kind !== Tok.Key && t.kind !== Tok.Value && t.kind !== Tok.BlockEnd) {
        this.states.push(S.IndentlessSequenceEntry);
        return this.node(true, false);
      }
      this.state = S.IndentlessSequenceEntry;
      return this.emptyScalar(mark);
    }
    this.pop();
    return event(Ev.SequenceEnd, t.start, t.start);
  }

  private blockMappingKey(first: boolean): YamlEvent {
    if (first) {
      this.marks.push(this.peek().start);
      this.skip();
    }
    let t = this.peek();
    if (t.kind === Tok.Key) {
      const mark = t.end;
      this.skip();
      t = this.peek();
      if (t.kind !== Tok.Key && t.kind !== Tok.Value && t.kind !== Tok.BlockEnd) {
        this.states.push(S.BlockMappingValue);
        return this.node(true, true);
      }
      this.state = S.BlockMappingValue;
      return this.emptyScalar(mark);
    }
    if (t.kind === Tok.BlockEnd) {
      this.pop();
      this.marks.pop();
      this.skip();
      return event(Ev.MappingEnd, t.start, t.end);
    }
    const context = this.marks.pop() as Mark;
    this.error('did not find expected key', t.start, context);
  }

  private blockMappingValue(): YamlEvent {
    let t = this.peek();
    if (t.kind === Tok.Value) {
      const mark = t.end;
      this.skip();
      t = this.peek();
      if (t.kind !== Tok.Key && t.kind !== Tok.Value && t.kind !== Tok.BlockEnd) {
        this.states.push(S.BlockMappingKey);
        return this.node(true, true);
      }
      this.state = S.BlockMappingKey;
      return this.emptyScalar(mark);
    }
    this.state = S.BlockMappingKey;
    return this.emptyScalar(t.start);
  }

  private flowSequenceEntry(first: boolean): YamlEvent {
    if (first) {
      this.marks.push(this.peek().start);
      this.skip();
    }
    let t = this.peek();
    if (t.kind !== Tok.FlowSequenceEnd) {
      if (!first) {
        if (t.kind === Tok.FlowEntry) {
          this.skip();
          t = this.peek();
        } else {
          const context = this.marks.pop() as Mark;
          this.error("did not find expected ',' or ']'", t.start, context);
        }
      }
      if (t.kind === Tok.Key) {
        this.state = S.FlowSequenceEntryMappingKey;
        this.skip();
        return event(Ev.MappingStart, t.start, t.end, '', '', '', true, 0, true);
      }
      if (t.kind !== Tok.FlowSequenceEnd) {
        this.states.push(S.FlowSequenceEntry);
        return this.node(false, false);
      }
    }
    this.pop();
    this.marks.pop();
    this.skip();
    return event(Ev.SequenceEnd, t.start, t.end);
  }

  private flowSequenceEntryMappingKey(): YamlEvent {
    const t = this.peek();
    if (t.kind !== Tok.Value && t.kind !== Tok.FlowEntry && t.kind !== Tok.FlowSequenceEnd) {
      this.states.push(S.FlowSequenceEntryMappingValue);
      return this.node(false, false);
    }
    const mark = t.end;
    this.skip();
    this.state = S.FlowSequenceEntryMappingValue;
    return this.emptyScalar(mark);
  }

  private flowSequenceEntryMappingValue(): YamlEvent {
    let t = this.peek();
    if (t.kind === Tok.Value) {
      this.skip();
      t = this.peek();
      if (t.kind !== Tok.FlowEntry && t.kind !== Tok.FlowSequenceEnd) {
        this.states.push(S.FlowSequenceEntryMappingEnd);
        return this.node(false, false);
      }
    }
    this.state = S.FlowSequenceEntryMappingEnd;
    return this.emptyScalar(t.start);
  }

  private flowSequenceEntryMappingEnd(): YamlEvent {
    const t = this.peek();
    this.state = S.FlowSequenceEntry;
    return event(Ev.MappingEnd, t.start, t.start);
  }

  private flowMappingKey(first: boolean): YamlEvent {
    if (first) {
      this.marks.push(this.peek().start);
      this.skip();
    }
    let t = this.peek();
    if (t.kind !== Tok.FlowMappingEnd) {
      if (!first) {
        if (t.kind === Tok.FlowEntry) {
          this.skip();
          t = this.peek();
        } else {
          const context = this.marks.pop() as Mark;
          this.error("did not find expected ',' or '}'", t.start, context);
        }
      }
      if (t.kind === Tok.Key) {
        this.skip();
        t = this.peek();
        if (t.kind !== Tok.Value && t.kind !== Tok.FlowEntry && t.kind !== Tok.FlowMappingEnd) {
          this.states.push(S.FlowMappingValue);
          return this.node(false, false);
        }
        this.state = S.FlowMappingValue;
        return this.emptyScalar(t.start);
      }
      if (t.kind !== Tok.FlowMappingEnd) {
        this.states.push(S.FlowMappingEmptyValue);
        return this.node(false, false);
      }
    }
    this.pop();
    this.marks.pop();
    this.skip();
    return event(Ev.MappingEnd, t.start, t.end);
  }

  private flowMappingValue(empty: boolean): YamlEvent {
    let t = this.peek();
    if (empty) {
      this.state = S.FlowMappingKey;
      return this.emptyScalar(t.start);
    }
    if (t.kind === Tok.Value) {
      this.skip();
      t = this.peek();
      if (t.kind !== Tok.FlowEntry && t.kind !== Tok.FlowMappingEnd) {
        this.states.push(S.FlowMappingKey);
        return this.node(false, false);
      }
    }
    this.state = S.FlowMappingKey;
    return this.emptyScalar(t.start);
  }

  private emptyScalar(mark: Mark): YamlEvent {
    return event(Ev.Scalar, mark, mark, '', '', '', true, Style.Plain);
  }

  private processDirectives(): void {
    let t = this.peek();
    let sawVersion = false;
    while (t.kind === Tok.VersionDirective || t.kind === Tok.TagDirective) {
      if (t.kind === Tok.VersionDirective) {
        if (sawVersion) this.error('found duplicate %YAML directive', t.start);
        if (t.major !== 1 || t.minor !== 1) this.error('found incompatible YAML document', t.start);
        sawVersion = true;
      } else {
        if (this.tagDirectives.some((d) => d.handle === t.value)) this.error('found duplicate %TAG directive', t.start);
        this.tagDirectives.push({ handle: t.value, prefix: t.suffix });
      }
      this.skip();
      t = this.peek();
    }
    for (const d of DEFAULT_TAG_DIRECTIVES) {
      if (!this.tagDirectives.some((x) => x.handle === d.handle)) this.tagDirectives.push(d);
    }
  }
}
