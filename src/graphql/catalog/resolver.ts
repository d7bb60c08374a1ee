import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import { ANONYMOUS_CALLER, callerKey, SCOPES } from '../../auth/caller.js';
import { SMN_TEMPLATE_PAGE, type Catalog } from '../../catalog/catalog.js';
import { isSmnId, PROMOTION_LIMITS } from '../../smn/wire.js';
import { connectionOf, offsetCursors, pageSize } from '../page-info.js';
import type { RequestContext } from '../request-context.js';
import { badUserInput } from '../validation.js';
import { SmsSign, SmsTemplate, SmsTemplatePage } from './types.js';

const MAX_NAME_LENGTH = 128;

const templateCursors = offsetCursors('t');

/** Whom the catalog charges an SMN call to (QUOTA_CATALOG_READS_PER_MINUTE). */
const readerOf = (context: RequestContext) => callerKey(context.caller ?? ANONYMOUS_CALLER);

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
    @Ctx() context: RequestContext,
  ): Promise<SmsTemplatePage> {
    const limit = pageSize(first ?? SMN_TEMPLATE_PAGE, SMN_TEMPLATE_PAGE);
    if (name != null && (name === '' || name.length > MAX_NAME_LENGTH)) {
      throw badUserInput(
        [{ field: 'name', message: `must be 1 to ${MAX_NAME_LENGTH} characters` }],
        'nothing was read',
      );
    }
    const offset = templateCursors.offset(after);
    const list = await this.catalog.templates(readerOf(context), offset, limit, name ?? undefined);
    const count = list.templates.length;
    const templates = list.templates.map((template) => SmsTemplate.from(template));
    return Object.assign(
      new SmsTemplatePage(),
      connectionOf(templateCursors.edges(offset, templates), count > 0 && offset + count < list.count, after),
    );
  }

  @Authorized(SCOPES.read)
  @Query(() => SmsTemplate, {
    nullable: true,
    description: 'One SMS template by id; null when SMN does not know it. Scope sms:read.',
  })
  async smsTemplate(@Arg('id', () => String) id: string, @Ctx() context: RequestContext): Promise<SmsTemplate | null> {
    if (id.length > PROMOTION_LIMITS.idMaxLength || !isSmnId(id)) return null;
    const template = await this.catalog.template(id, readerOf(context));
    return template ? SmsTemplate.from(template) : null;
  }

  @Authorized(SCOPES.read)
  @Query(() => [SmsSign], { description: 'SMS signatures of the configured SMN project. Scope sms:read.' })
  async smsSigns(@Ctx() context: RequestContext): Promise<SmsSign[]> {
    return (await this.catalog.signs(readerOf(context))).map((sign) => SmsSign.from(sign));
  }
}
