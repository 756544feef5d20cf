-- SM2-signed checkpoints over the SM3 audit chain: each signs the chain hash at a sequence
-- number, so a rewrite of the chain before it (even one that recomputes every hash) is detected.
create table audit_checkpoints (
  id integer generated always as identity primary key,
  upto_seq bigint not null,
  chain_hash text not null,
  signed_at timestamptz not null default now(),
  -- SM2 signature (hex, r||s) over 'guotu-audit:<upto_seq>:<chain_hash>' with SM3 (Z value per GB/T 32918)
  signature text not null,
  public_key text not null
);
create index audit_checkpoints_seq_idx on audit_checkpoints (upto_seq);
