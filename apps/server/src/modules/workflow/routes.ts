import type { FastifyInstance } from 'fastify';
import { requireActor, type AppContext } from '../../http/context.ts';
import { workflowDepsOf } from '../cases/wiring.ts';
import { errorResponses } from '../../http/schemas.ts';
import {
  deployDefinition,
  getDefinitionDetail,
  getInstance,
  getInstanceDiagram,
  getInstanceHistory,
  getTask,
  listDefinitions,
  listTasks,
  operateInstance,
  operateTask,
  startInstance,
  type WorkflowDeps,
} from './service.ts';
import {
  instanceOperations,
  taskOperations,
  type DeployDefinitionRequest,
  type InstanceOperation,
  type InstanceOperationRequest,
  type StartInstanceRequest,
  type TaskOperation,
  type TaskOperationRequest,
  type TaskView,
} from '@guotu/contracts';

const tags = ['workflow'];
const str = { type: 'string' } as const;
const strOrNull = { type: ['string', 'null'] } as const;
const anyJson = {} as const;
const variables = { type: 'object', additionalProperties: true, maxProperties: 200 } as const;
const taskIdParam = { type: 'string', pattern: '^[0-9]{1,18}$' } as const;
const instanceIdParam = { type: 'string', pattern: '^[0-9a-fA-F-]{36}$' } as const;
const definitionSummary = {
  type: 'object',
  properties: {
    key: str,
    version: { type: 'integer' },
    name: strOrNull,
    sha256: str,
    deployedAt: str,
    deployedBy: strOrNull,
  },
  required: ['key', 'version', 'name', 'sha256', 'deployedAt', 'deployedBy'],
} as const;
const openTask = {
  type: 'object',
  properties: {
    id: str,
    node: str,
    name: strOrNull,
    assignee: strOrNull,
    candidateRoles: { type: 'array', items: str },
    dueAt: strOrNull,
  },
  required: ['id', 'node', 'name', 'assignee', 'candidateRoles', 'dueAt'],
} as const;
const commandResponse = {
  type: 'object',
  properties: { instanceId: str, status: str, version: { type: 'integer' }, tasks: { type: 'array', items: openTask } },
  required: ['instanceId', 'status', 'version', 'tasks'],
} as const;
const taskListItem = {
  type: 'object',
  properties: {
    id: str,
    instanceId: str,
    businessKey: strOrNull,
    definitionKey: str,
    node: str,
    name: strOrNull,
    assignee: strOrNull,
    candidateRoles: { type: 'array', items: str },
    status: str,
    createdAt: str,
    completedAt: strOrNull,
    dueAt: strOrNull,
    decision: strOrNull,
    clockState: { type: ['string', 'null'], enum: ['normal', 'dueSoon', 'overdue', 'paused', null] },
    dueDate: strOrNull,
  },
  required: ['id', 'instanceId', 'node', 'status', 'createdAt', 'clockState', 'dueDate'],
} as const;

