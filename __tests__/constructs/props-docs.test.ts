/**
 * Every prop of a construct's props (exported `...Props` and `...Options` interfaces under
 * constructs/) has a description, and every optional one a `@default` that says what happens when
 * it is left out: the aws-cdk and cdk8s-plus convention the README's users rely on.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const CONSTRUCTS = path.join(__dirname, '..', '..', 'constructs');

interface PropDoc {
  readonly where: string;
  readonly optional: boolean;
  readonly description: string;
  readonly hasDefault: boolean;
}

function propDocs(file: string): PropDoc[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const docs: PropDoc[] = [];
  source.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node) || !/(Props|Options)$/.test(node.name.text)) return;
    if (!node.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)) return;
    for (const member of node.members) {
      if (!ts.isPropertySignature(member)) continue;
      const jsDoc = ts.getJSDocCommentsAndTags(member).filter(ts.isJSDoc);
      docs.push({
        where: `${path.basename(file)} ${node.name.text}.${member.name.getText(source)}`,
        optional: member.questionToken !== undefined,
        description: jsDoc.map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? '').join('').trim(),
        hasDefault: ts.getJSDocTags(member).some((tag) => tag.tagName.text === 'default'),
      });
    }
  });
  return docs;
}

const docs = readdirSync(CONSTRUCTS)
  .filter((name) => name.endsWith('.ts'))
  .flatMap((name) => propDocs(path.join(CONSTRUCTS, name)));

test('the construct props are found', () => {
  expect(docs.map((doc) => doc.where)).toEqual(
    expect.arrayContaining(['instance-props.ts InstanceProps.assignExternalIp', 'worker-pool.ts WorkerPoolProps.spot', 'cluster-network.ts ClusterNetworkProps.cloudNat']),
  );
});

test('every prop has a description', () => {
  expect(docs.filter((doc) => doc.description === '').map((doc) => doc.where)).toEqual([]);
});

test('every optional prop has a @default', () => {
  expect(docs.filter((doc) => doc.optional && !doc.hasDefault).map((doc) => doc.where)).toEqual([]);
});
