import { Card } from 'antd';
import { NotAvailable } from '../../components/NotAvailable.tsx';

export default function ServiceGuides() {
  return (
    <Card>
      <NotAvailable titleKey="portal.guides" />
    </Card>
  );
}
