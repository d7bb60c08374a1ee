import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../../src/smn/signer.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/server.js';
import { national, SIMULATOR_IDS, SIMULATOR_NUMBERS } from '../../src/simulator/numbers.js';

const credentials = { ak: 'SIM-AK', sk: 'SIM-SK' };
const projectId = 'proj';
let simulator: RunningSimulator;

beforeAll(async () => {
  simulator = await startSimulator({ projectId, credentials });
});
afterAll(() => simulator?.close());

async function post(body: unknown, options: { sk?: string; date?: Date; path?: string } = {}) {
  const url = new URL(options.path ?? `/v2/${projectId}/notifications/sms/promotion`, simulator.url);
  const text = JSON.stringify(body);
  const headers = sign(
    { method: 'POST', url, headers: { 'content-type': 'application/json', host: url.host }, body: text },
    { ak: credentials.ak, sk: options.sk ?? credentials.sk },
    options.date,
  );
  const response = await fetch(url, { method: 'POST', headers, body: text });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('the SMN simulator', () => {
  it('refuses a wrong signature and a stale X-Sdk-Date with the APIG body', async () => {
    expect(await post({}, { sk: 'wrong' })).toMatchObject({ status: 401, body: { error_code: 'APIG.0301' } });
    const stale = new Date(Date.now() - 16 * 60_000);
    expect(await post({}, { date: stale })).toMatchObject({ status: 401, body: { error_code: 'APIG.0301' } });
  });

  it('answers an unknown route with APIG.0101', async () => {
    expect(await post({}, { path: '/v2/other/notifications/sms/promotion' })).toMatchObject({
      status: 404,
      body: { error_code: 'APIG.0101' },
    });
  });

  it.each([
    ['no endpoints', { sms_template_id: 't' }, 400, 'SMN.0160'],
    ['1001 endpoints', { endpoints: Array(1001).fill('+14155550100'), sms_template_id: 't' }, 400, 'SMN.0159'],
    ['a bad endpoint', { endpoints: ['abc'], sms_template_id: 't' }, 400, 'SMN.0012'],
    ['a bad template id', { endpoints: ['+14155550100'], sms_template_id: 'a/b' }, 400, 'SMN.0161'],
    [
      'an unknown template',
      { endpoints: ['+14155550100'], sms_template_id: SIMULATOR_IDS.templateMissing },
      404,
      'SMN.0162',
    ],
    [
      'a non-promotion template',
      { endpoints: ['+14155550100'], sms_template_id: SIMULATOR_IDS.notPromotionTemplate },
      400,
      'SMN.0188',
    ],
    ['a null sign_id', { endpoints: ['+14155550100'], sms_template_id: 't', sign_id: null }, 400, 'SMN.0080'],
    [
      'an unknown signature',
      { endpoints: ['+14155550100'], sms_template_id: 't', sign_id: SIMULATOR_IDS.signatureMissing },
      404,
      'SMN.0084',
    ],
    [
      'a 33-byte extend_code',
      { endpoints: ['+14155550100'], sms_template_id: 't', extend_code: '促'.repeat(11) },
      400,
      'SMN.0006',
    ],
    [
      'a 9-digit extend_src_id',
      { endpoints: ['+14155550100'], sms_template_id: 't', extend_src_id: '123456789' },
      400,
      'SMN.0229',
    ],
  ])('refuses %s with the real SMN code', async (_name, body, status, code) => {
    expect(await post(body)).toMatchObject({ status, body: { code } });
  });

  it('removes duplicates and answers deterministically per number', async () => {
    const { status, body } = await post({
      endpoints: [
        SIMULATOR_NUMBERS.delivered,
        SIMULATOR_NUMBERS.noSuchNumber,
        SIMULATOR_NUMBERS.delivered,
        national(SIMULATOR_NUMBERS.frequencyLimited),
      ],
      sms_template_id: 't',
    });
    expect(status).toBe(200);
    const result = body.result as Array<Record<string, string>>;
    expect(result.map((r) => [r.endpoint, r.code ?? 'sent'])).toEqual([
      [SIMULATOR_NUMBERS.delivered, 'sent'],
      [SIMULATOR_NUMBERS.noSuchNumber, 'SMN.0167'],
      [national(SIMULATOR_NUMBERS.frequencyLimited), 'SMN.0057'],
    ]);
  });

  it('can be told to misbehave over its control API', async () => {
    const queued = await fetch(`${simulator.url}/_simulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'status', status: 503, code: 'APIG.0613', times: 2 }),
    });
    expect(queued.status).toBe(200);
    const request = { endpoints: ['+14155550100'], sms_template_id: 't' };
    expect((await post(request)).body).toMatchObject({ error_code: 'APIG.0613' });
    expect((await post(request)).status).toBe(503);
    expect((await post(request)).status).toBe(200);
    const bad = await fetch(`${simulator.url}/_simulator/faults`, { method: 'POST', body: '{"kind":"explode"}' });
    expect(bad.status).toBe(400);
  });
});
