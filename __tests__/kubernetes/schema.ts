/**
 * Strict schema checks for the Kubernetes objects the cluster ships, against `kubernetes-models`
 * 5.1.0 (a devDependency; its schemas are generated from the Kubernetes OpenAPI definitions).
 *
 * Two checks per object, both on the object as rendered (JSON round trip):
 * 1. the model class's own `validate()` (ajv, compiled from the JSON schema): types, enums,
 *    required fields. It accepts fields the schema does not declare, hence
 * 2. a walk of the object against the model's declared shape, read with the TypeScript checker
 *    from the package's `.d.ts` files (generated from the same definitions; the package ships no
 *    JSON schema file, only compiled validators): every key must be a declared property or fall
 *    under a declared map (`{ [key: string]: T }`), at every depth.
 *
 * The package is ES-module only and jest loads CommonJS, so the models are loaded with Node's own
 * loader (`Module._load`, which can `require()` ES modules from Node 20.19 on), not jest's.
 */
import { existsSync } from 'node:fs';
import * as nodeModule from 'node:module';
import * as path from 'node:path';
import * as ts from 'typescript';

const PACKAGE_DIR = path.dirname(require.resolve('kubernetes-models/package.json'));

interface Model {
  validate(): void;
}
type ModelClass = new (data: unknown) => Model;

/** Where the package keeps a kind: `v1/Pod`, `apps/v1/DaemonSet`, `rbac.authorization.k8s.io/v1/ClusterRole`. */
function modelPath(apiVersion: string, kind: string): string | undefined {
  if (!/^([a-z0-9.-]+\/)?v\d+((alpha|beta)\d+)?$/.test(apiVersion) || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) return undefined;
  const base = path.join(PACKAGE_DIR, apiVersion, kind);
  return existsSync(`${base}.js`) && existsSync(`${base}.d.ts`) ? base : undefined;
}

const loader = (nodeModule as unknown as { Module: { _load(request: string, parent: null, isMain: boolean): unknown } }).Module;
const models = new Map<string, ModelClass>();

function modelClass(base: string, kind: string): ModelClass {
  let model = models.get(base);
  if (!model) {
    model = (loader._load(`${base}.js`, null, false) as Record<string, ModelClass>)[kind];
    models.set(base, model);
  }
  return model;
}

// One program over every .d.ts asked for so far; a new kind rebuilds it, reusing what was parsed
// (rootNames is copied: the program keeps the array, and a mutated one reads as unchanged).
const COMPILER_OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es5.d.ts'],
  types: [],
  noEmit: true,
  skipLibCheck: true,
};
let program: ts.Program | undefined;
const roots: string[] = [];

function declaredType(base: string, kind: string): { checker: ts.TypeChecker; type: ts.Type } {
  const file = `${base}.d.ts`;
  if (!roots.includes(file)) {
    roots.push(file);
    program = ts.createProgram({ rootNames: [...roots], options: COMPILER_OPTIONS, oldProgram: program });
  }
  const checker = program!.getTypeChecker();
  const source = program!.getSourceFile(file);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  const symbol = moduleSymbol && checker.getExportsOfModule(moduleSymbol).find((s) => s.name === `I${kind}`);
  if (!symbol) throw new Error(`${file} declares no interface I${kind}`);
  return { checker, type: checker.getDeclaredTypeOfSymbol(symbol) };
}

function undeclaredFields(checker: ts.TypeChecker, value: unknown, declared: ts.Type, where: string, problems: string[]): void {
  if (value === null || typeof value !== 'object') return;
  const type = checker.getNonNullableType(declared);
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return;
  if (Array.isArray(value)) {
    if (!checker.isArrayType(type)) return; // a wrong type is validate()'s to report
    const element = checker.getTypeArguments(type as ts.TypeReference)[0];
    value.forEach((item, i) => undeclaredFields(checker, item, element, `${where}[${i}]`, problems));
    return;
  }
  const shapes = type.isUnion() ? type.types.filter((t) => t.flags & ts.TypeFlags.Object) : [type];
  if (shapes.length === 0) return;
  for (const [key, child] of Object.entries(value)) {
    const property = shapes.map((t) => t.getProperty(key)).find((p) => p !== undefined);
    const childType = property ? checker.getTypeOfSymbol(property) : shapes.map((t) => t.getStringIndexType()).find((t) => t !== undefined);
    if (childType) undeclaredFields(checker, child, childType, `${where}.${key}`, problems);
    else problems.push(`${where}.${key} is not a field of ${checker.typeToString(type)}`);
  }
}

/** Every way `obj` (as rendered to JSON) breaks its kind's schema; empty when it conforms. */
export function kubernetesSchemaProblems(obj: unknown): string[] {
  const data = JSON.parse(JSON.stringify(obj)) as { apiVersion?: unknown; kind?: unknown };
  const name = `${String(data.apiVersion)} ${String(data.kind)}`;
  const base = typeof data.apiVersion === 'string' && typeof data.kind === 'string' ? modelPath(data.apiVersion, data.kind) : undefined;
  if (!base) return [`kubernetes-models has no schema for ${name}`];
  const problems: string[] = [];
  try {
    new (modelClass(base, data.kind as string))(data).validate();
  } catch (e) {
    problems.push(`${name}: ${(e as Error).message}`);
  }
  const { checker, type } = declaredType(base, data.kind as string);
  undeclaredFields(checker, data, type, name, problems);
  return problems;
}

/** Fails the test with every problem when `obj` does not conform to its kind's schema. */
export function expectValidKubernetesObject(obj: unknown): void {
  expect(kubernetesSchemaProblems(obj)).toEqual([]);
}
