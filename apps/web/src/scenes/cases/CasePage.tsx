import { Alert, Card, Collapse, Descriptions, Empty, Grid, List, Space, Tabs, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { diagramPath, type DiagramView } from '../../api/workflow.ts';
import { matterVersionPath, type CaseDetail, type MatterFormSpec, type MatterVersion } from '../../api/cases.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { ProcessDiagram } from '../../components/ProcessDiagram.tsx';
import { useQuery } from '../../hooks/useQuery.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { formatInstant } from '../../lib/dates.ts';
import { CaseActions } from './CaseActions.tsx';
import { CaseEditor } from './CaseEditor.tsx';
import { CaseFees } from './CaseFees.tsx';
import { CaseFormView, formSections, formValueText } from './CaseForm.tsx';
import { CaseSupplements } from './CaseSupplements.tsx';
import { CaseTimeline, ClocksTable, DocumentsList, eventOpinion } from './CaseSections.tsx';
import { CaseTasks } from './CaseTasks.tsx';
import { CaseClockTag, eventTypeKey, ExpediteTag, StatusTag, TierTag } from './labels.tsx';
import { MaterialsPanel } from './MaterialsPanel.tsx';
import { AnalysisFlags, ParcelPanel } from './ParcelPanel.tsx';
import { useCase } from './useCase.ts';
import './cases.css';

function DiagramTab({ instanceId }: { instanceId: string }) {
  const diagram = useQuery<DiagramView>(diagramPath(instanceId));
  if (diagram.error) return <ErrorAlert error={diagram.error} onRetry={diagram.reload} />;
  return diagram.data ? <ProcessDiagram diagram={diagram.data} height={480} /> : null;
}

function Header({ detail }: { detail: CaseDetail }) {
  const { t, locale } = useI18n();
  return (
    <Space direction="vertical" size={8} style={{ width: '100%' }}>
      <Link to="/console/cases">{t('cases.backToList')}</Link>
      <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
        {detail.caseNumber ? (
          <span data-testid="case-number">{detail.caseNumber}</span>
        ) : (
          <Typography.Text type="secondary">{t('cases.noNumber')}</Typography.Text>
        )}
      </Typography.Title>
      <Typography.Text strong className="guotu-case-title">
        {detail.title}
      </Typography.Text>
      <Space wrap size={[4, 8]}>
        <StatusTag status={detail.status} />
        <TierTag tier={detail.tier} />
        {detail.decision && (
          <Tag color={detail.decision === 'approved' ? 'green' : 'red'} data-testid="case-decision">
            {t(`cases.decision.${detail.decision}`)}
          </Tag>
        )}
        <ExpediteTag item={detail} />
        {detail.acceptedByDefault && <Tag color="volcano">{t('cases.acceptedByDefault')}</Tag>}
        <CaseClockTag state={detail.clockState} dueDate={detail.dueDate} />
      </Space>
      <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 4 }}>
        <Descriptions.Item label={t('cases.matter')}>{detail.matterName}</Descriptions.Item>
        <Descriptions.Item label={t('cases.applicant')}>{detail.applicantName}</Descriptions.Item>
        <Descriptions.Item label={t('cases.org')}>{detail.orgName}</Descriptions.Item>
        <Descriptions.Item label={t('cases.currentOrg')}>{detail.currentOrgName ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('cases.channel')}>{t(`caseChannel.${detail.channel}`)}</Descriptions.Item>
        <Descriptions.Item label={t('cases.receivedAt')}>{formatInstant(detail.receivedAt, locale)}</Descriptions.Item>
        <Descriptions.Item label={t('cases.acceptedAt')}>{formatInstant(detail.acceptedAt, locale)}</Descriptions.Item>
        {detail.documentNumber && (
          <Descriptions.Item label={t('cases.documentNumber')}>
            <span data-testid="document-number">{detail.documentNumber}</span>
          </Descriptions.Item>
        )}
      </Descriptions>
    </Space>
  );
}

/**
 * Opinions and reasons written along the way (review, consolidation, decision, refusal, 特事特办, a
 * voided fee), oldest first: under the step's name, else the event's name as the history gives it.
 */
function Opinions({ detail }: { detail: CaseDetail }) {
  const { t, locale } = useI18n();
  const withOpinion = detail.events.filter((e) => eventOpinion(e) !== undefined);
  if (withOpinion.length === 0)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('cases.opinions.none')} />;
  return (
    <List
      size="small"
      dataSource={withOpinion}
      data-testid="case-opinions"
      renderItem={(e) => {
        const step = typeof e.data.name === 'string' ? e.data.name : typeof e.data.node === 'string' ? e.data.node : '';
        const key = eventTypeKey(e.type);
        return (
          <List.Item key={e.id} style={{ display: 'block' }} data-testid="case-opinion" data-type={e.type}>
            <Typography.Text strong>{step || (key ? t(key) : e.type)}</Typography.Text>
            <Typography.Text type="secondary">
              {' '}
              · {[e.orgName, e.actorName, formatInstant(e.at, locale)].filter(Boolean).join(' · ')}
            </Typography.Text>
            <Typography.Paragraph style={{ margin: 0 }}>{eventOpinion(e)}</Typography.Paragraph>
          </List.Item>
        );
      }}
    />
  );
}

