import { useEffect, useState } from 'react';
import { createBrowserRouter, Navigate, RouterProvider, useLocation } from 'react-router';
import { LoginPage } from '../pages/LoginPage';

/** Any other address leads to the login page, which brings the user back to it after signing in. */
function ToLogin() {
  const location = useLocation();
  const next = location.pathname + location.search;
  return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
}

/** Without a session there is only the login page; none of the signed-in pages' code is downloaded. */
export function SignedOutPages() {
  const [router] = useState(() =>
    createBrowserRouter([
      { path: '/login', element: <LoginPage /> },
      { path: '*', element: <ToLogin /> },
    ]),
  );
  useEffect(() => () => router.dispose(), [router]);
  return <RouterProvider router={router} />;
}
