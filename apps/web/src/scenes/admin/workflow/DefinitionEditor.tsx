import { useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Col, Drawer, Row, Space, Typography } from 'antd';
import { CloudUploadOutlined, DownloadOutlined } from '@ant-design/icons';
import Modeler from 'bpmn-js/lib/Modeler';
import type { AppErrorDetail } from '@guotu/domain';
import { ApiError } from '../../../api/client.ts';
import { deployDefinition } from '../../../api/workflow.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { errorText } from '../../../lib/error-text.ts';
import type { EditorTarget } from './DefinitionsPage.tsx';
import { ElementProperties } from './ElementProperties.tsx';
import type { Canvas, DiagramElement, ElementRegistry, Modeling, Selection } from './modeler-types.ts';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import '../../../components/process-diagram.css';

interface Props {
  target: EditorTarget;
  onClose: () => void;
  onDeployed: () => void;
}

/**
 * The bpmn-js Modeler in a drawer: edit, download, deploy. A refused deploy lists the server's
 * problems by element id (details[].path); those elements are outlined red and a click on a
 * problem selects its element.
 */
export default function DefinitionEditor({ target, onClose, onDeployed }: Props) {
  const { t } = useI18n();
  const { message } = App.useApp();
  // a callback ref: the drawer mounts its body after the first render, so the modeler starts
  // when the element exists, not when the component does
  const [host, setHost] = useState<HTMLDivElement | null>(null);
  const modelerRef = useRef<Modeler | null>(null);
  const [modeling, setModeling] = useState<Modeling | undefined>(undefined);
  const marked = useRef<string[]>([]);
  const [loadError, setLoadError] = useState<string | undefined>(undefined);
  const [problems, setProblems] = useState<{ summary: string; details: readonly AppErrorDetail[] } | undefined>(
    undefined,
  );
  const [warnings, setWarnings] = useState<Array<{ path: string; message: string }>>([]);
  const [selected, setSelected] = useState<DiagramElement | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!host) return;
    const modeler = new Modeler({ container: host });
    modelerRef.current = modeler;
    setModeling(modeler.get<Modeling>('modeling'));
    modeler.on('selection.changed', (event: { newSelection: DiagramElement[] }) => setSelected(event.newSelection[0]));
    modeler
      .importXML(target.xml)
      .then(() => modeler.get<Canvas>('canvas').zoom('fit-viewport'))
      .catch((error: unknown) => setLoadError(error instanceof Error ? error.message : String(error)));
    return () => {
      modelerRef.current = null;
      setModeling(undefined);
      modeler.destroy();
    };
  }, [host, target.xml]);

  const service = <T,>(name: string): T | undefined => modelerRef.current?.get<T>(name);

  function markProblems(details: readonly AppErrorDetail[]) {
    const canvas = service<Canvas>('canvas');
    const registry = service<ElementRegistry>('elementRegistry');
    if (!canvas || !registry) return;
    for (const id of marked.current) canvas.removeMarker(id, 'guotu-error');
    marked.current = details.map((d) => d.path ?? '').filter((id) => id !== '' && registry.get(id) !== undefined);
    for (const id of marked.current) canvas.addMarker(id, 'guotu-error');
  }

  function focus(id: string) {
    const element = service<ElementRegistry>('elementRegistry')?.get(id);
    if (!element) return;
    service<Canvas>('canvas')?.scrollToElement(element);
    service<Selection>('selection')?.select(element);
  }

  async function currentXml(): Promise<string> {
    const modeler = modelerRef.current;
    if (!modeler) return target.xml;
    const { xml } = await modeler.saveXML({ format: true });
    return xml ?? target.xml;
  }

  async function deploy() {
    setBusy(true);
    setProblems(undefined);
    try {
      const result = await deployDefinition(await currentXml());
      markProblems([]);
      setWarnings(result.warnings);
      void message.success(
        result.deployed
          ? t('definitions.deployed', { key: result.key, version: result.version })
          : t('definitions.unchanged', { key: result.key, version: result.version }),
      );
      if (result.warnings.length === 0) onDeployed();
    } catch (error) {
      const details = error instanceof ApiError ? error.details : [];
      setProblems({ summary: errorText(error, t), details });
      markProblems(details);
    } finally {
      setBusy(false);
    }
  }

  async function download() {
    const blob = new Blob([await currentXml()], { type: 'application/xml' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = target.source.endsWith('.bpmn') ? target.source : `${target.source.replace(/[^\w.-]+/g, '_')}.bpmn`;
    link.click();
    URL.revokeObjectURL(link.href);
  }

  return (
    <Drawer
      open
      width="100vw"
      title={t('definitions.editTitle', { source: target.source })}
      onClose={onClose}
      extra={
        <Space wrap>
          <Button icon={<DownloadOutlined />} onClick={() => void download()}>
            {t('definitions.download')}
          </Button>
          <Button
            type="primary"
            icon={<CloudUploadOutlined />}
            loading={busy}
            onClick={() => void deploy()}
            data-testid="definition-deploy"
          >
            {t('definitions.deploy')}
          </Button>
        </Space>
      }
      data-testid="definition-editor"
    >
      {loadError && (
        <Alert
          type="error"
          showIcon
          message={t('definitions.loadFailed')}
          description={loadError}
          style={{ marginBottom: 12 }}
        />
      )}
      {problems && (
        <Alert
          type="error"
          showIcon
          message={problems.summary}
          style={{ marginBottom: 12 }}
          data-testid="deploy-errors"
          description={
            <ul className="guotu-problems">
              {problems.details.map((detail, index) => (
                <li key={index}>
                  {detail.path && (
                    <Button type="link" size="small" onClick={() => focus(detail.path ?? '')} style={{ padding: 0 }}>
                      <Typography.Text code>{detail.path}</Typography.Text>
                    </Button>
                  )}{' '}
                  {detail.message}
                </li>
              ))}
            </ul>
          }
        />
      )}
      {warnings.length > 0 && (
        <Alert
          type="warning"
          showIcon
          message={t('definitions.warnings')}
          description={warnings.map((w) => `${w.path}: ${w.message}`).join('\n')}
          action={<Button onClick={onDeployed}>{t('common.ok')}</Button>}
          style={{ marginBottom: 12, whiteSpace: 'pre-line' }}
        />
      )}
      <Row gutter={16}>
        <Col xs={24} lg={18}>
          <div ref={setHost} className="guotu-diagram guotu-modeler" data-testid="bpmn-modeler" />
        </Col>
        <Col xs={24} lg={6}>
          <Typography.Title level={5}>{t('definitions.properties')}</Typography.Title>
          {modeling && <ElementProperties element={selected} modeling={modeling} />}
        </Col>
      </Row>
    </Drawer>
  );
}
