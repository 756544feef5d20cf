-- Working-day calendar years (bundled from the State Council notices, or imported by admins),
-- regional rest days, the editable time-limit rule table, and persisted clocks.

create table calendar_years (
  year integer primary key check (year between 1990 and 2200),
  -- the HolidayYear document (notice ref, holidays, makeup workdays) as validated by @guotu/domain
  data jsonb not null,
  origin text not null check (origin in ('bundled', 'imported')),
  imported_by integer references users(id),
  imported_at timestamptz not null default now()
);

create table regional_rest_days (
  id integer generated always as identity primary key,
  date date not null,
  name text not null,
  region text,
  created_at timestamptz not null default now(),
  unique (date, region)
);

create table time_limit_rules (
  key text primary key,
  name text not null,
  unit text not null check (unit in ('workday', 'day', 'hour')),
  limit_value integer not null check (limit_value > 0),
  extension integer check (extension is null or extension > 0),
  kind text not null check (kind in ('statutoryLimit', 'promisedLimit')),
  law text not null,
  article text not null,
  notes text,
  updated_at timestamptz not null default now(),
  updated_by integer references users(id)
);

-- One row per running or finished clock (per case, per tier, per step). The definition
-- (start, limit, pauses, extensions) is the truth; due_at/state are derived by @guotu/domain
-- and stored so supervision can query them with set-based SQL. Recomputed when the calendar changes.
create table clocks (
  id bigint generated always as identity primary key,
  subject_type text not null,
  subject_id text not null,
  purpose text not null,
  rule_key text references time_limit_rules(key),
  unit text not null check (unit in ('workday', 'day', 'hour')),
  started_at timestamptz not null,
  limit_value integer not null check (limit_value > 0),
  pauses jsonb not null default '[]',
  extensions jsonb not null default '[]',
  stopped_at timestamptz,
  due_at timestamptz,
  due_date date,
  -- why due_at is null although the clock runs: 'paused' (open pause) or 'calendarNotCovered'
  -- (the deadline falls in a year whose notice is not imported yet — never a guess)
  due_problem text check (due_problem in ('paused', 'calendarNotCovered')),
  computed_at timestamptz not null default now(),
  version integer not null default 1,
  unique (subject_type, subject_id, purpose)
);
create index clocks_open_due_idx on clocks (due_at) where stopped_at is null;
