import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { sql } from 'kysely';
import { sm2 } from 'sm-crypto-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../test/harness.ts';
import { createLogger } from '../../platform/logger.ts';
import { inTransaction } from '../../platform/db.ts';
import { changeClock } from '../clocks/service.ts';
import { taskAt, workflowClient } from '../workflow/test-support.ts';
import { registerFeedWorkers, type FeedWorkers } from './jobs.ts';
import type { FeedEvent } from './service.ts';

const processXml = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:guotu="http://guotu.org/schema/bpmn" id="d" targetNamespace="http://guotu.org/test">
  <process id="oneStep" name="单步审查" isExecutable="true">
    <startEvent id="start"/>
    <userTask id="review" name="用地处审查" guotu:candidateRoles="handler" guotu:timeLimit="P3D" guotu:calendar="workday"/>
    <endEvent id="end"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="review"/>
    <sequenceFlow id="f2" sourceRef="review" targetRef="end"/>
  </process>
</definitions>`;

interface Received {
  key: string;
  cursor: string;
  alg: string;
  signature: string;
  body: string;
}

/** A receiver on loopback that answers 503 to the first `failFirst` requests, then 200. */
async function startReceiver(
  failFirst: number,
): Promise<{ url: string; all: Received[]; accepted: Map<string, Received>; close(): Promise<void> }> {
  const all: Received[] = [];
  const accepted = new Map<string, Received>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const r: Received = {
        key: String(req.headers['idempotency-key']),
        cursor: String(req.headers['x-guotu-cursor']),
        alg: String(req.headers['x-guotu-signature-alg']),
        signature: String(req.headers['x-guotu-signature']),
        body,
      };
      all.push(r);
      if (all.length <= failFirst) {
        res.writeHead(503).end('down for maintenance');
        return;
      }
      accepted.set(r.key, r); // a replay with the same key changes nothing
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/feed`,
    all,
    accepted,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const waitFor = async (check: () => boolean, ms = 30_000) => {
  for (let i = 0; i < ms / 100 && !check(); i++) await new Promise((r) => setTimeout(r, 100));
};

describe.each(engines)('case-event feed on %s', (engine) => {
  for (const mode of ['sm2', 'hmac'] as const) {
    describe(`signed with ${mode}`, () => {
      let t: TestApp;
      let receiver: Awaited<ReturnType<typeof startReceiver>>;
      let workers: FeedWorkers;
      let instanceId = '';
      let reviewTask = '';
      beforeAll(async () => {
        receiver = await startReceiver(3);
        t = await createTestApp(engine, {
          jobs: true,
          config: {
            FEED_WEBHOOK_URL: receiver.url,
            FEED_RETRY_DELAY_SECONDS: '1',
            ...(mode === 'hmac' ? { FEED_WEBHOOK_SECRET: 'shared-secret-123' } : {}),
          },
        });
        if (!t.ctx.jobs) throw new Error('jobs expected');
        workers = await registerFeedWorkers(t.ctx.jobs, t.ctx, createLogger({ logLevel: 'silent' }), {
          sweepSeconds: 1,
        });
        const wf = workflowClient(t);
        expect((await wf.deploy('admin', processXml)).status).toBe(201);
        const started = await wf.start('admin', { key: 'oneStep', businessKey: '鄂自然资2026-0777' });
        instanceId = started.body.instanceId;
        const task = taskAt(started.body, 'review');
        reviewTask = task;
        expect((await wf.op('handler', task, 'claim')).status).toBe(200);
        // a supplement pause and its end on the step's clock (补正)
        const clock = await t.ctx.database.db
          .selectFrom('clocks')
          .select('id')
          .where('subject_type', '=', 'task')
          .executeTakeFirstOrThrow();
        const calendar = await t.ctx.calendar.get();
        await inTransaction(t.ctx.database.db, (tx) =>
          changeClock(
            tx,
            calendar,
            String(clock.id),
            { kind: 'pause', pauseKind: 'supplement', reason: '补正材料', at: new Date() },
            'test',
          ),
        );
        await inTransaction(t.ctx.database.db, (tx) =>
          changeClock(tx, calendar, String(clock.id), { kind: 'resume', at: new Date() }, 'test'),
        );
        expect((await wf.op('handler', task, 'complete', { decision: 'approve', opinion: '同意' })).status).toBe(200);
      });
      afterAll(async () => {
        workers.close();
        await t.close();
        await receiver.close();
      });

      it('pulls every case event in order through the cursor API, in pages', async () => {
        const s = await t.login('supervisor');
        const page1 = (
          await t.app.inject({ method: 'GET', url: '/api/v1/feed?after=0&limit=3', headers: s.headers })
        ).json<{ events: FeedEvent[]; nextCursor: string }>();
        const page2 = (
          await t.app.inject({
            method: 'GET',
            url: `/api/v1/feed?after=${page1.nextCursor}&limit=100`,
            headers: s.headers,
          })
        ).json<{ events: FeedEvent[]; nextCursor: string }>();
        const events = [...page1.events, ...page2.events];
        expect(events.map((e) => e.type)).toEqual([
          'case.started',
          'step.started',
          'clock.paused',
          'clock.resumed',
          'step.completed',
          'case.completed',
        ]);
        expect(events.map((e) => Number(e.cursor))).toEqual([1, 2, 3, 4, 5, 6]);
        expect(events[0]).toMatchObject({ caseNumber: '鄂自然资2026-0777', instanceId, actor: 'admin' });
        expect(events[2]).toMatchObject({ pauseKind: 'supplement', reason: '补正材料' });
        // the step's task id: one created by the same statement (step.started), one that existed (step.completed)
        expect(events[1]).toMatchObject({ step: { node: 'review', taskId: reviewTask } });
        expect(events[4]).toMatchObject({
          step: { node: 'review', taskId: reviewTask },
          actor: 'handler',
          decision: 'approve',
        });
        expect(events[5]).toMatchObject({ step: null });
        const h = await t.login('handler');
        expect((await t.app.inject({ method: 'GET', url: '/api/v1/feed', headers: h.headers })).statusCode).toBe(403);
      });

      it('pushes every event to a receiver that was down for the first attempts, signed, with the same idempotency key on each retry', async () => {
        await waitFor(() => receiver.accepted.size >= 6);
        expect(receiver.all.slice(0, 3).every((r) => r.cursor === '1')).toBe(true); // retried, not skipped
        expect([...receiver.accepted.values()].map((r) => Number(r.cursor))).toEqual([1, 2, 3, 4, 5, 6]);
        const first = receiver.all.filter((r) => r.cursor === '1');
        expect(new Set(first.map((r) => r.key)).size).toBe(1);
        expect(new Set(first.map((r) => r.body)).size).toBe(1);
        for (const r of receiver.accepted.values()) {
          if (mode === 'hmac') {
            expect(r.alg).toBe('HMAC-SHA256');
            expect(r.signature).toBe(createHmac('sha256', 'shared-secret-123').update(r.body).digest('hex'));
          } else {
            expect(r.alg).toBe('SM2-SM3');
            expect(
              sm2.doVerifySignature(r.body, r.signature, t.ctx.config.auditSigningKey.publicKey, { hash: true }),
            ).toBe(true);
          }
          expect(JSON.parse(r.body)).toMatchObject({ eventId: r.key, cursor: r.cursor });
        }
        const state = await sql<{ delivered_upto: string }>`select delivered_upto::text from feed_push_state`.execute(
          t.ctx.database.db,
        );
        expect(state.rows).toEqual([{ delivered_upto: '6' }]);
      });
    });
  }
});
