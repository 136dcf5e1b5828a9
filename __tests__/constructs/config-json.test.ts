/** configJson: plain JSON where JSON.stringify can, a bigint (deep or not) as its digits. */
import { configJson } from '../../constructs/config-json';

test('plain values are JSON.stringify exactly', () => {
  const value = { a: [1, 'two', null, { b: true }], c: undefined, d: new Date(0) };
  expect(configJson(value)).toBe(JSON.stringify(value));
  expect(configJson(undefined)).toBeUndefined();
});

test('a bigint anywhere is written as its digits', () => {
  expect(configJson(12345678901234567890n)).toBe('"12345678901234567890"');
  expect(configJson({ storage: { files: [{ mode: 420, size: 2n ** 63n }] } })).toBe('{"storage":{"files":[{"mode":420,"size":"9223372036854775808"}]}}');
});

test('a cycle is still refused', () => {
  const cyclic: Record<string, unknown> = { big: 1n };
  cyclic.self = cyclic;
  expect(() => configJson(cyclic)).toThrow(TypeError);
});
