// Types for eslint.layers.js (plain JavaScript, so eslint.config.js can load it without a build).

export interface Layer {
  /** The name the table in docs/architecture.md uses: `send/`, `smn/events/`, `app.ts`. */
  readonly name: string;
  /** A folder layer: every file under it (an eslint-plugin-boundaries element). */
  readonly folder?: string;
  /** A layer of single files (an eslint-plugin-boundaries file category). */
  readonly files?: readonly string[];
}

export declare const layers: readonly Layer[];
export declare const everywhere: readonly string[];
export declare const allowedImports: Readonly<Record<string, readonly string[]>>;
export declare const typeOnlyImports: Readonly<Record<string, readonly string[]>>;
export declare function importsOf(name: string): string[];
