// Sends the outbox's due events (outbox.ts) to every WEBHOOK_URL, signed (signature.ts), at least once: a
// delivery counts as done on a 2xx answer only; otherwise it is tried again after the next wait of the retry
// schedule (WEBHOOK_RETRY_SECONDS, by default the Standard Webhooks schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
// 10 h — about 27 hours in all), then marked failed. Each event is leased to one dispatcher at a time (the lease
// lives in the event's record), so that several instances do not send it together; a dispatcher that dies
// mid-send leaves a lease that runs out, and the event is sent again under the same webhook-id.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../log/logger.js';
import type { Delivery, WebhookEvent, WebhookOutbox } from './outbox.js';
import { webhookHeaders } from './signature.js';

export interface DispatcherOptions {
  secret: string;
  /** The waits between attempts, in ms; after the last one a delivery is failed. */
  retryScheduleMs: readonly number[];
  /** How often the outbox is read when nothing kicked it (ms). */
  pollMs: number;
  /** Per attempt. */
  timeoutMs: number;
  /** How long a dispatcher holds an event while sending it. */
  leaseMs?: number;
  logger?: Logger;
  now?: () => number;
  holder?: string;
}

export class WebhookDispatcher {
  readonly holder: string;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = true;

  constructor(
    private readonly outbox: WebhookOutbox,
    private readonly options: DispatcherOptions,
  ) {
    this.holder = options.holder ?? `dispatcher-${randomUUID()}`;
  }

  #now(): number {
    return (this.options.now ?? Date.now)();
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#timer = setInterval(() => this.kick(), this.options.pollMs);
    this.#timer.unref();
    this.kick();
  }

  /** Stops polling and waits for the round in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#running;
  }

  /** Sends what is due now (an event was just enqueued); a round already running runs once more after. */
  kick(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.round()
      .catch((err: Error) => this.options.logger?.warn({ err: { message: err.message } }, 'webhook round failed'))
      .finally(() => {
        this.#running = undefined;
        if (this.#again) {
          this.#again = false;
          this.kick();
        }
      });
  }

  /** One pass over the due events. */
  async round(): Promise<void> {
    for (const id of await this.outbox.due(this.#now())) {
      if (this.#stopped) return;
      await this.send(id);
    }
  }

  /** Sends the event's due deliveries (when no other dispatcher holds it). */
  async send(id: string): Promise<void> {
    const leaseMs = this.options.leaseMs ?? Math.max(60_000, 3 * this.options.timeoutMs);
    const event = await this.outbox.lease(id, this.holder, leaseMs);
    if (!event) {
      // Held by another round; or gone (swept after its retention): then out of the index too.
      if (!(await this.outbox.get(id))) await this.outbox.schedule(id, null);
      return;
    }
    const now = this.#now();
    const results = new Map<string, Delivery>();
    await Promise.all(
      event.deliveries
        .filter((d) => d.state === 'pending' && d.nextAt !== null && d.nextAt <= now)
        .map(async (d) => {
          results.set(d.url, await this.attempt(event, d));
        }),
    );
    await this.outbox.settle(id, this.holder, event, results);
  }

  async attempt(event: WebhookEvent, delivery: Delivery): Promise<Delivery> {
    const started = this.#now();
    const timestamp = Math.floor(started / 1000);
    let status: number | undefined;
    let error: string | undefined;
    try {
      const res = await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'esign-kit-webhooks',
          ...webhookHeaders(this.options.secret, event.id, timestamp, event.body),
        },
        body: event.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      status = res.status;
      await res.body?.cancel().catch(() => undefined);
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause;
      error = (err as Error).name === 'TimeoutError' ? `no answer within ${this.options.timeoutMs} ms` : (cause?.code ?? (err as Error).message);
    }
    const attempt = {
      at: new Date(started).toISOString(),
      durationMs: this.#now() - started,
      ...(status !== undefined ? { status } : {}),
      ...(error !== undefined ? { error } : {}),
    };
    const attempts = [...delivery.attempts, attempt];
    if (status !== undefined && status >= 200 && status < 300) return { ...delivery, state: 'delivered', attempts, nextAt: null };
    // Failures in this round: the attempts since the replay that started it (or since the first).
    const failures = attempts.length - (delivery.retryFrom ?? 0);
    const wait = this.options.retryScheduleMs[failures - 1];
    this.options.logger?.info({ webhook: event.id, type: event.type, status, error, retryInMs: wait }, 'webhook delivery failed');
    if (wait === undefined) return { ...delivery, state: 'failed', attempts, nextAt: null };
    return { ...delivery, state: 'pending', attempts, nextAt: this.#now() + wait };
  }
}
