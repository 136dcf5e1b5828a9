/**
 * Test helper: the commands a POSIX `sh` script runs, read without running it, so that the graph
 * check can ask whether a script Ignition writes (e.g. `/opt/bin/fetch-secrets`) runs only programs
 * Flatcar has. The reading follows the shell's grammar as far as such scripts need (POSIX
 * "Shell Command Language": quoting, `$(...)`, backquotes, `$((...))`, `${...}`, redirections,
 * assignments, `if`/`while`/`for`/`case`, `{ }`, subshells, function definitions, `trap` actions).
 * Not read: here-documents (an error), and the code `eval` builds at run time.
 */

/** A command a script runs, by the name it is called with, and the line it is on. */
export interface ScriptCommand {
  readonly name: string;
  readonly line: number;
}

/** Builtins of POSIX sh and bash that scripts use: running them needs no program on the image. */
export const SHELL_BUILTINS: ReadonlySet<string> = new Set([
  ':', '.', '[', 'alias', 'break', 'cd', 'command', 'continue', 'echo', 'eval', 'exec', 'exit', 'export', 'false', 'getopts',
  'hash', 'kill', 'local', 'printf', 'pwd', 'read', 'readonly', 'return', 'set', 'shift', 'test', 'times', 'trap', 'true',
  'type', 'ulimit', 'umask', 'unalias', 'unset', 'wait',
]);

const OPENERS = new Set(['if', 'then', 'else', 'elif', 'while', 'until', 'do', '{', '!']);
const CLOSERS = new Set(['fi', 'done', '}']);
const REDIRECTIONS = new Set(['<', '>', '>>', '<&', '>&', '<>', '>|']);
const OPERATORS = ['&&', '||', ';;', '<<', '>>', '<&', '>&', '<>', '>|', ';', '&', '|', '(', ')', '<', '>', '\n'];

type Token =
  | { readonly kind: 'op'; readonly text: string; readonly line: number }
  | { readonly kind: 'word'; readonly text: string; readonly value: string; readonly line: number; readonly substitutions: Token[][] };

class Lexer {
  line: number;
  constructor(readonly src: string, private i: number, line: number) {
    this.line = line;
  }

  /** Tokens up to the end, or (inside `$(`) up to the `)` that closes it; returns the position after. */
  tokens(untilParen: boolean): { tokens: Token[]; end: number } {
    const tokens: Token[] = [];
    let depth = 0;
    const src = this.src;
    while (this.i < src.length) {
      const c = src[this.i];
      if (c === ' ' || c === '\t') {
        this.i++;
      } else if (c === '\\' && src[this.i + 1] === '\n') {
        this.i += 2;
        this.line++;
      } else if (c === '#') {
        while (this.i < src.length && src[this.i] !== '\n') this.i++;
      } else {
        const op = OPERATORS.find((o) => src.startsWith(o, this.i));
        if (op !== undefined) {
          if (op === '<<') throw new Error(`line ${this.line}: here-documents are not read`);
          if (op === ')' && untilParen && depth === 0) return { tokens, end: this.i + 1 };
          if (op === '(') depth++;
          if (op === ')') depth--;
          tokens.push({ kind: 'op', text: op, line: this.line });
          if (op === '\n') this.line++;
          this.i += op.length;
        } else {
          const word = this.word();
          // An IO number (`2>&1`): part of the redirection, not a word.
          if (!(/^[0-9]+$/.test(word.text) && (src[this.i] === '<' || src[this.i] === '>'))) tokens.push(word);
        }
      }
    }
    if (untilParen) throw new Error(`line ${this.line}: unclosed $(`);
    return { tokens, end: this.i };
  }

  private word(): Token {
    const src = this.src;
    const start = this.i;
    const line = this.line;
    let value = '';
    const substitutions: Token[][] = [];
    while (this.i < src.length) {
      const c = src[this.i];
      if (c === ' ' || c === '\t' || c === '\n' || ';&|()<>'.includes(c)) break;
      if (c === "'") {
        const close = src.indexOf("'", this.i + 1);
        if (close < 0) throw new Error(`line ${line}: unterminated '`);
        value += this.advance(src.slice(this.i + 1, close));
        this.i = close + 1;
      } else if (c === '"') {
        this.i++;
        while (this.i < src.length && src[this.i] !== '"') {
          if (src[this.i] === '\\' && this.i + 1 < src.length) {
            value += this.advance(src[this.i + 1]);
            this.i += 2;
          } else if (this.expansion(substitutions)) {
            value += '$';
          } else {
            value += this.advance(src[this.i]);
            this.i++;
          }
        }
        if (this.i >= src.length) throw new Error(`line ${line}: unterminated "`);
        this.i++;
      } else if (c === '\\' && this.i + 1 < src.length) {
        value += this.advance(src[this.i + 1]);
        this.i += 2;
      } else if (this.expansion(substitutions)) {
        value += '$';
      } else {
        value += c;
        this.i++;
      }
    }
    return { kind: 'word', text: src.slice(start, this.i), value, line, substitutions };
  }

  private advance(text: string): string {
    for (const ch of text) if (ch === '\n') this.line++;
    return text;
  }

