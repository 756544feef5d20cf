-- Feed to the provincial supervision system (docs/supervision.md § Feed). Case events are written
-- in the transaction of the change that causes them, without a cursor; a sequencer gives them
-- their cursor in commit order (under an advisory lock), so a reader paging `after=<cursor>`
-- never skips an event that committed late.
create table feed_events (
  id bigint generated always as identity primary key,
  -- assigned after commit, strictly increasing in the order events become visible
  cursor bigint unique,
  event_id uuid not null unique,
  type text not null,
  occurred_at timestamptz not null,
  payload jsonb not null
);
create index feed_events_unsequenced_idx on feed_events (id) where cursor is null;

-- Webhook delivery state per endpoint: everything up to delivered_upto has been acknowledged.
create table feed_push_state (
  endpoint text primary key,
  delivered_upto bigint not null default 0,
  attempts integer not null default 0,
  last_attempt_at timestamptz,
  last_error text,
  last_success_at timestamptz
);
