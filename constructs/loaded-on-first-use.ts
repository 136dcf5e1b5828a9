/**
 * A stand-in for a class whose module loads only when the class is first used: constructed,
 * extended, read (`ComputeInstance.tfResourceType`) or used with `instanceof`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any constructor signature
type AnyClass = abstract new (...args: any[]) => unknown;

const loaders = new WeakMap<object, () => AnyClass>();

export function loadedOnFirstUse<C extends AnyClass>(load: () => C): C {
  let loaded: C | undefined;
  const real = (): C => (loaded ??= load());
  // A bound function is constructible yet has no own `prototype`, which a Proxy would have to
  // report unchanged; so every read, including `prototype`, can go to the real class.
  const target = function () {}.bind(null) as unknown as C;
  const standIn: C = new Proxy(target, {
    construct: (_target, args, newTarget) => Reflect.construct(real() as unknown as new () => object, args, newTarget === standIn ? real() : newTarget),
    get: (_target, key) => Reflect.get(real(), key),
    has: (_target, key) => Reflect.has(real(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  });
  loaders.set(standIn, real);
  return standIn;
}

/**
 * The class behind a stand-in (loading it now), or `cls` itself. Constructing the stand-in adds the
 * Proxy trap and `Reflect.construct` to the call stack, and cdktf captures and formats the whole
 * stack about twenty times per resource (the `creationStack` of each attribute reference): where a
 * thousand resources are built, `new (loadedClass(C))(...)` saves those frames every time.
 */
export function loadedClass<C extends AnyClass>(cls: C): C {
  const load = loaders.get(cls);
  return load ? (load() as C) : cls;
}
