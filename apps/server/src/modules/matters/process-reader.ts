import type { Actor } from '@guotu/domain';

/**
 * Reading process definitions goes through the workflow module's service, which wants an actor
 * with workflow.read: the catalog reads as the system. Only ever used outside a transaction (on
 * PGlite a second statement on `db` inside an open transaction would wait for it forever).
 */
export const processReaderActor: Actor = {
  userId: 0,
  username: 'system:matters',
  roles: [],
  permissions: ['workflow.read'],
  orgId: 0,
  orgPath: '/',
  requestId: 'matters',
};
