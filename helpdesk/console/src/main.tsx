/** Entry point of the agent console: applies the saved language and mounts the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { applyLanguage, savedLanguage } from './i18n';
import './styles.css';

applyLanguage(savedLanguage());
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
