-- Electronic supervision (电子监察): the instant each clock turns yellow is derived by
-- @guotu/domain (warningInstantMs) and stored, so classification is a set-based comparison.
alter table clocks add column warn_at timestamptz;
-- per-clock thresholds (from the matter's settings; defaults: 80 % elapsed or 1 unit left)
alter table clocks add column warn_fraction real not null default 0.8 check (warn_fraction > 0 and warn_fraction <= 1);
alter table clocks add column warn_remaining real not null default 1 check (warn_remaining >= 0);
create index clocks_open_warn_idx on clocks (warn_at) where stopped_at is null;

-- One row per (clock, level, deadline): the unique key makes "raise exactly once" hold across
-- restarts and any number of processes; a new deadline (an extension) can raise again.
create table clock_alerts (
  id bigint generated always as identity primary key,
  clock_id bigint not null references clocks(id) on delete cascade,
  level text not null check (level in ('warning', 'overdue')),
  due_at timestamptz not null,
  raised_at timestamptz not null,
  -- unresolved by then → escalate to the supervision office and the responsible leader
  escalate_at timestamptz,
  escalated_at timestamptz,
  resolved_at timestamptz,
  unique (clock_id, level, due_at)
);
create index clock_alerts_open_idx on clock_alerts (escalate_at) where resolved_at is null and escalated_at is null;
