import { useEffect, useState } from 'react';
import { Alert, Space, Spin, Tag } from 'antd';
import type { DiagramView } from '../api/workflow.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import './process-diagram.css';

type Status = 'loading' | 'ready' | 'noDiagram' | 'failed';

/**
 * A process diagram in the bpmn-js NavigatedViewer (pan and zoom, no editing), loaded as its
 * own chunk on first use. Active nodes, completed nodes and the sequence flows taken are
 * marked with the ids the server sends (GET /workflow/instances/{id}/diagram); without them it
 * simply shows the definition.
 */
export function ProcessDiagram({
  diagram,
  height = 360,
}: {
  diagram: Pick<DiagramView, 'xml'> & Partial<DiagramView>;
  height?: number;
}) {
  const { t } = useI18n();
  // a callback ref: inside a drawer the element appears after the first render
  const [host, setHost] = useState<HTMLDivElement | null>(null);
  const [status, setStatus] = useState<Status>('loading');
  const { xml, activeNodeIds, completedNodeIds, takenFlowIds } = diagram;

  useEffect(() => {
    let cancelled = false;
    let destroy: (() => void) | undefined;
    setStatus('loading');
    void (async () => {
      try {
        const { default: NavigatedViewer } = await import('bpmn-js/lib/NavigatedViewer');
        if (cancelled || !host) return;
        const viewer = new NavigatedViewer({ container: host });
        destroy = () => viewer.destroy();
        await viewer.importXML(xml);
        if (cancelled) return;
        const canvas = viewer.get<{ addMarker: (id: string, cls: string) => void; zoom: (level: string) => void }>(
          'canvas',
        );
        const registry = viewer.get<{ get: (id: string) => unknown }>('elementRegistry');
        const mark = (ids: readonly string[] | undefined, marker: string) => {
          for (const id of ids ?? []) if (registry.get(id)) canvas.addMarker(id, marker);
        };
        mark(completedNodeIds, 'guotu-completed');
        mark(takenFlowIds, 'guotu-taken');
        mark(activeNodeIds, 'guotu-active');
        canvas.zoom('fit-viewport');
        setStatus('ready');
      } catch (error) {
        if (cancelled) return;
        // bpmn-js says "no diagram to display" for a process without BPMNDI shapes
        setStatus(error instanceof Error && /no diagram to display/i.test(error.message) ? 'noDiagram' : 'failed');
      }
    })();
    return () => {
      cancelled = true;
      destroy?.();
    };
  }, [host, xml, activeNodeIds, completedNodeIds, takenFlowIds]);

  return (
    <div>
      {status === 'noDiagram' && <Alert type="info" showIcon message={t('diagram.noDi')} />}
      {status === 'failed' && <Alert type="error" showIcon message={t('diagram.failed')} />}
      <Spin spinning={status === 'loading'}>
        <div
          ref={setHost}
          className="guotu-diagram"
          style={{
            height: `min(${height}px, 70vw)`,
            display: status === 'noDiagram' || status === 'failed' ? 'none' : undefined,
          }}
          data-testid="process-diagram"
          data-status={status}
        />
      </Spin>
      {activeNodeIds && (
        <Space size={12} wrap className="guotu-diagram-legend">
          <Tag color="orange">{t('diagram.active')}</Tag>
          <Tag color="green">{t('diagram.completed')}</Tag>
        </Space>
      )}
    </div>
  );
}
