import { Testing, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import { ConfigTokens } from '../../constructs/config-tokens';

function variableToken(name = 'key'): string {
  return new TerraformVariable(new TerraformStack(Testing.app(), 'stack'), name, { type: 'string' }).stringValue;
}

describe('ConfigTokens', () => {
  test('hides each token behind the same placeholder of lower-case letters and digits', () => {
    const token = variableToken();
    const tokens = new ConfigTokens('');
    const hidden = tokens.hideInText(`a: ${token}\nb: ${token}`, 'inline config');

    expect(hidden).toBe('a: cdktftoken0x\nb: cdktftoken0x');
    expect(tokens.restoreInObject({ a: ['cdktftoken0x!'] })).toEqual({ a: [`${token}!`] });
  });

  test('picks a prefix that the config does not already contain', () => {
    const tokens = new ConfigTokens('mentions CDKTFTOKEN and cdktftokenq');
    expect(tokens.hideInText(variableToken(), 'inline config')).toBe('cdktftokenqq0x');
  });

  test('shows tokens by their label in messages', () => {
    const token = variableToken();
    const tokens = new ConfigTokens('', (t) => (t === token ? '{{ key }}' : t));
    const hidden = tokens.hideInText(token, 'inline config');
    expect(tokens.reveal(`cannot unmarshal !!str \`${hidden}\` into int`)).toBe('cannot unmarshal !!str `{{ key }}` into int');
  });

  test('hides tokens anywhere in a typed config', () => {
    const token = variableToken();
    const tokens = new ConfigTokens('');
    expect(tokens.hideInObject({ users: [{ keys: [token], uid: 1, admin: true }] }, 'config')).toEqual({
      users: [{ keys: ['cdktftoken0x'], uid: 1, admin: true }],
    });
  });

  test('refuses placeholders in data URLs only', () => {
    const tokens = new ConfigTokens('');
    tokens.hideInText(variableToken(), 'x');
    expect(() => tokens.assertNoneInDataUrls({ units: [{ contents: 'ExecStart=cdktftoken0x' }] }, 'f.yaml')).not.toThrow();
    expect(() => tokens.assertNoneInDataUrls({ files: [{ contents: { source: 'data:,cdktftoken0x' } }] }, 'f.yaml')).toThrow(
      /^f\.yaml: \$\{TfToken\[TOKEN\.\d+\]\} ends up in file contents \(files\[0\]\.contents\.source\)/,
    );
  });

  test('writes tokens back as interpolations that JSON-encode the value', () => {
    const stack = new TerraformStack(Testing.app(), 'stack');
    const key = new TerraformVariable(stack, 'key', { type: 'string' });
    const tokens = new ConfigTokens('');
    const hidden = tokens.hideInText(key.stringValue, 'x');
    new TerraformOutput(stack, 'json', { value: tokens.toTerraformJson(`{"k":"${hidden}","u":"\${X}"}`) });

    const value = JSON.parse(Testing.synth(stack)).output.json.value;
    expect(value).toBe('{"k":"${trimsuffix(trimprefix(jsonencode(var.key), "\\""), "\\"")}","u":"${"$"}{X}"}');
  });
});