  /** Reads `$((...))`, `$(...)`, `` `...` `` or `${...}` at the position, keeping the commands it runs; false when none is there. */
  private expansion(substitutions: Token[][]): boolean {
    const src = this.src;
    if (src.startsWith('$((', this.i)) {
      // Arithmetic: not a command, but it may hold command substitutions.
      let depth = 0;
      this.i += 1;
      while (this.i < src.length) {
        if (src.startsWith('$(', this.i) && src[this.i + 2] !== '(') {
          this.expansion(substitutions);
          continue;
        }
        if (src[this.i] === '(') depth++;
        else if (src[this.i] === ')' && --depth === 0) {
          this.i++;
          return true;
        } else if (src[this.i] === '\n') this.line++;
        this.i++;
      }
      throw new Error(`line ${this.line}: unclosed $((`);
    }
    if (src.startsWith('$(', this.i)) {
      const inner = new Lexer(src, this.i + 2, this.line);
      const { tokens, end } = inner.tokens(true);
      substitutions.push(tokens);
      this.line = inner.line;
      this.i = end;
      return true;
    }
    if (src[this.i] === '`') {
      let close = this.i + 1;
      while (close < src.length && src[close] !== '`') close += src[close] === '\\' ? 2 : 1;
      if (close >= src.length) throw new Error(`line ${this.line}: unterminated \``);
      substitutions.push(new Lexer(src.slice(this.i + 1, close).replace(/\\([`$\\])/g, '$1'), 0, this.line).tokens(false).tokens);
      this.advance(src.slice(this.i, close));
      this.i = close + 1;
      return true;
    }
    if (src.startsWith('${', this.i)) {
      const close = src.indexOf('}', this.i);
      if (close < 0) throw new Error(`line ${this.line}: unclosed \${`);
      this.advance(src.slice(this.i, close));
      this.i = close + 1;
      return true;
    }
    return false;
  }
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** The commands of a token list (a script, a substitution, a trap action). */
function walk(tokens: readonly Token[], commands: ScriptCommand[], functions: Set<string>): void {
  // One entry per open `case`: 'subject' (the word after case), 'in', 'pattern' or 'body'.
  const cases: ('subject' | 'in' | 'pattern' | 'body')[] = [];
  let expectCommand = true;
  let inFor = false;
  let command: string | undefined; // the command whose arguments are being read
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t];
    const top = cases.length > 0 ? cases[cases.length - 1] : undefined;
    if (token.kind === 'word') for (const substitution of token.substitutions) walk(substitution, commands, functions);
    if (token.kind === 'op') {
      if (REDIRECTIONS.has(token.text)) {
        t++; // the file name
        continue;
      }
      if (top === 'pattern') {
        if (token.text === ')') {
          cases[cases.length - 1] = 'body';
          expectCommand = true;
        }
        continue;
      }
      if (token.text === ';;' && top === 'body') cases[cases.length - 1] = 'pattern';
      if (token.text === ')' && !expectCommand) continue; // end of a subshell
      if (inFor && (token.text === ';' || token.text === '\n')) continue;
      expectCommand = true;
      command = undefined;
      continue;
    }
    const word = token.text;
    if (top === 'subject') {
      cases[cases.length - 1] = 'in';
      continue;
    }
    if (top === 'in') {
      if (word !== 'in') throw new Error(`line ${token.line}: case without "in"`);
      cases[cases.length - 1] = 'pattern';
      continue;
    }
    if (top === 'pattern') {
      if (word === 'esac') {
        cases.pop();
        expectCommand = false;
      }
      continue;
    }
    if (inFor) {
      if (word === 'do') {
        inFor = false;
        expectCommand = true;
      }
      continue;
    }
    if (!expectCommand) {
      // `trap ACTION SIGNAL...`: the action is code the shell runs later.
      if (command === 'trap' && tokens[t - 1]?.kind === 'word' && tokens[t - 1].text === 'trap' && !word.startsWith('-')) {
        walk(new Lexer(token.value, 0, token.line).tokens(false).tokens, commands, functions);
      }
      continue;
    }
    if (word === 'case') {
      cases.push('subject');
      continue;
    }
    if (word === 'for') {
      inFor = true;
      continue;
    }
    if (OPENERS.has(word)) continue;
    if (CLOSERS.has(word) || (word === 'esac' && top === 'body')) {
      if (word === 'esac') cases.pop();
      expectCommand = false;
      continue;
    }
    if (ASSIGNMENT.test(word)) continue;
    const next = tokens[t + 1];
    const after = tokens[t + 2];
    if (next?.kind === 'op' && next.text === '(' && after?.kind === 'op' && after.text === ')') {
      functions.add(word);
      t += 2;
      continue;
    }
    if (word === 'exec' || word === 'command') continue; // the next word is the command
    commands.push({ name: token.value, line: token.line });
    command = token.value;
    expectCommand = false;
  }
}

/**
 * Every command the script runs that is neither a builtin nor one of its own functions, in order.
 * Names holding an expansion (`$cmd`) are kept as written: the caller decides what to do with them.
 */
export function shellCommands(script: string): ScriptCommand[] {
  const commands: ScriptCommand[] = [];
  const functions = new Set<string>();
  walk(new Lexer(script, 0, 1).tokens(false).tokens, commands, functions);
  return commands.filter((c) => !SHELL_BUILTINS.has(c.name) && !functions.has(c.name));
}
