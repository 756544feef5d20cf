import { Route, Routes } from 'react-router-dom';
import GuidePage from './GuidePage.tsx';
import GuidesList from './GuidesList.tsx';

/** /portal/guides and /portal/guides/:code */
export default function GuidesRoutes() {
  return (
    <Routes>
      <Route index element={<GuidesList />} />
      <Route path=":code" element={<GuidePage />} />
    </Routes>
  );
}
