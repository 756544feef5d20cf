-- Cases (办件): one application from draft to archive, docs/cases.md. One case, one number,
-- one history across the tiers of a remote submission (县 → 市 → 省).

create table cases (
  id integer generated always as identity primary key,
  -- the matter version the applicant applied under (published versions are immutable)
  matter_code text not null,
  matter_version integer not null,
  status text not null check (status in (
    'draft', 'submitted', 'supplementRequested', 'inReview', 'refused', 'decided', 'issued', 'archived', 'withdrawn'
  )),
  channel text not null check (channel in ('online', 'window', 'remote')),
  -- the applicant: an account on the portal, or a name and phone taken at the window
  applicant_id integer references applicants(id),
  applicant_name text not null,
  applicant_phone text,
  -- the bureau the application was made to (receives and accepts); the case is org-scoped by it
  org_id integer not null references org_units(id),
  -- the tier holding the case now and its bureau (remote submission moves both up and back)
  tier text check (tier in ('county', 'city', 'province')),
  current_org_id integer references org_units(id),
  title text not null,
  form jsonb not null default '{}',
  -- the parsed boundary coordinate file and its overlay report, recomputed when the file changes
  parcel jsonb,
  analysis jsonb,
  -- given at acceptance: <division code>-<year>-<6-digit sequence>, gapless per bureau and year
  case_number text unique,
  -- HMAC of the query code (the applicant has it on the 受理通知书 and by SMS)
  query_code_hash text,
  received_at timestamptz,
  accepted_at timestamptz,
  -- accepted by the law's default (行政许可法 §32: no decision within 5 days = accepted on receipt)
  accepted_by_default boolean not null default false,
  decided_at timestamptz,
  decision text check (decision in ('approved', 'disapproved')),
  decision_reason text,
  issued_at timestamptz,
  document_number text unique,
  archived_at timestamptz,
  archive_sha256 text,
  -- 特事特办: the promised 7-working-day limit and a named tracker
  expedite boolean not null default false,
  expedite_tracker_id integer references users(id),
  workflow_instance_id uuid,
  created_by integer references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  foreign key (matter_code, matter_version) references matter_versions (code, version),
  check ((case_number is null) = (accepted_at is null)),
  check (status not in ('refused', 'decided', 'issued', 'archived') or received_at is not null)
);
create index cases_org on cases (org_id, status);
create index cases_current_org on cases (current_org_id, status);
create index cases_applicant on cases (applicant_id, id desc);
create index cases_status on cases (status, id desc);

-- The materials of a case: one row per attached file (a blob reference) for one material of the
-- matter. A supplement adds rows in a later round; a replaced file is kept and marked.
create table case_materials (
  id integer generated always as identity primary key,
  case_id integer not null references cases(id),
  material_key text not null,
  blob_ref_id integer not null references blob_refs(id),
  -- 0 = the first submission, 1, 2 … = the supplements
  round integer not null default 0,
  added_at timestamptz not null default now(),
  removed_at timestamptz
);
create index case_materials_case on case_materials (case_id) where removed_at is null;

-- Supplement requests (补正): the one complete list of what is missing, and when it was met.
create table case_supplements (
  id integer generated always as identity primary key,
  case_id integer not null references cases(id),
  round integer not null,
  items jsonb not null,
  note text,
  requested_at timestamptz not null,
  requested_by integer references users(id),
  resolved_at timestamptz,
  unique (case_id, round)
);

-- Documents issued on a case (受理通知书, 补正通知书, 不予受理决定书, 批复 …) as PDF blobs, each with
-- a verification code the portal checks.
create table case_documents (
  id integer generated always as identity primary key,
  case_id integer not null references cases(id),
  kind text not null check (kind in (
    'acceptanceNotice', 'supplementNotice', 'refusalDecision', 'approvalReply', 'disapprovalDecision'
  )),
  -- 文号 where the kind has one (the 批复); else the case number or receipt reference
  number text,
  sha256 text not null references blobs(sha256),
  verification_code text not null unique,
  issued_at timestamptz not null,
  issued_by integer references users(id),
  issuer_org_id integer not null references org_units(id)
);
create index case_documents_case on case_documents (case_id);

-- The case's timeline: every step, at every tier, by whom; the public progress query reads the
-- public part of it (no names of staff).
create table case_events (
  id bigint generated always as identity primary key,
  case_id integer not null references cases(id),
  at timestamptz not null,
  type text not null,
  tier text,
  org_id integer references org_units(id),
  actor_kind text not null check (actor_kind in ('staff', 'applicant', 'system')),
  actor_id integer,
  actor_name text not null,
  data jsonb not null default '{}'
);
create index case_events_case on case_events (case_id, id);

-- Gapless counters (case numbers, document numbers): incremented under the row lock in the
-- transaction that uses the number, so a rollback gives the number back.
create table case_counters (
  org_id integer not null references org_units(id),
  year integer not null,
  kind text not null,
  last integer not null default 0,
  primary key (org_id, year, kind)
);
