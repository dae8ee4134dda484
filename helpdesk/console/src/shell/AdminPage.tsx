/**
 * Admin pages of the shell's menu: labels (admin/Labels.tsx, admins), canned responses
 * (admin/CannedResponses.tsx, everyone: personal ones for agents, shared ones too for admins) and
 * WhatsApp numbers (admin/Channels.tsx, admins). Each
 * is loaded on first use (a chunk of its own) and shown in place of the inbox and thread.
 */
import {
  Component,
  lazy,
  Suspense,
  useEffect,
  useMemo,
  useRef,
  type ComponentType,
  type ReactNode,
} from 'react';
import type { SessionAgent } from '../api';
import { useI18n, type Words } from '../i18n';
import type { AdminPageEntry } from './TopBar';

type PageComponent = ComponentType<{ agent: SessionAgent }>;

const PAGES: ReadonlyArray<{
  key: string;
  title: keyof Words;
  adminOnly: boolean;
  component: PageComponent;
}> = [
  {
    key: 'labels',
    title: 'labelsAdmin',
    adminOnly: true,
    component: lazy(() => import('../admin/Labels').then((module) => ({ default: module.Labels }))),
  },
  {
    key: 'agents',
    title: 'agentsAdmin',
    adminOnly: true,
    component: lazy(() => import('../admin/Agents').then((module) => ({ default: module.Agents }))),
  },
  {
    key: 'teams',
    title: 'teamsAdmin',
    adminOnly: true,
    component: lazy(() => import('../admin/Teams').then((module) => ({ default: module.Teams }))),
  },
  {
    key: 'canned-responses',
    title: 'cannedResponses',
    adminOnly: false,
    component: lazy(() =>
      import('../admin/CannedResponses').then((module) => ({ default: module.CannedResponses })),
    ),
  },
  {
    key: 'channels',
    title: 'channelsAdmin',
    adminOnly: true,
    component: lazy(() => import('../admin/Channels').then((module) => ({ default: module.Channels }))),
  },
  {
    key: 'templates',
    title: 'templatesTitle',
    adminOnly: true,
    component: lazy(() => import('../admin/Templates').then((module) => ({ default: module.Templates }))),
  },
  {
    key: 'broadcasts',
    title: 'broadcastsAdmin',
    adminOnly: true,
    component: lazy(() => import('../admin/Broadcasts').then((module) => ({ default: module.Broadcasts }))),
  },
  {
    key: 'reports',
    title: 'reportsAdmin',
    adminOnly: true,
    component: lazy(() => import('../admin/Reports').then((module) => ({ default: module.Reports }))),
  },
  {
    key: 'live-queue',
    title: 'liveQueueAdmin',
    adminOnly: true,
    component: lazy(() => import('../admin/LiveQueue').then((module) => ({ default: module.LiveQueue }))),
  },
  {
    key: 'audit',
    title: 'auditAdmin',
    adminOnly: true,
    component: lazy(() => import('../admin/AuditLog').then((module) => ({ default: module.AuditLog }))),
  },
  {
    key: 'sla-policies',
    title: 'slaAdmin',
    adminOnly: true,
    component: lazy(() => import('../admin/SlaPolicies').then((module) => ({ default: module.SlaPolicies }))),
  },
  {
    key: 'auto-replies',
    title: 'autoRepliesAdmin',
    adminOnly: true,
    component: lazy(() => import('../admin/AutoReplies').then((module) => ({ default: module.AutoReplies }))),
  },
  {
    key: 'integrations',
    title: 'integrationsAdmin',
    adminOnly: true,
    component: lazy(() =>
      import('../admin/Integrations').then((module) => ({ default: module.Integrations })),
    ),
  },
];

/** The pages for the menu, in a stable order. */
export function useAdminPages(): AdminPageEntry[] {
  const { t } = useI18n();
  return useMemo(
    () => PAGES.map((page) => ({ key: page.key, title: t[page.title], adminOnly: page.adminOnly })),
    [t],
  );
}

/** The open admin page over the workspace, with a heading and a close button. */
export function AdminPage({
  page,
  agent,
  onClose,
}: {
  page: AdminPageEntry;
  agent: SessionAgent;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const Page = PAGES.find((entry) => entry.key === page.key)?.component;
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [page.key]);
  return (
    <section className="admin-page" aria-labelledby="admin-page-title" data-admin-page={page.key}>
      <div className="admin-head">
        <h2 id="admin-page-title" tabIndex={-1} ref={heading}>
          {page.title}
        </h2>
        <button type="button" onClick={onClose}>
          {t.closeDialog}
        </button>
      </div>
      <div className="admin-body">
        <PageFailed fallback={<p className="error">{t.error_unknown}</p>}>
          <Suspense fallback={<p className="muted">{t.loading}</p>}>
            {Page && <Page agent={agent} />}
          </Suspense>
        </PageFailed>
      </div>
    </section>
  );
}

/** Shows `fallback` instead of a page that failed to load or render, keeping the rest of the console. */
class PageFailed extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render(): ReactNode {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}
