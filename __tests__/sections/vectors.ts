/** Reads what the real ct emitted for a conformance vector (shared by the section tests). */
/* eslint-disable @typescript-eslint/no-explicit-any -- parsed JSON of the vectors */
import { readFileSync } from 'fs';
import { join } from 'path';

const VECTORS = join(__dirname, '..', 'conformance', 'ct');

type Build = 'coreos' | 'flatcar';

function expectedConfig(vector: string, build: Build): Record<string, any> {
  const file = build === 'flatcar' ? 'expected.flatcar.ign' : 'expected.ign';
  return JSON.parse(readFileSync(join(VECTORS, vector, file), 'utf8'));
}

/** The contents of the first drop-in of the named unit in a vector's expected output. */
export function expectedDropin(vector: string, unitName: string, build: Build = 'coreos'): string {
  const units: any[] = expectedConfig(vector, build).systemd.units ?? [];
  const unit = units.find((u) => u.name === unitName);
  if (!unit) throw new Error(`${vector}: no unit ${unitName}`);
  return unit.dropins[0].contents;
}

/** All units of a vector's expected output. */
export function expectedUnits(vector: string, build: Build = 'coreos'): any[] {
  return expectedConfig(vector, build).systemd.units ?? [];
}

/** The `source` of a file in a vector's expected output. */
export function expectedFileSource(vector: string, path: string, build: Build = 'coreos'): string {
  const files: any[] = expectedConfig(vector, build).storage.files ?? [];
  const file = files.find((f) => f.path === path);
  if (!file) throw new Error(`${vector}: no file ${path}`);
  return file.contents.source;
}
