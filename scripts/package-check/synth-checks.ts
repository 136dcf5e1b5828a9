/** Checks on the consumer's synthesized stack: every VM and template boots from its Ignition user-data. */
import { readFileSync } from 'node:fs';

interface Ignition {
  readonly ignition?: { readonly version?: string };
  readonly passwd?: { readonly users?: readonly { readonly name: string; readonly sshAuthorizedKeys?: readonly string[] }[] };
  readonly systemd?: { readonly units?: readonly { readonly name: string }[] };
}

type Resources = Record<string, { readonly metadata?: Record<string, string> }>;

/** The consumer's stack: CoreOSInstance `web`, a 3-member EtcdCluster, one WorkerPool template. */
const EXPECTED_INSTANCES = 4;
const EXPECTED_TEMPLATES = 1;
const CONSUMER_KEY = 'check@consumer';
/** ct's own spec (CoreOS dialect) and the Flatcar dialect's. */
const IGNITION_VERSIONS = ['2.2.0', '2.3.0'];

/**
 * The template's text with each `${...}` interpolation (a Terraform reference, e.g. the secret
 * bucket's name) replaced by `X` and each `$${` escape by `${`: JSON again, for these checks.
 */
export function withoutInterpolations(template: string): string {
  let out = '';
  for (let i = 0; i < template.length; ) {
    if (template.startsWith('$${', i) || template.startsWith('%%{', i)) {
      out += `${template[i]}{`;
      i += 3;
    } else if (template.startsWith('${', i)) {
      let inString = false;
      let j = i + 2;
      for (; j < template.length; j++) {
        if (inString && template[j] === '\\') j++;
        else if (template[j] === '"') inString = !inString;
        else if (!inString && template[j] === '}') break;
      }
      if (j >= template.length) throw new Error(`unclosed interpolation at ${i}`);
      out += 'X';
      i = j + 1;
    } else {
      out += template[i++];
    }
  }
  return out;
}

function userData(type: string, id: string, resource: Resources[string], key = CONSUMER_KEY): Ignition {
  const text = resource.metadata?.['user-data'];
  if (typeof text !== 'string') throw new Error(`${type}.${id} has no user-data metadata`);
  // Secure defaults: a node's private key is fetched at boot, never carried in its metadata.
  if (text.includes('private_key_pem')) throw new Error(`${type}.${id}: its user-data references a private key`);
  const ignition = JSON.parse(withoutInterpolations(text)) as Ignition;
  if (!IGNITION_VERSIONS.includes(ignition.ignition?.version ?? '')) throw new Error(`${type}.${id}: Ignition version ${ignition.ignition?.version}`);
  const core = ignition.passwd?.users?.find((user) => user.name === 'core');
  if (!core?.sshAuthorizedKeys?.some((k) => k.endsWith(key))) throw new Error(`${type}.${id}: no user core with the key ${key}`);
  return ignition;
}

/** Returns a short summary; throws on the first missing or wrong resource. */
export function checkSynthesizedStack(file: string): string {
  const stack = JSON.parse(readFileSync(file, 'utf8')) as { resource?: Record<string, Resources> };
  const instances = stack.resource?.google_compute_instance ?? {};
  const templates = stack.resource?.google_compute_region_instance_template ?? {};
  if (Object.keys(instances).length !== EXPECTED_INSTANCES) {
    throw new Error(`${Object.keys(instances).length} google_compute_instance, ${EXPECTED_INSTANCES} expected: ${Object.keys(instances).join(', ')}`);
  }
  if (Object.keys(templates).length !== EXPECTED_TEMPLATES) {
    throw new Error(`${Object.keys(templates).length} google_compute_region_instance_template, ${EXPECTED_TEMPLATES} expected`);
  }
  let etcdMembers = 0;
  for (const [id, instance] of Object.entries(instances)) {
    const units = userData('google_compute_instance', id, instance).systemd?.units ?? [];
    if (units.some((unit) => unit.name === 'etcd-member.service')) etcdMembers += 1;
  }
  if (etcdMembers !== 3) throw new Error(`${etcdMembers} instances run etcd-member.service, 3 expected`);
  for (const [id, template] of Object.entries(templates)) userData('google_compute_region_instance_template', id, template);
  return `${EXPECTED_INSTANCES} instances (${etcdMembers} etcd members) and ${EXPECTED_TEMPLATES} template with user-data`;
}

/** The README example's stack: one instance whose user-data has the README's user and key. */
export function checkReadmeStack(file: string): void {
  const stack = JSON.parse(readFileSync(file, 'utf8')) as { resource?: Record<string, Resources> };
  const instances = Object.entries(stack.resource?.google_compute_instance ?? {});
  if (instances.length !== 1) throw new Error(`${instances.length} google_compute_instance in ${file}, 1 expected`);
  for (const [id, instance] of instances) userData('google_compute_instance', id, instance, 'me@laptop');
}
