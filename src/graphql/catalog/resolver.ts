import { Arg, Authorized, Int, Query, Resolver } from 'type-graphql';
import { SCOPES } from '../../auth/caller.js';
import { SMN_TEMPLATE_PAGE, type Catalog } from '../../catalog/catalog.js';
import { isSmnId, PROMOTION_LIMITS } from '../../smn/wire.js';
import { PageInfo } from '../page-info.js';
import { badUserInput } from '../validation.js';
import { SmsSign, SmsTemplate, SmsTemplatePage } from './types.js';

const MAX_NAME_LENGTH = 128;

/** Template cursors are opaque: a base64url offset into SMN's list. */
const cursor = (offset: number) => Buffer.from(`t:${offset}`).toString('base64url');
function offsetOf(after: string | null | undefined): number {
  if (after == null) return 0;
  const match = /^t:(\d{1,7})$/.exec(after.length <= 32 ? Buffer.from(after, 'base64url').toString() : '');
  if (!match) throw badUserInput([{ field: 'after', message: 'is not a cursor this field gave' }], 'nothing was read');
  return Number(match[1]);
}

/** SMN's template and signature lists, so a frontend can offer them instead of asking for pasted ids. */
@Resolver()
export class CatalogResolver {
  constructor(private readonly catalog: Catalog) {}

  @Authorized(SCOPES.read)
  @Query(() => SmsTemplatePage, {
    description: `SMS templates of the configured SMN project, ${SMN_TEMPLATE_PAGE} at most a page. Scope sms:read.`,
  })
  async smsTemplates(
    @Arg('first', () => Int, { defaultValue: SMN_TEMPLATE_PAGE, nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('name', () => String, { nullable: true, description: 'Only templates whose name SMN matches with this.' })
    name: string | null,
  ): Promise<SmsTemplatePage> {
    const limit = first ?? SMN_TEMPLATE_PAGE;
    if (!Number.isInteger(limit) || limit < 1 || limit > SMN_TEMPLATE_PAGE) {
      throw badUserInput([{ field: 'first', message: `must be 1 to ${SMN_TEMPLATE_PAGE}` }], 'nothing was read');
    }
    if (name != null && (name === '' || name.length > MAX_NAME_LENGTH)) {
      throw badUserInput(
        [{ field: 'name', message: `must be 1 to ${MAX_NAME_LENGTH} characters` }],
        'nothing was read',
      );
    }
    const offset = offsetOf(after);
    const list = await this.catalog.templates(offset, limit, name ?? undefined);
    const end = offset + list.templates.length;
    return Object.assign(new SmsTemplatePage(), {
      nodes: list.templates.map((template) => SmsTemplate.from(template)),
      pageInfo: Object.assign(new PageInfo(), {
        hasNextPage: list.templates.length > 0 && end < list.count,
        endCursor: list.templates.length > 0 ? cursor(end) : (after ?? undefined),
      }),
    });
  }

  @Authorized(SCOPES.read)
  @Query(() => SmsTemplate, {
    nullable: true,
    description: 'One SMS template by id; null when SMN does not know it. Scope sms:read.',
  })
  async smsTemplate(@Arg('id', () => String) id: string): Promise<SmsTemplate | null> {
    if (id.length > PROMOTION_LIMITS.idMaxLength || !isSmnId(id)) return null;
    const template = await this.catalog.template(id);
    return template ? SmsTemplate.from(template) : null;
  }

  @Authorized(SCOPES.read)
  @Query(() => [SmsSign], { description: 'SMS signatures of the configured SMN project. Scope sms:read.' })
  async smsSigns(): Promise<SmsSign[]> {
    return (await this.catalog.signs()).map((sign) => SmsSign.from(sign));
  }
}
