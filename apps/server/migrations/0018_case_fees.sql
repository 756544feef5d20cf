-- Fees recorded on a case (收费登记), docs/cases.md § Fees. Each row is money the window took for
-- the case; supervision compares it with the matter version the case was applied under
-- (matter_versions.spec->'fees') — rule feeOutsideRules, docs/supervision.md § Anomalies.

create table case_fees (
  id integer generated always as identity primary key,
  case_id integer not null references cases(id),
  -- the fee item as named by the matter (or as written at the window when it names none)
  item_name text not null check (btrim(item_name) <> ''),
  -- the charging basis (文件依据); the matter's item basis when the window gave none
  basis text,
  amount numeric(14, 2) not null check (amount > 0),
  collected_at timestamptz not null,
  recorded_by integer not null references users(id),
  note text
);
create index case_fees_case on case_fees (case_id, id);
