import { describe, expect, it } from 'vitest';
import { promotionInput, publish } from '../helpers/inputs.js';
import { useStack } from '../helpers/stack.js';

const stack = useStack({ app: false, env: { PER_NUMBER_DAILY_LIMIT: '2' } });

let next = 5000;
const chinaMobile = () => `138${String((next += 1)).padStart(8, '0')}`;

const codes = (result: Awaited<ReturnType<typeof publish>>) =>
  result.data?.publishPromotionSms.results.map((entry) => ('code' in entry ? entry.code : entry.__typename));

describe('PER_NUMBER_DAILY_LIMIT', () => {
  it('the third send to a number that day is held back as DAILY_LIMIT_REACHED, whatever its spelling', async () => {
    await stack.withApp({}, async (app) => {
      const number = chinaMobile();
      expect(codes(await publish(app, promotionInput({ endpoints: [number] })))).toEqual(['SmsSent']);
      expect(codes(await publish(app, promotionInput({ endpoints: [`+86${number}`] })))).toEqual(['SmsSent']);
      const third = await publish(app, promotionInput({ endpoints: [`86${number}`, chinaMobile()] }));
      expect(codes(third)).toEqual(['DAILY_LIMIT_REACHED', 'SmsSent']);
      expect(third.data?.publishPromotionSms).toMatchObject({ sentCount: 1, failedCount: 1, suppressedCount: 1 });
      const requests = (await stack.simulator.requests()) as Array<{ endpoints: string[] }>;
      expect(
        requests.flatMap((request) => request.endpoints).filter((endpoint) => endpoint.endsWith(number)),
      ).toHaveLength(2);
    });
  });

  it('three spellings of one number in one batch are one phone: sent once, counted once', async () => {
    await stack.withApp({}, async (app) => {
      const number = chinaMobile();
      const result = await publish(app, promotionInput({ endpoints: [number, `+86${number}`, `+860${number}`] }));
      expect(codes(result)).toEqual(['SmsSent']);
      expect(result.data?.publishPromotionSms.duplicatesRemoved).toBe(2);
      expect(codes(await publish(app, promotionInput({ endpoints: [`86${number}`] })))).toEqual(['SmsSent']);
      expect(codes(await publish(app, promotionInput({ endpoints: [`+8600${number}`] })))).toEqual([
        'DAILY_LIMIT_REACHED',
      ]);
    });
  });

  it('an SmsFailed from SMN does not use up the limit', async () => {
    await stack.withApp({ PER_NUMBER_DAILY_LIMIT: '1' }, async (app) => {
      const number = chinaMobile();
      await stack.simulator.fault({ kind: 'omit' });
      expect(codes(await publish(app, promotionInput({ endpoints: [number] })))).toEqual(['NO_RESULT']);
      expect(codes(await publish(app, promotionInput({ endpoints: [number] })))).toEqual(['SmsSent']);
      expect(codes(await publish(app, promotionInput({ endpoints: [number] })))).toEqual(['DAILY_LIMIT_REACHED']);
    });
  });

  it('a refusal that sent nothing (delivery NOT_SENT) does not use up the limit', async () => {
    await stack.withApp({ PER_NUMBER_DAILY_LIMIT: '1' }, async (app) => {
      const number = chinaMobile();
      await stack.simulator.fault({ kind: 'status', status: 400, code: 'SMN.0006' });
      const refused = await publish(app, promotionInput({ endpoints: [number] }));
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'SMN_REJECTED', delivery: 'NOT_SENT' });
      expect(codes(await publish(app, promotionInput({ endpoints: [number] })))).toEqual(['SmsSent']);
    });
  });

  it('a failure that may have sent (delivery UNKNOWN) keeps its reservation', async () => {
    await stack.withApp({ PER_NUMBER_DAILY_LIMIT: '1' }, async (app) => {
      const number = chinaMobile();
      await stack.simulator.fault({ kind: 'status', status: 500, code: 'SMN.0018' });
      const failed = await publish(app, promotionInput({ endpoints: [number] }));
      expect(failed.errors?.[0]?.extensions).toMatchObject({ code: 'SMN_UNAVAILABLE', delivery: 'UNKNOWN' });
      expect(codes(await publish(app, promotionInput({ endpoints: [number] })))).toEqual(['DAILY_LIMIT_REACHED']);
    });
  });

  it('days turn over at midnight in PER_NUMBER_DAY_ZONE', async () => {
    let now = new Date('2026-11-30T15:59:00Z'); // 23:59 in Asia/Shanghai
    await stack.withApp(
      { PER_NUMBER_DAILY_LIMIT: '1' },
      async (app) => {
        const number = chinaMobile();
        expect(codes(await publish(app, promotionInput({ endpoints: [number] })))).toEqual(['SmsSent']);
        now = new Date('2026-11-30T15:59:59Z');
        expect(codes(await publish(app, promotionInput({ endpoints: [number] })))).toEqual(['DAILY_LIMIT_REACHED']);
        now = new Date('2026-11-30T16:00:01Z'); // 00:00:01 on 1 December in Shanghai
        expect(codes(await publish(app, promotionInput({ endpoints: [number] })))).toEqual(['SmsSent']);
      },
      { clock: { now: () => now } },
    );
    now = new Date('2026-11-30T23:59:00Z');
    await stack.withApp(
      { PER_NUMBER_DAILY_LIMIT: '1', PER_NUMBER_DAY_ZONE: 'UTC' },
      async (app) => {
        const number = chinaMobile();
        expect(codes(await publish(app, promotionInput({ endpoints: [number] })))).toEqual(['SmsSent']);
        now = new Date('2026-12-01T00:00:01Z');
        expect(codes(await publish(app, promotionInput({ endpoints: [number] })))).toEqual(['SmsSent']);
      },
      { clock: { now: () => now } },
    );
  });

  it('off by default: no limit', async () => {
    await stack.withApp({ PER_NUMBER_DAILY_LIMIT: '0' }, async (app) => {
      const number = chinaMobile();
      for (let send = 0; send < 4; send += 1) {
        expect(codes(await publish(app, promotionInput({ endpoints: [number] })))).toEqual(['SmsSent']);
      }
    });
  });
});
