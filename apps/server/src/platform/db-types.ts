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
  prev_hash: string | null;
  hash: string | null;
  chain_pos: string | null;
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
  audit_checkpoints: AuditCheckpointsTable;
  guotu_migrations: GuotuMigrationsTable;
  calendar_years: CalendarYearsTable;
  regional_rest_days: RegionalRestDaysTable;
  time_limit_rules: TimeLimitRulesTable;
  clocks: ClocksTable;
  clock_alerts: ClockAlertsTable;
  notification_templates: NotificationTemplatesTable;
  notification_outbox: NotificationOutboxTable;
  notification_sms_parts: NotificationSmsPartsTable;
  wf_definitions: WfDefinitionsTable;
  wf_instances: WfInstancesTable;
  wf_scopes: WfScopesTable;
  wf_variables: WfVariablesTable;
  wf_tokens: WfTokensTable;
  wf_tasks: WfTasksTable;
  wf_timers: WfTimersTable;
  wf_subscriptions: WfSubscriptionsTable;
  wf_completions: WfCompletionsTable;
  wf_circulations: WfCirculationsTable;
  wf_circulation_reads: WfCirculationReadsTable;
  wf_history: WfHistoryTable;
  matters: MattersTable;
  matter_versions: MatterVersionsTable;
  blobs: BlobsTable;
  blob_refs: BlobRefsTable;
  applicants: ApplicantsTable;
  applicant_login_codes: ApplicantLoginCodesTable;
  applicant_sessions: ApplicantSessionsTable;
  cases: CasesTable;
  case_materials: CaseMaterialsTable;
  case_supplements: CaseSupplementsTable;
  case_documents: CaseDocumentsTable;
  case_events: CaseEventsTable;
  case_counters: CaseCountersTable;
  case_fees: CaseFeesTable;
}

// ---- cases (0014_cases.sql) ----------------------------------------------------------------

export interface CasesTable {
  id: Generated<number>;
  matter_code: string;
  matter_version: number;
  status:
    | 'draft'
    | 'submitted'
    | 'supplementRequested'
    | 'inReview'
    | 'refused'
    | 'decided'
    | 'issued'
    | 'archived'
    | 'withdrawn';
  channel: 'online' | 'window' | 'remote';
  applicant_id: number | null;
  applicant_name: string;
  applicant_phone: string | null;
  org_id: number;
  tier: 'county' | 'city' | 'province' | null;
  current_org_id: number | null;
  title: string;
  form: ColumnType<unknown, string | undefined, string>;
  parcel: Json;
  analysis: Json;
  case_number: string | null;
  query_code_hash: string | null;
  received_at: Date | null;
  accepted_at: Date | null;
  accepted_by_default: ColumnType<boolean, boolean | undefined, boolean>;
  decided_at: Date | null;
  decision: 'approved' | 'disapproved' | null;
  decision_reason: string | null;
  issued_at: Date | null;
  document_number: string | null;
  archived_at: Date | null;
  archive_sha256: string | null;
  expedite: ColumnType<boolean, boolean | undefined, boolean>;
  expedite_tracker_id: number | null;
  workflow_instance_id: string | null;
  created_by: number | null;
  created_at: Generated<Date>;
  updated_at: Timestamp;
  version: ColumnType<number, number | undefined, number>;
}

export interface CaseMaterialsTable {
  id: Generated<number>;
  case_id: number;
  material_key: string;
  blob_ref_id: number;
  round: ColumnType<number, number | undefined, number>;
  added_at: Generated<Date>;
  removed_at: Date | null;
}

export interface CaseSupplementsTable {
  id: Generated<number>;
  case_id: number;
  round: number;
  items: ColumnType<unknown, string, string>;
  note: string | null;
  requested_at: Date;
  requested_by: number | null;
  resolved_at: Date | null;
}

export interface CaseDocumentsTable {
  id: Generated<number>;
  case_id: number;
  kind: 'acceptanceNotice' | 'supplementNotice' | 'refusalDecision' | 'approvalReply' | 'disapprovalDecision';
  number: string | null;
  sha256: string;
  verification_code: string;
  issued_at: Date;
  issued_by: number | null;
  issuer_org_id: number;
}

