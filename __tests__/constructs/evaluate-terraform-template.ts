/**
 * Test helper: evaluates the Terraform template strings that CoreOSInstance writes, the way
 * Terraform would, for the few expression shapes it emits. Anything else fails the test.
 */

/** Go's (and Terraform's jsonencode) string escaping, without the surrounding quotes. */
export function goJsonStringBody(value: string): string {
  return JSON.stringify(value)
    .slice(1, -1)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function evaluateTerraformTemplate(template: string, variables: Readonly<Record<string, string>>): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    if (template.startsWith('$${', i) || template.startsWith('%%{', i)) {
      out += `${template[i]}{`;
      i += 3;
    } else if (template.startsWith('${', i)) {
      const end = endOfInterpolation(template, i + 2);
      out += evaluateExpression(template.slice(i + 2, end), variables);
      i = end + 1;
    } else if (template.startsWith('%{', i)) {
      throw new Error(`unescaped template directive at ${i}: ${template.slice(i, i + 20)}`);
    } else {
      out += template[i++];
    }
  }
  return out;
}

function endOfInterpolation(template: string, from: number): number {
  let inString = false;
  for (let i = from; i < template.length; i++) {
    const c = template[i];
    if (inString && c === '\\') i++;
    else if (c === '"') inString = !inString;
    else if (!inString && c === '}') return i;
  }
  throw new Error(`unclosed interpolation at ${from}`);
}

/**
 * Values of resource attributes known only at apply, by `TYPE.ATTRIBUTE` (any resource of the
 * type): what the tests take them to be unless the variables say otherwise.
 */
export const APPLY_TIME_VALUES: Readonly<Record<string, string>> = {
  // A ClusterSecretStore's bucket: `<cluster>-secrets-` and random_id's 8 hex digits.
  'google_storage_bucket.name': 'demo-secrets-0a1b2c3d',
  // Certificates and keys (SecretDelivery.USER_DATA puts them inline): PEM-shaped stand-ins.
  'tls_self_signed_cert.cert_pem': '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n',
  'tls_locally_signed_cert.cert_pem': '-----BEGIN CERTIFICATE-----\nLEAF\n-----END CERTIFICATE-----\n',
  'tls_private_key.private_key_pem': '-----BEGIN EC PRIVATE KEY-----\nKEY\n-----END EC PRIVATE KEY-----\n',
};

const REFERENCE = '(var\\.[a-z_]+|[a-z0-9_]+\\.[A-Za-z0-9_-]+\\.[a-z_]+)';

function evaluateExpression(expression: string, variables: Readonly<Record<string, string>>): string {
  const literal = /^"([^"\\]*)"$/.exec(expression);
  if (literal) return literal[1];
  const reference = new RegExp(`^${REFERENCE}$`).exec(expression);
  if (reference) return valueOf(reference[1], variables);
  const jsonBody = new RegExp(`^trimsuffix\\(trimprefix\\(jsonencode\\(${REFERENCE}\\), "\\\\""\\), "\\\\""\\)$`).exec(expression);
  if (jsonBody) return goJsonStringBody(valueOf(jsonBody[1], variables));
  const base64 = new RegExp(`^base64encode\\(${REFERENCE}\\)$`).exec(expression);
  if (base64) return Buffer.from(valueOf(base64[1], variables), 'utf8').toString('base64');
  throw new Error(`unexpected expression: ${expression}`);
}

/** `var.NAME` from the variables by NAME; `TYPE.ID.ATTRIBUTE` by `TYPE.ATTRIBUTE`, from the variables or APPLY_TIME_VALUES. */
function valueOf(reference: string, variables: Readonly<Record<string, string>>): string {
  if (reference.startsWith('var.')) {
    const name = reference.slice(4);
    if (!(name in variables)) throw new Error(`no value for var.${name}`);
    return variables[name];
  }
  const [type, , attribute] = reference.split('.');
  const key = `${type}.${attribute}`;
  const value = variables[key] ?? APPLY_TIME_VALUES[key];
  if (value === undefined) throw new Error(`no value for ${reference} (give one as "${key}")`);
  return value;
}
