import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import type { Permission } from '@guotu/domain';
import { NotAvailable } from '../components/NotAvailable.tsx';
import { NotFound } from '../components/Forbidden.tsx';
import { FullPageSpin, RequireAuth, RequirePermission } from '../components/RequireAuth.tsx';
import type { MessageKey } from '../i18n/types.ts';

// Every scene is its own chunk: the portal never downloads the console and vice versa.
const LoginPage = lazy(() => import('../scenes/login/LoginPage.tsx'));
const ConsoleLayout = lazy(() =>
  import('../scenes/console/ConsoleLayout.tsx').then((m) => ({ default: m.ConsoleLayout })),
);
const Workbench = lazy(() => import('../scenes/console/Workbench.tsx'));
const OrgsPage = lazy(() => import('../scenes/admin/OrgsPage.tsx'));
const UsersPage = lazy(() => import('../scenes/admin/UsersPage.tsx'));
const CalendarPage = lazy(() => import('../scenes/admin/calendar/CalendarPage.tsx'));
const TaskPage = lazy(() => import('../scenes/workflow/TaskPage.tsx'));
const DefinitionsPage = lazy(() => import('../scenes/admin/workflow/DefinitionsPage.tsx'));
const PortalLayout = lazy(() => import('../scenes/portal/PortalLayout.tsx').then((m) => ({ default: m.PortalLayout })));
const PortalHome = lazy(() => import('../scenes/portal/PortalHome.tsx'));
const ServiceGuides = lazy(() => import('../scenes/portal/guides/GuidesRoutes.tsx'));
const MattersPage = lazy(() => import('../scenes/admin/matters/MattersPage.tsx'));
const OutboxPage = lazy(() => import('../scenes/admin/outbox/OutboxPage.tsx'));
const ProgressQuery = lazy(() => import('../scenes/portal/ProgressQuery.tsx'));
const PortalCases = lazy(() => import('../scenes/portal/PortalCasesRoutes.tsx'));
const MapPage = lazy(() => import('../scenes/map/MapPage.tsx'));
const SupervisionPage = lazy(() => import('../scenes/supervision/SupervisionPage.tsx'));
const CasesPage = lazy(() => import('../scenes/cases/CasesPage.tsx'));
const CaseIntakePage = lazy(() => import('../scenes/cases/IntakePage.tsx'));
const CasePage = lazy(() => import('../scenes/cases/CasePage.tsx'));

/** Console modules whose screens are not built yet: an honest placeholder behind their permission. */
const upcoming: { path: string; permission: Permission; title: MessageKey }[] = [
  { path: 'documents', permission: 'document.read', title: 'menu.documents' },
  { path: 'geohazard', permission: 'geohazard.read', title: 'menu.geohazard' },
];

export function AppRoutes() {
  return (
    <Suspense fallback={<FullPageSpin />}>
      <Routes>
        <Route path="/" element={<Navigate to="/portal" replace />} />
        <Route path="/login" element={<LoginPage />} />
        <Route
          path="/console"
          element={
            <RequireAuth>
              <ConsoleLayout />
            </RequireAuth>
          }
        >
          <Route index element={<Navigate to="workbench" replace />} />
          <Route path="workbench" element={<Workbench />} />
          <Route
            path="tasks/:id"
            element={
              <RequirePermission permission="workflow.read">
                <TaskPage />
              </RequirePermission>
            }
          />
          <Route
            path="cases"
            element={
              <RequirePermission permission="case.read">
                <CasesPage />
              </RequirePermission>
            }
          />
          <Route
            path="case-intake"
            element={
              <RequirePermission permission="case.receive">
                <CaseIntakePage />
              </RequirePermission>
            }
          />
          <Route
            path="cases/:id"
            element={
              <RequirePermission permission="case.read">
                <CasePage />
              </RequirePermission>
            }
          />
          {upcoming.map((module) => (
            <Route
              key={module.path}
              path={`${module.path}/*`}
              element={
                <RequirePermission permission={module.permission}>
                  <NotAvailable titleKey={module.title} />
                </RequirePermission>
              }
            />
          ))}
          <Route
            path="supervision"
            element={
              <RequirePermission permission="supervision.read">
                <SupervisionPage />
              </RequirePermission>
            }
          />
          <Route
            path="map"
            element={
              <RequirePermission permission="map.read">
                <MapPage />
              </RequirePermission>
            }
          />
          <Route
            path="admin/outbox"
            element={
              <RequirePermission permission="user.manage">
                <OutboxPage />
              </RequirePermission>
            }
          />
          <Route
            path="admin/orgs"
            element={
              <RequirePermission permission="org.read">
                <OrgsPage />
              </RequirePermission>
            }
          />
          <Route
            path="admin/users"
            element={
              <RequirePermission permission="user.read">
                <UsersPage />
              </RequirePermission>
            }
          />
          <Route
            path="admin/calendar"
            element={
              <RequirePermission permission="calendar.read">
                <CalendarPage />
              </RequirePermission>
            }
          />
          <Route
            path="admin/workflow"
            element={
              <RequirePermission permission="workflow.deploy">
                <DefinitionsPage />
              </RequirePermission>
            }
          />
          <Route
            path="admin/matters"
            element={
              <RequirePermission permission="case.read">
                <MattersPage />
              </RequirePermission>
            }
          />
          <Route path="*" element={<NotFound home="/console" />} />
        </Route>
        <Route path="/portal" element={<PortalLayout />}>
          <Route index element={<PortalHome />} />
          <Route path="guides/*" element={<ServiceGuides />} />
          <Route path="progress" element={<ProgressQuery />} />
          {/* sign-in, profile, apply, my cases, document check (scenes/portal/PortalCasesRoutes.tsx) */}
          <Route path="*" element={<PortalCases />} />
        </Route>
        <Route path="*" element={<NotFound home="/portal" />} />
      </Routes>
    </Suspense>
  );
}
