import { isRecord, optionalString } from '../util/unknown-values.js';
import { bounded } from '../observability/bounded.js';

/** An SMS template as SMN lists it, read tolerantly: unknown fields ignored, missing optional ones absent. */
export interface SmsTemplateRecord {
  readonly id: string;
  readonly name: string;
  /** SMN's sms_template_type and status, as given (their values are not documented). */
  readonly type?: string | undefined;
  readonly status?: string | undefined;
  readonly reply?: string | undefined;
  readonly createdAt?: Date | undefined;
  readonly validUntil?: Date | undefined;
}

export interface SmsSignRecord {
  readonly id: string;
  readonly name: string;
  readonly type?: string | undefined;
  readonly status?: string | undefined;
  readonly reply?: string | undefined;
  readonly overseas?: boolean | undefined;
  readonly createdAt?: Date | undefined;
}

export interface SmsTemplateList {
  /** All templates matching the query, across SMN's pages. */
  readonly count: number;
  readonly templates: readonly SmsTemplateRecord[];
}

/** A code or status as given: strings and numbers pass, anything else is absent. */
function asGiven(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value !== '' ? bounded(value, 256) : undefined;
}

/** ISO text or epoch milliseconds; anything unreadable is absent, never an error. */
function date(value: unknown): Date | undefined {
  const parsed =
    typeof value === 'number'
      ? new Date(value)
      : typeof value === 'string' && value !== ''
        ? new Date(value)
        : undefined;
  return parsed && !Number.isNaN(parsed.getTime()) ? parsed : undefined;
}

function flag(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1) return value === 1;
  if (value === 'true' || value === 'false') return value === 'true';
  return undefined;
}

function text(value: unknown): string | undefined {
  const given = optionalString(value);
  return given === undefined ? undefined : bounded(given, 1024);
}

export function templateFrom(value: unknown): SmsTemplateRecord | undefined {
  if (!isRecord(value)) return undefined;
  const id = text(value.sms_template_id);
  if (!id) return undefined;
  return {
    id,
    name: text(value.sms_template_name) ?? '',
    type: asGiven(value.sms_template_type),
    status: asGiven(value.status),
    reply: text(value.reply),
    createdAt: date(value.create_time),
    validUntil: date(value.validity_end_time),
  };
}

export function signFrom(value: unknown): SmsSignRecord | undefined {
  if (!isRecord(value)) return undefined;
  const id = text(value.sign_id);
  if (!id) return undefined;
  return {
    id,
    name: text(value.sign_name) ?? '',
    type: asGiven(value.sign_type),
    status: asGiven(value.status),
    reply: text(value.reply),
    overseas: flag(value.overseas_flag),
    createdAt: date(value.create_time),
  };
}

function records<T>(list: unknown, parse: (value: unknown) => T | undefined): T[] {
  return Array.isArray(list) ? list.flatMap((value) => parse(value) ?? []) : [];
}

export function templateListFrom(body: Record<string, unknown>): SmsTemplateList {
  const templates = records(body.sms_templates, templateFrom);
  return { count: typeof body.count === 'number' ? body.count : templates.length, templates };
}

/** One template: `{ sms_template: {...} }` or the fields at the top level. */
export function oneTemplateFrom(body: Record<string, unknown>): SmsTemplateRecord | undefined {
  return templateFrom(isRecord(body.sms_template) ? body.sms_template : body);
}

export function signListFrom(body: Record<string, unknown>): SmsSignRecord[] {
  return records(body.sms_signs, signFrom);
}
