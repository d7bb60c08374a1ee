import { isSmnId } from '../smn/wire.js';
import { SIMULATOR_ID_PREFIXES } from './numbers.js';

/**
 * The simulator's SMS templates and signatures, as SMN's list APIs answer them. The list holds 150
 * templates (two pages at limit=100), `tpl_promo_demo` (the playground's) first; a lookup by id finds
 * every valid id except those starting with `dead` (which SMN "does not find", as the send rule says),
 * so any template a test sends with is also one a campaign may start with.
 */
const CREATED = Date.UTC(2026, 0, 15, 8, 0, 0);
const TEMPLATES = [
  template('tpl_promo_demo', 'Promotion demo', 0),
  ...Array.from({ length: 149 }, (_, index) =>
    template(`tpl_promo_${String(index + 1).padStart(3, '0')}`, `Promotion ${index + 1}`, index + 1),
  ),
];
const SIGNS = [
  {
    sign_id: 'sign_demo',
    sign_name: 'Demo Shop',
    sign_type: 2,
    status: 2,
    reply: '',
    overseas_flag: false,
    create_time: new Date(CREATED).toISOString(),
  },
  {
    sign_id: 'sign_global',
    sign_name: 'Demo Shop Global',
    sign_type: 2,
    status: 2,
    overseas_flag: true,
    create_time: new Date(CREATED).toISOString(),
    extra_field_smn_may_add: 'ignored',
  },
];

function template(id: string, name: string, day: number) {
  return {
    sms_template_id: id,
    sms_template_name: name,
    sms_template_type: 3,
    status: 2,
    reply: day === 7 ? 'Approved after edits.' : '',
    create_time: new Date(CREATED + day * 86_400_000).toISOString(),
    validity_end_time: new Date(CREATED + 365 * 86_400_000).toISOString(),
  };
}

export function templateList(query: URLSearchParams) {
  const offset = Math.max(0, Number(query.get('offset') ?? 0) || 0);
  const limit = Math.min(100, Math.max(1, Number(query.get('limit') ?? 100) || 100));
  const name = query.get('sms_template_name');
  const matching = name ? TEMPLATES.filter((entry) => entry.sms_template_name.includes(name)) : TEMPLATES;
  return { count: matching.length, sms_templates: matching.slice(offset, offset + limit) };
}

/** One template by id; undefined (404 SMN.0162) for ids starting with `dead` or not valid ids. */
export function templateById(id: string) {
  if (!isSmnId(id) || id.startsWith(SIMULATOR_ID_PREFIXES.templateMissing)) return undefined;
  return TEMPLATES.find((entry) => entry.sms_template_id === id) ?? template(id, id, 0);
}

export function signList() {
  return { sms_sign_count: SIGNS.length, sms_signs: SIGNS };
}
