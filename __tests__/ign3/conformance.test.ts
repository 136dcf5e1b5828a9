/**
 * Ignition 3.3.0 conformance: one test per ign3 vector and side, run end to end through the ct
 * command as `scripts/conformance.ts` does (its header says how), comparing bytes; then
 * ignition-validate must judge the output as it judged the reference (`validate.txt`).
 */
import {
  expectedIgn3,
  findIgn3Dir,
  findVectorsDir,
  ign3Differences,
  loadIgn3Cases,
  missingCapabilities,
  runIgn3Case,
  validationDifference,
} from '../../scripts/conformance';
import { validatorTest } from './ign3-validator';

const cases = loadIgn3Cases(findIgn3Dir(__dirname), findVectorsDir(__dirname));

describe('ign3 via ct --ignition-version 3.3.0', () => {
  for (const c of cases) {
    const name = `${c.name} (from ${c.side})`;
    const needs = missingCapabilities(c.ct);
    if (needs.length > 0) {
      test.todo(`${name} (needs ${needs.join(', ')})`);
      continue;
    }
    test(name, () => {
      const expected = expectedIgn3(c);
      const actual = runIgn3Case(c);
      if (!expected.crash) {
        expect({ exitCode: actual.exitCode, stderr: actual.stderr.toString('utf8'), stdout: actual.stdout.toString('utf8') }).toEqual({
          exitCode: expected.exitCode,
          stderr: expected.stderr.toString('utf8'),
          stdout: expected.stdout.toString('utf8'),
        });
      }
      expect(ign3Differences(actual, expected)).toEqual([]);
    });
  }
});

describe('ign3 outputs pass ignition-validate like the reference outputs', () => {
  for (const c of cases.filter((k) => expectedIgn3(k).exitCode === 0 && missingCapabilities(k.ct).length === 0)) {
    validatorTest(`${c.name} (from ${c.side})`, (binary) => {
      const actual = runIgn3Case(c);
      expect(validationDifference(c, actual.stdout, binary)).toBeUndefined();
    });
  }
});
