-- Notifications: editable templates per event and channel, and the outbox — one row per
-- recipient × channel, written in the transaction of the change that causes it (docs/notifications.md).

create table notification_templates (
  event text not null,
  channel text not null check (channel in ('sms', 'email', 'inApp')),
  -- email subject / in-app title; null for SMS
  subject text,
  body text not null,
  updated_at timestamptz not null default now(),
  updated_by integer references users(id),
  primary key (event, channel),
  check ((channel = 'sms') = (subject is null))
);

create table notification_outbox (
  id integer generated always as identity primary key,
  -- caller's key + channel + recipient: the same event never produces a second row
  idempotency_key text not null unique,
  event text not null,
  channel text not null check (channel in ('sms', 'email', 'inApp')),
  user_id integer references users(id),
  -- phone number (sms) or email address (email); null for in-app
  address text,
  subject text,
  body text not null,
  status text not null check (status in ('queued', 'sending', 'sent', 'delivered', 'failed')),
  -- how it left (or did not): smpp, smtp, store (SMS_MODE/MAIL_MODE=store: kept here only), inApp
  transport text check (transport in ('smpp', 'smtp', 'store', 'inApp')),
  attempts integer not null default 0,
  last_error text,
  -- SMSC message id of the first part, or the SMTP Message-ID
  provider_message_id text,
  -- SMS parts the body needs (concatenated UCS-2 / GSM), for the receipt roll-up
  sms_parts integer,
  job_id text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  sending_at timestamptz,
  sent_at timestamptz,
  delivered_at timestamptz,
  failed_at timestamptz,
  -- in-app: when the user read it
  read_at timestamptz
);

create index notification_outbox_inbox on notification_outbox (user_id, id desc) where channel = 'inApp';
create index notification_outbox_admin on notification_outbox (channel, status, id desc);

-- One row per SMS part accepted by the SMSC, keyed by the SMSC message id its receipt will name.
-- A receipt may arrive before the sender has recorded the part (the SMSC is fast, the commit
-- is not): then the row is created by the receipt with outbox_id null and joined later.
create table notification_sms_parts (
  smsc_message_id text primary key,
  outbox_id integer references notification_outbox(id),
  part_no integer,
  submitted_at timestamptz,
  receipt_state text,
  receipt_error text,
  receipt_at timestamptz,
  unique (outbox_id, part_no)
);

