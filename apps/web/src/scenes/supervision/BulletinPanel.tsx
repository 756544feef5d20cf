import { useEffect, useRef } from 'react';
import { Card, Col, Row, Statistic, Table } from 'antd';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { bulletinPdfUrl, type Bulletin } from './api.ts';
import { PeriodBar, useBulletinPeriod } from './PeriodBar.tsx';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** 通报 on screen: totals, cards and on-time rate by office (ECharts), overdue list, PDF download. */
export function BulletinPanel() {
  const { t } = useI18n();
  const periodState = useBulletinPeriod();
  const { period, day, bulletin } = periodState;
  const b = bulletin.data;
  return (
    <div>
      <PeriodBar value={periodState} style={{ marginBottom: 12 }}>
        <a href={bulletinPdfUrl(period, day)} data-testid="bulletin-pdf" download>
          {t('supervision.bulletin.pdf')}
        </a>
      </PeriodBar>
      {b && (
        <div data-testid="bulletin">
          <Card size="small" title={b.period.label}>
            <Row gutter={16}>
              <Col span={4}>
                <Statistic title={t('supervision.bulletin.finished')} value={b.totals.finishedSteps} />
              </Col>
              <Col span={4}>
                <Statistic
                  title={t('supervision.bulletin.onTimeRate')}
                  value={b.totals.onTimeRate ?? '—'}
                  suffix={b.totals.onTimeRate === null ? '' : '%'}
                />
              </Col>
              <Col span={4}>
                <Statistic title={t('supervision.bulletin.averageDays')} value={b.totals.averageWorkingDays ?? '—'} />
              </Col>
              <Col span={4}>
                <Statistic title={t('supervision.level.warning')} value={b.totals.warnings} />
              </Col>
              <Col span={4}>
                <Statistic title={t('supervision.level.overdue')} value={b.totals.overdue} />
              </Col>
              <Col span={4}>
                <Statistic title={t('supervision.bulletin.orders')} value={b.totals.ordersIssued} />
              </Col>
            </Row>
          </Card>
          <OfficeChart bulletin={b} />
          <Table
            rowKey={(r) => `${r.caseNumber ?? ''}-${r.step ?? ''}-${r.dueAt}`}
            size="small"
            title={() => t('supervision.bulletin.overdueList')}
            dataSource={b.overdueList}
            pagination={false}
            columns={[
              { title: t('supervision.order.case'), render: (_, r) => r.caseNumber ?? '—' },
              { title: t('supervision.col.purpose'), render: (_, r) => r.step ?? '—' },
              { title: t('supervision.order.org'), dataIndex: 'orgName' },
              {
                title: t('supervision.col.due'),
                render: (_, r) => new Date(r.dueAt).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' }),
              },
            ]}
          />
        </div>
      )}
    </div>
  );
}

function OfficeChart({ bulletin }: { bulletin: Bulletin }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current);
    const offices = bulletin.byOffice;
    chart.setOption({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 40, bottom: 40, top: 40 },
      xAxis: { type: 'category', data: offices.map((o) => o.orgName) },
      yAxis: [
        { type: 'value', name: t('supervision.bulletin.cards') },
        { type: 'value', name: '%', max: 100 },
      ],
      series: [
        {
          name: t('supervision.level.warning'),
          type: 'bar',
          stack: 'cards',
          data: offices.map((o) => o.warnings),
          itemStyle: { color: '#faad14' },
        },
        {
          name: t('supervision.level.overdue'),
          type: 'bar',
          stack: 'cards',
          data: offices.map((o) => o.overdue),
          itemStyle: { color: '#f5222d' },
        },
        {
          name: t('supervision.bulletin.onTimeRate'),
          type: 'bar',
          yAxisIndex: 1,
          data: offices.map((o) => o.onTimeRate ?? 0),
          itemStyle: { color: '#52c41a' },
        },
      ],
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [bulletin, t]);
  return <div ref={ref} data-testid="bulletin-chart" style={{ height: 320, margin: '16px 0' }} />;
}
