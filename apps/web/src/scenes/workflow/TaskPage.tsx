import { Card, Col, Descriptions, Empty, Row, Space, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import {
  diagramPath,
  historyPath,
  taskPath,
  type DiagramView,
  type HistoryItem,
  type TaskDetail,
} from '../../api/workflow.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { ProcessDiagram } from '../../components/ProcessDiagram.tsx';
import { useQuery } from '../../hooks/useQuery.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { formatInstant } from '../../lib/dates.ts';
import { InstanceAdmin } from './InstanceAdmin.tsx';
import { InstanceHistory } from './InstanceHistory.tsx';
import { decisionText, instanceStatusKey, taskStatusKey } from './labels.ts';
import { TaskActions } from './TaskActions.tsx';
import { TaskDue } from './TaskClockTag.tsx';

/**
 * One task: its case data, the opinion box with exactly the operations the server lists for
 * the caller, the diagram with the running position and the path taken, and the history.
 */
export default function TaskPage() {
  const { t, locale } = useI18n();
  const { id = '' } = useParams();
  const task = useQuery<TaskDetail>(taskPath(id));
  const instanceId = task.data?.instanceId;
  const diagram = useQuery<DiagramView>(instanceId ? diagramPath(instanceId) : null);
  const history = useQuery<{ items: HistoryItem[] }>(instanceId ? historyPath(instanceId) : null);
  const reloadAll = () => {
    task.reload();
    diagram.reload();
    history.reload();
  };

  if (task.error) return <ErrorAlert error={task.error} onRetry={task.reload} />;
  const data = task.data;
  const variables = Object.entries(data?.variables ?? {});

  return (
    <>
      <div className="guotu-page-head">
        <Space direction="vertical" size={0}>
          <Link to="/console/workbench">{t('tasks.backToInbox')}</Link>
          <Typography.Title level={3} data-testid="page-title">
            {data ? (data.name ?? data.node) : t('common.loading')}
          </Typography.Title>
        </Space>
        {data && (
          <Space wrap>
            <Tag data-testid="task-status">{t(taskStatusKey(data.status))}</Tag>
            <Tag color="blue">{t(instanceStatusKey(data.instanceStatus))}</Tag>
          </Space>
        )}
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={{ span: 24, order: 2 }} xl={{ span: 14, order: 1 }}>
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <Card title={t('tasks.diagram')}>
              {diagram.error && <ErrorAlert error={diagram.error} onRetry={diagram.reload} />}
              {diagram.data && <ProcessDiagram diagram={diagram.data} />}
            </Card>
            <Card title={t('tasks.history')}>
              {history.error && <ErrorAlert error={history.error} onRetry={history.reload} />}
              {history.data && <InstanceHistory items={history.data.items} />}
            </Card>
          </Space>
        </Col>
        <Col xs={{ span: 24, order: 1 }} xl={{ span: 10, order: 2 }}>
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <Card title={t('tasks.details')} loading={task.loading && !data}>
              {data && (
                <Descriptions size="small" column={1} bordered>
                  <Descriptions.Item label={t('tasks.businessKey')}>{data.businessKey ?? '—'}</Descriptions.Item>
                  <Descriptions.Item label={t('tasks.process')}>{data.definitionKey}</Descriptions.Item>
                  <Descriptions.Item label={t('tasks.createdAt')}>
                    {formatInstant(data.createdAt, locale)}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('tasks.dueAt')}>
                    <TaskDue task={data} />
                  </Descriptions.Item>
                  {!data.completedBy && (
                    <Descriptions.Item label={t('tasks.assignee')}>
                      {data.assignee ?? t('tasks.unclaimed')}
                    </Descriptions.Item>
                  )}
                  {data.delegation && (
                    <Descriptions.Item label={t('tasks.owner')}>{data.owner ?? '—'}</Descriptions.Item>
                  )}
                  {data.completedBy && (
                    <Descriptions.Item label={t('tasks.completedBy')}>
                      {data.completedBy} · {formatInstant(data.completedAt, locale)}
                    </Descriptions.Item>
                  )}
                  {data.decision && (
                    <Descriptions.Item label={t('tasks.decision')}>{decisionText(data.decision, t)}</Descriptions.Item>
                  )}
                  {data.opinion && <Descriptions.Item label={t('tasks.opinion')}>{data.opinion}</Descriptions.Item>}
                </Descriptions>
              )}
            </Card>
            <Card title={t('tasks.formData')}>
              {variables.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tasks.noFormData')} />
              ) : (
                <Descriptions size="small" column={1} bordered data-testid="task-variables">
                  {variables.map(([name, value]) => (
                    <Descriptions.Item key={name} label={name}>
                      {typeof value === 'string' ? value : JSON.stringify(value)}
                    </Descriptions.Item>
                  ))}
                </Descriptions>
              )}
            </Card>
            {data && <TaskActions task={data} onDone={reloadAll} />}
            {instanceId && <InstanceAdmin instanceId={instanceId} xml={diagram.data?.xml} onDone={reloadAll} />}
          </Space>
        </Col>
      </Row>
    </>
  );
}
