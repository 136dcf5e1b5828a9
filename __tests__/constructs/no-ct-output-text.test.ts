/**
 * The constructs learn what ct generated from `TranspileResult.generated`, never by recognising
 * ct's output text: no construct holds ct's drop-in names or the update.conf path in a string,
 * template or regular expression (comments may name them).
 */
import { testEachConstructSource } from './construct-sources';
import * as ts from 'typescript';

const FORBIDDEN = ['20-clct', '/etc/coreos/update.conf'];

const LITERAL_KINDS = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.TemplateHead,
  ts.SyntaxKind.TemplateMiddle,
  ts.SyntaxKind.TemplateTail,
  ts.SyntaxKind.RegularExpressionLiteral,
]);

/** The literals (strings, templates, regular expressions) of `source` that hold a forbidden text. */
function forbiddenLiterals(source: string): string[] {
  const file = ts.createSourceFile('check.ts', source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (LITERAL_KINDS.has(node.kind)) {
      const text = node.getText(file);
      if (FORBIDDEN.some((forbidden) => text.includes(forbidden))) found.push(text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('constructs do not recognise ct output by its text', () => {
  test('the check sees strings, templates and regular expressions, not comments', () => {
    const source = [
      '// ct names its drop-in 20-clct-etcd-member.conf',
      '/* and writes /etc/coreos/update.conf */',
      "const a = '20-clct-flannel.conf';",
      'const b = `/etc/coreos/update.conf${x}`;',
      'const c = `${x}20-clct-docker.conf`;',
      'const d = /^20-clct-(etcd-member|flannel)\\.conf$/;',
      "const e = 'etcd-member.service';",
    ].join('\n');
    expect(forbiddenLiterals(source)).toEqual([
      "'20-clct-flannel.conf'",
      '`/etc/coreos/update.conf${',
      '}20-clct-docker.conf`',
      '/^20-clct-(etcd-member|flannel)\\.conf$/',
    ]);
  });

  testEachConstructSource((_, text) => forbiddenLiterals(text));
});
