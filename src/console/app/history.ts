/**
 * An execution's history through GetExecutionHistory, as an SDK reads it: the first load pages
 * forward 1,000 events at a time; while the execution runs, newer events are fetched by paging
 * backwards (reverseOrder) until a known event id is reached, so a poll costs one small call.
 */
import type { WireEvent } from '../model/state-runs.js';
import { sfn } from './aws.js';

type Page = { events: WireEvent[]; nextToken?: string };

export async function fullHistory(executionArn: string): Promise<WireEvent[]> {
  const out: WireEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page: Page = await sfn<Page>('GetExecutionHistory', { executionArn, maxResults: 1000, ...(nextToken ? { nextToken } : {}) });
    for (const e of page.events) out.push(e);
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

export async function newerEvents(executionArn: string, lastKnownId: number): Promise<WireEvent[]> {
  const fresh: WireEvent[] = [];
  let nextToken: string | undefined;
  for (;;) {
    const page: Page = await sfn<Page>('GetExecutionHistory', { executionArn, maxResults: 200, reverseOrder: true, ...(nextToken ? { nextToken } : {}) });
    let reached = false;
    for (const e of page.events) {
      if (e.id <= lastKnownId) {
        reached = true;
        break;
      }
      fresh.push(e);
    }
    if (reached || !page.nextToken) break;
    nextToken = page.nextToken;
  }
  return fresh.reverse();
}
