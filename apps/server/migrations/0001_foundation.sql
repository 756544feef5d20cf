-- Foundation: administrative divisions, org units, users, sessions, the audit log.
-- Runs unchanged on PGlite and PostgreSQL (15+).

create table divisions (
  code text primary key check (code ~ '^[0-9]{6}$'),       -- GB/T 2260
  name text not null,
  level text not null check (level in ('province', 'city', 'county')),
  parent_code text references divisions(code)
);

create table org_units (
  id integer generated always as identity primary key,
  parent_id integer references org_units(id),
  kind text not null check (kind in ('province', 'office', 'city', 'county', 'township')),
  name text not null,
  division_code text references divisions(code),
  -- ancestors' ids and its own: '/1/5/42/'; scope checks use path prefix
  path text not null default '',
  created_at timestamptz not null default now(),
  unique (parent_id, name)
);
create index org_units_path_idx on org_units (path text_pattern_ops);
create unique index org_units_division_bureau_idx on org_units (division_code) where kind in ('province', 'city', 'county');

create table users (
  id integer generated always as identity primary key,
  username text not null unique check (username ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
  display_name text not null,
  password_hash text not null,
  org_id integer not null references org_units(id),
  disabled boolean not null default false,
  phone text,
  email text,
  failed_attempts integer not null default 0,
  locked_until timestamptz,
  must_change_password boolean not null default false,
  password_changed_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index users_org_idx on users (org_id);

create table user_roles (
  user_id integer not null references users(id) on delete cascade,
  role_key text not null,
  primary key (user_id, role_key)
);

create table sessions (
  -- SHA-256 of the cookie token: a database leak does not leak sessions
  token_hash text primary key,
  user_id integer not null references users(id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  last_seen_at timestamptz not null default now(),
  ip text,
  user_agent text
);
create index sessions_user_idx on sessions (user_id);

-- Append-only, chained by SM3: hash = SM3(prev_hash || canonical JSON of the row).
create table audit_log (
  seq bigint generated always as identity primary key,
  at timestamptz not null,
  actor_id integer,
  actor_name text not null,
  ip text,
  request_id text,
  action text not null,
  entity_type text not null,
  entity_id text,
  before jsonb,
  after jsonb,
  prev_hash text not null,
  hash text not null unique
);
create index audit_log_entity_idx on audit_log (entity_type, entity_id);