/** The figures a decision turns on: the form's numbers and choices, the parcel's measured area. */
function KeyFigures({ detail, spec }: { detail: CaseDetail; spec: MatterFormSpec | undefined }) {
  const { t, locale } = useI18n();
  const fields = spec
    ? formSections(spec)
        .flatMap((s) => s.fields)
        .filter(({ schema }) => schema.type === 'number' || schema.type === 'integer' || schema.enum)
    : [];
  return (
    <Descriptions size="small" column={1} bordered data-testid="key-figures">
      {fields.map(({ field, schema }) => (
        <Descriptions.Item key={field} label={schema.title ?? field}>
          {formValueText(detail.form[field], t)}
        </Descriptions.Item>
      ))}
      {detail.parcel && (
        <Descriptions.Item label={t('cases.parcel.total')}>
          {(detail.parcel.totalAreaM2 / 10_000).toLocaleString(locale, { maximumFractionDigits: 4 })} ha
        </Descriptions.Item>
      )}
    </Descriptions>
  );
}

function useMatter(detail: CaseDetail | undefined) {
  const matter = useQuery<MatterVersion>(detail ? matterVersionPath(detail.matterCode, detail.matterVersion) : null);
  return matter.data?.spec;
}

/**
 * 办件 page: header with number, status, tier, office, expedite and clocks; the case actions and
 * open tasks the server lists; tabs 申请表 · 材料 · 地块 · 流转记录 · 时限 · 流程图 · 文书 · 收费. A draft
 * or a 补正 opens in the editor. On a phone it collapses to the leader's sign-off view.
 */
export default function CasePage() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const caseId = Number(id);
  const state = useCase(caseId);
  const detail = state.data;
  const matter = useMatter(detail);
  const spec = matter?.form;
  const screens = Grid.useBreakpoint();
  const phone = screens.md === false;

  if (state.error) return <ErrorAlert error={state.error} onRetry={state.reload} />;
  if (!detail) return <Card loading />;

  const editing = detail.actions.includes('edit');
  const reload = state.reload;

  const tabs = [
    !editing && {
      key: 'form',
      label: t('cases.tab.form'),
      children: <CaseFormView spec={spec} values={detail.form} />,
    },
    !editing && {
      key: 'materials',
      label: t('cases.tab.materials'),
      children: <MaterialsPanel detail={detail} editable={false} />,
    },
    {
      key: 'parcel',
      label: t('cases.tab.parcel'),
      children: <ParcelPanel parcel={detail.parcel} analysis={detail.analysis} />,
    },
    {
      key: 'events',
      label: t('cases.tab.events'),
      children: (
        <Space direction="vertical" style={{ width: '100%' }}>
          <CaseSupplements detail={detail} />
          <CaseTimeline events={detail.events} />
        </Space>
      ),
    },
    { key: 'clocks', label: t('cases.tab.clocks'), children: <ClocksTable clocks={detail.clocks} /> },
    detail.workflowInstanceId && {
      key: 'diagram',
      label: t('cases.tab.diagram'),
      children: <DiagramTab instanceId={detail.workflowInstanceId} />,
    },
    { key: 'documents', label: t('cases.tab.documents'), children: <DocumentsList detail={detail} /> },
    !editing && {
      key: 'fees',
      label: t('cases.tab.fees'),
      children: <CaseFees detail={detail} matterFees={matter?.fees} onChange={state.replace} />,
    },
  ].filter((tab): tab is { key: string; label: string; children: React.JSX.Element } => Boolean(tab));

  if (phone && !editing) {
    return (
      <Space
        direction="vertical"
        size={12}
        style={{ width: '100%' }}
        className="guotu-case-phone"
        data-testid="case-phone"
      >
        <Card size="small">
          <Header detail={detail} />
        </Card>
        <CaseActions detail={detail} onChange={state.replace} />
        <CaseTasks tasks={detail.tasks} onDone={reload} large />
        <Card size="small" title={t('cases.keyFigures')}>
          <KeyFigures detail={detail} spec={spec} />
        </Card>
        {detail.analysis && (
          <Card size="small" title={t('cases.analysis.title')}>
            <AnalysisFlags analysis={detail.analysis} />
          </Card>
        )}
        <Card size="small" title={t('cases.opinions.title')}>
          <Opinions detail={detail} />
        </Card>
        <Collapse
          size="small"
          items={tabs
            .filter((tab) => tab.key !== 'parcel' && tab.key !== 'diagram')
            .map((tab) => ({ key: tab.key, label: tab.label, children: tab.children }))}
        />
      </Space>
    );
  }

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="case-page">
      <Card>
        <Space direction="vertical" size={12} style={{ width: '100%' }}>
          <Header detail={detail} />
          <CaseActions detail={detail} onChange={state.replace} />
        </Space>
      </Card>
      {detail.status === 'submitted' && detail.problems.some((p) => p.severity === 'error') && (
        <Alert type="warning" showIcon message={t('cases.problem.atAcceptance', { n: detail.problems.length })} />
      )}
      {detail.tasks.length > 0 && (
        <Card>
          <CaseTasks tasks={detail.tasks} onDone={reload} />
        </Card>
      )}
      {editing && spec && <CaseEditor detail={detail} spec={spec} onChange={state.replace} />}
      {detail.tasks.length > 0 && (
        <Card size="small" title={t('cases.opinions.title')}>
          <Opinions detail={detail} />
        </Card>
      )}
      <Card>
        <Tabs items={tabs} data-testid="case-tabs" />
      </Card>
    </Space>
  );
}
