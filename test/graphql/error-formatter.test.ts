import { GraphQLError, locatedError, type GraphQLFormattedError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { CampaignLimitReached, CampaignRefusal } from '../../src/campaigns/refusals.js';
import type { Caller } from '../../src/auth/caller.js';
import { requireScopes } from '../../src/auth/authorize.js';
import {
  AuthError,
  authenticationRequired,
  authUnavailable,
  forbidden,
  unauthenticated,
} from '../../src/auth/errors.js';
import { ErrorCode } from '../../src/error-codes.js';
import { authGraphQLError, createErrorFormatter, expectedCodeOf, isUnexpected } from '../../src/graphql/errors.js';
import { SmnError } from '../../src/smn/errors.js';

/** What Apollo hands formatError for an error a resolver threw: located, code INTERNAL_SERVER_ERROR. */
function fromResolver(thrown: Error): { given: GraphQLFormattedError; error: GraphQLError } {
  const error = locatedError(thrown, undefined, ['startPromotionCampaign']);
  const given = {
    message: error.message,
    path: ['startPromotionCampaign'],
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
  return { given, error };
}

const formatters = [
  ['development', createErrorFormatter({ production: false, suggestions: true })],
  ['production', createErrorFormatter({ production: true, suggestions: false })],
] as const;

describe.each(formatters)('the error formatter (%s): domain errors become their promised answers', (_mode, format) => {
  it('a CampaignRefusal is BAD_USER_INPUT with the status, and NOT_SENT', () => {
    const thrown = new CampaignRefusal('Cannot start a campaign that is RUNNING; allowed from DRAFT.', 'RUNNING');
    const { given, error } = fromResolver(thrown);
    expect(format(given, error)).toEqual({
      message: thrown.message,
      path: ['startPromotionCampaign'],
      extensions: { code: ErrorCode.BAD_USER_INPUT, status: 'RUNNING', delivery: 'NOT_SENT' },
    });
    expect(isUnexpected(thrown)).toBe(false);
  });

  it('a CampaignRefusal naming a field lists it in validationErrors; without a status, none is invented', () => {
    const thrown = new CampaignRefusal('SMN has no SMS template with this smsTemplateId.', 'DRAFT', 'smsTemplateId');
    const named = fromResolver(thrown);
    expect(format(named.given, named.error).extensions).toEqual({
      code: ErrorCode.BAD_USER_INPUT,
      status: 'DRAFT',
      validationErrors: [{ field: 'smsTemplateId', message: thrown.message }],
      delivery: 'NOT_SENT',
    });
    const unknown = new CampaignRefusal('No campaign with this id for you (unknown, expired, or not yours).');
    const { given, error } = fromResolver(unknown);
    expect(format(given, error).extensions).toEqual({ code: ErrorCode.BAD_USER_INPUT, delivery: 'NOT_SENT' });
  });

  it('CampaignLimitReached is CAMPAIGN_LIMIT_REACHED naming the setting and its limit', () => {
    const thrown = new CampaignLimitReached('Your tenant already has 3 campaigns.', 'CAMPAIGN_MAX_OPEN_PER_TENANT', 3);
    const { given, error } = fromResolver(thrown);
    expect(format(given, error)).toEqual({
      message: thrown.message,
      path: ['startPromotionCampaign'],
      extensions: {
        code: ErrorCode.CAMPAIGN_LIMIT_REACHED,
        setting: 'CAMPAIGN_MAX_OPEN_PER_TENANT',
        limit: 3,
        delivery: 'NOT_SENT',
      },
    });
    expect(isUnexpected(thrown)).toBe(false);
  });

  it('replayed comes from the SmnError itself: only a replayed one says so', () => {
    const details = { kind: 'rejected', delivery: 'NOT_SENT', code: 'SMN.0162' } as const;
    const first = fromResolver(new SmnError('The SMS template does not exist.', details));
    const again = fromResolver(new SmnError('The SMS template does not exist.', { ...details, replayed: true }));
    expect(format(first.given, first.error).extensions).not.toHaveProperty('replayed');
    expect(format(again.given, again.error).extensions).toMatchObject({ code: 'SMN_REJECTED', replayed: true });
  });

  it('an error of no known kind stays unexpected (masked in production)', () => {
    const thrown = new Error('connection reset by 10.0.0.7');
    expect(isUnexpected(thrown)).toBe(true);
    const { given, error } = fromResolver(thrown);
    const formatted = format(given, error);
    expect(formatted.extensions?.code).toBe(ErrorCode.INTERNAL_SERVER_ERROR);
    if (_mode === 'production') expect(formatted.message).toBe('Internal server error');
    expect(error).toBeInstanceOf(GraphQLError);
  });
});

describe('auth/ refuses with plain AuthErrors; graphql/errors.ts gives them their answer', () => {
  const format = createErrorFormatter({ production: true, suggestions: false });

  it('requireScopes throws AuthErrors (no GraphQL in auth/): unauthenticated without a caller, forbidden without the scope', () => {
    const refusal = (caller: Caller | undefined) => {
      try {
        requireScopes(caller, ['sms:read', 'sms:admin']);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const none = refusal(undefined);
    expect(none).toBeInstanceOf(AuthError);
    expect(none).not.toBeInstanceOf(GraphQLError);
    expect(none).toMatchObject({ kind: 'unauthenticated' });
    const scopeless = refusal({ sub: 'alice', scopes: new Set(['sms:promotion:send']) });
    expect(scopeless).toBeInstanceOf(AuthError);
    expect(scopeless).toMatchObject({ kind: 'forbidden', facts: { requiredScopes: ['sms:read', 'sms:admin'] } });
    expect(refusal({ sub: 'bob', scopes: new Set(['sms:admin']) })).toBeUndefined();
  });

  it('FORBIDDEN names the scopes, and nothing was sent', () => {
    const { given, error } = fromResolver(forbidden(['sms:read']));
    expect(format(given, error)).toEqual({
      message: 'This needs the scope sms:read.',
      path: ['startPromotionCampaign'],
      extensions: { code: ErrorCode.FORBIDDEN, requiredScopes: ['sms:read'], delivery: 'NOT_SENT' },
    });
    expect(isUnexpected(forbidden(['sms:read']))).toBe(false);
  });

  it('for Apollo: 401 with the RFC 6750 challenge (no quotes inside), 503 when the keys are out of reach', () => {
    const bad = authGraphQLError(
      unauthenticated('Invalid token: "exp" claim timestamp check failed.', 'invalid_token'),
    );
    expect(bad.message).toBe('Invalid token: "exp" claim timestamp check failed.');
    expect(bad.extensions.code).toBe(ErrorCode.UNAUTHENTICATED);
    expect(bad.extensions.http).toEqual({
      status: 401,
      headers: new Map([
        [
          'www-authenticate',
          `Bearer realm="smn-gateway", error="invalid_token", error_description="Invalid token: 'exp' claim timestamp check failed."`,
        ],
      ]),
    });
    expect(authGraphQLError(authenticationRequired()).extensions.http).toEqual({
      status: 401,
      headers: new Map([['www-authenticate', 'Bearer realm="smn-gateway"']]),
    });
    expect(authGraphQLError(authUnavailable()).extensions).toEqual({
      code: ErrorCode.AUTH_UNAVAILABLE,
      http: { status: 503 },
    });
    expect(authGraphQLError(forbidden(['sms:read'])).extensions).toEqual({
      code: ErrorCode.FORBIDDEN,
      requiredScopes: ['sms:read'],
    });
  });

  it('logs and metrics read the same codes (expectedCodeOf)', () => {
    expect(expectedCodeOf(authUnavailable())).toBe(ErrorCode.AUTH_UNAVAILABLE);
    expect(expectedCodeOf(authGraphQLError(authenticationRequired()))).toBe(ErrorCode.UNAUTHENTICATED);
    expect(expectedCodeOf(new CampaignRefusal('no'))).toBe(ErrorCode.BAD_USER_INPUT);
    expect(expectedCodeOf(new Error('boom'))).toBeUndefined();
  });
});
