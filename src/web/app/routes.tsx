import { createBrowserRouter, type RouteObject } from 'react-router';
import { AppLayout } from '../layout/AppLayout';
import { RouteError } from '../layout/RouteError';
import { LoginPage } from '../pages/LoginPage';

/** Each page is its own chunk: a union officer's laptop loads only the pages it opens. */
function page(load: () => Promise<{ default: React.ComponentType }>): Pick<RouteObject, 'lazy'> {
  return { lazy: async () => ({ Component: (await load()).default }) };
}

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  {
    path: '/',
    element: <AppLayout />,
    errorElement: <RouteError />,
    children: [
      { index: true, ...page(() => import('../pages/todo/TodoPage')) },
      { path: 'members', ...page(() => import('../pages/members/MembersPage')) },
      { path: 'cases', ...page(() => import('../pages/cases/CasesPage')) },
      { path: 'cases/new', ...page(() => import('../pages/cases/CaseFormPage')) },
      { path: 'cases/:id', ...page(() => import('../pages/cases/CasePage')) },
      { path: 'cases/:id/edit', ...page(() => import('../pages/cases/CaseFormPage')) },
      { path: 'batches', ...page(() => import('../pages/batches/BatchesPage')) },
      { path: 'batches/:id', ...page(() => import('../pages/batches/BatchPage')) },
      { path: 'decisions', ...page(() => import('../pages/decisions/DecisionsPage')) },
      { path: 'funds', ...page(() => import('../pages/funds/FundsPage')) },
      { path: 'funds/:id', ...page(() => import('../pages/funds/FundPage')) },
      { path: 'payments', ...page(() => import('../pages/payments/PaymentsPage')) },
      { path: 'reports', ...page(() => import('../pages/reports/ReportsPage')) },
      { path: 'admin', ...page(() => import('../pages/admin/AdminPage')) },
      { path: '*', ...page(() => import('../pages/NotFoundPage')) },
    ],
  },
]);
