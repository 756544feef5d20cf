import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TestApp } from '../../../test/harness.ts';
import type { CommandResponse, TaskDetail, TaskListItem } from '@guotu/contracts';

/** HTTP helpers for the workflow scenario tests (app.inject with demo users). */

export const fixture = (name: string): string => readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');

export interface Reply<T> {
  status: number;
  body: T;
}

export function workflowClient(t: TestApp) {
  const sessions = new Map<string, Record<string, string>>();
  async function headers(user: string): Promise<Record<string, string>> {
    let h = sessions.get(user);
    if (!h) {
      h = (await t.login(user)).headers;
      sessions.set(user, h);
    }
    return h;
  }
  async function call<T>(user: string, method: 'GET' | 'POST', url: string, payload?: object): Promise<Reply<T>> {
    const r = await t.app.inject({ method, url, headers: await headers(user), ...(payload ? { payload } : {}) });
    return { status: r.statusCode, body: r.json<T>() };
  }
  return {
    call,
    deploy: (user: string, xml: string, key?: string) =>
      call<{ key: string; version: number; deployed: boolean; code?: string; details?: Array<{ path: string }> }>(
        user,
        'POST',
        '/api/v1/workflow/definitions',
        { xml, ...(key ? { key } : {}) },
      ),
    start: (user: string, body: object) =>
      call<CommandResponse & { code?: string }>(user, 'POST', '/api/v1/workflow/instances', body),
    todo: async (user: string) =>
      (await call<{ items: TaskListItem[] }>(user, 'GET', '/api/v1/workflow/tasks?view=todo')).body.items,
    done: async (user: string) =>
      (await call<{ items: TaskListItem[] }>(user, 'GET', '/api/v1/workflow/tasks?view=done')).body.items,
    task: (user: string, id: string) =>
      call<TaskDetail & { code?: string }>(user, 'GET', `/api/v1/workflow/tasks/${id}`),
    op: (user: string, id: string, operation: string, body: object = {}) =>
      call<CommandResponse & { code?: string; message?: string }>(
        user,
        'POST',
        `/api/v1/workflow/tasks/${id}/${operation}`,
        body,
      ),
    admin: (user: string, instanceId: string, operation: string, body: object = {}) =>
      call<CommandResponse & { code?: string }>(
        user,
        'POST',
        `/api/v1/workflow/instances/${instanceId}/${operation}`,
        body,
      ),
    instance: (user: string, id: string) =>
      call<{
        status: string;
        tasks: Array<{ id: string; node: string; assignee: string | null; dueAt: string | null }>;
        variables: Record<string, unknown>;
        tokens: Array<{ node: string }>;
        code?: string;
      }>(user, 'GET', `/api/v1/workflow/instances/${id}`),
  };
}

/** The open task of an instance at a node (from a command response). */
export function taskAt(response: CommandResponse, node: string): string {
  const found = response.tasks.find((x) => x.node === node);
  if (!found) throw new Error(`no open task at ${node}; open: ${response.tasks.map((x) => x.node).join(', ')}`);
  return found.id;
}
