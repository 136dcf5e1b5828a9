/** The Ignition output types and ct's phase-3 validation of its output (docs/ct.md §10.4). */
import type { AstNode } from '../ast';
import type { Dialect } from '../convert';
import type { Report } from '../diagnostics';
import { zeroValue, type GoType } from '../schema';
import { validate } from '../validate';
import type { IgnitionConfig } from './types';
import { IGNITION_VERSION_V22, ignitionConfigV22 } from './v2_2';
import { IGNITION_VERSION_V23, ignitionConfigV23 } from './v2_3';

export * from './types';
export { ignitionConfigV22, IGNITION_VERSION_V22 } from './v2_2';
export { ignitionConfigV23, IGNITION_VERSION_V23 } from './v2_3';

/** The Ignition `Config` type ct emits: 2.2.0 upstream, 2.3.0 for Flatcar. */
export function ignitionConfigType(dialect: Dialect): GoType {
  return dialect === 'flatcar' ? ignitionConfigV23 : ignitionConfigV22;
}

/** ct's starting output (`Convert`): an empty config with `ignition.version` set (docs/ct.md §4). */
export function newIgnitionConfig(dialect: Dialect): IgnitionConfig {
  const config = zeroValue(ignitionConfigType(dialect)) as IgnitionConfig;
  config.ignition.version = dialect === 'flatcar' ? IGNITION_VERSION_V23 : IGNITION_VERSION_V22;
  return config;
}

/**
 * ct's phase 3, `validate.Validate(reflect.ValueOf(out), ast, nil, false)`: Ignition's own checks
 * on the output, positioned on the CLC tree. `ast` should be in json tag mode (camelCase keys),
 * with ct's `changeKey` patches applied; unknown keys are not reported here.
 */
export function validateIgnition(config: unknown, dialect: Dialect, ast: AstNode | undefined): Report {
  const jsonAst = ast && ast.tagMode !== 'json' ? ast.withTagMode('json') : ast;
  return validate(config, ignitionConfigType(dialect), jsonAst, false);
}
