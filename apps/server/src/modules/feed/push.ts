import { createHmac } from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';
import { AppError } from '@guotu/domain';
import type { Db } from '../../platform/db.ts';
import * as repo from './repository.ts';
import { presentEvent, sequenceFeed } from './service.ts';

export interface PushSettings {
  webhookUrl: string;
  /** HMAC-SHA256 with this secret when set; else SM2 (SM3 digest) with the audit signing key */
  hmacSecret: string | null;
  signingKey: { privateKey: string; publicKey: string };
  timeoutMs?: number;
}

/** The signature headers of one request body. */
export function signBody(
  body: string,
  settings: Pick<PushSettings, 'hmacSecret' | 'signingKey'>,
): Record<string, string> {
  if (settings.hmacSecret)
    return {
      'x-guotu-signature-alg': 'HMAC-SHA256',
      'x-guotu-signature': createHmac('sha256', settings.hmacSecret).update(body).digest('hex'),
    };
  return {
    'x-guotu-signature-alg': 'SM2-SM3',
    'x-guotu-signature': sm2.doSignature(body, settings.signingKey.privateKey, { hash: true }),
  };
}

/**
 * Delivers every event after the endpoint's acknowledged cursor, one POST per event in cursor
 * order, until none is left. At-least-once: a crash between the receiver's 2xx and our update
 * repeats an event, with the same Idempotency-Key (the event id) and the same body. A failure is
 * recorded and thrown (DEPENDENCY_UNAVAILABLE) so pg-boss retries with backoff.
 */
export async function pushFeed(db: Db, settings: PushSettings): Promise<number> {
  const endpoint = settings.webhookUrl;
  let delivered = 0;
  for (;;) {
    await sequenceFeed(db);
    const state = await repo.pushState(db, endpoint);
    const rows = await repo.listAfter(db, state.delivered_upto, 50);
    if (rows.length === 0) return delivered;
    for (const row of rows) {
      const event = presentEvent(row);
      const body = JSON.stringify(event);
      let failure: string | null = null;
      try {
        const response = await fetch(endpoint, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'idempotency-key': event.eventId,
            'x-guotu-cursor': event.cursor,
            ...signBody(body, settings),
          },
          body,
          signal: AbortSignal.timeout(settings.timeoutMs ?? 10_000),
        });
        if (!response.ok) failure = `HTTP ${response.status}`;
        await response.body?.cancel();
      } catch (error) {
        failure = error instanceof Error ? error.message : String(error);
      }
      if (failure !== null) {
        await repo.markFailed(db, endpoint, failure);
        throw new AppError(
          'DEPENDENCY_UNAVAILABLE',
          `feed webhook ${endpoint} failed at cursor ${event.cursor}: ${failure}`,
        );
      }
      await repo.markDelivered(db, endpoint, event.cursor);
      delivered += 1;
    }
  }
}