/** /api/v1/workflow: definitions, instances, tasks. Every handler calls one service function. */
export function workflowRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;
  // with the case listener: a case follows every command on its process (cases/wiring.ts)
  const deps: WorkflowDeps = workflowDepsOf(ctx);

  app.post<{ Body: DeployDefinitionRequest }>(
    '/api/v1/workflow/definitions',
    {
      config: { access: 'workflow.deploy' },
      schema: {
        summary: 'Deploy a BPMN 2.0 process definition (a new immutable version; the same XML again deploys nothing)',
        tags,
        body: {
          type: 'object',
          properties: {
            xml: { type: 'string', minLength: 1, maxLength: 900_000 },
            key: { type: 'string', pattern: '^[A-Za-z_][\\w.-]{0,63}$' },
          },
          required: ['xml'],
          additionalProperties: false,
        },
        response: {
          201: {
            type: 'object',
            properties: {
              ...definitionSummary.properties,
              deployed: { type: 'boolean' },
              warnings: { type: 'array', items: { type: 'object', properties: { path: str, message: str } } },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await deployDefinition(db, requireActor(request.actor), request.body)),
  );

  app.get(
    '/api/v1/workflow/definitions',
    {
      config: { access: 'workflow.read' },
      schema: {
        summary: 'Deployed process definitions: keys with their versions, newest first',
        tags,
        response: {
          200: {
            type: 'object',
            properties: {
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    key: str,
                    name: strOrNull,
                    latestVersion: { type: 'integer' },
                    versions: { type: 'array', items: definitionSummary },
                  },
                },
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => listDefinitions(db, requireActor(request.actor)),
  );

  app.get<{ Params: { key: string; version: number } }>(
    '/api/v1/workflow/definitions/:key/:version',
    {
      config: { access: 'workflow.read' },
      schema: {
        summary: 'One definition version with its BPMN XML (for the viewer)',
        tags,
        params: {
          type: 'object',
          properties: { key: { type: 'string', maxLength: 64 }, version: { type: 'integer', minimum: 1 } },
          required: ['key', 'version'],
        },
        response: {
          200: { type: 'object', properties: { ...definitionSummary.properties, xml: str } },
          ...errorResponses,
        },
      },
    },
    async (request) => getDefinitionDetail(db, requireActor(request.actor), request.params.key, request.params.version),
  );

  app.post<{ Body: StartInstanceRequest }>(
    '/api/v1/workflow/instances',
    {
      config: { access: 'workflow.read' },
      schema: {
        summary: 'Start a process instance (receiving a case: needs case.receive or workflow.admin)',
        tags,
        body: {
          type: 'object',
          properties: {
            key: { type: 'string', minLength: 1, maxLength: 64 },
            version: { type: 'integer', minimum: 1 },
            businessKey: { type: 'string', maxLength: 128 },
            variables,
            orgId: { type: 'integer', minimum: 1 },
          },
          required: ['key'],
          additionalProperties: false,
        },
        response: { 201: commandResponse, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await startInstance(deps, requireActor(request.actor), request.body)),
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/workflow/instances/:id',
    {
      config: { access: 'workflow.read' },
      schema: {
        summary: 'An instance: where its tokens are, its open tasks, its variables, the admin operations allowed',
        tags,
        params: { type: 'object', properties: { id: instanceIdParam }, required: ['id'] },
        response: {
          200: {
            type: 'object',
            properties: {
              id: str,
              definitionKey: str,
              definitionVersion: { type: 'integer' },
              status: str,
              businessKey: strOrNull,
              orgId: { type: 'integer' },
              startedAt: str,
              endedAt: strOrNull,
              version: { type: 'integer' },
              tokens: { type: 'array', items: { type: 'object', properties: { node: str, wait: strOrNull } } },
              tasks: { type: 'array', items: openTask },
              variables: { type: 'object', additionalProperties: true },
              error: anyJson,
              operations: { type: 'array', items: str },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => getInstance(db, requireActor(request.actor), request.params.id),
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/workflow/instances/:id/history',
    {
      config: { access: 'workflow.read' },
      schema: {
        summary: 'The append-only history of an instance: who did what when, with before/after',
        tags,
        params: { type: 'object', properties: { id: instanceIdParam }, required: ['id'] },
      },
    },
    async (request) => getInstanceHistory(db, requireActor(request.actor), request.params.id),
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/workflow/instances/:id/diagram',
    {
      config: { access: 'workflow.read' },
      schema: {
        summary:
          'BPMN XML of the instance version with active and completed node ids and the flows taken (for bpmn-js)',
        tags,
        params: { type: 'object', properties: { id: instanceIdParam }, required: ['id'] },
        response: {
          200: {
            type: 'object',
            properties: {
              key: str,
              version: { type: 'integer' },
              xml: str,
              activeNodeIds: { type: 'array', items: str },
              completedNodeIds: { type: 'array', items: str },
              takenFlowIds: { type: 'array', items: str },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => getInstanceDiagram(db, requireActor(request.actor), request.params.id),
  );

  app.post<{ Params: { id: string; operation: InstanceOperation }; Body: InstanceOperationRequest | undefined }>(
    '/api/v1/workflow/instances/:id/:operation',
    {
      config: { access: 'workflow.admin' },
      schema: {
        summary: 'Administer an instance: suspend (clocks pause), resume, jump (跳转) to a node, terminate — audited',
        tags,
        params: {
          type: 'object',
          properties: { id: instanceIdParam, operation: { type: 'string', enum: [...instanceOperations] } },
          required: ['id', 'operation'],
        },
        body: {
          type: ['object', 'null'],
          properties: {
            reason: { type: 'string', maxLength: 2000 },
            target: { type: 'string', maxLength: 128 },
            taskId: taskIdParam,
          },
          additionalProperties: false,
        },
        response: { 200: commandResponse, ...errorResponses },
      },
    },
    async (request) =>
      operateInstance(
        deps,
        requireActor(request.actor),
        request.params.id,
        request.params.operation,
        request.body ?? {},
      ),
  );

  app.get<{ Querystring: { view: TaskView; limit?: number; offset?: number } }>(
    '/api/v1/workflow/tasks',
    {
      config: { access: 'workflow.read' },
      schema: {
        summary:
          'Tasks: todo (待办: mine and claimable), done (已办: completed by me), org (open tasks of units in my scope); each with its step clock state (dueSoon, overdue, paused) and due date',
        tags,
        querystring: {
          type: 'object',
          properties: {
            view: { type: 'string', enum: ['todo', 'done', 'org'], default: 'todo' },
            limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
            offset: { type: 'integer', minimum: 0, default: 0 },
          },
          additionalProperties: false,
        },
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: taskListItem } }, required: ['items'] },
          ...errorResponses,
        },
      },
    },
    async (request) => listTasks(db, requireActor(request.actor), request.query),
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/workflow/tasks/:id',
    {
      config: { access: 'workflow.read' },
      schema: {
        summary: 'A task with the operations the caller may issue now and its legal return targets',
        tags,
        params: { type: 'object', properties: { id: taskIdParam }, required: ['id'] },
        response: {
          200: {
            type: 'object',
            properties: {
              ...taskListItem.properties,
              owner: strOrNull,
              delegation: strOrNull,
              orgId: { type: 'integer' },
              formKey: strOrNull,
              claimedAt: strOrNull,
              completedBy: strOrNull,
              opinion: strOrNull,
              instanceStatus: str,
              variables: { type: 'object', additionalProperties: true },
              operations: { type: 'array', items: str },
              returnTargets: { type: 'array', items: { type: 'object', properties: { node: str, name: str } } },
              circulations: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    id: str,
                    from: str,
                    to: { type: 'array', items: str },
                    message: strOrNull,
                    at: str,
                    readBy: { type: 'object', additionalProperties: str },
                  },
                },
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => getTask(db, requireActor(request.actor), request.params.id),
  );

  app.post<{ Params: { id: string; operation: TaskOperation }; Body: TaskOperationRequest | undefined }>(
    '/api/v1/workflow/tasks/:id/:operation',
    {
      config: { access: 'workflow.read' },
      schema: {
        summary:
          'Act on a task: complete (decision, opinion, variables), claim, unclaim, return, withdraw, transfer, delegate, resolve, addSigner, removeSigner, urge (SMS + in-app to the assignee or the candidates), circulate (in-app, SMS with sms: true), markRead',
        tags,
        params: {
          type: 'object',
          properties: { id: taskIdParam, operation: { type: 'string', enum: [...taskOperations] } },
          required: ['id', 'operation'],
        },
        body: {
          type: ['object', 'null'],
          properties: {
            decision: { type: 'string', maxLength: 64 },
            opinion: { type: 'string', maxLength: 4000 },
            variables,
            target: { type: 'string', maxLength: 128 },
            to: { type: 'string', maxLength: 64 },
            recipients: { type: 'array', items: { type: 'string', maxLength: 64 }, minItems: 1, maxItems: 100 },
            signer: { type: 'string', maxLength: 64 },
            message: { type: 'string', maxLength: 2000 },
            sms: { type: 'boolean' },
            circulationId: taskIdParam,
          },
          additionalProperties: false,
        },
        response: { 200: commandResponse, ...errorResponses },
      },
    },
    async (request) =>
      operateTask(deps, requireActor(request.actor), request.params.id, request.params.operation, request.body ?? {}),
  );
}