-- Default templates. 【…】 is the SMS signature Chinese carriers require. Variables per event are
-- declared in apps/server/src/modules/notifications/templates.ts; admins edit these over the API.
insert into notification_templates (event, channel, subject, body) values
  ('case.received', 'sms', null, '【省自然资源厅】{{applicantName}}，您申请的“{{matterName}}”材料已于{{receivedDate}}收到，收件编号{{caseRef}}。我们将在5个工作日内告知是否受理。'),
  ('case.received', 'email', '【收件通知】{{matterName}}（{{caseRef}}）', E'{{applicantName}}：\n\n您申请的“{{matterName}}”材料已于{{receivedDate}}收到，收件编号{{caseRef}}。\n依照《行政许可法》第三十二条，我们将在5个工作日内作出是否受理的决定并告知您。\n\n省自然资源厅'),
  ('case.received', 'inApp', '收件：{{matterName}}', '{{applicantName}}的“{{matterName}}”材料已于{{receivedDate}}收到，收件编号{{caseRef}}。'),

  ('case.accepted', 'sms', null, '【省自然资源厅】{{applicantName}}，您申请的“{{matterName}}”已受理，受理编号{{caseNumber}}，查询码{{queryCode}}，预计{{dueDate}}前办结。'),
  ('case.accepted', 'email', '【受理通知】{{matterName}}（{{caseNumber}}）', E'{{applicantName}}：\n\n您申请的“{{matterName}}”已受理。\n受理编号：{{caseNumber}}\n查询码：{{queryCode}}\n承诺办结日期：{{dueDate}}\n\n可凭受理编号和查询码在门户网站查询办理进度。\n\n省自然资源厅'),
  ('case.accepted', 'inApp', '已受理：{{matterName}}', '{{applicantName}}的“{{matterName}}”已受理，受理编号{{caseNumber}}，预计{{dueDate}}前办结。'),

  ('case.supplement_requested', 'sms', null, '【省自然资源厅】{{applicantName}}，您申请的“{{matterName}}”（{{caseRef}}）需补正材料：{{missingMaterials}}。请补正后重新提交，补正期间不计入办理时限。'),
  ('case.supplement_requested', 'email', '【补正通知】{{matterName}}（{{caseRef}}）', E'{{applicantName}}：\n\n您申请的“{{matterName}}”（收件编号{{caseRef}}）材料不齐全，请一次性补正以下材料：\n{{missingMaterials}}\n\n补正材料提交后重新计算受理期限。\n\n省自然资源厅'),
  ('case.supplement_requested', 'inApp', '需补正：{{matterName}}', '“{{matterName}}”（{{caseRef}}）需补正：{{missingMaterials}}'),

  ('case.refused', 'sms', null, '【省自然资源厅】{{applicantName}}，您申请的“{{matterName}}”（{{caseRef}}）不予受理，理由：{{reason}}。不予受理决定书可在门户网站查看。'),
  ('case.refused', 'email', '【不予受理决定】{{matterName}}（{{caseRef}}）', E'{{applicantName}}：\n\n您申请的“{{matterName}}”（收件编号{{caseRef}}）不予受理。\n理由：{{reason}}\n\n如不服本决定，可依法申请行政复议或者提起行政诉讼。\n\n省自然资源厅'),
  ('case.refused', 'inApp', '不予受理：{{matterName}}', '“{{matterName}}”（{{caseRef}}）不予受理，理由：{{reason}}'),

  ('case.decided', 'sms', null, '【省自然资源厅】{{applicantName}}，您申请的“{{matterName}}”（{{caseNumber}}）已作出审批决定：{{decision}}。'),
  ('case.decided', 'email', '【审批决定】{{matterName}}（{{caseNumber}}）', E'{{applicantName}}：\n\n您申请的“{{matterName}}”（受理编号{{caseNumber}}）已作出审批决定：{{decision}}。\n\n省自然资源厅'),
  ('case.decided', 'inApp', '已决定：{{matterName}}', '“{{matterName}}”（{{caseNumber}}）审批决定：{{decision}}'),

  ('case.issued', 'sms', null, '【省自然资源厅】{{applicantName}}，您申请的“{{matterName}}”（{{caseNumber}}）批复已印发，文号{{documentNumber}}，请到窗口领取或在门户网站下载。'),
  ('case.issued', 'email', '【批复印发】{{matterName}}（{{caseNumber}}）', E'{{applicantName}}：\n\n您申请的“{{matterName}}”（受理编号{{caseNumber}}）批复已印发，文号{{documentNumber}}。\n请到办事窗口领取，或在门户网站下载电子文件。\n\n省自然资源厅'),
  ('case.issued', 'inApp', '已发文：{{matterName}}', '“{{matterName}}”（{{caseNumber}}）批复已印发，文号{{documentNumber}}。'),

  ('clock.warning', 'sms', null, '【省自然资源厅】{{recipientName}}，案件{{caseNumber}}“{{stepName}}”环节将于{{dueDate}}到期（剩余{{remaining}}），请抓紧办理。'),
  ('clock.warning', 'email', '【预警】{{caseNumber}} {{stepName}} 将于{{dueDate}}到期', E'{{recipientName}}：\n\n案件{{caseNumber}}的“{{stepName}}”环节将于{{dueDate}}到期，剩余{{remaining}}。请抓紧办理。\n\n电子监察系统'),
  ('clock.warning', 'inApp', '预警：{{caseNumber}} {{stepName}}', '“{{stepName}}”将于{{dueDate}}到期，剩余{{remaining}}。'),

  ('clock.overdue', 'sms', null, '【省自然资源厅】{{recipientName}}，案件{{caseNumber}}“{{stepName}}”环节已超过办理时限（{{dueDate}}到期，已超{{overdue}}），请立即办理并说明原因。'),
  ('clock.overdue', 'email', '【超时报警】{{caseNumber}} {{stepName}}', E'{{recipientName}}：\n\n案件{{caseNumber}}的“{{stepName}}”环节已于{{dueDate}}到期，已超{{overdue}}。请立即办理，并在系统中说明超时原因。\n\n电子监察系统'),
  ('clock.overdue', 'inApp', '超时：{{caseNumber}} {{stepName}}', '“{{stepName}}”已于{{dueDate}}到期，已超{{overdue}}，请说明原因。'),

  ('supervision.order_issued', 'sms', null, '【省自然资源厅】{{recipientName}}，案件{{caseNumber}}收到督办单{{orderNumber}}：{{reason}}。请于{{replyBy}}前办结并回复。'),
  ('supervision.order_issued', 'email', '【督办单】{{orderNumber}}（案件{{caseNumber}}）', E'{{recipientName}}：\n\n监察室就案件{{caseNumber}}下发督办单{{orderNumber}}。\n督办事由：{{reason}}\n请于{{replyBy}}前办结并在系统中回复整改情况。\n\n省自然资源厅监察室'),
  ('supervision.order_issued', 'inApp', '督办：{{orderNumber}}', '案件{{caseNumber}}：{{reason}}。请于{{replyBy}}前回复。');
