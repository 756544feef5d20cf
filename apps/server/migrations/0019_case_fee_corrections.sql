-- Corrections of recorded fees (docs/cases.md § Fees) and the org unit of each outbox message
-- (docs/notifications.md § Scope).

-- A fee record is a financial record: it is never edited in place. A mistake is corrected by
-- voiding the record (who, when, why) and, when money was in fact taken, recording the right one
-- that names the record it corrects. Voided records stay on the case and are ignored by the
-- supervision rule feeOutsideRules.
alter table case_fees add column voided_at timestamptz;
alter table case_fees add column voided_by integer references users(id);
alter table case_fees add column void_reason text;
-- on the corrected record: the voided record it replaces (at most one correction per record)
alter table case_fees add column corrects integer unique references case_fees(id);
alter table case_fees add constraint case_fees_void_complete check (
  (voided_at is null and voided_by is null and void_reason is null)
  or (voided_at is not null and voided_by is not null and btrim(coalesce(void_reason, '')) <> '')
);

-- Enforced here too, so no code path (or hand-written SQL) can rewrite money taken: the only
-- change a fee record takes is being voided, once; it is never deleted.
create function case_fees_immutable() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    raise exception 'fee record % is a financial record and cannot be deleted; void it', old.id;
  end if;
  if old.voided_at is not null then
    raise exception 'fee record % is voided and cannot change', old.id;
  end if;
  if new.id <> old.id or new.case_id <> old.case_id or new.item_name <> old.item_name
     or new.basis is distinct from old.basis or new.amount <> old.amount
     or new.collected_at <> old.collected_at or new.recorded_by <> old.recorded_by
     or new.note is distinct from old.note or new.corrects is distinct from old.corrects then
    raise exception 'fee record % cannot be edited in place; void it and record the correct one', old.id;
  end if;
  return new;
end
$$;

create trigger case_fees_immutable before update or delete on case_fees
  for each row execute function case_fees_immutable();

-- The outbox, scoped like every other read: the org unit the message was caused in (the caller's
-- orgId, else the recipient user's unit). Null for a message with neither (an applicant's login
-- code): such rows are shown to the admins of a top-level unit only.
alter table notification_outbox add column org_id integer references org_units(id);
update notification_outbox o set org_id = u.org_id from users u where u.id = o.user_id;
create index notification_outbox_org on notification_outbox (org_id, id desc);
