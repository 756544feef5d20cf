-- Supervision orders (督办单), explanation requests (说明原因) and rectifications (限期整改):
-- issued by the supervision office to an office, answered by that office, accepted (closed) or
-- sent back by the supervision office. Each is on its own working-day clock (clocks row with
-- subject_type 'supervision_order'), so the ordinary yellow/red classification watches it too.
create table supervision_orders (
  id bigint generated always as identity primary key,
  -- 督-2026-0001 / 说-… / 改-…, unique per kind and year
  number text not null unique,
  kind text not null check (kind in ('supervisionOrder', 'explanation', 'rectification')),
  org_id integer not null references org_units(id),
  case_number text,
  -- what the order is about, e.g. ('clock_alert', '17') or ('wf_instance', '<uuid>')
  subject_type text,
  subject_id text,
  reason text not null,
  reply_working_days integer not null check (reply_working_days between 1 and 60),
  status text not null check (status in ('issued', 'replied', 'closed')),
  -- the clock currently running for the office's answer (a new one after each send-back)
  clock_id bigint references clocks(id),
  rounds integer not null default 1,
  issued_by integer not null references users(id),
  issued_at timestamptz not null,
  reply text,
  replied_by integer references users(id),
  replied_at timestamptz,
  closed_by integer references users(id),
  closed_at timestamptz,
  close_note text,
  -- whether the final answer came within its limit (set when the order closes)
  replied_on_time boolean,
  version integer not null default 1
);
create index supervision_orders_org_idx on supervision_orders (org_id, status);
create index supervision_orders_issued_idx on supervision_orders (issued_at);

-- Append-only history of each order: issued, replied, sentBack, closed.
create table supervision_order_events (
  id bigint generated always as identity primary key,
  order_id bigint not null references supervision_orders(id) on delete cascade,
  at timestamptz not null,
  action text not null check (action in ('issued', 'replied', 'sentBack', 'closed')),
  by_user integer references users(id),
  note text
);
create index supervision_order_events_order_idx on supervision_order_events (order_id, id);

-- Runtime-tunable supervision settings (efficiency score weights …), edited by supervision.act.
create table supervision_settings (
  key text primary key,
  value jsonb not null,
  updated_at timestamptz not null default now(),
  updated_by integer references users(id)
);
-- Efficiency score = 100 × Σ weight·component / Σ weight, components in [0, 1]:
-- onTime = share of steps finished within their limit, noWarning = 1 − share of steps with a
-- yellow or red card, speed = 1 − min(1, average used / limit), orders = 1 − share of orders late.
insert into supervision_settings (key, value) values
  ('efficiencyWeights', '{"onTime": 0.5, "noWarning": 0.2, "speed": 0.2, "orders": 0.1}');
