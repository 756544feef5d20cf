import type { Variables } from './state.ts';

/** Every input to `step`. `by` is the acting user id (the host has already authenticated it). */
export type Command =
  | {
      readonly type: 'start';
      readonly instanceId: string;
      readonly by?: string;
      readonly variables?: Variables;
      /** Start at the message start event for this message name. */
      readonly message?: string;
      /** Start at the signal start event for this signal name. */
      readonly signal?: string;
    }
  | {
      readonly type: 'completeTask';
      readonly taskId: string;
      readonly by: string;
      readonly decision?: string;
      readonly opinion?: string;
      readonly variables?: Variables;
    }
  | { readonly type: 'claim'; readonly taskId: string; readonly by: string; readonly roles?: readonly string[] }
  | { readonly type: 'unclaim'; readonly taskId: string; readonly by: string }
  | {
      readonly type: 'return';
      readonly taskId: string;
      readonly by: string;
      readonly target: string;
      readonly opinion?: string;
    }
  | { readonly type: 'withdraw'; readonly taskId: string; readonly by: string }
  | {
      readonly type: 'transfer';
      readonly taskId: string;
      readonly by: string;
      readonly to: string;
      readonly opinion?: string;
    }
  | {
      readonly type: 'delegate';
      readonly taskId: string;
      readonly by: string;
      readonly to: string;
      readonly opinion?: string;
    }
  | {
      readonly type: 'resolve';
      readonly taskId: string;
      readonly by: string;
      readonly opinion?: string;
      readonly variables?: Variables;
    }
  | { readonly type: 'addSigner'; readonly taskId: string; readonly by: string; readonly signer: string }
  | { readonly type: 'removeSigner'; readonly taskId: string; readonly by: string; readonly signer: string }
  | { readonly type: 'urge'; readonly taskId: string; readonly by: string; readonly message?: string }
  | {
      readonly type: 'circulate';
      readonly by: string;
      readonly to: readonly string[];
      readonly taskId?: string;
      readonly message?: string;
    }
  | { readonly type: 'markRead'; readonly circulationId: string; readonly by: string }
  | { readonly type: 'suspend'; readonly by: string; readonly reason?: string }
  | { readonly type: 'resume'; readonly by: string }
  | {
      readonly type: 'jump';
      readonly by: string;
      readonly target: string;
      readonly taskId?: string;
      readonly reason?: string;
    }
  | { readonly type: 'terminate'; readonly by: string; readonly reason?: string }
  | { readonly type: 'fireTimer'; readonly timerId: string }
  | { readonly type: 'correlateMessage'; readonly name: string; readonly variables?: Variables }
  /** A signal thrown elsewhere (another instance): wakes every waiter for it here, if any. */
  | { readonly type: 'signal'; readonly name: string }
  | { readonly type: 'completeService'; readonly jobId: string; readonly variables?: Variables }
  | { readonly type: 'failService'; readonly jobId: string; readonly errorCode?: string; readonly message?: string };

export type CommandType = Command['type'];
