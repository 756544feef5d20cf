import { useEffect, useState } from 'react';
import { Alert, Spin } from 'antd';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';

/** A read-only process diagram (bpmn-js NavigatedViewer, loaded on first use) of a guide's process. */
export function BpmnView({ xml, height = 320 }: { xml: string; height?: number }) {
  const { t } = useI18n();
  const [host, setHost] = useState<HTMLDivElement | null>(null);
  const [status, setStatus] = useState<'loading' | 'ready' | 'failed'>('loading');

  useEffect(() => {
    if (!host) return;
    let cancelled = false;
    let destroy: (() => void) | undefined;
    void (async () => {
      try {
        const { default: NavigatedViewer } = await import('bpmn-js/lib/NavigatedViewer');
        if (cancelled) return;
        const viewer = new NavigatedViewer({ container: host });
        destroy = () => viewer.destroy();
        await viewer.importXML(xml);
        if (cancelled) return;
        viewer.get<{ zoom: (level: string) => void }>('canvas').zoom('fit-viewport');
        setStatus('ready');
      } catch {
        if (!cancelled) setStatus('failed');
      }
    })();
    return () => {
      cancelled = true;
      destroy?.();
    };
  }, [host, xml]);

  return (
    <div style={{ position: 'relative' }}>
      {status === 'loading' && <Spin style={{ position: 'absolute', inset: 0, margin: 'auto' }} />}
      {status === 'failed' && <Alert type="warning" showIcon message={t('guides.noProcess')} />}
      <div
        ref={setHost}
        data-testid="process-diagram"
        style={{ height, border: '1px solid #f0f0f0', borderRadius: 6 }}
      />
    </div>
  );
}
