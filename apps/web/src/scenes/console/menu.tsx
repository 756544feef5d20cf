import type { ReactNode } from 'react';
import {
  AlertOutlined,
  ApartmentOutlined,
  AuditOutlined,
  CalendarOutlined,
  BranchesOutlined,
  DashboardOutlined,
  EnvironmentOutlined,
  FileTextOutlined,
  FolderOpenOutlined,
  InboxOutlined,
  MailOutlined,
  ProfileOutlined,
  SettingOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import type { Permission } from '@guotu/domain';
import type { MessageKey } from '../../i18n/types.ts';

export interface ConsoleMenuItem {
  /** path under /console */
  path: string;
  label: MessageKey;
  icon: ReactNode;
  /** shown only when the session's permissions include it; undefined: every signed-in user */
  permission?: Permission;
}

export interface ConsoleMenuGroup {
  key: string;
  label: MessageKey;
  icon: ReactNode;
  children: ConsoleMenuItem[];
}

export type ConsoleMenuEntry = ConsoleMenuItem | ConsoleMenuGroup;

/**
 * The console menu. Visibility follows `user.permissions` from the server — the same
 * permissions the API checks — so the menu never re-implements role logic.
 */
export const consoleMenu: ConsoleMenuEntry[] = [
  { path: 'workbench', label: 'menu.workbench', icon: <DashboardOutlined /> },
  // cases (docs/cases.md): the window desk for those who receive, the case query for every case reader;
  // the desk is not under cases/ so the menu never highlights both
  { path: 'case-intake', label: 'menu.caseIntake', icon: <InboxOutlined />, permission: 'case.receive' },
  { path: 'cases', label: 'menu.caseQuery', icon: <FolderOpenOutlined />, permission: 'case.read' },
  { path: 'supervision', label: 'menu.supervision', icon: <AuditOutlined />, permission: 'supervision.read' },
  { path: 'map', label: 'menu.map', icon: <EnvironmentOutlined />, permission: 'map.read' },
  { path: 'documents', label: 'menu.documents', icon: <FileTextOutlined />, permission: 'document.read' },
  { path: 'geohazard', label: 'menu.geohazard', icon: <AlertOutlined />, permission: 'geohazard.read' },
  {
    key: 'admin',
    label: 'menu.admin',
    icon: <SettingOutlined />,
    children: [
      // every role reads orgs (for pickers); the admin menu shows the tree to those who manage it.
      // The page itself needs only org.read, so a link to it still works read-only.
      { path: 'admin/orgs', label: 'menu.orgs', icon: <ApartmentOutlined />, permission: 'org.manage' },
      { path: 'admin/users', label: 'menu.users', icon: <TeamOutlined />, permission: 'user.read' },
      // every role reads the calendar (deadlines are everyone's business); only calendar.manage
      // imports notices and edits the rule table — the page asks the session, not the role.
      { path: 'admin/calendar', label: 'menu.calendar', icon: <CalendarOutlined />, permission: 'calendar.read' },
      { path: 'admin/workflow', label: 'menu.workflow', icon: <BranchesOutlined />, permission: 'workflow.deploy' },
      // matters: editing needs workflow.deploy for now (docs/matters.md); the page reads for any staff
      { path: 'admin/matters', label: 'menu.matters', icon: <ProfileOutlined />, permission: 'workflow.deploy' },
      // the notification outbox (admin API: user.manage); in the embedded default, where SMS are read
      { path: 'admin/outbox', label: 'menu.outbox', icon: <MailOutlined />, permission: 'user.manage' },
    ],
  },
];

export function isGroup(entry: ConsoleMenuEntry): entry is ConsoleMenuGroup {
  return 'children' in entry;
}

/** The entries the user may see; a group with no visible child disappears. */
export function visibleMenu(can: (permission: Permission) => boolean): ConsoleMenuEntry[] {
  const visible = (item: ConsoleMenuItem) => item.permission === undefined || can(item.permission);
  const result: ConsoleMenuEntry[] = [];
  for (const entry of consoleMenu) {
    if (!isGroup(entry)) {
      if (visible(entry)) result.push(entry);
      continue;
    }
    const children = entry.children.filter(visible);
    if (children.length > 0) result.push({ ...entry, children });
  }
  return result;
}
