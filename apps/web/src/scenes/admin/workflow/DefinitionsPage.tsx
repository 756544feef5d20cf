import { lazy, Suspense, useState } from 'react';
import { App, Button, Card, Space, Table, Tag, Typography, Upload, type TableColumnsType } from 'antd';
import { EditOutlined, EyeOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { definitionsPath, getDefinition, type DefinitionKeyList } from '../../../api/workflow.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { FullPageSpin } from '../../../components/RequireAuth.tsx';
import { useQuery } from '../../../hooks/useQuery.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { errorText } from '../../../lib/error-text.ts';
import { formatInstant } from '../../../lib/dates.ts';
import { blankProcessXml } from './blank.ts';
import { DefinitionViewer } from './DefinitionViewer.tsx';

// The modeler (bpmn-js Modeler, ~1 MB with its CSS) is its own chunk, fetched on first edit.
const DefinitionEditor = lazy(() => import('./DefinitionEditor.tsx'));

type Row = DefinitionKeyList['items'][number];
export interface EditorTarget {
  xml: string;
  /** where the XML came from: a file name, key@version, or a new process */
  source: string;
}

/** 流程定义: deployed process definitions with their versions; upload, edit, deploy. */
export default function DefinitionsPage() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const list = useQuery<DefinitionKeyList>(definitionsPath);
  const [editing, setEditing] = useState<EditorTarget | undefined>(undefined);
  const [viewing, setViewing] = useState<{ key: string; version: number } | undefined>(undefined);

  async function openVersion(key: string, version: number) {
    try {
      const detail = await getDefinition(key, version);
      setEditing({ xml: detail.xml, source: `${key}@${version}` });
    } catch (error) {
      void message.error(errorText(error, t));
    }
  }

  const columns: TableColumnsType<Row> = [
    {
      title: t('definitions.key'),
      dataIndex: 'key',
      key: 'key',
      render: (key: string) => <Typography.Text code>{key}</Typography.Text>,
    },
    { title: t('definitions.name'), dataIndex: 'name', key: 'name', render: (name: string | null) => name ?? '—' },
    {
      title: t('definitions.latestVersion'),
      dataIndex: 'latestVersion',
      key: 'latestVersion',
      render: (v: number) => <Tag color="blue">v{v}</Tag>,
    },
    {
      title: t('definitions.deployedAt'),
      key: 'deployedAt',
      render: (_value, row) => {
        const latest = row.versions.find((v) => v.version === row.latestVersion);
        return latest ? `${formatInstant(latest.deployedAt, locale)} · ${latest.deployedBy ?? '—'}` : '—';
      },
    },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      render: (_value, row) => (
        <Space>
          <Button
            size="small"
            icon={<EyeOutlined />}
            onClick={() => setViewing({ key: row.key, version: row.latestVersion })}
          >
            {t('definitions.view')}
          </Button>
          <Button size="small" icon={<EditOutlined />} onClick={() => void openVersion(row.key, row.latestVersion)}>
            {t('common.edit')}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <>
      <div className="guotu-page-head">
        <Typography.Title level={3} data-testid="page-title">
          {t('definitions.title')}
        </Typography.Title>
        <Space wrap>
          <Upload
            accept=".bpmn,.xml,application/xml,text/xml"
            showUploadList={false}
            beforeUpload={(file) => {
              void file.text().then((xml) => setEditing({ xml, source: file.name }));
              return false; // read in the browser; nothing is uploaded until "deploy"
            }}
          >
            <Button icon={<UploadOutlined />} data-testid="definition-upload">
              {t('definitions.upload')}
            </Button>
          </Upload>
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing({ xml: blankProcessXml, source: t('definitions.new') })}
            data-testid="definition-new"
          >
            {t('definitions.new')}
          </Button>
        </Space>
      </div>
      <Card>
        <Typography.Paragraph type="secondary">{t('definitions.hint')}</Typography.Paragraph>
        {list.error && <ErrorAlert error={list.error} onRetry={list.reload} />}
        <Table<Row>
          rowKey="key"
          size="middle"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.loading}
          scroll={{ x: 'max-content' }}
          pagination={false}
          expandable={{
            rowExpandable: (row) => row.versions.length > 1,
            expandedRowRender: (row) => (
              <Space wrap>
                {row.versions.map((v) => (
                  <Button key={v.version} size="small" onClick={() => setViewing({ key: row.key, version: v.version })}>
                    v{v.version} · {formatInstant(v.deployedAt, locale)}
                  </Button>
                ))}
              </Space>
            ),
          }}
          data-testid="definitions-table"
        />
      </Card>
      {viewing && <DefinitionViewer target={viewing} onClose={() => setViewing(undefined)} />}
      {editing && (
        <Suspense fallback={<FullPageSpin />}>
          <DefinitionEditor
            target={editing}
            onClose={() => setEditing(undefined)}
            onDeployed={() => {
              setEditing(undefined);
              list.reload();
            }}
          />
        </Suspense>
      )}
    </>
  );
}
