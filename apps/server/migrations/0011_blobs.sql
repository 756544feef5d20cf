-- Attachments: content-addressed blobs under DATA_DIR/blobs (SHA-256; the same bytes stored
-- once) and one reference per upload with the name it came with (docs/matters.md §Blobs).

create table blobs (
  sha256 text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
  size bigint not null check (size >= 0),
  -- detected from the content, never from the name: pdf, ofd, jpeg, png, tiff, zip, docx, text, coordinates
  detected_type text not null,
  created_at timestamptz not null default now()
);

create table blob_refs (
  id integer generated always as identity primary key,
  sha256 text not null references blobs(sha256),
  original_name text not null,
  -- exactly one uploader: a staff user or an applicant (applicants: migration 0012)
  created_by integer references users(id),
  created_by_applicant integer,
  created_at timestamptz not null default now(),
  check ((created_by is null) <> (created_by_applicant is null))
);

create index blob_refs_sha256 on blob_refs (sha256);
