import { describe, expect, it } from 'vitest';
import { checkSendWindow, parseSendWindow, type SendWindow } from '../../src/policy/send-window.js';

function window(text: string): SendWindow {
  const parsed = parseSendWindow(text);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
}

describe('the promotional send window', () => {
  it('parses HH:MM-HH:MM <zone> and explains what it refuses', () => {
    expect(window('07:00-21:00 Asia/Shanghai')).toEqual({
      text: '07:00-21:00 Asia/Shanghai',
      startMinute: 420,
      endMinute: 1260,
      zone: 'Asia/Shanghai',
    });
    expect(parseSendWindow('7-21 Asia/Shanghai')).toMatch(/HH:MM-HH:MM/);
    expect(parseSendWindow('07:00-24:00 Asia/Shanghai')).toMatch(/HH:MM-HH:MM/);
    expect(parseSendWindow('07:00-21:00 Mars/Olympus')).toMatch(/unknown time zone/);
    expect(parseSendWindow('09:00-09:00 UTC')).toMatch(/same minute/);
  });

  const shanghai = window('07:00-21:00 Asia/Shanghai');
  it.each([
    ['2026-11-26T23:00:00.000Z', true], // 07:00 Shanghai: opens, inclusive
    ['2026-11-27T12:59:59.000Z', true], // 20:59:59
    ['2026-11-27T13:00:00.000Z', false], // 21:00: closed, exclusive
    ['2026-11-26T22:59:00.000Z', false], // 06:59
  ])('at %s the Shanghai window is open: %s', (at, open) => {
    expect(checkSendWindow(shanghai, new Date(at)).open).toBe(open);
  });

  it('names the next opening: later today, or tomorrow', () => {
    expect(checkSendWindow(shanghai, new Date('2026-11-27T14:00:00Z'))).toEqual({
      open: false,
      nextAllowedAt: new Date('2026-11-27T23:00:00.000Z'),
    });
    expect(checkSendWindow(shanghai, new Date('2026-11-26T20:30:00Z'))).toEqual({
      open: false,
      nextAllowedAt: new Date('2026-11-26T23:00:00.000Z'),
    });
  });

  it('handles windows that cross midnight', () => {
    const night = window('22:00-02:00 UTC');
    expect(checkSendWindow(night, new Date('2026-11-27T23:30:00Z')).open).toBe(true);
    expect(checkSendWindow(night, new Date('2026-11-28T01:59:00Z')).open).toBe(true);
    expect(checkSendWindow(night, new Date('2026-11-28T02:00:00Z'))).toEqual({
      open: false,
      nextAllowedAt: new Date('2026-11-28T22:00:00.000Z'),
    });
  });

  it('follows daylight saving time in the configured zone', () => {
    const newYork = window('09:00-17:00 America/New_York');
    // 2026-03-08: clocks go forward; 09:00 EDT is 13:00Z (it was 14:00Z the day before).
    expect(checkSendWindow(newYork, new Date('2026-03-08T12:00:00Z'))).toEqual({
      open: false,
      nextAllowedAt: new Date('2026-03-08T13:00:00.000Z'),
    });
  });
});
