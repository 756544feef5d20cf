-- Workflow notifications (docs/workflow.md): 催办 (urge) reaches the task's assignee — or, while
-- nobody has claimed it, every candidate — by SMS and in-app; 传阅 (circulate) reaches each
-- recipient in-app, and by SMS when the sender asks. Variables per event are declared in
-- apps/server/src/modules/notifications/templates.ts; {{message}} is the sender's note (may be empty).
insert into notification_templates (event, channel, subject, body) values
  ('workflow.urged', 'sms', null, '【省自然资源厅】{{recipientName}}，{{urgedBy}}催办：案件{{caseNumber}}的“{{taskName}}”环节请尽快办理。{{message}}'),
  ('workflow.urged', 'email', '【催办】{{caseNumber}} {{taskName}}', E'{{recipientName}}：\n\n{{urgedBy}}催办案件{{caseNumber}}的“{{taskName}}”环节，请尽快办理。\n{{message}}\n\n省自然资源厅'),
  ('workflow.urged', 'inApp', '催办：{{taskName}}', '{{urgedBy}}催办案件{{caseNumber}}的“{{taskName}}”环节，请尽快办理。{{message}}'),

  ('workflow.circulated', 'sms', null, '【省自然资源厅】{{recipientName}}，{{from}}向您传阅案件{{caseNumber}}的“{{taskName}}”，请登录系统查阅。{{message}}'),
  ('workflow.circulated', 'email', '【传阅】{{caseNumber}} {{taskName}}', E'{{recipientName}}：\n\n{{from}}向您传阅案件{{caseNumber}}的“{{taskName}}”环节，请登录系统查阅。\n{{message}}\n\n省自然资源厅'),
  ('workflow.circulated', 'inApp', '传阅：{{taskName}}', '{{from}}向您传阅案件{{caseNumber}}的“{{taskName}}”环节。{{message}}');
