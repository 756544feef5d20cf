import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  Popconfirm,
  Result,
  Row,
  Skeleton,
  Space,
  Tag,
  Typography,
} from 'antd';
import { SaveOutlined, SendOutlined } from '@ant-design/icons';
import type { CaseDetail, CaseProblem } from '@guotu/contracts';
import { ApiError } from '../../../api/client.ts';
import { documentUrl, getMyCase, submitMyCase, updateMyCase, withdrawMyCase } from '../../../api/cases-portal.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { useQuery } from '../../../hooks/useQuery.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { formatInstant } from '../../../lib/dates.ts';
import { errorText } from '../../../lib/error-text.ts';
import type { Guide } from '../guides/api.ts';
import { CaseForm } from './CaseForm.tsx';
import { CaseTimeline, ClockList, DocumentList, SupplementNotice } from './CaseRecord.tsx';
import { CaseStatusTag } from './labels.tsx';
import { MaterialsPanel } from './MaterialsPanel.tsx';
import { ParcelSummary } from './ParcelSummary.tsx';
import { ProblemsList } from './ProblemsList.tsx';
import { blockingCount, fieldProblems, materialProblems } from './problems.ts';
import { formDataForSave, formSections, sameFormData, type FormField } from './schema-form.ts';

const TITLE = '__title';

/** A refused submission: the server's whole problem list, with paths and coordinate-file lines. */
interface Refusal {
  text: string;
  details: Array<{ path?: string; message: string; line?: number }>;
}

function refusalOf(error: unknown, t: ReturnType<typeof useI18n>['t']): Refusal {
  return {
    text: errorText(error, t),
    details: error instanceof ApiError ? (error.details as Refusal['details']) : [],
  };
}

