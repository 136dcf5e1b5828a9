/**
 * `translateToV33` on its own, fed exactly what the ign3 vectors were made from: each ct vector's
 * 2.x output (`expected.ign` -> `from-2.2.0.*`, `expected.flatcar.ign` -> `from-2.3.0.*`) and each
 * hand-written `_probes/<name>/input.json` (-> `output.*`). Checks the 3.3.0 bytes (indented and
 * compact), the intermediate 3.1.0 bytes, and Flatcar's messages.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findIgn3Dir, findVectorsDir, loadIgn3Cases, runIgnitionValidate } from '../../scripts/conformance';
import { Ign3TranslationError, marshalV33, translateToV33 } from '../../transpiler/ign3';
import { validatorTest } from './ign3-validator';

interface Outcome {
  readonly exit: number;
  readonly stderr: string;
  readonly ign?: string;
  readonly compact?: string;
  readonly v31?: string;
}

/** The translation in the vectors' file conventions (README "Layout"); a crash counts as exit 2. */
function translate(input: Uint8Array): Outcome {
  try {
    const t = translateToV33(input);
    return { exit: 0, stderr: t.report === '' ? '' : t.report + '\n', ign: marshalV33(t.config, true), compact: marshalV33(t.config, false), v31: t.v31Json };
  } catch (err) {
    if (!(err instanceof Ign3TranslationError)) throw err;
    return { exit: err.kind === 'crash' ? 2 : 1, stderr: err.flatcarMessage + '\n' };
  }
}

function expected(dir: string, stem: string): Outcome {
  const read = (suffix: string): string | undefined => {
    const path = join(dir, stem + suffix);
    return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  };
  const exit = Number(read('.exit')?.trim());
  return { exit, stderr: read('.stderr') ?? '', ign: exit === 0 ? read('.ign') : undefined, compact: read('.compact.ign'), v31: read('.v3_1.ign') };
}

/** A panic's Go text is not reproduced: only the refusal is compared there. */
function comparable(o: Outcome, reference: Outcome): Outcome {
  const compare = { ...o };
  if (reference.exit === 2) return { exit: o.exit, stderr: '' };
  if (reference.compact === undefined) delete compare.compact;
  if (reference.v31 === undefined) delete compare.v31;
  return compare;
}

const ign3Root = findIgn3Dir(__dirname);
const cases = loadIgn3Cases(ign3Root, findVectorsDir(__dirname));

describe('translateToV33 of ct 2.x outputs', () => {
  for (const c of cases) {
    test(`${c.name} (from ${c.side})`, () => {
      const input = readFileSync(join(c.ct.dir, c.dialect === 'flatcar' ? 'expected.flatcar.ign' : 'expected.ign'));
      const reference = expected(c.dir, `from-${c.side}`);
      const actual = translate(input);
      expect(comparable(actual, reference)).toEqual(comparable(reference, reference));
    });
  }
});

const probesRoot = join(ign3Root, '_probes');
const probes = existsSync(probesRoot) ? readdirSync(probesRoot).sort() : [];

describe('translateToV33 of the _probes inputs', () => {
  for (const name of probes) {
    const dir = join(probesRoot, name);
    const input = readFileSync(join(dir, 'input.json'));
    test(name, () => {
      const reference = expected(dir, 'output');
      expect(comparable(translate(input), reference)).toEqual(comparable(reference, reference));
    });
  }
});

describe('probe outputs pass ignition-validate like the reference outputs', () => {
  for (const name of probes) {
    const dir = join(probesRoot, name);
    const input = readFileSync(join(dir, 'input.json'));
    if (expected(dir, 'output').exit !== 0) continue;
    validatorTest(name, (binary) => {
      const ours = runIgnitionValidate(binary, Buffer.from(translate(input).ign ?? ''));
      const reference = runIgnitionValidate(binary, readFileSync(join(dir, 'output.ign')));
      expect(ours).toEqual(reference);
    });
  }
});
