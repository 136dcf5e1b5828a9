/**
 * The fuzz-found vectors (`__tests__/conformance/ct-fuzz/`, `__tests__/conformance/ign3-fuzz/`),
 * one test per vector, judged as `npm run conformance` judges them (scripts/conformance-fuzz.ts
 * says where we differ from the real tools on purpose, and why).
 */
import { join } from 'node:path';
import { DIALECTS, findVectorsDir, loadVectors } from '../scripts/conformance';
import { expectedFuzz, fuzzDifferences, ign3FuzzDifferences, loadIgn3FuzzCases } from '../scripts/conformance-fuzz';

const conformanceRoot = join(findVectorsDir(__dirname), '..');
const ctFuzz = loadVectors(join(conformanceRoot, 'ct-fuzz'));

describe.each(DIALECTS)('ct-fuzz/%s', (dialect) => {
  for (const vector of ctFuzz) {
    const divergence = expectedFuzz(vector, dialect).divergence;
    test(divergence ? `${vector.name} (${divergence})` : vector.name, () => {
      expect(fuzzDifferences(vector, dialect)).toEqual([]);
    });
  }
});

describe('ign3-fuzz (translateToV33 of 2.x JSON)', () => {
  for (const c of loadIgn3FuzzCases(join(conformanceRoot, 'ign3-fuzz'))) {
    test(c.name, () => {
      expect(ign3FuzzDifferences(c)).toEqual([]);
    });
  }
});

test('both fuzz corpora are present', () => {
  expect(ctFuzz.length).toBeGreaterThan(0);
  expect(loadIgn3FuzzCases(join(conformanceRoot, 'ign3-fuzz')).length).toBeGreaterThan(0);
});
