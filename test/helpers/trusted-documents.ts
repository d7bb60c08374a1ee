import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { GraphQLFormattedError } from 'graphql';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A folder for manifests, removed after the file's tests. */
export function useManifestFolder(): { path(name: string): string; ready: Promise<string> } {
  const ready = mkdtemp(join(tmpdir(), 'trusted-documents-'));
  afterAll(async () => rm(await ready, { recursive: true, force: true }));
  let folder = '';
  void ready.then((made) => (folder = made));
  return { ready, path: (name) => join(folder, name) };
}

/** An operation as Apollo's manifest lists it; the id is the SHA-256 of the body unless given. */
export interface ListedOperation {
  readonly name: string;
  readonly type?: 'query' | 'mutation' | 'subscription';
  readonly body: string;
  readonly id?: string;
}

export function apolloManifest(operations: readonly ListedOperation[]): string {
  return JSON.stringify({
    format: 'apollo-persisted-query-manifest',
    version: 1,
    operations: operations.map(({ name, type = 'query', body, id = sha256(body) }) => ({ id, name, type, body })),
  });
}

/** GraphQL Code Generator's client-preset persisted-documents.json: `{ "<sha256>": "<document>" }`. */
export function clientPresetManifest(bodies: readonly string[]): string {
  return JSON.stringify(Object.fromEntries(bodies.map((body) => [sha256(body), body])));
}

export async function writeManifest(path: string, text: string): Promise<string> {
  await writeFile(path, text);
  return path;
}

export interface Answer {
  readonly status: number;
  readonly data?: Record<string, unknown> | null;
  readonly errors?: readonly GraphQLFormattedError[];
}

/** POSTs any JSON body to /graphql (a `documentId`, an extension, a full `query`). */
export async function postBody(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, ...((await response.json()) as Omit<Answer, 'status'>) };
}

/** A GET with query-string parameters (Apollo's CSRF rule wants the preflight header). */
export async function getWith(url: string, params: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}?${new URLSearchParams(params).toString()}`, {
    headers: { 'apollo-require-preflight': 'true', ...headers },
  });
  return { status: response.status, ...((await response.json()) as Omit<Answer, 'status'>) } as Answer;
}

/**
 * The service's own manifest (what `npm run build` writes to dist/), in a temporary file: for a stack
 * whose callers use the typed client, which sends ids.
 */
export async function writeProjectManifest(): Promise<string> {
  const { manifestText, projectManifest } = await import('../../scripts/lib/trusted-documents-manifest.js');
  const folder = await mkdtemp(join(tmpdir(), 'project-manifest-'));
  afterAll(() => rm(folder, { recursive: true, force: true }));
  return writeManifest(join(folder, 'trusted-documents.json'), manifestText(await projectManifest()));
}
