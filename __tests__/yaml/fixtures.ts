/** The decode target of the YAML tests: ct's real CLC root type, per fork (docs/ct.md §9, §11). */
import { struct, type GoType } from '../../transpiler/schema';
import { configDef } from '../../transpiler/sections/config';
import type { YamlFlavor } from '../../transpiler/yaml';

/** v2 is ct v0.9.0's go-yaml (upstream CoreOS), v3 Flatcar ct v0.9.4's. */
export function configType(flavor: YamlFlavor): GoType {
  return struct(configDef(flavor === 'v2' ? 'coreos' : 'flatcar'));
}
