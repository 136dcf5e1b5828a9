/**
 * Runs synthesized user-data through the real Terraform, offline: each case's `user-data`
 * expression becomes a local module (variables in, one output), and one root configuration calls
 * every module, so a whole suite costs one `terraform init` and one `terraform apply`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { decodeDataUrl, escapeDataUrl } from '../../transpiler/go/dataurl';
import { goJsonString } from '../../transpiler/go/json';

export const TERRAFORM = process.env.TERRAFORM_BINARY ?? '/usr/local/bin/terraform';

/** One user-data expression, with a value for every `var.*` it references and every resource attribute. */
export interface LiftedCase {
  readonly name: string;
  readonly userData: string;
  /** Values of the stack's variables, by name. */
  readonly variables?: Readonly<Record<string, string>>;
  /** Stand-in values for other resources' attributes, by reference (`google_compute_instance.x.network_interface[0].network_ip`). */
  readonly attributes?: Readonly<Record<string, string>>;
}

// A reference to another resource's attribute inside an interpolation: the Google provider's, and
// the tls provider's certificates and keys (SecretDelivery.USER_DATA puts them in the user-data).
const RESOURCE_ATTRIBUTE = /\b(?:google|tls)_[a-z_]+\.[A-Za-z0-9_-]+(?:\.[a-z_]+|\[\d+\])+/g;
const VARIABLE = /\bvar\.([A-Za-z_][A-Za-z0-9_-]*)/g;

/** The resource attributes a user-data expression references (each once), which a case needs stand-ins for. */
export function resourceReferences(userData: string): string[] {
  return [...new Set([...userData.matchAll(RESOURCE_ATTRIBUTE)].map((m) => m[0]))];
}

/** Terraform is installed: the suite runs; otherwise it says so, and fails on CI. */
export function describeWithTerraform(name: string, body: () => void): void {
  if (existsSync(TERRAFORM)) {
    describe(name, body);
    return;
  }
  const message = `TERRAFORM NOT FOUND at ${TERRAFORM}: the real-Terraform suite "${name}" did not run (install Terraform >= 1.4 or set TERRAFORM_BINARY)`;
  console.warn(`\n!!! ${message}\n`);
  if (process.env.CI === 'true') {
    describe(name, () => {
      test('needs terraform', () => {
        throw new Error(message);
      });
    });
  } else {
    describe.skip(name, () => test('needs terraform', () => undefined));
  }
}

/** Applies every case, and any provider-free `resources`, in one configuration and returns each case's user-data as Terraform computed it. */
export function applyWithTerraform(cases: readonly LiftedCase[], resources: Record<string, unknown> = {}): Record<string, string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'coreos-terraform-'));
  try {
    const root: Record<string, Record<string, unknown>> = { variable: {}, module: {}, output: {}, ...(Object.keys(resources).length > 0 ? { resource: resources } : {}) };
    const rootValues: Record<string, string> = {};
    for (const lifted of cases) {
      const { module, inputs } = liftModule(lifted);
      mkdirSync(path.join(dir, lifted.name));
      writeFileSync(path.join(dir, lifted.name, 'main.tf.json'), JSON.stringify(module));
      const args: Record<string, string> = { source: `./${lifted.name}` };
      for (const [input, value] of Object.entries(inputs)) {
        // Values travel through a tfvars file, which Terraform does not read as templates.
        const rootName = `${lifted.name}__${input}`;
        root.variable[rootName] = { type: 'string' };
        rootValues[rootName] = value;
        args[input] = `\${var.${rootName}}`;
      }
      root.module[lifted.name] = args;
      root.output[lifted.name] = { value: `\${module.${lifted.name}.user_data}` };
    }
    writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(root));
    writeFileSync(path.join(dir, 'terraform.tfvars.json'), JSON.stringify(rootValues));
    writeFileSync(path.join(dir, 'empty.tfrc'), '');
    const env = { ...process.env, TF_CLI_CONFIG_FILE: path.join(dir, 'empty.tfrc'), CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
    const run = (...args: string[]) => execFileSync(TERRAFORM, args, { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    run('init', '-input=false', '-no-color');
    run('apply', '-auto-approve', '-input=false', '-no-color', '-lock=false');
    const outputs = JSON.parse(run('output', '-json', '-no-color')) as Record<string, { value: string }>;
    return Object.fromEntries(Object.entries(outputs).map(([name, output]) => [name, output.value]));
  } catch (error) {
    const failed = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`terraform failed in ${dir}: ${failed.stderr || failed.stdout || failed.message}`);
  } finally {
    if (!process.env.KEEP_TERRAFORM_DIR) rmSync(dir, { recursive: true, force: true });
  }
}

/** The case as a module: its variables and attribute stand-ins become inputs, the user-data its output. */
function liftModule(lifted: LiftedCase): { module: object; inputs: Record<string, string> } {
  const inputs: Record<string, string> = {};
  const standIns = new Map<string, string>();
  const expression = lifted.userData.replace(RESOURCE_ATTRIBUTE, (reference) => {
    const value = lifted.attributes?.[reference];
    if (value === undefined) throw new Error(`case ${lifted.name}: no stand-in value for ${reference}`);
    if (!standIns.has(reference)) standIns.set(reference, `attribute_${standIns.size}`);
    inputs[standIns.get(reference) as string] = value;
    return `var.${standIns.get(reference)}`;
  });
  for (const [, name] of lifted.userData.matchAll(VARIABLE)) {
    const value = lifted.variables?.[name];
    if (value === undefined) throw new Error(`case ${lifted.name}: no value for var.${name}`);
    inputs[name] = value;
  }
  const variable = Object.fromEntries(Object.keys(inputs).map((name) => [name, { type: 'string' }]));
  // Terraform refuses an empty `variable` object.
  const module = { ...(Object.keys(variable).length > 0 ? { variable } : {}), output: { user_data: { value: expression } } };
  return { module, inputs };
}

/**
 * Rewrites each `data:;base64,` source as the `data:,` URL ct writes for the same bytes, so the
 * JSON compares byte for byte with `transpile()`'s (after checking that Ignition can decode it).
 */
export function asCtDataUrls(ignitionJson: string): string {
  return ignitionJson.replace(/"data:;base64,([A-Za-z0-9+/=]*)"/g, (source) => {
    const decoded = decodeDataUrl(JSON.parse(source) as string);
    if (!decoded.dataUrl) throw new Error(`not a valid data URL: ${source.slice(0, 80)}: ${decoded.error}`);
    return goJsonString(`data:,${escapeDataUrl(decoded.dataUrl.data)}`);
  });
}
