/**
 * Type-level checks for objects the API serves as they are: TypeGraphQL's simple resolvers read each
 * field straight off the object, so a domain type that lost or renamed a field the GraphQL class
 * declares would answer null (or fail a non-null field) at run time, with no compile error. These
 * types turn that into one.
 */

/** What GraphQL reads off a value served as `T`: its fields, enums as their string values, dates as dates. */
export type Served<T> = T extends Date
  ? Date
  : T extends string
    ? `${T}`
    : T extends readonly (infer E)[]
      ? readonly Served<E>[]
      : T extends object
        ? { readonly [K in keyof T]: Served<T[K]> }
        : T;

/** true when every `Domain` value has every field of the GraphQL class `Api`, each with a type it accepts. */
export type Serves<Domain, Api> = [Domain] extends [Served<Api>] ? true : false;

/** Fails to compile unless `T` is true. */
export type Expect<T extends true> = T;
