/**
 * `ignition-validate` for the ign3 suites (Debian package `ignition`). Absent: the validation
 * tests are skipped with a warning, except under `CI=true`, where they fail.
 */
import { findIgnitionValidate } from '../../scripts/conformance';

export const IGNITION_VALIDATE = findIgnitionValidate();
export const IN_CI = process.env.CI === 'true';

const MISSING = 'ignition-validate not found: install the Debian package `ignition` (apt-get install -y ignition)';

/** `test`, or `test.skip` with a loud warning when the binary is missing outside CI. */
export function validatorTest(name: string, body: (binary: string) => void): void {
  if (IGNITION_VALIDATE) {
    test(name, () => body(IGNITION_VALIDATE as string));
  } else if (IN_CI) {
    test(name, () => {
      throw new Error(MISSING);
    });
  } else {
    test.skip(`${name} (${MISSING})`, () => undefined);
  }
}

if (!IGNITION_VALIDATE && !IN_CI) console.warn(`WARNING: ${MISSING}; the 3.3.0 outputs are NOT validated.`);
