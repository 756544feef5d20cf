-- Applicant accounts on the public side (申请人): phone number + SMS code, own session cookie
-- (docs/matters.md §Applicants).

create table applicants (
  id integer generated always as identity primary key,
  -- mainland mobile number, 11 digits; the account is created at the first successful login
  phone text not null unique,
  kind text check (kind in ('enterprise', 'government', 'citizen')),
  name text,
  -- 统一社会信用代码 (GB 32100-2015), enterprises and government organs
  credit_code text,
  -- 居民身份证号码 (GB 11643-1999), citizens
  id_number text,
  contact_name text,
  email text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  last_login_at timestamptz
);

create table applicant_login_codes (
  id integer generated always as identity primary key,
  phone text not null,
  -- HMAC-SHA256(session secret, phone:code): a leaked table does not give six digits away
  code_hash text not null,
  expires_at timestamptz not null,
  attempts integer not null default 0,
  consumed_at timestamptz,
  ip text,
  created_at timestamptz not null default now()
);

create index applicant_login_codes_phone on applicant_login_codes (phone, id desc);
create index applicant_login_codes_ip on applicant_login_codes (ip, created_at);

create table applicant_sessions (
  token_hash text primary key,
  applicant_id integer not null references applicants(id),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  ip text,
  user_agent text
);

alter table blob_refs add constraint blob_refs_applicant_fk foreign key (created_by_applicant) references applicants(id);

insert into notification_templates (event, channel, subject, body) values
  ('applicant.login_code', 'sms', null, '【省自然资源厅】您的登录验证码为{{code}}，{{minutes}}分钟内有效。请勿告诉他人，工作人员不会向您索要验证码。'),
  ('applicant.login_code', 'email', '【登录验证码】{{code}}', E'您的登录验证码为 {{code}}，{{minutes}} 分钟内有效。\n如非本人操作，请忽略本邮件。\n\n省自然资源厅'),
  ('applicant.login_code', 'inApp', '登录验证码', '验证码{{code}}，{{minutes}}分钟内有效。');
