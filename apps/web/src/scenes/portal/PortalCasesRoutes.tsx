import { Route, Routes } from 'react-router-dom';
import { NotFound } from '../../components/Forbidden.tsx';
import ProfilePage from './applicant/ProfilePage.tsx';
import { RequireApplicant } from './applicant/RequireApplicant.tsx';
import SignInPage from './applicant/SignInPage.tsx';
import ApplyPage from './cases/ApplyPage.tsx';
import CasePage from './cases/CasePage.tsx';
import MyCases from './cases/MyCases.tsx';
import VerifyDocument from './VerifyDocument.tsx';

/**
 * The applicant's portal pages (one lazy chunk): /portal/signin, /portal/profile,
 * /portal/apply/:code, /portal/cases[/:id], /portal/verify; anything else under /portal is 404.
 */
export default function PortalCasesRoutes() {
  return (
    <Routes>
      <Route path="signin" element={<SignInPage />} />
      <Route
        path="profile"
        element={
          <RequireApplicant allowIncomplete>
            <ProfilePage />
          </RequireApplicant>
        }
      />
      <Route
        path="apply/:code"
        element={
          <RequireApplicant>
            <ApplyPage />
          </RequireApplicant>
        }
      />
      <Route
        path="cases"
        element={
          <RequireApplicant>
            <MyCases />
          </RequireApplicant>
        }
      />
      <Route
        path="cases/:id"
        element={
          <RequireApplicant>
            <CasePage />
          </RequireApplicant>
        }
      />
      <Route path="verify" element={<VerifyDocument />} />
      <Route path="*" element={<NotFound home="/portal" />} />
    </Routes>
  );
}
