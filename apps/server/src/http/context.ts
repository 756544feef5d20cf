import type { Actor, Permission } from '@guotu/domain';
import type { Config } from '../platform/config.ts';
import type { Database } from '../platform/db.ts';
import type { Jobs } from '../platform/jobs.ts';
import type { AuthDeps } from '../modules/auth/service.ts';
import type { CalendarProvider } from '../modules/calendar/service.ts';

/** Everything a route needs, built once in main.ts. */
export interface AppContext {
  config: Config;
  database: Database;
  jobs: Jobs | null;
  auth: AuthDeps;
  calendar: CalendarProvider;
  /** false while shutting down: /readyz answers 503 so a balancer stops sending */
  ready: boolean;
}

/**
 * Access rule of a route, declared in its config. Everything under /api is denied by default:
 * a route without `access` answers 401 to everyone (see auth.ts).
 * - 'public': anyone (login, public portal queries)
 * - 'staff': any signed-in staff user
 * - a Permission: a signed-in user holding it
 */
export type Access = 'public' | 'staff' | Permission;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    actor: Actor | null;
    sessionTokenHash: string | null;
  }
}

export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw new Error('route declared access but no actor was set — auth hook missing');
  return actor;
}
