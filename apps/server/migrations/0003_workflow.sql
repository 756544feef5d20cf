-- Workflow runtime (docs/workflow.md). Relational state of process instances driven by the pure
-- engine (@guotu/engine): each command locks the instance row, rebuilds the engine state from
-- these rows, steps it, and writes the difference back — one transaction with audit and jobs.
-- Engine-internal ids (t3, k7, m2 …) are unique per instance only; they are kept as `*_key`.

-- Deployed definitions: immutable per (key, version); the XML is kept for the viewer.
create table wf_definitions (
  key text not null,
  version integer not null check (version > 0),
  name text,
  xml text not null,
  compiled jsonb not null,
  sha256 text not null,
  deployed_by integer references users(id),
  deployed_at timestamptz not null default now(),
  primary key (key, version)
);

create table wf_instances (
  id uuid primary key,
  definition_key text not null,
  definition_version integer not null,
  status text not null check (status in ('running', 'suspended', 'completed', 'terminated', 'failed')),
  business_key text,
  org_id integer not null references org_units(id),
  started_by integer references users(id),
  started_at timestamptz not null default now(),
  ended_at timestamptz,
  -- optimistic-lock counter, +1 per command (the row lock serialises writers; the version lets
  -- a client say "I saw version n")
  version integer not null default 1,
  -- the engine's id counter and root scope; `error` for failed instances
  seq integer not null,
  root_scope text not null,
  error jsonb,
  foreign key (definition_key, definition_version) references wf_definitions(key, version)
);
create index wf_instances_business_key_idx on wf_instances (business_key);
create index wf_instances_org_idx on wf_instances (org_id, status);

create table wf_scopes (
  instance_id uuid not null references wf_instances(id) on delete cascade,
  scope_key text not null,
  kind text not null,
  container text not null,
  parent_token text,
  -- def (called definition key@version) and mi (multi-instance counters)
  data jsonb not null default '{}',
  primary key (instance_id, scope_key)
);

-- One row per process variable.
create table wf_variables (
  instance_id uuid not null references wf_instances(id) on delete cascade,
  scope_key text not null,
  name text not null,
  value jsonb not null,
  primary key (instance_id, scope_key, name)
);

create table wf_tokens (
  instance_id uuid not null references wf_instances(id) on delete cascade,
  token_key text not null,
  node text not null,
  scope_key text not null,
  -- via, wait, mi, vars (local variables), job, attempt
  data jsonb not null default '{}',
  primary key (instance_id, token_key)
);

create table wf_tasks (
  id bigint generated always as identity primary key,
  instance_id uuid not null references wf_instances(id) on delete cascade,
  task_key text not null,
  node text not null,
  name text,
  assignee text,
  owner text,
  delegation text check (delegation in ('pending', 'resolved')),
  candidate_roles text[] not null default '{}',
  -- the org unit whose members (with a candidate role) may take the task, and its path
  org_id integer not null references org_units(id),
  org_path text not null,
  form_key text,
  status text not null check (status in ('open', 'completed', 'cancelled')),
  created_at timestamptz not null,
  claimed_at timestamptz,
  completed_at timestamptz,
  completed_by text,
  decision text,
  opinion text,
  due_at timestamptz,
  clock_id bigint references clocks(id),
  -- token, claimed, orgScope, timeLimit, calendar (the rest of the engine's Task)
  data jsonb not null default '{}',
  unique (instance_id, task_key)
);
create index wf_tasks_open_assignee_idx on wf_tasks (assignee) where status = 'open';
create index wf_tasks_open_roles_idx on wf_tasks using gin (candidate_roles) where status = 'open';
create index wf_tasks_completed_by_idx on wf_tasks (completed_by, completed_at desc);
create index wf_tasks_org_path_idx on wf_tasks (org_path text_pattern_ops);

create table wf_timers (
  id bigint generated always as identity primary key,
  instance_id uuid not null references wf_instances(id) on delete cascade,
  timer_key text not null,
  node text not null,
  token_key text not null,
  due_at timestamptz,
  spec jsonb not null,
  iteration integer not null,
  remaining integer not null default 0,
  status text not null check (status in ('pending', 'fired', 'cancelled')),
  fired_at timestamptz,
  unique (instance_id, timer_key)
);
create index wf_timers_pending_idx on wf_timers (due_at) where status = 'pending';

create table wf_subscriptions (
  instance_id uuid not null references wf_instances(id) on delete cascade,
  subscription_key text not null,
  kind text not null check (kind in ('message', 'signal')),
  name text not null,
  node text not null,
  token_key text not null,
  primary key (instance_id, subscription_key)
);
create index wf_subscriptions_name_idx on wf_subscriptions (kind, name);

-- What each completed user task created (for 撤回 withdraw).
create table wf_completions (
  instance_id uuid not null references wf_instances(id) on delete cascade,
  task_key text not null,
  node text not null,
  scope_key text not null,
  completed_by text not null,
  created_tasks text[] not null,
  vars jsonb,
  primary key (instance_id, task_key)
);

-- 传阅/抄送 and their read receipts.
create table wf_circulations (
  id bigint generated always as identity primary key,
  instance_id uuid not null references wf_instances(id) on delete cascade,
  circulation_key text not null,
  task_key text,
  from_user text not null,
  to_users text[] not null,
  message text,
  at timestamptz not null,
  unique (instance_id, circulation_key)
);
create index wf_circulations_to_idx on wf_circulations using gin (to_users);

create table wf_circulation_reads (
  circulation_id bigint not null references wf_circulations(id) on delete cascade,
  username text not null,
  read_at timestamptz not null,
  primary key (circulation_id, username)
);

-- Append-only: every engine history entry, with who, when, what, and the instance before/after.
create table wf_history (
  id bigint generated always as identity primary key,
  instance_id uuid not null references wf_instances(id) on delete cascade,
  at timestamptz not null,
  type text not null,
  node text,
  task_key text,
  by_user text,
  decision text,
  opinion text,
  detail jsonb,
  before jsonb,
  after jsonb,
  request_id text
);
create index wf_history_instance_idx on wf_history (instance_id, id);
