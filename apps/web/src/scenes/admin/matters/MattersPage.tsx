import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, App as AntApp, Button, Card, Popconfirm, Space, Table, Tag } from 'antd';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { useQuery } from '../../../hooks/useQuery.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { discardDraft, exportYaml, mattersPath, publishMatter, type MatterHead } from './api.ts';
import { ImportModal } from './ImportModal.tsx';

function download(text: string, name: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/yaml' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

/** 事项管理: the catalog, YAML import/export, draft editing (as YAML) and publishing. */
export default function MattersPage() {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const { data, error, loading, reload } = useQuery<{ items: MatterHead[]; canEdit: boolean }>(mattersPath);
  const [importing, setImporting] = useState(false);
  const [editing, setEditing] = useState<{ code: string; yaml: string } | null>(null);
  const [actionError, setActionError] = useState<unknown>();
  const canEdit = data?.canEdit ?? false;

  const run = async (work: () => Promise<void>) => {
    setActionError(undefined);
    try {
      await work();
      reload();
    } catch (cause) {
      setActionError(cause);
    }
  };
  const edit = (code: string) =>
    run(async () => setEditing({ code, yaml: await exportYaml({ codes: [code], draft: true }) }));
  const publish = (code: string) =>
    run(async () => {
      const answer = await publishMatter(code);
      void message.success(t('matters.publishedOk', { version: answer.versions[0]?.version ?? '' }));
    });

  const columns = [
    { title: t('guides.code'), dataIndex: 'code', key: 'code', width: 220 },
    { title: t('guides.name'), dataIndex: 'name', key: 'name' },
    { title: t('guides.category'), dataIndex: 'category', key: 'category', width: 110 },
    {
      title: t('matters.published'),
      key: 'published',
      width: 120,
      render: (_: unknown, m: MatterHead) =>
        m.publishedVersion ? <Tag color="green">v{m.publishedVersion}</Tag> : t('matters.none'),
    },
    {
      title: t('matters.draft'),
      key: 'draft',
      width: 100,
      render: (_: unknown, m: MatterHead) =>
        m.draftVersion ? <Tag color="gold">v{m.draftVersion}</Tag> : t('matters.none'),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 300,
      render: (_: unknown, m: MatterHead) => (
        <Space wrap>
          {m.publishedVersion && <Link to={`/portal/guides/${m.code}`}>{t('matters.viewGuide')}</Link>}
          {canEdit && (
            <Button size="small" onClick={() => void edit(m.code)}>
              {t('matters.editDraft')}
            </Button>
          )}
          {canEdit && m.draftVersion && (
            <Popconfirm
              title={t('matters.publishConfirm')}
              onConfirm={() => void publish(m.code)}
              okText={t('common.ok')}
              cancelText={t('common.cancel')}
            >
              <Button size="small" type="primary">
                {t('matters.publish')}
              </Button>
            </Popconfirm>
          )}
          {canEdit && m.draftVersion && m.publishedVersion && (
            <Button size="small" danger onClick={() => void run(() => discardDraft(m.code))}>
              {t('matters.discard')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Card
      title={t('matters.title')}
      extra={
        canEdit && (
          <Space>
            <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>
              {t('matters.import')}
            </Button>
            <Button
              icon={<DownloadOutlined />}
              onClick={() => void run(async () => download(await exportYaml(), 'matters.yaml'))}
            >
              {t('matters.export')}
            </Button>
          </Space>
        )
      }
    >
      {!canEdit && data && <Alert type="info" showIcon message={t('matters.readOnly')} style={{ marginBottom: 12 }} />}
      {(error ?? actionError) !== undefined && <ErrorAlert error={error ?? actionError} onRetry={reload} />}
      <Table
        rowKey="code"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        pagination={false}
        scroll={{ x: 900 }}
      />
      {importing && (
        <ImportModal
          open
          title={t('matters.importTitle')}
          hint={t('matters.importHint')}
          onClose={() => setImporting(false)}
          onDone={() => {
            setImporting(false);
            reload();
          }}
        />
      )}
      {editing && (
        <ImportModal
          open
          allowPublish={false}
          title={t('matters.editTitle', { code: editing.code })}
          hint={t('matters.editHint')}
          initial={editing.yaml}
          onClose={() => setEditing(null)}
          onDone={() => {
            setEditing(null);
            reload();
          }}
        />
      )}
    </Card>
  );
}
