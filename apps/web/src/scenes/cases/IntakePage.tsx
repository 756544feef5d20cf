import { useEffect, useState } from 'react';
import { App, Button, Card, Form, Input, Modal, Select, Space, Tabs, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import { ApiError } from '../../api/client.ts';
import {
  casesPath,
  createCase,
  mattersPath,
  type CaseList,
  type CaseStatus,
  type MatterHead,
} from '../../api/cases.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useOrgs } from '../../hooks/useDirectory.ts';
import { useCan, useUser } from '../../hooks/useSession.ts';
import { useQuery } from '../../hooks/useQuery.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { CaseTable } from './CaseTable.tsx';

interface IntakeValues {
  matterCode: string;
  divisionCode?: string;
  applicantName: string;
  applicantPhone: string;
  title?: string;
}

/** 新建收件: the matter, the receiving bureau (county for remote submission) and the applicant. */
function NewIntake({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const user = useUser();
  const [form] = Form.useForm<IntakeValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const matters = useQuery<{ items: MatterHead[] }>(mattersPath);
  const orgs = useOrgs();
  const bureaus = (orgs.data ?? []).filter((o) => o.divisionCode);
  // the clerk's bureau: the nearest unit up the clerk's org path that has a division code
  const mine = orgs.data?.find((o) => o.id === user.orgId);
  const own = mine
    ? mine.path
        .split('/')
        .filter(Boolean)
        .map(Number)
        .reverse()
        .map((id) => bureaus.find((o) => o.id === id))
        .find((o) => o !== undefined)
    : undefined;
  useEffect(() => {
    if (own?.divisionCode && !form.getFieldValue('divisionCode'))
      // setFieldsValue: setFieldValue warns of circular references (ant-design#53795)
      form.setFieldsValue({ divisionCode: own.divisionCode });
  }, [own?.divisionCode, form]);

  async function submit(values: IntakeValues) {
    setBusy(true);
    setError(undefined);
    try {
      const created = await createCase({
        matterCode: values.matterCode,
        ...(values.divisionCode ? { divisionCode: values.divisionCode } : {}),
        ...(values.title?.trim() ? { title: values.title.trim() } : {}),
        applicant: { name: values.applicantName.trim(), phone: values.applicantPhone.trim() },
      });
      void message.success(t('cases.intake.created'));
      void navigate(`/console/cases/${created.id}`);
    } catch (error) {
      setError(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open
      title={t('cases.intake.new')}
      okText={t('cases.intake.create')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ 'data-testid': 'intake-create' }}
      data-testid="intake-modal"
    >
      <Form<IntakeValues> form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item name="matterCode" label={t('cases.matter')} rules={[{ required: true }]}>
          <Select
            showSearch
            optionFilterProp="label"
            loading={matters.loading}
            options={(matters.data?.items ?? [])
              .filter((m) => m.publishedVersion !== null)
              .map((m) => ({ value: m.code, label: m.name }))}
            data-testid="intake-matter"
          />
        </Form.Item>
        <Form.Item name="divisionCode" label={t('cases.intake.bureau')} extra={t('cases.intake.bureauHint')}>
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            options={bureaus.map((o) => ({ value: o.divisionCode ?? '', label: `${o.name}（${o.divisionCode}）` }))}
            data-testid="intake-bureau"
          />
        </Form.Item>
        <Form.Item name="applicantName" label={t('cases.applicant')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={100} data-testid="intake-applicant" />
        </Form.Item>
        <Form.Item
          name="applicantPhone"
          label={t('cases.intake.phone')}
          rules={[{ required: true, pattern: /^1\d{10}$/, message: t('cases.intake.phoneHint') }]}
        >
          <Input maxLength={11} inputMode="tel" data-testid="intake-phone" />
        </Form.Item>
        <Form.Item name="title" label={t('cases.title')}>
          <Input maxLength={200} data-testid="intake-title" />
        </Form.Item>
      </Form>
      {error !== undefined && (
        <div data-testid="intake-error">
          <ErrorAlert error={error} />
          {error instanceof ApiError &&
            error.details.map((d, i) => (
              <Typography.Paragraph key={i} type="danger" style={{ margin: '4px 0 0' }}>
                {d.path ? `${d.path}：` : ''}
                {d.message}
              </Typography.Paragraph>
            ))}
        </div>
      )}
    </Modal>
  );
}

function StatusList({ status }: { status: CaseStatus }) {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const list = useQuery<CaseList>(casesPath({ status, limit: pageSize, offset: (page - 1) * pageSize }));
  return (
    <>
      {list.error && <ErrorAlert error={list.error} onRetry={list.reload} />}
      <CaseTable
        list={list.data}
        loading={list.loading}
        page={page}
        pageSize={pageSize}
        onPage={(p, s) => {
          setPage(p);
          setPageSize(s);
        }}
        testId={`intake-${status}`}
      />
    </>
  );
}

/**
 * 收件受理 (window desk): start an intake on an applicant's behalf, and the cases waiting for
 * acceptance with their acceptance clock; 补正 and drafts in their own tabs. Each case opens on
 * its page, where 受理 / 补正 / 不予受理 are.
 */
export default function IntakePage() {
  const { t } = useI18n();
  const can = useCan();
  const [creating, setCreating] = useState(false);
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <div className="guotu-page-head">
        <Typography.Title level={3} data-testid="page-title">
          {t('cases.intake.title')}
        </Typography.Title>
        {can('case.receive') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="intake-new">
            {t('cases.intake.new')}
          </Button>
        )}
      </div>
      <Card size="small">
        <Tabs
          items={[
            { key: 'submitted', label: t('cases.intake.waiting'), children: <StatusList status="submitted" /> },
            {
              key: 'supplementRequested',
              label: t('caseStatus.supplementRequested'),
              children: <StatusList status="supplementRequested" />,
            },
            { key: 'draft', label: t('caseStatus.draft'), children: <StatusList status="draft" /> },
          ]}
        />
      </Card>
      {creating && <NewIntake onClose={() => setCreating(false)} />}
    </Space>
  );
}
