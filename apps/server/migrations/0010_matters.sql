-- Matter catalog (事项 / 权力清单 / 办事指南): docs/matters.md.
-- A matter is identified by its code; its content lives in versions. A published version is
-- immutable (a case keeps the version it was submitted under); at most one draft per matter.

create table matters (
  code text primary key,
  created_at timestamptz not null default now(),
  created_by integer references users(id)
);

create table matter_versions (
  id integer generated always as identity primary key,
  code text not null references matters(code),
  -- 1, 2, 3 … per matter; a draft holds the number it will be published under
  version integer not null check (version >= 1),
  status text not null check (status in ('draft', 'published')),
  -- copies of spec fields for listing and search; spec is the whole matter as validated
  name text not null,
  category text not null,
  levels text[] not null,
  spec jsonb not null,
  -- SHA-256 of the canonical JSON of spec: importing the same content again changes nothing
  sha256 text not null,
  created_by integer references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  published_by integer references users(id),
  published_at timestamptz,
  unique (code, version),
  check ((status = 'published') = (published_at is not null))
);

create unique index matter_versions_one_draft on matter_versions (code) where status = 'draft';
create index matter_versions_published on matter_versions (code, version desc) where status = 'published';

-- Published versions never change: a case refers to (code, version) and must see what the
-- applicant saw. Enforced here too, so no code path (or hand-written SQL) can slip.
create function matter_versions_immutable() returns trigger language plpgsql as $$
begin
  if old.status = 'published' then
    raise exception 'matter % version % is published and immutable', old.code, old.version;
  end if;
  if tg_op = 'DELETE' then
    return old;
  end if;
  return new;
end
$$;

create trigger matter_versions_immutable before update or delete on matter_versions
  for each row execute function matter_versions_immutable();
