/**
 * Integers are Go's 64-bit integers (issue 11, cause B): a typed config may give a `bigint` where a
 * value needs more than a double's 53 bits, in the config itself and in snippets added later.
 */
import { CoreOSInstance } from '../../constructs/coreos-instance';
import { BASE_PROPS, synthInstance, synthProps } from './synth-helpers';

describe('CoreOSInstance with bigint values', () => {
  test('the config keeps every digit', () => {
    const { construct } = synthProps({ config: { passwd: { users: [{ name: 'core', uid: 9007199254740993n }] } } });
    expect(construct.userData).toContain('"users":[{"name":"core","uid":9007199254740993}]');
  });

  test('so does an added snippet, and a uint gid past MaxInt64 wraps as ct converts it', () => {
    const { construct } = synthInstance((stack) => {
      const vm = new CoreOSInstance(stack, 'vm', { ...BASE_PROPS, config: { passwd: { users: [{ name: 'core' }] } } });
      vm.addSnippet({ passwd: { groups: [{ name: 'big', gid: 18446744073709551615n }] } });
      vm.addUser({ name: 'svc', uid: 9223372036854775807n });
      return vm;
    });
    expect(construct.userData).toContain('"groups":[{"gid":-1,"name":"big"}]');
    expect(construct.userData).toContain('{"name":"svc","uid":9223372036854775807}');
  });
});
