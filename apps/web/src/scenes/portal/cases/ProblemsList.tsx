import { Alert, Card, List, Space, Tag, Typography } from 'antd';
import { CheckCircleOutlined, CloseCircleOutlined, WarningOutlined } from '@ant-design/icons';
import type { CaseProblem } from '@guotu/contracts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { blockingCount, fieldAnchor, materialAnchor, mentionsLine, problemTarget, sortProblems } from './problems.ts';

/** Scrolls to the field or material a problem is about and makes it blink once. */
export function goToTarget(problem: CaseProblem): void {
  const target = problemTarget(problem);
  const id =
    target.kind === 'field' ? fieldAnchor(target.name) : target.kind === 'material' ? materialAnchor(target.key) : null;
  const element = id ? document.getElementById(id) : null;
  if (!element) return;
  element.scrollIntoView({ behavior: 'smooth', block: 'center' });
  element.classList.remove('guotu-case-flash');
  void element.offsetWidth; // restart the animation
  element.classList.add('guotu-case-flash');
  element.querySelector<HTMLElement>('input, textarea, .ant-select-selector, button')?.focus({ preventScroll: true });
}

/**
 * 待解决问题: every problem the server finds in the current content — errors block submission,
 * warnings do not; each one leads to its field or material; coordinate-file problems name the line.
 */
export function ProblemsList({
  problems,
  names,
}: {
  problems: CaseProblem[];
  /** material key → name, field name → label */
  names: Map<string, string>;
}) {
  const { t } = useI18n();
  const errors = blockingCount(problems);
  const warnings = problems.length - errors;
  if (problems.length === 0)
    return (
      <Alert
        type="success"
        showIcon
        icon={<CheckCircleOutlined />}
        message={t('pc.problem.none')}
        data-testid="case-problems-none"
      />
    );
  return (
    <Card
      size="small"
      data-testid="case-problems"
      title={
        <Space wrap>
          <span>{t('pc.problem.title')}</span>
          {errors > 0 && <Tag color="red">{t('pc.problem.errors', { n: errors })}</Tag>}
          {warnings > 0 && <Tag color="gold">{t('pc.problem.warnings', { n: warnings })}</Tag>}
        </Space>
      }
    >
      <List
        size="small"
        dataSource={sortProblems(problems)}
        renderItem={(problem) => {
          const target = problemTarget(problem);
          const about =
            target.kind === 'field'
              ? (names.get(`form.${target.name}`) ?? target.name)
              : target.kind === 'material'
                ? (names.get(`materials.${target.key}`) ?? target.key)
                : null;
          return (
            <List.Item
              className="guotu-case-problem"
              data-testid="case-problem"
              data-severity={problem.severity}
              data-code={problem.code}
              onClick={() => goToTarget(problem)}
            >
              <Space align="start">
                {problem.severity === 'error' ? (
                  <CloseCircleOutlined style={{ color: '#ff4d4f', marginTop: 4 }} />
                ) : (
                  <WarningOutlined style={{ color: '#faad14', marginTop: 4 }} />
                )}
                <span>
                  {about && !problem.message.includes(about) && <Typography.Text strong>{about}：</Typography.Text>}
                  {problem.line !== undefined && !mentionsLine(problem) && (
                    <Typography.Text code>{t('pc.problem.line', { n: problem.line })}</Typography.Text>
                  )}
                  {problem.message}
                </span>
              </Space>
            </List.Item>
          );
        }}
      />
    </Card>
  );
}
