import { Drawer } from 'antd';
import { definitionPath, type DefinitionDetail } from '../../../api/workflow.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { ProcessDiagram } from '../../../components/ProcessDiagram.tsx';
import { useQuery } from '../../../hooks/useQuery.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';

/** One deployed version in the read-only viewer. */
export function DefinitionViewer({
  target,
  onClose,
}: {
  target: { key: string; version: number };
  onClose: () => void;
}) {
  const { t } = useI18n();
  const detail = useQuery<DefinitionDetail>(definitionPath(target.key, target.version));
  return (
    <Drawer
      open
      width="min(1100px, 100vw)"
      title={t('definitions.viewTitle', { key: target.key, version: target.version })}
      onClose={onClose}
      data-testid="definition-viewer"
    >
      {detail.error && <ErrorAlert error={detail.error} onRetry={detail.reload} />}
      {detail.data && <ProcessDiagram diagram={{ xml: detail.data.xml }} height={520} />}
    </Drawer>
  );
}
