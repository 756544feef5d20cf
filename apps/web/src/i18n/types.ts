import type { AppErrorCode, ClockState, ClockUnit, DayReason, OrgKind, PauseKind, RoleKey } from '@guotu/domain';
import type { zhCN } from './zh-CN.ts';

export type Locale = 'zh-CN' | 'en-US';
export const locales: readonly Locale[] = ['zh-CN', 'en-US'];

export type MessageKey = keyof typeof zhCN;
/** Every locale maps exactly the zh-CN keys to strings. */
export type Messages = Record<MessageKey, string>;

// Derived keys must exist for every member of the domain unions: a new role, org kind or
// error code without a zh-CN entry is a type error here.
type Covers<K extends string> = [K] extends [MessageKey] ? true : never;
export const coverage: {
  roles: Covers<`role.${RoleKey}`>;
  orgKinds: Covers<`orgKind.${OrgKind}`>;
  errors: Covers<`error.${AppErrorCode}`>;
  clockStates: Covers<`clockState.${ClockState}`>;
  clockUnits: Covers<`clockUnit.${ClockUnit}`>;
  dayReasons: Covers<`dayReason.${DayReason}`>;
  pauseKinds: Covers<`pauseKind.${PauseKind}`>;
} = {
  roles: true,
  orgKinds: true,
  errors: true,
  clockStates: true,
  clockUnits: true,
  dayReasons: true,
  pauseKinds: true,
};

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;
