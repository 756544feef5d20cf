import { Menu, type MenuProps } from 'antd';
import { useLocation, useNavigate } from 'react-router-dom';
import { useCan } from '../../hooks/useSession.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { isGroup, visibleMenu } from './menu.tsx';

type Item = Required<MenuProps>['items'][number];

/** The side menu (desktop Sider, or inside the phone Drawer). */
export function ConsoleMenu({ onNavigate, theme = 'dark' }: { onNavigate?: () => void; theme?: 'dark' | 'light' }) {
  const { t } = useI18n();
  const can = useCan();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const entries = visibleMenu(can);

  const items: Item[] = entries.map((entry) =>
    isGroup(entry)
      ? {
          key: entry.key,
          icon: entry.icon,
          label: t(entry.label),
          children: entry.children.map((child) => ({ key: child.path, icon: child.icon, label: t(child.label) })),
        }
      : { key: entry.path, icon: entry.icon, label: t(entry.label) },
  );

  const current = pathname.replace(/^\/console\/?/, '');
  const selected = entries
    .flatMap((entry) => (isGroup(entry) ? entry.children : [entry]))
    .map((item) => item.path)
    .filter((path) => current === path || current.startsWith(`${path}/`));

  return (
    <Menu
      mode="inline"
      theme={theme}
      items={items}
      selectedKeys={selected}
      defaultOpenKeys={entries.filter(isGroup).map((group) => group.key)}
      onClick={({ key }) => {
        void navigate(`/console/${key}`);
        onNavigate?.();
      }}
    />
  );
}