export interface CaseEventsTable {
  id: Generated<string>;
  case_id: number;
  at: Date;
  type: string;
  tier: 'county' | 'city' | 'province' | null;
  org_id: number | null;
  actor_kind: 'staff' | 'applicant' | 'system';
  actor_id: number | null;
  actor_name: string;
  data: ColumnType<unknown, string | undefined, string>;
}

export interface CaseCountersTable {
  org_id: number;
  year: number;
  kind: string;
  last: ColumnType<number, number | undefined, number>;
}

// ---- fees recorded on a case (0018_case_fees.sql) --------------------------------------------

export interface CaseFeesTable {
  id: Generated<number>;
  case_id: number;
  item_name: string;
  basis: string | null;
  /** numeric(14,2): the driver gives it as text ("200.00"); written as a number or text */
  amount: ColumnType<string, string | number, string | number>;
  collected_at: Timestamp;
  recorded_by: number;
  note: string | null;
  // 0019: a fee is never edited in place; it is voided (once) and a corrected one may name it
  voided_at: Date | null;
  voided_by: number | null;
  void_reason: string | null;
  corrects: number | null;
}

export interface MattersTable {
  code: string;
  created_at: Generated<Date>;
  created_by: number | null;
}

export interface MatterVersionsTable {
  id: Generated<number>;
  code: string;
  version: number;
  status: 'draft' | 'published';
  name: string;
  category: string;
  levels: string[];
  spec: ColumnType<unknown, string, string>;
  sha256: string;
  created_by: number | null;
  created_at: Generated<Date>;
  updated_at: Timestamp;
  published_by: number | null;
  published_at: Date | null;
}

export interface BlobsTable {
  sha256: string;
  size: ColumnType<string, number, number>;
  detected_type: string;
  created_at: Generated<Date>;
}

export interface BlobRefsTable {
  id: Generated<number>;
  sha256: string;
  original_name: string;
  created_by: number | null;
  created_by_applicant: number | null;
  created_at: Generated<Date>;
}

export interface ApplicantsTable {
  id: Generated<number>;
  phone: string;
  kind: 'enterprise' | 'government' | 'citizen' | null;
  name: string | null;
  credit_code: string | null;
  id_number: string | null;
  contact_name: string | null;
  email: string | null;
  created_at: Generated<Date>;
  updated_at: Timestamp;
  last_login_at: Date | null;
}

export interface ApplicantLoginCodesTable {
  id: Generated<number>;
  phone: string;
  code_hash: string;
  expires_at: Date;
  attempts: ColumnType<number, number | undefined, number>;
  consumed_at: Date | null;
  ip: string | null;
  created_at: Generated<Date>;
}

export interface ApplicantSessionsTable {
  token_hash: string;
  applicant_id: number;
  created_at: Generated<Date>;
  expires_at: Date;
  ip: string | null;
  user_agent: string | null;
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
  warn_at: Date | null;
  warn_fraction: ColumnType<number, number | undefined, number>;
  warn_remaining: ColumnType<number, number | undefined, number>;
  computed_at: Timestamp;
  version: ColumnType<number, number | undefined, number>;
}

// Workflow (migrations/0003_workflow.sql). jsonb columns are written as JSON text.
type JsonIn = ColumnType<unknown, string, string>;
type JsonOpt = ColumnType<unknown, string | undefined, string>;

export interface WfDefinitionsTable {
  key: string;
  version: number;
  name: string | null;
  xml: string;
  compiled: JsonIn;
  sha256: string;
  deployed_by: number | null;
  deployed_at: Timestamp;
}

export interface WfInstancesTable {
  id: string;
  definition_key: string;
  definition_version: number;
  status: 'running' | 'suspended' | 'completed' | 'terminated' | 'failed';
  business_key: string | null;
  org_id: number;
  started_by: number | null;
  started_at: Timestamp;
  ended_at: Date | null;
  version: ColumnType<number, number | undefined, number>;
  seq: number;
  root_scope: string;
  error: Json;
}

export interface WfScopesTable {
  instance_id: string;
  scope_key: string;
  kind: string;
  container: string;
  parent_token: string | null;
  data: JsonOpt;
}

