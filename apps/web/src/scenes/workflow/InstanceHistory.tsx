import { Timeline, Typography } from 'antd';
import type { HistoryItem } from '../../api/workflow.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { formatInstant } from '../../lib/dates.ts';
import { decisionText, historyTypeKey } from './labels.ts';

// Engine bookkeeping (timers scheduled, service calls) is in the history too; the timeline
// shows what people did and what happened to the case.
const hidden = new Set(['timer.schedule', 'timer.cancel', 'service.invoke', 'message.send', 'task.updated']);

/** An instance's history, newest last: who did what when, with the decision and opinion. */
export function InstanceHistory({ items }: { items: HistoryItem[] }) {
  const { t, locale } = useI18n();
  const shown = items.filter((item) => !hidden.has(item.type));
  return (
    <Timeline
      data-testid="task-history"
      items={shown.map((item) => {
        const key = historyTypeKey(item.type);
        const color = item.type === 'task.completed' ? 'green' : item.type.startsWith('instance.') ? 'blue' : 'gray';
        return {
          key: item.id,
          color,
          children: (
            <div data-testid="history-item" data-type={item.type}>
              <Typography.Text strong>{key ? t(key) : item.type}</Typography.Text>
              {item.node && <Typography.Text type="secondary"> · {item.node}</Typography.Text>}
              <br />
              <Typography.Text type="secondary">
                {formatInstant(item.at, locale)}
                {item.by && ` · ${item.by}`}
                {item.decision && ` · ${t('tasks.decision')}: ${decisionText(item.decision, t)}`}
              </Typography.Text>
              {item.opinion && <Typography.Paragraph style={{ margin: 0 }}>{item.opinion}</Typography.Paragraph>}
            </div>
          ),
        };
      })}
    />
  );
}
