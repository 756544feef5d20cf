import { orgKinds, permissions, roleKeys } from '@guotu/domain';

/** JSON Schemas shared by routes (and published in /openapi.json). */
export const errorSchema = {
  type: 'object',
  properties: {
    code: { type: 'string' },
    message: { type: 'string' },
    details: {
      type: 'array',
      items: {
        type: 'object',
        properties: { path: { type: 'string' }, line: { type: 'integer' }, message: { type: 'string' } },
      },
    },
    requestId: { type: 'string' },
  },
  required: ['code', 'message', 'details', 'requestId'],
} as const;

export const errorResponses = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
  409: errorSchema,
} as const;

export const idParams = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1 } },
  required: ['id'],
  additionalProperties: false,
} as const;

export const roleKeySchema = { type: 'string', enum: [...roleKeys] } as const;
export const orgKindSchema = { type: 'string', enum: [...orgKinds] } as const;
export const permissionSchema = { type: 'string', enum: [...permissions] } as const;

export const sessionUserSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    username: { type: 'string' },
    displayName: { type: 'string' },
    orgId: { type: 'integer' },
    orgName: { type: 'string' },
    orgKind: orgKindSchema,
    roles: { type: 'array', items: roleKeySchema },
    permissions: { type: 'array', items: permissionSchema },
    mustChangePassword: { type: 'boolean' },
  },
  required: [
    'id',
    'username',
    'displayName',
    'orgId',
    'orgName',
    'orgKind',
    'roles',
    'permissions',
    'mustChangePassword',
  ],
} as const;

export const orgUnitSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    parentId: { type: ['integer', 'null'] },
    kind: orgKindSchema,
    name: { type: 'string' },
    divisionCode: { type: ['string', 'null'] },
    path: { type: 'string' },
  },
  required: ['id', 'parentId', 'kind', 'name', 'divisionCode', 'path'],
} as const;

export const userSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    username: { type: 'string' },
    displayName: { type: 'string' },
    orgId: { type: 'integer' },
    orgName: { type: 'string' },
    roles: { type: 'array', items: roleKeySchema },
    disabled: { type: 'boolean' },
    phone: { type: ['string', 'null'] },
    email: { type: ['string', 'null'] },
    createdAt: { type: 'string', format: 'date-time' },
  },
  required: ['id', 'username', 'displayName', 'orgId', 'orgName', 'roles', 'disabled', 'phone', 'email', 'createdAt'],
} as const;
