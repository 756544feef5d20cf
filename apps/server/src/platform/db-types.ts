import type { ColumnType, Generated } from 'kysely';

/** Kysely's view of the schema in apps/server/migrations. Keep in step with the SQL. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string | null, string | null>;

export interface DivisionsTable {
  code: string;
  name: string;
  level: 'province' | 'city' | 'county';
  parent_code: string | null;
}

export interface OrgUnitsTable {
  id: Generated<number>;
  parent_id: number | null;
  kind: 'province' | 'office' | 'city' | 'county' | 'township';
  name: string;
  division_code: string | null;
  path: ColumnType<string, string | undefined, string>;
  created_at: Generated<Date>;
}

export interface UsersTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  password_hash: string;
  org_id: number;
  disabled: ColumnType<boolean, boolean | undefined, boolean>;
  phone: string | null;
  email: string | null;
  failed_attempts: ColumnType<number, number | undefined, number>;
  locked_until: Date | null;
  must_change_password: ColumnType<boolean, boolean | undefined, boolean>;
  password_changed_at: Timestamp;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface UserRolesTable {
  user_id: number;
  role_key: string;
}

export interface SessionsTable {
  token_hash: string;
  user_id: number;
  created_at: Generated<Date>;
  expires_at: Date;
  last_seen_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface AuditLogTable {
  seq: Generated<string>;
  at: Date;
  actor_id: number | null;
  actor_name: string;
  ip: string | null;
  request_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: Json;
  after: Json;
  prev_hash: string;
  hash: string;
}

export interface GuotuMigrationsTable {
  name: string;
  applied_at: Generated<Date>;
}

export interface DB {
  divisions: DivisionsTable;
  org_units: OrgUnitsTable;
  users: UsersTable;
  user_roles: UserRolesTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
  guotu_migrations: GuotuMigrationsTable;
}
