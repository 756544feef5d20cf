import { Link } from 'react-router-dom';
import { Card, Col, Row, Typography } from 'antd';
import { FileSearchOutlined, ReadOutlined, SafetyCertificateOutlined, SolutionOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/I18nProvider.tsx';

export default function PortalHome() {
  const { t } = useI18n();
  return (
    <>
      <section className="guotu-portal-hero">
        <Typography.Title level={2}>{t('portal.heroTitle')}</Typography.Title>
        <p>{t('portal.heroText')}</p>
      </section>
      <Row gutter={[16, 16]}>
        <Col xs={24} md={12}>
          <Link to="/portal/guides">
            <Card hoverable>
              <Card.Meta
                avatar={<ReadOutlined style={{ fontSize: 28, color: '#1f5fa8' }} />}
                title={t('portal.guides')}
                description={t('portal.guidesCard')}
              />
            </Card>
          </Link>
        </Col>
        <Col xs={24} md={12}>
          <Link to="/portal/progress">
            <Card hoverable>
              <Card.Meta
                avatar={<FileSearchOutlined style={{ fontSize: 28, color: '#2f7d5a' }} />}
                title={t('portal.progress')}
                description={t('portal.progressCard')}
              />
            </Card>
          </Link>
        </Col>
        <Col xs={24} md={12}>
          <Link to="/portal/cases">
            <Card hoverable>
              <Card.Meta
                avatar={<SolutionOutlined style={{ fontSize: 28, color: '#b8741a' }} />}
                title={t('pc.nav.myCases')}
                description={t('pc.home.myCasesCard')}
              />
            </Card>
          </Link>
        </Col>
        <Col xs={24} md={12}>
          <Link to="/portal/verify">
            <Card hoverable>
              <Card.Meta
                avatar={<SafetyCertificateOutlined style={{ fontSize: 28, color: '#7a4fb0' }} />}
                title={t('pc.nav.verify')}
                description={t('pc.home.verifyCard')}
              />
            </Card>
          </Link>
        </Col>
      </Row>
    </>
  );
}
