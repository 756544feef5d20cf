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
  calendar_years: CalendarYearsTable;
  regional_rest_days: RegionalRestDaysTable;
  time_limit_rules: TimeLimitRulesTable;
  clocks: ClocksTable;
}

export interface CalendarYearsTable {
  year: number;
  data: ColumnType<unknown, string, string>;
  origin: 'bundled' | 'imported';
  imported_by: number | null;
  imported_at: Timestamp;
}

export interface RegionalRestDaysTable {
  id: Generated<number>;
  date: ColumnType<string, string, string>;
  name: string;
  region: string | null;
  created_at: Generated<Date>;
}

export interface TimeLimitRulesTable {
  key: string;
  name: string;
  unit: 'workday' | 'day' | 'hour';
  limit_value: number;
  extension: number | null;
  kind: 'statutoryLimit' | 'promisedLimit';
  law: string;
  article: string;
  notes: string | null;
  updated_at: Timestamp;
  updated_by: number | null;
}

export interface ClocksTable {
  id: Generated<string>;
  subject_type: string;
  subject_id: string;
  purpose: string;
  rule_key: string | null;
  unit: 'workday' | 'day' | 'hour';
  started_at: Date;
  limit_value: number;
  pauses: ColumnType<unknown, string | undefined, string>;
  extensions: ColumnType<unknown, string | undefined, string>;
  stopped_at: Date | null;
  due_at: Date | null;
  due_date: ColumnType<string | null, string | null, string | null>;
  due_problem: 'paused' | 'calendarNotCovered' | null;
  computed_at: Timestamp;
  version: ColumnType<number, number | undefined, number>;
}
