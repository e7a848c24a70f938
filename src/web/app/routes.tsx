import dayjs from 'dayjs';
import 'dayjs/locale/vi';
import { useEffect } from 'react';
import { createBrowserRouter, RouterProvider, type RouteObject } from 'react-router';
import { AppLayout } from '../layout/AppLayout';
import { RouteError } from '../layout/RouteError';
import { LoginPage } from '../pages/LoginPage';

/** Each page is its own chunk: a union officer's laptop loads only the pages it opens. */
function page(load: () => Promise<{ default: React.ComponentType }>): Pick<RouteObject, 'lazy'> {
  return { lazy: async () => ({ Component: (await load()).default }) };
}

// Dates (pickers, relative times) in Vietnamese; the login page has none, so dayjs loads with these pages.
dayjs.locale('vi');

const signedInRoutes: RouteObject[] = [
  // Just signed in: the login page sends the user on to where they were going.
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
];

type Router = ReturnType<typeof createBrowserRouter>;
let current: Router | null = null;

/**
 * The signed-in pages' router, created on first use, not at module load: a browser router starts fetching the
 * chunks of the address it opens on, and a visitor who still has to sign in should download the login page
 * only. A returning user's router is created early (see App) so the page downloads while the session is
 * restored.
 */
export function signedInRouter(): Router {
  return (current ??= createBrowserRouter(signedInRoutes));
}

export function disposeSignedInRouter(): void {
  current?.dispose();
  current = null;
}

export default function SignedInPages() {
  useEffect(() => disposeSignedInRouter, []);
  return <RouterProvider router={signedInRouter()} />;
}
