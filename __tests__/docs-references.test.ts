/**
 * Every document a comment cites is in the repository: `docs/<file>.md §N` must name an existing
 * file and section heading, and nothing may cite the team's notes outside the repository (the
 * old `ct-spec 5.12` style), which a person who clones the repository cannot open.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'cdktf.out', '.scratch', '.git']);
const SCANNED = /\.(ts|md|js|mjs)$/;

/** Citations of documents outside the repository, spelled in pieces so this file does not match itself. */
const OUTSIDE = new RegExp(
  [
    'ct' + '-spec',
    'ignition-2to3 ' + '§',
    'cdktf' + '-notes',
    'prior-art' + '-clusters',
    'shared/' + '(?:docs|conformance)',
    '\\.\\./' + 'shared',
    'butane' + '-spec',
    'kubernetes' + '-plan',
  ].join('|'),
);

/** `docs/<file>.md` (optionally reached through `../`), then any `§N` that follow it. */
const CITATION = /(?<![\w/.-])((?:\.\.\/)*)docs\/([\w-]+)\.md((?:(?:\s*,\s*|\s+and\s+|\s+to\s+|\s+)§\d+(?:\.\d+)*(?: item \d+)?)*)/g;
/** A relative markdown link to a `.md` file, as docs/README.md uses. */
const MARKDOWN_LINK = /\]\(([^)#:\s]+\.md)(?:#[^)]*)?\)/g;

function scannedFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) scannedFiles(join(dir, entry.name), out);
    } else if (SCANNED.test(entry.name)) {
      out.push(join(dir, entry.name));
    }
  }
  return out;
}

const headingsCache = new Map<string, Set<string>>();

/** The section numbers of a markdown file's headings (`## 5.`, `### 5.12 etcd`). */
function sectionNumbers(file: string): Set<string> {
  let numbers = headingsCache.get(file);
  if (!numbers) {
    numbers = new Set();
    for (const m of readFileSync(file, 'utf8').matchAll(/^#{1,6}\s+(\d+(?:\.\d+)*)\.?\s/gm)) numbers.add(m[1]);
    headingsCache.set(file, numbers);
  }
  return numbers;
}

interface Finding {
  readonly where: string;
  readonly problem: string;
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

function checkFile(file: string): Finding[] {
  const text = readFileSync(file, 'utf8');
  const rel = relative(ROOT, file);
  const findings: Finding[] = [];
  for (const m of text.matchAll(CITATION)) {
    const where = `${rel}:${lineOf(text, m.index)}`;
    const target = m[1] ? resolve(dirname(file), `${m[1]}docs/${m[2]}.md`) : join(ROOT, 'docs', `${m[2]}.md`);
    if (!existsSync(target)) {
      findings.push({ where, problem: `cites ${relative(ROOT, target)}, which does not exist` });
      continue;
    }
    for (const s of m[3].matchAll(/§(\d+(?:\.\d+)*)/g)) {
      if (!sectionNumbers(target).has(s[1])) findings.push({ where, problem: `cites ${relative(ROOT, target)} §${s[1]}, which has no such heading` });
    }
  }
  if (file.endsWith('.md')) {
    for (const m of text.matchAll(MARKDOWN_LINK)) {
      if (!existsSync(resolve(dirname(file), m[1]))) findings.push({ where: `${rel}:${lineOf(text, m.index)}`, problem: `links to ${m[1]}, which does not exist` });
    }
  }
  if (file !== __filename) {
    for (const m of text.matchAll(new RegExp(OUTSIDE.source, 'g'))) {
      findings.push({ where: `${rel}:${lineOf(text, m.index)}`, problem: `cites a document outside the repository (${m[0]})` });
    }
  }
  return findings;
}

describe('documentation references', () => {
  const files = scannedFiles(ROOT);

  it('scans the code, the tests and the docs', () => {
    const rels = files.map((f) => relative(ROOT, f));
    expect(rels).toEqual(expect.arrayContaining(['docs/ct.md', 'docs/ignition-2to3.md', 'transpiler/transpile.ts', 'docs/README.md']));
  });

  it('every cited docs file and section exists, and nothing cites a document outside the repository', () => {
    const findings = files.flatMap(checkFile).map((f) => `${f.where}: ${f.problem}`);
    expect(findings).toEqual([]);
  });

  it('finds the citations it checks', () => {
    // a guard against a pattern that silently matches nothing
    const text = readFileSync(join(ROOT, 'transpiler/sections/etcd-options.ts'), 'utf8');
    const cited = [...text.matchAll(CITATION)].flatMap((m) => [...m[3].matchAll(/§([\d.]+)/g)].map((s) => s[1]));
    expect(cited).toContain('5.12');
    expect(checkFile(join(ROOT, 'transpiler/sections/etcd-options.ts'))).toEqual([]);
  });

  it('reports a missing section, a missing file and an outside citation', () => {
    const docs = 'docs/'; // split so that the scan of this file does not report the sample
    const sample = `${docs}ct.md §99 and ${docs}nowhere.md §1; see ${'ct' + '-spec'} 5.12`;
    const citations = [...sample.matchAll(CITATION)];
    expect(citations.map((m) => m[2])).toEqual(['ct', 'nowhere']);
    expect(sectionNumbers(join(ROOT, 'docs/ct.md')).has('99')).toBe(false);
    expect(OUTSIDE.test(sample)).toBe(true);
  });
});
