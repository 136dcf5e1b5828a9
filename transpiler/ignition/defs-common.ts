/** Building blocks shared by the Ignition struct descriptors. */
import { field, ptr, str, type FieldDef, type GoType, type StructDef } from '../schema';
import { verificationRule } from './rules';

/** A field tagged `omitempty`. */
export const opt = (name: string, key: string, type: GoType): FieldDef => field(name, key, type, true);

/** Makes a field whose `omitempty` depends on the spec version. */
export type FieldMaker = (name: string, key: string, type: GoType) => FieldDef;

export const verificationDef: StructDef = {
  goName: 'types.Verification',
  fields: [opt('Hash', 'hash', ptr(str))],
  validate: verificationRule,
};
