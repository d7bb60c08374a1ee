import { DateTime, IANAZone } from 'luxon';

/** Hours of the day when promotional sends are allowed, in one time zone. */
export interface SendWindow {
  /** As configured, e.g. `07:00-21:00 Asia/Shanghai`. */
  readonly text: string;
  /** Minutes after local midnight: start inclusive, end exclusive. */
  readonly startMinute: number;
  readonly endMinute: number;
  readonly zone: string;
}

export type WindowCheck = { readonly open: true } | { readonly open: false; readonly nextAllowedAt: Date };

const FORMAT = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d) (\S+)$/;

/** Parses `HH:MM-HH:MM <IANA zone>`; a string describing the problem when it cannot. */
export function parseSendWindow(text: string): SendWindow | string {
  const match = FORMAT.exec(text);
  if (!match) return 'must be "HH:MM-HH:MM <IANA time zone>" (e.g. "07:00-21:00 Asia/Shanghai") or "off"';
  const [startHour, startMinute, endHour, endMinute, zone] = match.slice(1) as [string, string, string, string, string];
  if (!IANAZone.isValidZone(zone)) return `names an unknown time zone "${zone}"`;
  const start = Number(startHour) * 60 + Number(startMinute);
  const end = Number(endHour) * 60 + Number(endMinute);
  if (start === end) return 'must not start and end at the same minute (use "off" to allow all day)';
  return { text, startMinute: start, endMinute: end, zone };
}

/**
 * Whether `now` falls inside the window (windows that cross midnight work), and if not, the next
 * instant it opens.
 */
export function checkSendWindow(window: SendWindow, now: Date): WindowCheck {
  const local = DateTime.fromJSDate(now, { zone: window.zone });
  const minute = local.hour * 60 + local.minute;
  const { startMinute: start, endMinute: end } = window;
  const open = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (open) return { open: true };
  let next = local.set({ hour: Math.floor(start / 60), minute: start % 60, second: 0, millisecond: 0 });
  if (next <= local) next = next.plus({ days: 1 });
  return { open: false, nextAllowedAt: next.toJSDate() };
}
