import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type GraphQLFormattedError } from 'graphql';

export interface GraphQLResult<TData> {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly data?: TData | null;
  readonly errors?: readonly GraphQLFormattedError[];
}

/** Sends a typed operation over real HTTP, as a frontend would. */
export async function execute<TData, TVariables>(
  url: string,
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  headers: Record<string, string> = {},
): Promise<GraphQLResult<TData>> {
  return post<TData>(url, print(document), variables, headers);
}

/** Sends a query string: for documents against other schemas (the supergraph, `_entities`). */
export async function post<TData = Record<string, unknown>>(
  url: string,
  query: string,
  variables: unknown = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResult<TData>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  const json = JSON.parse(text) as { data?: TData | null; errors?: GraphQLFormattedError[] };
  return { status: response.status, headers: response.headers, text, ...json };
}
