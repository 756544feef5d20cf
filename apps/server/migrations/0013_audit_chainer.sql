-- The audit chain is linked after commit by one chainer (ADR 0006): writers insert their record
-- inside their own transaction without waiting for each other; the chainer takes committed,
-- unlinked records in seq order, gives each the next chain position and SM3-links it.
alter table audit_log alter column prev_hash drop not null;
alter table audit_log alter column hash drop not null;
alter table audit_log add column chain_pos bigint unique;
create index audit_log_unchained_idx on audit_log (seq) where chain_pos is null;
alter table audit_checkpoints add column upto_pos bigint;
