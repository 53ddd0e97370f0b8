/**
 * The small part of the Reflect metadata API that @peculiar/x509 needs (its
 * dependency tsyringe refuses to load without `Reflect.getMetadata`). Installed
 * only when no other polyfill is present. Import it through ./x509.ts, never
 * directly after @peculiar/x509.
 */
type Key = unknown;
const store = new WeakMap<object, Map<string | symbol | undefined, Map<Key, unknown>>>();

function own(target: object, prop: string | symbol | undefined, create: boolean): Map<Key, unknown> | undefined {
  let byProp = store.get(target);
  if (!byProp) {
    if (!create) return undefined;
    byProp = new Map();
    store.set(target, byProp);
  }
  let m = byProp.get(prop);
  if (!m && create) {
    m = new Map();
    byProp.set(prop, m);
  }
  return m;
}

const api = {
  defineMetadata(key: Key, value: unknown, target: object, prop?: string | symbol): void {
    own(target, prop, true)!.set(key, value);
  },
  getOwnMetadata(key: Key, target: object, prop?: string | symbol): unknown {
    return own(target, prop, false)?.get(key);
  },
  hasOwnMetadata(key: Key, target: object, prop?: string | symbol): boolean {
    return own(target, prop, false)?.has(key) ?? false;
  },
  getMetadata(key: Key, target: object, prop?: string | symbol): unknown {
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t)) {
      const m = own(t, prop, false);
      if (m?.has(key)) return m.get(key);
    }
    return undefined;
  },
  hasMetadata(key: Key, target: object, prop?: string | symbol): boolean {
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t)) if (own(t, prop, false)?.has(key)) return true;
    return false;
  },
  metadata(key: Key, value: unknown) {
    return (target: object, prop?: string | symbol) => api.defineMetadata(key, value, target, prop);
  },
};

const R = Reflect as unknown as Record<string, unknown>;
if (typeof R.getMetadata !== 'function') {
  for (const [name, fn] of Object.entries(api)) R[name] = fn;
}
