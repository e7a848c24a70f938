import { createRoot } from 'react-dom/client';
import './layout/styles.css';
import { App } from './app/App';

createRoot(document.getElementById('root')!).render(<App />);