function valueText(field: FormField, value: unknown, t: ReturnType<typeof useI18n>['t']): string {
  if (value === undefined || value === null || value === '') return '—';
  if (typeof value === 'boolean') return value ? t('pc.form.yes') : t('pc.form.no');
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/**
 * One of my cases: the editor while the case is a draft or awaits a supplement (form from the
 * matter's schema, materials, ZIP package, problems, parcel, submit), read-only afterwards with its
 * status, timeline, clocks and documents. What may be done comes from the server's `actions`.
 */
export default function CasePage() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const { id = '' } = useParams();
  const caseId = Number(id);
  const [detail, setDetail] = useState<CaseDetail | undefined>();
  const [loadError, setLoadError] = useState<ApiError | undefined>();
  const [conflict, setConflict] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [busy, setBusy] = useState<'save' | 'submit' | 'withdraw' | null>(null);
  const [dirty, setDirty] = useState(false);
  const [resetKey, setResetKey] = useState(0);
  const [form] = Form.useForm<Record<string, unknown>>();
  const { data: guide, error: guideError } = useQuery<Guide>(
    detail ? `/public/matters/${encodeURIComponent(detail.matterCode)}` : null,
  );

  const load = useCallback(
    (signal?: AbortSignal) =>
      getMyCase(caseId, signal).then(
        (answer) => {
          setDetail(answer);
          setLoadError(undefined);
          setResetKey((k) => k + 1);
        },
        (cause: unknown) => {
          if (signal?.aborted) return;
          setLoadError(cause instanceof ApiError ? cause : new ApiError(0, undefined, String(cause)));
        },
      ),
    [caseId],
  );

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  const sections = useMemo(() => (guide ? formSections(guide.form) : []), [guide]);
  const fields = useMemo(() => sections.flatMap((s) => s.fields), [sections]);

  // the form shows the server's data after every (re)load; uploads keep what is being typed
  useEffect(() => {
    // a read-only case has no form element to fill
    if (!detail || sections.length === 0 || !detail.actions.includes('edit')) return;
    form.resetFields();
    form.setFieldsValue({ ...detail.form, [TITLE]: detail.title });
    setDirty(false);
  }, [resetKey, sections]);

  const names = useMemo(() => {
    const out = new Map<string, string>();
    for (const field of fields) out.set(`form.${field.name}`, field.label);
    for (const slot of detail?.materials ?? []) out.set(`materials.${slot.key}`, slot.name);
    return out;
  }, [fields, detail?.materials]);

  if (!Number.isInteger(caseId) || loadError?.code === 'NOT_FOUND')
    return (
      <Result
        status="404"
        title={t('pc.case.notFound')}
        extra={<Link to="/portal/cases">{t('pc.case.backToList')}</Link>}
      />
    );
  if (loadError) return <ErrorAlert error={loadError} onRetry={() => void load()} />;
  if (!detail) return <Skeleton active />;

  const editable = detail.actions.includes('edit');
  const canSubmit = detail.actions.includes('submit');
  const canWithdraw = detail.actions.includes('withdraw');
  const errors = blockingCount(detail.problems);
  const openSupplement = [...detail.supplements].reverse().find((s) => s.resolvedAt === null);
  const materialName = (key: string) => detail.materials.find((m) => m.key === key)?.name ?? key;
  const totalArea = detail.form.totalArea;

  const currentData = () => formDataForSave(form.getFieldsValue(true) as Record<string, unknown>, fields, detail.form);
  const currentTitle = () => {
    const value = form.getFieldValue(TITLE) as unknown;
    return typeof value === 'string' ? value.trim() : '';
  };
  const checkDirty = () =>
    setDirty(!sameFormData(currentData(), detail.form) || (currentTitle() !== '' && currentTitle() !== detail.title));

  /** Saves the form when it changed; returns the case as the server has it now (or null on failure). */
  const save = async (): Promise<CaseDetail | null> => {
    if (!dirty) return detail;
    const title = currentTitle();
    try {
      const saved = await updateMyCase(detail.id, {
        version: detail.version,
        form: currentData(),
        ...(title && title !== detail.title ? { title } : {}),
      });
      setDetail(saved);
      setDirty(false);
      return saved;
    } catch (cause) {
      if (cause instanceof ApiError && cause.code === 'CONFLICT') setConflict(true);
      else setRefusal(refusalOf(cause, t));
      return null;
    }
  };

  const onSave = async () => {
    setRefusal(null);
    setBusy('save');
    const saved = await save();
    setBusy(null);
    if (saved) void message.success(t('pc.case.saved'));
  };

  const onSubmit = async () => {
    setRefusal(null);
    setBusy('submit');
    const saved = await save();
    if (!saved) return setBusy(null);
    try {
      const answer = await submitMyCase(saved.id, saved.version);
      setDetail(answer.case);
      setResetKey((k) => k + 1);
      void message.success(t('pc.case.submitted'));
      window.scrollTo({ top: 0, behavior: 'smooth' });
    } catch (cause) {
      if (cause instanceof ApiError && cause.code === 'CONFLICT') setConflict(true);
      else setRefusal(refusalOf(cause, t));
      // the problem list of the case as it is now
      await getMyCase(saved.id).then(setDetail, () => undefined);
    } finally {
      setBusy(null);
    }
  };

  const onWithdraw = async () => {
    setRefusal(null);
    setBusy('withdraw');
    try {
      const answer = await withdrawMyCase(detail.id, detail.version);
      setDetail(answer.case);
      void message.success(t('pc.case.withdrawn'));
    } catch (cause) {
      if (cause instanceof ApiError && cause.code === 'CONFLICT') setConflict(true);
      else setRefusal(refusalOf(cause, t));
    } finally {
      setBusy(null);
    }
  };

  const fieldIssues: Map<string, CaseProblem[]> = fieldProblems(detail.problems);
  const materialIssues = materialProblems(detail.problems);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="case-page">
      <Link to="/portal/cases">← {t('pc.case.backToList')}</Link>
      <Card>
        <Space wrap align="center">
          <CaseStatusTag status={detail.status} />
          {detail.expedite && <Tag color="magenta">{t('pc.case.expedite')}</Tag>}
        </Space>
        <Typography.Title level={4} style={{ margin: '8px 0' }} data-testid="case-title">
          {detail.title}
        </Typography.Title>
        <Descriptions size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t('pc.case.matter')}>{detail.matterName}</Descriptions.Item>
          <Descriptions.Item label={t('pc.case.number')}>
            <span data-testid="case-number">{detail.caseNumber ?? t('pc.case.noNumberYet')}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('pc.case.org')}>{detail.orgName}</Descriptions.Item>
          {detail.currentOrgName && detail.currentOrgName !== detail.orgName && (
            <Descriptions.Item label={t('pc.case.currentOrg')}>{detail.currentOrgName}</Descriptions.Item>
          )}
          {detail.receivedAt && (
            <Descriptions.Item label={t('pc.case.receivedAt')}>
              {formatInstant(detail.receivedAt, locale)}
            </Descriptions.Item>
          )}
          {detail.acceptedAt && (
            <Descriptions.Item label={t('pc.case.acceptedAt')}>
              {formatInstant(detail.acceptedAt, locale)}
              {detail.acceptedByDefault && <Tag style={{ marginLeft: 8 }}>{t('pc.case.acceptedByDefault')}</Tag>}
            </Descriptions.Item>
          )}
          {detail.decision && (
            <Descriptions.Item label={t('pc.case.decision')}>
              <Tag color={detail.decision === 'approved' ? 'green' : 'red'}>{t(`pc.decision.${detail.decision}`)}</Tag>
              {detail.decisionReason}
            </Descriptions.Item>
          )}
          {detail.documentNumber && (
            <Descriptions.Item label={t('pc.case.documentNumber')}>{detail.documentNumber}</Descriptions.Item>
          )}
          <Descriptions.Item label={t('pc.case.updatedAt')}>
            {formatInstant(detail.updatedAt, locale)}
          </Descriptions.Item>
        </Descriptions>
      </Card>

      {openSupplement && <SupplementNotice supplement={openSupplement} materialName={materialName} />}
      {conflict && (
        <Alert
          type="warning"
          showIcon
          data-testid="case-conflict"
          message={t('pc.case.conflict')}
          action={
            <Button
              size="small"
              onClick={() => {
                setConflict(false);
                void load();
              }}
            >
              {t('pc.case.reload')}
            </Button>
          }
        />
      )}
      {guideError && <ErrorAlert error={guideError} />}

      {editable && <ProblemsList problems={detail.problems} names={names} />}

      <Row gutter={[16, 16]}>
        <Col xs={24}>
          <Card title={t('pc.case.formTitle')} data-testid="case-form-card">
            {!guide ? (
              <Skeleton active />
            ) : editable ? (
              <CaseForm
                form={form}
                sections={sections}
                problems={fieldIssues}
                disabled={false}
                onValuesChange={checkDirty}
              >
                <Form.Item name={TITLE} label={t('pc.case.caseTitle')}>
                  <Input maxLength={200} />
                </Form.Item>
              </CaseForm>
            ) : (
              <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered data-testid="case-form-values">
                {fields.map((field) => (
                  <Descriptions.Item key={field.name} label={field.label}>
                    {valueText(field, detail.form[field.name], t)}
                  </Descriptions.Item>
                ))}
              </Descriptions>
            )}
          </Card>
        </Col>
        <Col xs={24}>
          <MaterialsPanel
            detail={detail}
            problems={materialIssues}
            editable={editable}
            onChanged={(next) => setDetail(next)}
          />
        </Col>
        {(detail.parcel || detail.analysis) && (
          <Col xs={24}>
            <ParcelSummary
              parcel={detail.parcel}
              analysis={detail.analysis}
              declaredHa={typeof totalArea === 'number' ? totalArea : null}
            />
          </Col>
        )}
        {detail.status !== 'draft' && (
          <>
            <Col xs={24} lg={12}>
              <Card title={t('pc.case.timeline')} size="small">
                <CaseTimeline events={detail.events} />
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Space direction="vertical" style={{ width: '100%' }}>
                <Card title={t('pc.case.clocks')} size="small">
                  <ClockList clocks={detail.clocks} />
                </Card>
                <Card title={t('pc.case.documents')} size="small">
                  <DocumentList documents={detail.documents} hrefOf={(doc) => documentUrl(detail.id, doc.id)} />
                </Card>
              </Space>
            </Col>
          </>
        )}
      </Row>

      {refusal && (
        <Alert
          type="error"
          showIcon
          data-testid="case-refusal"
          message={refusal.text}
          description={
            refusal.details.length > 0 ? (
              <ul style={{ margin: 0, paddingLeft: 18 }}>
                {refusal.details.map((d, i) => (
                  <li key={i}>
                    {d.path && (names.get(d.path) ?? d.path)}
                    {d.path ? '：' : ''}
                    {d.line !== undefined ? t('pc.problem.line', { n: d.line }) : ''}
                    {d.message}
                  </li>
                ))}
              </ul>
            ) : undefined
          }
        />
      )}

      {(editable || canSubmit || canWithdraw) && (
        <div className="guotu-case-actions" data-testid="case-actions">
          <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
            <Typography.Text type={errors > 0 ? 'danger' : 'secondary'}>
              {errors > 0 ? t('pc.case.blocked', { n: errors }) : dirty ? t('pc.case.unsaved') : t('pc.case.ready')}
            </Typography.Text>
            <Space wrap>
              {canWithdraw && (
                <Popconfirm title={t('pc.case.withdrawConfirm')} onConfirm={() => void onWithdraw()}>
                  <Button danger loading={busy === 'withdraw'} data-testid="case-withdraw">
                    {t('pc.case.withdraw')}
                  </Button>
                </Popconfirm>
              )}
              {editable && (
                <Button
                  icon={<SaveOutlined />}
                  disabled={!dirty}
                  loading={busy === 'save'}
                  onClick={() => void onSave()}
                  data-testid="case-save"
                >
                  {t('pc.case.save')}
                </Button>
              )}
              {canSubmit && (
                <Popconfirm
                  title={
                    detail.status === 'supplementRequested' ? t('pc.case.resubmitConfirm') : t('pc.case.submitConfirm')
                  }
                  onConfirm={() => void onSubmit()}
                  disabled={errors > 0}
                >
                  <Button
                    type="primary"
                    icon={<SendOutlined />}
                    disabled={errors > 0}
                    loading={busy === 'submit'}
                    data-testid="case-submit"
                  >
                    {detail.status === 'supplementRequested' ? t('pc.case.resubmit') : t('pc.case.submit')}
                  </Button>
                </Popconfirm>
              )}
            </Space>
          </Space>
        </div>
      )}
    </Space>
  );
}
