/** ct conformance: one test per vector folder and dialect, comparing stdout, stderr and exit code bytes. */
import { DIALECTS, expectedFor, findVectorsDir, loadVectors, missingCapabilities, runVector } from '../scripts/conformance';

const vectors = loadVectors(findVectorsDir(__dirname));

describe.each(DIALECTS)('ct/%s', (dialect) => {
  for (const vector of vectors) {
    if (missingCapabilities(vector).length > 0) {
      test.todo(`${vector.name} (needs ${missingCapabilities(vector).join(', ')})`);
      continue;
    }
    test(vector.name, () => {
      const expected = expectedFor(vector, dialect);
      const actual = runVector(vector, dialect);
      expect({ exitCode: actual.exitCode, stderr: actual.stderr.toString('utf8'), stdout: actual.stdout.toString('utf8') }).toEqual({
        exitCode: expected.exitCode,
        stderr: expected.stderr.toString('utf8'),
        stdout: expected.stdout.toString('utf8'),
      });
      expect(actual.stdout.equals(expected.stdout) && actual.stderr.equals(expected.stderr)).toBe(true);
    });
  }
});
