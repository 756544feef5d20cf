import type { Json } from '@guotu/engine';

/**
 * Server handlers a `serviceTask guotu:handler="…"` may name. They run in a job
 * (`workflow.service.invoke`), outside the instance's transaction, and answer with variables
 * (→ completeService) or a failure (→ failService: a BPMN error code, or a retry).
 * Deploy refuses a process naming a handler that is not registered here.
 */
export interface ServiceInvocation {
  node: string;
  attempt: number;
  variables: Record<string, Json>;
}

export type ServiceOutcome =
  { ok: true; variables?: Record<string, Json> } | { ok: false; errorCode?: string; message: string };

export type ServiceHandler = (call: ServiceInvocation) => Promise<ServiceOutcome>;

const registry = new Map<string, ServiceHandler>([
  ['noop', async () => ({ ok: true })],
  // Sets `<node>Done = true` and copies `serviceInput` (if any) to `serviceResult`.
  [
    'setVariable',
    async (call) => ({
      ok: true,
      variables: {
        [`${call.node}Done`]: true,
        ...(call.variables.serviceInput !== undefined ? { serviceResult: call.variables.serviceInput } : {}),
      },
    }),
  ],
  // Fails with the BPMN error named by the `failWith` variable, or a plain (retried) failure.
  [
    'fail',
    async (call) => {
      const code = call.variables.failWith;
      return typeof code === 'string' && code !== ''
        ? { ok: false, errorCode: code, message: `failed with ${code}` }
        : { ok: false, message: 'handler failed' };
    },
  ],
]);

export function serviceHandlerNames(): string[] {
  return [...registry.keys()];
}

export function findServiceHandler(name: string): ServiceHandler | undefined {
  return registry.get(name);
}
