import { loadedClass, loadedOnFirstUse } from '../../constructs/loaded-on-first-use';

class Real {
  static readonly kind = 'real';
  constructor(readonly value: number) {}
  double(): number {
    return this.value * 2;
  }
}

function standIn(): { Lazy: typeof Real; loads: () => number } {
  let loads = 0;
  const Lazy = loadedOnFirstUse(() => {
    loads++;
    return Real;
  });
  return { Lazy, loads: () => loads };
}

describe('loadedOnFirstUse', () => {
  test('loads nothing until first use, then once', () => {
    const { Lazy, loads } = standIn();
    expect(loads()).toBe(0);
    const made = new Lazy(21);
    expect(new Lazy(1).double()).toBe(2);
    expect(loads()).toBe(1);
    expect(made.double()).toBe(42);
  });

  test('instances are the real class, and instanceof works both ways', () => {
    const { Lazy } = standIn();
    expect(new Lazy(1)).toBeInstanceOf(Real);
    expect(new Real(1)).toBeInstanceOf(Lazy);
    expect(Object.getPrototypeOf(new Lazy(1))).toBe(Lazy.prototype);
  });

  test('statics are read from the real class', () => {
    expect(standIn().Lazy.kind).toBe('real');
    expect('kind' in standIn().Lazy).toBe(true);
  });

  test('can be extended', () => {
    const { Lazy } = standIn();
    class Sub extends Lazy {
      triple(): number {
        return this.value * 3;
      }
    }
    const sub = new Sub(5);
    expect([sub.triple(), sub.double(), Sub.kind]).toEqual([15, 10, 'real']);
    expect(sub).toBeInstanceOf(Sub);
    expect(sub).toBeInstanceOf(Real);
  });
});

describe('loadedClass', () => {
  test('gives the class behind a stand-in, loading it, and any other class as is', () => {
    const { Lazy, loads } = standIn();
    expect(loadedClass(Lazy)).toBe(Real);
    expect(loads()).toBe(1);
    expect(loadedClass(Real)).toBe(Real);
  });

  test('constructing the class itself leaves the Proxy out of the call stack', () => {
    let stack = '';
    class Recording {
      constructor() {
        stack = new Error().stack ?? '';
      }
    }
    const Lazy = loadedOnFirstUse(() => Recording);
    new Lazy();
    const throughProxy = stack.split('\n').length;
    new (loadedClass(Lazy))();
    expect(stack.split('\n').length).toBeLessThan(throughProxy);
    expect(stack).not.toContain('Reflect.construct');
  });
});
