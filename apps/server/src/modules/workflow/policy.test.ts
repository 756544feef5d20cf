import { describe, expect, it } from 'vitest';
import { rolePermissions, type RoleKey } from '@guotu/domain';
import {
  isCandidate,
  legalInstanceOperations,
  legalTaskOperations,
  maySeeTask,
  type PolicyActor,
  type TaskContext,
  type TaskFacts,
} from './policy.ts';

// Org tree: /1/ department (bureau) ─ /1/5/ 耕地保护处 (office)
//                                   └ /1/20/ 武汉市局 (bureau) ─ /1/20/33/ 武昌区局 (bureau)
const actor = (username: string, role: RoleKey, orgPath: string, bureauPath: string): PolicyActor => ({
  userId: 1,
  username,
  roles: [role],
  permissions: [...rolePermissions[role]],
  orgId: 1,
  orgPath,
  bureauPath,
  requestId: 'r',
});
const reviewer = actor('reviewer', 'reviewer', '/1/5/', '/1/');
const countyReviewer = actor('county', 'reviewer', '/1/20/33/', '/1/20/33/');
const admin = actor('admin', 'admin', '/1/', '/1/');
const task = (over: Partial<TaskFacts> = {}): TaskFacts => ({
  assignee: null,
  owner: null,
  delegation: null,
  candidateRoles: ['reviewer'],
  orgPath: '/1/',
  status: 'open',
  completedBy: null,
  claimed: false,
  ...over,
});
const ctx = (over: Partial<TaskContext> = {}): TaskContext => ({
  instanceStatus: 'running',
  countersign: false,
  returnTargets: 0,
  unreadForMe: 0,
  ccToMe: false,
  withdrawable: false,
  ...over,
});

describe('workflow policy', () => {
  it('makes an office member with the role a candidate for the department task, but not a county bureau member', () => {
    expect(isCandidate(reviewer, task())).toBe(true);
    expect(isCandidate(countyReviewer, task())).toBe(false);
    expect(maySeeTask(countyReviewer, task(), false)).toBe(false);
  });

  it('offers a candidate complete and claim, and the holder return/transfer/delegate but not claim', () => {
    expect(legalTaskOperations(reviewer, task(), ctx())).toEqual(['complete', 'claim', 'urge', 'circulate']);
    expect(
      legalTaskOperations(reviewer, task({ assignee: 'reviewer', claimed: true }), ctx({ returnTargets: 1 })),
    ).toEqual(['complete', 'unclaim', 'return', 'transfer', 'delegate', 'circulate']);
  });

  it('lets a delegate only resolve, and offers nothing but urge/circulate while suspended', () => {
    expect(
      legalTaskOperations(reviewer, task({ assignee: 'reviewer', owner: 'x', delegation: 'pending' }), ctx()),
    ).toEqual(['resolve', 'circulate']);
    expect(legalTaskOperations(reviewer, task({ assignee: 'reviewer' }), ctx({ instanceStatus: 'suspended' }))).toEqual(
      ['circulate'],
    );
  });

  it('shows a closed task to those who could have taken it, so a lost race reads as a conflict', () => {
    expect(maySeeTask(reviewer, task({ status: 'completed', assignee: 'other', completedBy: 'other' }), false)).toBe(
      true,
    );
    expect(
      legalTaskOperations(reviewer, task({ status: 'completed', assignee: 'other', completedBy: 'other' }), ctx()),
    ).toEqual([]);
  });

  it('gives instance operations to workflow.admin only', () => {
    expect(legalInstanceOperations(admin, 'running')).toEqual(['suspend', 'jump', 'terminate']);
    expect(legalInstanceOperations(admin, 'suspended')).toEqual(['resume', 'terminate']);
    expect(legalInstanceOperations(reviewer, 'running')).toEqual([]);
  });
});
