import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, Button, ConfigProvider, Result, Spin } from 'antd';
import viVN from 'antd/locale/vi_VN';
import { useEffect, useState } from 'react';
import { ApiError } from '../api/client';
import { hadSession, SessionProvider, useSession } from '../api/session';
import type * as SignedInModule from './routes';
import { SignedOutPages } from './SignedOutPages';

type SignedIn = typeof SignedInModule;
let loading: Promise<SignedIn> | null = null;
/** Set once the chunk is here, so that the pages render at once, without a spinner in between. */
let loaded: SignedIn | null = null;
/** The signed-in pages' chunk, fetched once. */
function loadSignedInPages(): Promise<SignedIn> {
  loading ??= import('./routes').then((module) => (loaded = module));
  return loading;
}
// A returning user most likely still has a session: their pages download while it is restored.
const headStart = hadSession();
if (headStart)
  void loadSignedInPages().then(
    (pages) => pages.signedInRouter(),
    () => undefined,
  );

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      // A refused request (403, 404, 409) will not change by asking again; a dropped connection may.
      retry: (failures, error) =>
        failures < 2 && (!(error instanceof ApiError) || error.status === 0 || error.status >= 500),
    },
  },
});

const FIELD_FOCUS = {
  hoverBorderColor: '#4d7fd6',
  activeBorderColor: '#0958d9',
  activeShadow: '0 0 0 2px rgba(9, 88, 217, 0.15)',
};

const theme = {
  token: {
    colorPrimary: '#b3122b',
    borderRadius: 6,
    fontFamily: "'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
    // Ant Design's default greys fall below WCAG AA contrast on white; officers read these on dim laptop screens.
    colorTextSecondary: '#595959',
    colorTextTertiary: '#595959',
    colorTextDescription: '#595959',
    colorTextPlaceholder: '#757575',
    colorLink: '#0958d9',
    colorError: '#cf1322',
    // Users who ask their system for less motion get none.
    motion: !window.matchMedia('(prefers-reduced-motion: reduce)').matches,
  },
  // The brand red is close to the error red: a field being typed in must not look like a field in error, so
  // fields take a blue border when hovered or focused (errors keep the red).
  components: {
    Input: FIELD_FOCUS,
    InputNumber: FIELD_FOCUS,
    DatePicker: FIELD_FOCUS,
    Select: {
      hoverBorderColor: FIELD_FOCUS.hoverBorderColor,
      activeBorderColor: FIELD_FOCUS.activeBorderColor,
      activeOutlineColor: 'rgba(9, 88, 217, 0.15)',
    },
  },
};

export function App() {
  return (
    <ConfigProvider locale={viVN} theme={theme}>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <SessionProvider>
            <Pages />
          </SessionProvider>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}

/** The login page until a session exists, then the signed-in pages (fetched at that moment, if not yet). */
function Pages() {
  const { status } = useSession();
  if (status === 'loading') return <Loading />;
  if (status === 'signed-out') return <SignedOut />;
  return <SignedInPages />;
}

function SignedInPages() {
  const [pages, setPages] = useState(loaded);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!pages) loadSignedInPages().then(setPages, () => setFailed(true));
  }, [pages]);
  // A dropped connection while the pages download says so and offers a reload, instead of a blank screen.
  if (failed) {
    return (
      <Result
        status="warning"
        title="Không tải được trang"
        subTitle="Kiểm tra kết nối mạng rồi tải lại trang."
        extra={
          <Button type="primary" onClick={() => window.location.reload()}>
            Tải lại
          </Button>
        }
      />
    );
  }
  return pages ? <pages.default /> : <Loading />;
}

function SignedOut() {
  // The head start guessed wrong (the session had ended): its router must not follow the address any more.
  useEffect(() => {
    if (headStart)
      void loadSignedInPages().then(
        (pages) => pages.disposeSignedInRouter(),
        () => undefined,
      );
  }, []);
  return <SignedOutPages />;
}

function Loading() {
  return <Spin fullscreen tip="Đang tải…" />;
}
