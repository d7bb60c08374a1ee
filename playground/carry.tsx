// Carries ids from one tab to the next, so a walk through the playground needs no copy and paste: the
// send tab's requestId into "follow deliveries" (the SmsDeliveryUpdates tab, started at once), the id of
// the campaign created last into every campaign tab's variables when it is opened.
import { ToolbarButton, useEditorContext, useExecutionContext } from '@graphiql/react';
import { useEffect, useRef, useSyncExternalStore } from 'react';

/** What the last answers said, as the fetcher saw them. */
interface Carried {
  readonly requestId?: string;
  readonly campaignId?: string;
}

let carried: Carried = {};
const listeners = new Set<() => void>();
const subscribeCarried = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/** Reads ids out of an answer the fetcher got (a plain JSON result; streams are left alone). */
export function remember(result: unknown): void {
  const data = (result as { data?: Record<string, unknown> | null } | null)?.data;
  if (!data) return;
  const sent = data.publishPromotionSms as { requestId?: unknown } | undefined;
  const created = data.createPromotionCampaign as { id?: unknown } | undefined;
  const next: Carried = {
    ...carried,
    ...(typeof sent?.requestId === 'string' && { requestId: sent.requestId }),
    ...(typeof created?.id === 'string' && { campaignId: created.id }),
  };
  if (next.requestId === carried.requestId && next.campaignId === carried.campaignId) return;
  carried = next;
  for (const listener of listeners) listener();
}

/** The example variables of each tab, by its first operation's name (the page's preloaded tabs). */
export type Examples = ReadonlyMap<string, string | undefined>;

const CAMPAIGN_PLACEHOLDER = 'paste-the-id-from-CreatePromotionCampaign';
const operationOf = (query: string | null | undefined) =>
  /\b(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(query ?? '')?.[1];

/** The toolbar's "follow deliveries" button, and the campaign id carried into campaign tabs. */
export function Carry({ examples }: { readonly examples: Examples }) {
  const { requestId, campaignId } = useSyncExternalStore(subscribeCarried, () => carried);
  const editor = useEditorContext({ nonNull: true });
  const execution = useExecutionContext({ nonNull: true });
  const { tabs, activeTabIndex, changeTab, variableEditor, updateActiveTabValues } = editor;
  const operation = operationOf(tabs[activeTabIndex]?.query);
  /** Variables to put into the tab that becomes active, and whether to run it then. */
  const pending = useRef<{ index: number; variables: string; run: boolean } | undefined>(undefined);

  useEffect(() => {
    let wanted = pending.current?.index === activeTabIndex ? pending.current : undefined;
    pending.current = undefined;
    // A campaign tab opened after a create: its example's placeholder becomes the id.
    const example = operation === undefined ? undefined : examples.get(operation);
    if (!wanted && campaignId && example?.includes(CAMPAIGN_PLACEHOLDER)) {
      const current = variableEditor?.getValue() ?? '';
      if (current.trim() === '' || current.includes(CAMPAIGN_PLACEHOLDER) || !current.includes(campaignId)) {
        wanted = { index: activeTabIndex, variables: example.replaceAll(CAMPAIGN_PLACEHOLDER, campaignId), run: false };
      }
    }
    if (!wanted || !variableEditor) return;
    const { variables, run } = wanted;
    // After GraphiQL has put the tab's own values into the editors.
    const timer = setTimeout(() => {
      variableEditor.setValue(variables);
      updateActiveTabValues({ variables });
      if (run) execution.run();
    }, 0);
    return () => clearTimeout(timer);
    // Runs when a tab becomes active (or an id arrives while it is).
  }, [activeTabIndex, campaignId, variableEditor]);

  if (operation !== 'PublishPromotionSms' || !requestId) return null;
  const follow = () => {
    const index = tabs.findIndex((tab) => operationOf(tab.query) === 'SmsDeliveryUpdates');
    if (index < 0) return;
    pending.current = { index, variables: JSON.stringify({ requestId }, null, 2), run: true };
    changeTab(index);
  };
  return (
    <ToolbarButton label={`Follow deliveries of ${requestId}`} onClick={follow} id="follow-deliveries">
      <span aria-hidden="true" style={{ fontSize: 11, fontWeight: 600, whiteSpace: 'nowrap' }}>
        follow deliveries
      </span>
    </ToolbarButton>
  );
}