export interface WfVariablesTable {
  instance_id: string;
  scope_key: string;
  name: string;
  value: JsonIn;
}

export interface WfTokensTable {
  instance_id: string;
  token_key: string;
  node: string;
  scope_key: string;
  data: JsonOpt;
}

export interface WfTasksTable {
  id: Generated<string>;
  instance_id: string;
  task_key: string;
  node: string;
  name: string | null;
  assignee: string | null;
  owner: string | null;
  delegation: 'pending' | 'resolved' | null;
  candidate_roles: ColumnType<string[], string[] | undefined, string[]>;
  org_id: number;
  org_path: string;
  form_key: string | null;
  status: 'open' | 'completed' | 'cancelled';
  created_at: Timestamp;
  claimed_at: Date | null;
  completed_at: Date | null;
  completed_by: string | null;
  decision: string | null;
  opinion: string | null;
  due_at: Date | null;
  clock_id: string | null;
  data: JsonOpt;
}

export interface WfTimersTable {
  id: Generated<string>;
  instance_id: string;
  timer_key: string;
  node: string;
  token_key: string;
  due_at: Date | null;
  spec: JsonIn;
  iteration: number;
  remaining: ColumnType<number, number | undefined, number>;
  status: 'pending' | 'fired' | 'cancelled';
  fired_at: Date | null;
}

export interface WfSubscriptionsTable {
  instance_id: string;
  subscription_key: string;
  kind: 'message' | 'signal';
  name: string;
  node: string;
  token_key: string;
}

export interface WfCompletionsTable {
  instance_id: string;
  task_key: string;
  node: string;
  scope_key: string;
  completed_by: string;
  created_tasks: string[];
  vars: Json;
}

export interface WfCirculationsTable {
  id: Generated<string>;
  instance_id: string;
  circulation_key: string;
  task_key: string | null;
  from_user: string;
  to_users: string[];
  message: string | null;
  at: Date;
}

export interface WfCirculationReadsTable {
  circulation_id: string;
  username: string;
  read_at: Date;
}

export interface WfHistoryTable {
  id: Generated<string>;
  instance_id: string;
  at: Date;
  type: string;
  node: string | null;
  task_key: string | null;
  by_user: string | null;
  decision: string | null;
  opinion: string | null;
  detail: Json;
  before: Json;
  after: Json;
  request_id: string | null;
}

export interface AuditCheckpointsTable {
  id: Generated<number>;
  upto_seq: string;
  chain_hash: string;
  signed_at: Generated<Date>;
  signature: string;
  public_key: string;
  upto_pos: string | null;
}

// Notifications (migrations/0005_notifications.sql)
export interface NotificationTemplatesTable {
  event: string;
  channel: 'sms' | 'email' | 'inApp';
  subject: string | null;
  body: string;
  updated_at: Timestamp;
  updated_by: number | null;
}

export interface NotificationOutboxTable {
  id: Generated<number>;
  idempotency_key: string;
  event: string;
  channel: 'sms' | 'email' | 'inApp';
  user_id: number | null;
  address: string | null;
  subject: string | null;
  body: string;
  status: 'queued' | 'sending' | 'sent' | 'delivered' | 'failed';
  transport: 'smpp' | 'smtp' | 'store' | 'inApp' | null;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  provider_message_id: string | null;
  sms_parts: number | null;
  job_id: string | null;
  created_at: Generated<Date>;
  updated_at: Timestamp;
  sending_at: Date | null;
  sent_at: Date | null;
  delivered_at: Date | null;
  failed_at: Date | null;
  read_at: Date | null;
  /** 0019: the org unit the message was caused in (outbox scope); null = top-level admins only */
  org_id: number | null;
}

export interface NotificationSmsPartsTable {
  smsc_message_id: string;
  outbox_id: number | null;
  part_no: number | null;
  submitted_at: Date | null;
  receipt_state: string | null;
  receipt_error: string | null;
  receipt_at: Date | null;
}

export interface ClockAlertsTable {
  id: Generated<string>;
  clock_id: string;
  level: 'warning' | 'overdue';
  due_at: Date;
  raised_at: Date;
  escalate_at: Date | null;
  escalated_at: Date | null;
  resolved_at: Date | null;
}
