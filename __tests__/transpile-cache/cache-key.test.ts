import { cacheKeyText } from '../../constructs/cache-key';

describe('cacheKeyText', () => {
  test('tells apart what JSON would merge', () => {
    const distinct: unknown[] = [{}, { a: undefined }, { a: null }, [undefined], [null], [], [0], [-0], [NaN], [null, 1], '1', 1, true, 'true', new Uint8Array([1]), [1]];
    // eslint-disable-next-line no-sparse-arrays -- a hole is one of the cases
    distinct.push([, 1]);
    const texts = distinct.map((value) => cacheKeyText(value));
    expect(texts.every((text) => typeof text === 'string')).toBe(true);
    expect(new Set(texts).size).toBe(distinct.length);
  });

  test('keeps key order (the transpiler walks objects in it)', () => {
    expect(cacheKeyText({ a: 1, b: 2 })).not.toBe(cacheKeyText({ b: 2, a: 1 }));
    expect(cacheKeyText({ a: [1, { c: 'x' }] })).toBe(cacheKeyText({ a: [1, { c: 'x' }] }));
  });

  test('refuses what is not plain data', () => {
    class Point {
      x = 1;
    }
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const withGetter = Object.defineProperty({}, 'x', {
      get: () => 1,
      enumerable: true,
    });
    for (const value of [() => 1, new Point(), Symbol('s'), 1n, cyclic, withGetter, { [Symbol('k')]: 1 }, new Date(0), new Map()]) {
      expect(cacheKeyText({ value })).toBeUndefined();
    }
  });

  test('refuses deep nesting promptly instead of overflowing the stack', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(cacheKeyText(deep)).toBeUndefined();
  });
});
