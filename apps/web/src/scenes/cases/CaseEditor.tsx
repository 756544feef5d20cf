import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Form, Input, List, Space, Tag, Typography, Upload } from 'antd';
import { FileZipOutlined, SaveOutlined, SendOutlined } from '@ant-design/icons';
import { ApiError } from '../../api/client.ts';
import {
  submitCase,
  updateCase,
  uploadPackage,
  type CaseDetail,
  type CaseProblem,
  type MatterFormSpec,
  type PackageReport,
} from '../../api/cases.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { errorText } from '../../lib/error-text.ts';
import { CaseFormEditor } from './CaseForm.tsx';
import { MaterialsPanel } from './MaterialsPanel.tsx';

/** Every problem the server lists, errors first; the material and line when it names them. */
export function ProblemList({ detail, problems }: { detail: CaseDetail; problems: CaseProblem[] }) {
  const { t } = useI18n();
  const materialName = (key: string | undefined) => detail.materials.find((m) => m.key === key)?.name;
  const sorted = [...problems].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  if (sorted.length === 0)
    return <Alert type="success" showIcon message={t('cases.problem.none')} data-testid="problems-none" />;
  return (
    <List
      size="small"
      bordered
      data-testid="problems"
      dataSource={sorted}
      renderItem={(p, i) => (
        <List.Item key={`${p.path}-${p.code}-${i}`} data-testid="problem" data-severity={p.severity}>
          <Space wrap>
            <Tag color={p.severity === 'error' ? 'red' : 'gold'}>{t(`cases.problem.${p.severity}`)}</Tag>
            {p.materialKey && <Typography.Text strong>{materialName(p.materialKey) ?? p.materialKey}</Typography.Text>}
            {!p.materialKey && p.path && <Typography.Text code>{p.path}</Typography.Text>}
            {p.line !== undefined && <Typography.Text>{t('cases.problem.line', { line: p.line })}</Typography.Text>}
            <Typography.Text>{p.message}</Typography.Text>
          </Space>
        </List.Item>
      )}
    />
  );
}

/**
 * The window clerk's editor of a draft or of a case under 补正 (on the applicant's behalf): the
 * form from the matter's JSON Schema and layout, the materials with upload per material, a ZIP
 * package, the live problem list, and submit. The server checks everything at every save.
 */
