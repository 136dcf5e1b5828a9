import { Testing, TerraformStack, TerraformVariable } from 'cdktf';
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
});
