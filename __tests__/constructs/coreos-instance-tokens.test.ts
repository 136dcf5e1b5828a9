import 'cdktf/lib/testing/adapters/jest';
import { Fn, TerraformVariable, Token } from 'cdktf';
import { transpile } from '../../transpiler';
import { CoreOSInstance, type CoreOSInstanceProps } from '../../constructs/coreos-instance';
import { BASE_PROPS, construct, synthInstance } from './synth-helpers';
import { evaluateTerraformTemplate } from './evaluate-terraform-template';

// Characters that JSON, Go's HTML-safe escaping, YAML and Terraform templates all treat specially.
const AWKWARD_KEY = 'ssh-ed25519 AAAA "quoted" back\\slash <&> ${NOT_A_REF} %{nor_this} user@example';

const configWithKey = (key: string): string => `passwd:
  users:
    - name: core
      ssh_authorized_keys:
        - ${key}
`;

/** Synthesizes `config(token)` with the token of a variable `ssh_public_key`; returns the user-data. */
function userDataWithKeyVariable(config: (key: string) => CoreOSInstanceProps['config']): string {
  const { instance } = synthInstance((stack) => {
    const key = new TerraformVariable(stack, 'ssh_public_key', { type: 'string' });
    return new CoreOSInstance(stack, 'vm', { ...BASE_PROPS, config: config(key.stringValue) });
  });
  return instance.metadata['user-data'];
}

describe('CoreOSInstance with Terraform values in the config', () => {
  test('a token in CLC text stays a live reference that yields the bytes ct would write', () => {
    const userData = userDataWithKeyVariable((key) => configWithKey(`"${key}"`));

    expect(userData).toContain('jsonencode(var.ssh_public_key)');
    const applied = evaluateTerraformTemplate(userData, { ssh_public_key: AWKWARD_KEY });
    expect(applied).toBe(transpile(configWithKey(JSON.stringify(AWKWARD_KEY)), { platform: 'gce' }).json);
  });

  test('a token in a typed config object works the same way', () => {
    const typed = (key: string) => ({ passwd: { users: [{ name: 'core', ssh_authorized_keys: [key] }] } });
    const userData = userDataWithKeyVariable(typed);

    const applied = evaluateTerraformTemplate(userData, { ssh_public_key: AWKWARD_KEY });
    expect(applied).toBe(transpile(typed(AWKWARD_KEY), { platform: 'gce' }).json);
  });

  test('literal ${ next to a token is escaped without capturing the token', () => {
    const unit = (key: string) => `systemd:
  units:
    - name: key.service
      contents: "ExecStart=/bin/echo \${UNCLOSED and $$${key} costs $${key} }"
`;
    const userData = userDataWithKeyVariable(unit);

    const applied = evaluateTerraformTemplate(userData, { ssh_public_key: 'KEY' });
    expect(applied).toBe(transpile(unit('KEY'), { platform: 'gce' }).json);
    expect(userData).toContain('ExecStart=/bin/echo ${"$"}{UNCLOSED and ${"$$"}${trimsuffix(');
  });

  test('the ignition attribute carries the token itself', () => {
    let token = '';
    const { construct: vm } = synthInstance((stack) => {
      token = new TerraformVariable(stack, 'ssh_public_key', { type: 'string' }).stringValue;
      return new CoreOSInstance(stack, 'vm', { ...BASE_PROPS, config: configWithKey(`"${token}"`) });
    });
    const users = (vm.ignition.passwd as { users: { sshAuthorizedKeys: string[] }[] }).users;
    expect(users[0].sshAuthorizedKeys).toEqual([token]);
  });

  test('a token inside inline file contents becomes a base64 data URL that Terraform computes', () => {
    const config = (value: string) => `storage:
  files:
    - filesystem: root
      path: /etc/motd
      mode: 0644
      contents:
        inline: "hello \\"${value}\\" \${HOME}\\n"
`;
    const { instance } = synthInstance((stack) => {
      const motd = new TerraformVariable(stack, 'motd', { type: 'string' });
      return new CoreOSInstance(stack, 'vm', { ...BASE_PROPS, config: config(motd.stringValue) });
    });
    expect(instance.metadata['user-data']).toContain(
      '"source":"data:;base64,${base64encode(join("", ["hello \\"", var.motd, "\\" $${HOME}\\n"]))}"',
    );
  });

  test('list and number tokens are refused with a hint', () => {
    const list = Token.asList(Fn.split(',', 'a,b'));
    expect(() => construct({ config: configWithKey(`"${list}"`) })).toThrow(/inline config contains a list or map token; only string tokens/);
    const uid = Token.asNumber(Fn.parseint('1000', 10));
    expect(() => construct({ config: { passwd: { users: [{ name: 'core', uid }] } } })).toThrow(
      /inline config\.passwd\.users\[0\]\.uid is a number token/,
    );
  });

  test('a token where the config needs a number fails with a hint', () => {
    expect(() =>
      synthInstance((stack) => {
        const uid = new TerraformVariable(stack, 'uid', { type: 'string' });
        return new CoreOSInstance(stack, 'vm', {
          ...BASE_PROPS,
          config: 'passwd:\n  users:\n    - name: core\n      uid: {{ uid }}\n',
          configVariables: { uid: uid.stringValue },
        });
      }),
    ).toThrow(/inline config.*\n[^]*cdktftoken… stands for a Terraform value, which can only be used where the config takes a string/);
  });
});