export function CaseEditor({
  detail,
  spec,
  onChange,
}: {
  detail: CaseDetail;
  spec: MatterFormSpec;
  onChange: (detail: CaseDetail) => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Record<string, unknown>>();
  const [title, setTitle] = useState(detail.title);
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState<'save' | 'submit' | 'package' | undefined>(undefined);
  const [submitError, setSubmitError] = useState<ApiError | undefined>(undefined);
  const [packageReport, setPackageReport] = useState<PackageReport | undefined>(undefined);
  const canSubmit = detail.actions.includes('submit');
  const openSupplement = detail.supplements.find((s) => s.resolvedAt === null);
  const asked = new Set(
    (openSupplement?.items ?? []).map((i) => i.materialKey).filter((k): k is string => typeof k === 'string'),
  );

  useEffect(() => {
    form.setFieldsValue(detail.form as Parameters<typeof form.setFieldsValue>[0]);
    setTitle(detail.title);
    setDirty(false);
    // only when another case is loaded; saves keep what the clerk typed
  }, [detail.id]);

  /** Saves form and title when changed; returns the case as now stored. */
  async function save(): Promise<CaseDetail> {
    if (!dirty) return detail;
    const values: Record<string, unknown> = form.getFieldsValue(true) as Record<string, unknown>;
    const cleaned = Object.fromEntries(
      Object.entries(values).filter(([, v]) => v !== undefined && v !== null && v !== ''),
    );
    const saved = await updateCase(detail.id, { version: detail.version, title: title.trim(), form: cleaned });
    setDirty(false);
    onChange(saved);
    return saved;
  }

  async function onSave() {
    setBusy('save');
    try {
      await save();
      void message.success(t('cases.saved'));
    } catch (error) {
      void message.error(errorText(error, t));
    } finally {
      setBusy(undefined);
    }
  }

  async function onSubmit() {
    setBusy('submit');
    setSubmitError(undefined);
    try {
      const saved = await save();
      onChange((await submitCase(saved.id, { version: saved.version })).case);
      void message.success(t('cases.submitted'));
    } catch (error) {
      if (error instanceof ApiError) setSubmitError(error);
      else void message.error(errorText(error, t));
    } finally {
      setBusy(undefined);
    }
  }

  async function onPackage(file: File) {
    setBusy('package');
    try {
      await save();
      const report = await uploadPackage(detail.id, file);
      onChange(report.case);
      setPackageReport(report);
      void message.success(t('cases.package.done', { placed: report.placed.length }));
    } catch (error) {
      void message.error(errorText(error, t));
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="case-editor">
      {openSupplement && (
        <Alert
          type="warning"
          showIcon
          message={t('cases.supplement.open', { round: openSupplement.round })}
          description={
            <ul style={{ margin: 0, paddingLeft: 20 }}>
              {openSupplement.items.map((item, i) => (
                <li key={i}>
                  {item.materialKey
                    ? `${detail.materials.find((m) => m.key === item.materialKey)?.name ?? item.materialKey}：`
                    : ''}
                  {item.message}
                </li>
              ))}
              {openSupplement.note && <li>{openSupplement.note}</li>}
            </ul>
          }
        />
      )}
      <Card title={t('cases.tab.form')}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text>{t('cases.title')}</Typography.Text>
          <Input
            value={title}
            maxLength={200}
            onChange={(event) => {
              setTitle(event.target.value);
              setDirty(true);
            }}
            data-testid="case-title-input"
          />
          <CaseFormEditor
            spec={spec}
            form={form}
            problems={detail.problems}
            disabled={busy !== undefined && busy !== 'save'}
            onValuesChange={() => setDirty(true)}
          />
        </Space>
      </Card>
      <Card
        title={t('cases.tab.materials')}
        extra={
          <Upload
            accept=".zip,application/zip"
            showUploadList={false}
            beforeUpload={(file) => {
              void onPackage(file);
              return false;
            }}
          >
            <Button icon={<FileZipOutlined />} loading={busy === 'package'} data-testid="upload-package">
              {t('cases.package.upload')}
            </Button>
          </Upload>
        }
      >
        <Typography.Paragraph type="secondary">{t('cases.package.hint')}</Typography.Paragraph>
        {packageReport && packageReport.unplaced.length > 0 && (
          <Alert
            type="warning"
            showIcon
            closable
            onClose={() => setPackageReport(undefined)}
            style={{ marginBottom: 12 }}
            message={t('cases.package.unplaced', { n: packageReport.unplaced.length })}
            description={
              <ul style={{ margin: 0, paddingLeft: 20 }} data-testid="package-unplaced">
                {packageReport.unplaced.map((u) => (
                  <li key={u.entry}>
                    {u.entry}：{u.reason}
                  </li>
                ))}
              </ul>
            }
          />
        )}
        <MaterialsPanel detail={detail} editable onChange={onChange} highlight={asked} />
      </Card>
      <Card title={t('cases.problem.title')}>
        <ProblemList detail={detail} problems={detail.problems} />
      </Card>
      {submitError && (
        <div data-testid="submit-error">
          <ErrorAlert error={submitError} />
          {submitError.details.length > 0 && (
            <List
              size="small"
              dataSource={[...submitError.details]}
              renderItem={(d, i) => (
                <List.Item key={i}>
                  {d.line !== undefined ? `${t('cases.problem.line', { line: d.line })} ` : ''}
                  {d.path ? `${d.path}：` : ''}
                  {d.message}
                </List.Item>
              )}
            />
          )}
        </div>
      )}
      <Space wrap>
        <Button
          icon={<SaveOutlined />}
          onClick={() => void onSave()}
          loading={busy === 'save'}
          disabled={!dirty || (busy !== undefined && busy !== 'save')}
          data-testid="case-save"
        >
          {t('common.save')}
        </Button>
        {canSubmit && (
          <Button
            type="primary"
            icon={<SendOutlined />}
            onClick={() => void onSubmit()}
            loading={busy === 'submit'}
            disabled={busy !== undefined && busy !== 'submit'}
            data-testid="case-submit"
          >
            {detail.status === 'supplementRequested' ? t('cases.resubmit') : t('cases.submit')}
          </Button>
        )}
      </Space>
    </Space>
  );
}
