import autocannon from 'autocannon';
import twilio from 'twilio';
import pg from 'pg';
const publicUrl = process.argv[2]!; const token = 'bench-twilio-auth-token-000000000';
const db = new pg.Client({ connectionString: process.argv[3] }); await db.connect();
const phones = (await db.query('select phone_e164 from contacts limit 500')).rows.map((r) => r.phone_e164);
await db.end();
const path = '/api/webhooks/twilio/inbound';
let n = Number(process.argv[4] ?? 0);
const pre: { headers: Record<string, string>; body: string }[] = [];
const result = await autocannon({ url: `${publicUrl}${path}`, connections: 50, duration: 10, overallRate: 500, requests: [{ method: 'POST', setupRequest: (req) => {
  const i = n++;
  const params = { MessageSid: `SM${i.toString(16).padStart(32, '0')}`, From: phones[i % phones.length]!, To: '+12025550100', Body: 'hello' };
  return { ...req, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(token, `${publicUrl}${path}`, params) }, body: new URLSearchParams(params).toString() };
} }] });
console.log(result.requests.total, result['2xx'], 'p50', result.latency.p50, 'p90', result.latency.p90, 'p99', result.latency.p99, 'max', result.latency.max, 'rate', result.requests.average);
