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

function evaluateExpression(expression: string, variables: Readonly<Record<string, string>>): string {
  const literal = /^"([^"\\]*)"$/.exec(expression);
  if (literal) return literal[1];
  const variable = /^var\.([a-z_]+)$/.exec(expression);
  if (variable) return valueOf(variable[1], variables);
  const jsonBody = /^trimsuffix\(trimprefix\(jsonencode\(var\.([a-z_]+)\), "\\""\), "\\""\)$/.exec(expression);
  if (jsonBody) return goJsonStringBody(valueOf(jsonBody[1], variables));
  throw new Error(`unexpected expression: ${expression}`);
}

function valueOf(name: string, variables: Readonly<Record<string, string>>): string {
  if (!(name in variables)) throw new Error(`no value for var.${name}`);
  return variables[name];
}
