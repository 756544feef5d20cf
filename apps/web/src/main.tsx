import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './lib/antd-react19.ts';
import { App } from './App.tsx';
import './global.css';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
