/** Butane conformance: one test per vector made by Butane v0.23.0, comparing exit code, stderr and stdout exactly. */
import { join } from 'node:path';
import { expectedButane, loadButaneVectors, runButaneVector } from '../scripts/conformance-butane';

const vectors = loadButaneVectors(join(__dirname, 'conformance', 'butane'));

describe('butane', () => {
  test('the corpus is there', () => expect(vectors.length).toBeGreaterThanOrEqual(111));
  test.each(vectors.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
    expect(runButaneVector(vector)).toEqual(expectedButane(vector));
  });
});
